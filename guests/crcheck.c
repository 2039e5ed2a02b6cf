/* crcheck: privileged instructions whose result the architecture defines,
 * answered as the hardware answers them: bad control-register writes raise
 * #GP and change nothing (a reserved CR0 or CR4 bit, CR0.NW without CD,
 * CR0.PG or CR4.PAE cleared in 64-bit mode), CLTS and LMSW change what
 * they may, XSETBV refuses AMX's tile
 * bits apart, RDPMC faults as CPUID (no PMU in leaf 0xA) says, WBINVD runs,
 * RDTSCP runs as CPUID says and reads this guest's own TSC_AUX. */
#include "guests/rt/rt.h"

struct cr_write {
	int cr;           /* 0 or 4 */
	uint64_t val;
};

static uint64_t read_cr(int cr)
{
	uint64_t v;

	if (cr == 0)
		__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	else
		__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static void write_cr(void *p)
{
	const struct cr_write *w = p;

	if (w->cr == 0)
		__asm__ volatile("mov %0, %%cr0" : : "r"(w->val) : "memory");
	else
		__asm__ volatile("mov %0, %%cr4" : : "r"(w->val) : "memory");
}

/* MOV to CRcr of its value with `set` set and `clear` cleared: #GP, and
 * the register keeps its value. */
static void refused(int cr, uint64_t set, uint64_t clear, const char *what)
{
	uint64_t before = read_cr(cr);
	struct cr_write w = { cr, (before | set) & ~clear };
	int v = rt_try(write_cr, &w);

	EXPECT(v == 13 && read_cr(cr) == before, "%s: #GP (vector %d), CR%d %lx unchanged", what, v, cr,
	       read_cr(cr));
}

static void do_xsetbv(void *p)
{
	rt_xsetbv(*(uint64_t *)p);
}

static void do_rdpmc(void *p)
{
	(void)p;
	__asm__ volatile("rdpmc" : : "c"(0) : "rax", "rdx");
}

static void do_wbinvd(void *p)
{
	(void)p;
	__asm__ volatile("wbinvd" : : : "memory");
}

/* CLTS clears CR0.TS; LMSW sets the low four bits (not clearing PE). */
static void short_forms(void)
{
	uint64_t cr0 = read_cr(0), after;

	__asm__ volatile("mov %0, %%cr0; clts" : : "r"(cr0 | 8) : "memory");
	after = read_cr(0);
	EXPECT(after == (cr0 & ~8ULL), "CLTS clears CR0.TS (CR0 %lx)", after);
	__asm__ volatile("lmsw %w0" : : "r"((uint16_t)((cr0 ^ 2) & 0xe)) : "memory");   /* MP flipped, PE 0 */
	after = read_cr(0);
	EXPECT(after == (cr0 ^ 2), "LMSW flips CR0.MP and keeps PE (CR0 %lx)", after);
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0) : "memory");
}

static void control_registers(void)
{
	refused(4, 1ULL << 40, 0, "CR4 with reserved bit 40");
	refused(4, 0, 1u << 5, "CR4.PAE cleared in 64-bit mode");
	refused(0, 1ULL << 40, 0, "CR0 with reserved bit 40");
	refused(0, 1u << 29, 1u << 30, "CR0.NW without CR0.CD");
	refused(0, 0, 1u << 31, "CR0.PG cleared in 64-bit mode");
	short_forms();
}

static void xsetbv_amx(void)
{
	uint64_t cr4 = read_cr(4), tile = 1ULL << 17 | 3;
	int v;

	if (!(rt_cpuid(1, 0).c >> 26 & 1)) {
		rt_puts("crcheck: no XSAVE, XSETBV not tried\n");
		return;
	}
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | 1u << 18));   /* OSXSAVE */
	v = rt_try(do_xsetbv, &tile);
	EXPECT(v == 13, "XSETBV of XTILECFG without XTILEDATA: #GP (vector %d)", v);
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4));
}

static void counters_and_caches(void)
{
	struct rt_msr aux = { 0xc0000103, 0x5a5 };
	uint32_t ecx = 0;
	int v;

	EXPECT((rt_cpuid(0, 0).a < 0xa || !(rt_cpuid(0xa, 0).a & 0xff)), "CPUID leaf 0xA: no PMU");
	v = rt_try(do_rdpmc, NULL);   /* AMD's four legacy counters are there whatever CPUID says */
	EXPECT(v == (rt_amd() ? -1 : 13), "RDPMC 0: #GP but on AMD (vector %d)", v);
	v = rt_try(do_wbinvd, NULL);
	EXPECT(v == -1, "WBINVD runs (vector %d)", v);
	if (!(rt_cpuid(0x80000001, 0).d >> 27 & 1)) {
		rt_puts("FAILED: CPUID does not offer RDTSCP\n");
		rt_failures++;
		return;
	}
	v = rt_try(rt_wrmsr_fn, &aux);
	__asm__ volatile("rdtscp" : "=c"(ecx) : : "rax", "rdx");
	EXPECT(v == -1 && ecx == 0x5a5, "RDTSCP reads this guest's TSC_AUX (%x)", ecx);
}

int main(void)
{
	control_registers();
	xsetbv_amx();
	counters_and_caches();
	rt_printf("crcheck: %d failures\n", rt_failures);
	return rt_failures;
}
