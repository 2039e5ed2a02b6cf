/* x86conf: a small conformance set in the style of the x86 guest test
 * suites (kvm-unit-tests): one check a line, "PASS: what", "FAIL: what
 * (why)" or "SKIP: what (why)", and a last "SUMMARY: N tests, F failures,
 * S skipped". Each check asks what a CPU of the kind CPUID describes would
 * do: MSRs that exist or #GP consistently with CPUID, CPUID following the
 * APIC's enable bit, CR8 and the TPR in step, exceptions delivered with
 * the right vector and error code, the TSC writable, the APIC timer and
 * IPIs (fixed and NMI) to self, INVD, QEMU's fw_cfg items. Runs on both backends; ends through
 * the isa-debug-exit port, as such suites do. */
#include "core/lib/fmt.h"
#include "guests/rt/rt.h"

#define LAPIC 0xfee00000UL
enum { APIC_ID = 0x20, APIC_TPR = 0x80, APIC_EOI = 0xb0, APIC_SVR = 0xf0, APIC_ICR_LO = 0x300, APIC_ICR_HI = 0x310, APIC_LVT_TIMER = 0x320,
       APIC_TMICT = 0x380, APIC_TDCR = 0x3e0 };
#define TIMER_VEC 0x50
#define IPI_VEC 0x51
#define APIC_BASE_MSR 0x1b
#define APIC_BASE_EN (1ULL << 11)

static unsigned tests, failures, skipped;

static void report(bool ok, const char *what, const char *why)
{
	tests++;
	if (ok) {
		rt_printf("PASS: %s\n", what);
	} else {
		failures++;
		rt_printf("FAIL: %s (%s)\n", what, why);
	}
}

static void skip(const char *what, const char *why)
{
	skipped++;
	rt_printf("SKIP: %s (%s)\n", what, why);
}

static char why[96];
#define WHY(...) (snformat(why, sizeof(why), __VA_ARGS__), why)

/* ---- MSRs ---- */

/* vector of RDMSR msr (-1: it read, into *val) */
static int rdmsr_try(uint32_t msr, uint64_t *val)
{
	struct rt_msr op = { msr, 0 };
	int v = rt_try(rt_rdmsr_fn, &op);

	*val = op.val;
	return v;
}

static int wrmsr_try(uint32_t msr, uint64_t val)
{
	struct rt_msr op = { msr, val };

	return rt_try(rt_wrmsr_fn, &op);
}

/* An MSR CPUID says is there reads; one it says is not raises #GP. */
static void msr_present(const char *name, uint32_t msr, bool present)
{
	uint64_t val;
	int v = rdmsr_try(msr, &val);

	report(present ? v == -1 : v == 13, name,
	       WHY("CPUID says %s, RDMSR %x gave vector %d", present ? "present" : "absent", msr, v));
}

static void do_rdpmc0(void *out)
{
	uint32_t lo, hi;

	__asm__ volatile("rdpmc" : "=a"(lo), "=d"(hi) : "c"(0));
	*(uint64_t *)out = (uint64_t)hi << 32 | lo;
}

static void msrs(bool amd)
{
	struct cpuid l1 = rt_cpuid(1, 0), l7 = rt_cpuid(7, 0);
	uint64_t val, t, before;
	int v;

	v = rdmsr_try(0x12345678, &val);
	report(v == 13, "an MSR no CPU has raises #GP", WHY("vector %d", v));
	msr_present("MTRRcap as CPUID's MTRR bit", 0xfe, l1.d >> 12 & 1);
	msr_present("MCG_CAP as CPUID's MCA bit", 0x179, l1.d >> 14 & 1);
	msr_present("TSC_ADJUST as CPUID 7's bit", 0x3b, l7.b >> 1 & 1);
	if (amd) {
		/* AMD's four legacy counters are architectural: there whatever CPUID says */
		v = wrmsr_try(0xc0010000, 0);
		report(v == -1, "AMD PerfEvtSel0 takes a write of 0", WHY("vector %d", v));
		v = wrmsr_try(0xc0010000, 1ULL << 21);
		report(v == 13, "a reserved AMD PerfEvtSel0 bit raises #GP", WHY("vector %d", v));
		v = wrmsr_try(0xc0010004, 0x1234);
		report(v == -1 && rdmsr_try(0xc0010004, &val) == -1 && val == 0x1234,
		       "AMD PerfCtr0 reads back what was written", WHY("vector %d, read %lx", v, val));
		val = 0;
		v = rt_try(do_rdpmc0, &val);
		report(v == -1 && val == 0x1234, "RDPMC 0 reads PerfCtr0", WHY("vector %d, read %lx", v, val));
		msr_present("AMD PerfEvtSel4 (0xc0010208) as CPUID's PerfCtrExtCore", 0xc0010208,
			    rt_cpuid(0x80000001, 0).c >> 23 & 1);
		msr_present("no IA32_MISC_ENABLE on AMD", 0x1a0, false);
	} else {
		uint32_t pmu = rt_cpuid(0, 0).a >= 0xa ? rt_cpuid(0xa, 0).a : 0;

		msr_present("IA32_PERFEVTSEL0 as CPUID 0xA's counters", 0x186, (pmu & 0xff) && (pmu >> 8 & 0xff));
		v = rt_try(do_rdpmc0, &val);
		report(v == ((pmu & 0xff) && (pmu >> 8 & 0xff) ? -1 : 13), "RDPMC 0 as CPUID 0xA's counters",
		       WHY("vector %d", v));
		/* writable bits 0, 3, 16, 18, 22, 23, 34 set; read-only 12 (no
		 * PEBS) written as 0 stays 1 */
		v = wrmsr_try(0x1a0, 0x400c50809ULL);
		rdmsr_try(0x1a0, &val);
		report(v == -1 && val == 0x400c51809ULL, "IA32_MISC_ENABLE holds its writable bits, not its read-only ones",
		       WHY("vector %d, read %lx", v, val));
		report(rt_cpuid(0, 0).a == 2, "IA32_MISC_ENABLE's CPUID limit caps leaf 0 at 2",
		       WHY("leaf 0 EAX %x", rt_cpuid(0, 0).a));
		report(!(rt_cpuid(0x80000001, 0).d >> 20 & 1), "IA32_MISC_ENABLE's XD disable hides NX",
		       WHY("0x80000001 EDX %x", rt_cpuid(0x80000001, 0).d));
		v = wrmsr_try(0x1a0, 1ULL << 1);
		report(v == 13, "a reserved IA32_MISC_ENABLE bit raises #GP", WHY("vector %d", v));
		wrmsr_try(0x1a0, 0x1801);
	}
	before = rt_rdtsc();
	v = wrmsr_try(0x10, 1ULL << 40);
	t = rt_rdtsc();
	report(v == -1 && t >= 1ULL << 40 && t - (1ULL << 40) < 1ULL << 36, "WRMSR IA32_TSC moves RDTSC there",
	       WHY("vector %d, RDTSC %lx", v, t));
	if (l7.b >> 1 & 1) {
		uint64_t adj;

		/* the write moved the TSC by 2^40 less what it was, give or take
		 * the ticks between the two reads */
		v = rdmsr_try(0x3b, &adj);
		report(v == -1 && adj - ((1ULL << 40) - before) + (1ULL << 32) < 1ULL << 33,
		       "IA32_TSC_ADJUST follows a TSC write", WHY("vector %d, %lx after %lx", v, adj, before));
		wrmsr_try(0x3b, 0);
		t = rt_rdtsc();
		report(t < 1ULL << 40, "a TSC_ADJUST write of 0 takes the TSC back", WHY("RDTSC %lx", t));
	}
}

/* ---- CPUID ---- */

static void cpuid_apic(void)
{
	uint64_t base;
	bool on, off, back;

	if (rdmsr_try(APIC_BASE_MSR, &base) != -1) {
		skip("CPUID's APIC bit follows IA32_APIC_BASE", "no APIC_BASE");
		return;
	}
	on = rt_cpuid(1, 0).d >> 9 & 1;
	wrmsr_try(APIC_BASE_MSR, base & ~APIC_BASE_EN);
	off = rt_cpuid(1, 0).d >> 9 & 1;
	if (rt_amd())   /* AMD's copy in 0x80000001 too */
		off |= rt_cpuid(0x80000001, 0).d >> 9 & 1;
	wrmsr_try(APIC_BASE_MSR, base);
	back = rt_cpuid(1, 0).d >> 9 & 1;
	if (rt_amd())
		back &= rt_cpuid(0x80000001, 0).d >> 9 & 1;
	report(on && !off && back, "CPUID's APIC bit follows IA32_APIC_BASE",
	       WHY("enabled %d, disabled %d, enabled again %d", on, off, back));
}

static void cpuid_misc(void)
{
	struct cpuid l0 = rt_cpuid(0, 0), h = rt_cpuid(0x40000000, 0);

	report(l0.a >= 1, "CPUID leaf 0 names a highest leaf", WHY("%x", l0.a));
	report(rt_cpuid(1, 0).c >> 31 & 1, "CPUID's hypervisor bit", WHY("leaf 1 ECX %x", rt_cpuid(1, 0).c));
	report(h.a >= 0x40000001, "the hypervisor leaves", WHY("0x40000000 EAX %x", h.a));
	report(!(rt_cpuid(1, 0).c >> 5 & 1), "no VMX offered", "leaf 1 ECX bit 5");
	report(!(rt_cpuid(0x80000001, 0).c >> 2 & 1), "no SVM offered", "0x80000001 ECX bit 2");
}

/* ---- QEMU's fw_cfg: what kvm-unit-tests reads of it ---- */

static uint64_t fw_cfg(uint16_t key, int bytes)
{
	uint64_t v = 0;

	__asm__ volatile("outw %0, %1" : : "a"(key), "Nd"((uint16_t)0x510));
	for (int i = 0; i < bytes; i++)
		v |= (uint64_t)rt_inb(0x511) << (8 * i);
	return v;
}

static void fw_cfg_items(void)
{
	static struct hv1_guest_info gi;
	uint32_t cpus = rt_cpuid(0, 0).a >= 0xb ? rt_cpuid(0xb, 1).b & 0xffff : 1;

	hv1_guest_info((uintptr_t)&gi);
	report(fw_cfg(0, 4) == 0x554d4551, "fw_cfg's signature", WHY("%lx", fw_cfg(0, 4)));
	report(fw_cfg(5, 2) == cpus, "fw_cfg's CPU count as CPUID's topology",
	       WHY("%lu, CPUID %u", fw_cfg(5, 2), cpus));
	report(fw_cfg(3, 8) == gi.ram_size, "fw_cfg's RAM size as guest_info's (below 3 GiB)",
	       WHY("%lx, guest_info %lx", fw_cfg(3, 8), gi.ram_size));
}

/* ---- CR8 and the TPR ---- */

static volatile uint32_t *apic(uint32_t off)
{
	return (volatile uint32_t *)(LAPIC + off);
}

static void cr8_tpr(void)
{
	uint64_t cr8;

	__asm__ volatile("mov %0, %%cr8" : : "r"(5ULL));
	report((*apic(APIC_TPR) & 0xf0) == 0x50, "a CR8 write shows in the APIC's TPR",
	       WHY("TPR %x", *apic(APIC_TPR)));
	*apic(APIC_TPR) = 0x80;
	__asm__ volatile("mov %%cr8, %0" : "=r"(cr8));
	report(cr8 == 8, "a TPR write shows in CR8", WHY("CR8 %lx", cr8));
	__asm__ volatile("mov %0, %%cr8" : : "r"(0ULL));
}

/* ---- exceptions ---- */

static void do_ud(void *a) { (void)a; __asm__ volatile("ud2"); }
static void do_bp(void *a) { (void)a; __asm__ volatile("int3"); }
static void do_de(void *a) { (void)a; __asm__ volatile("xor %%ecx, %%ecx; div %%ecx" : : : "eax", "ecx", "edx"); }
static void do_gp(void *a) { (void)a; __asm__ volatile("mov (%0), %%al" : : "r"(0x8000000000000000ULL) : "al"); }
static void do_pf(void *a) { (void)a; __asm__ volatile("mov (%0), %%al" : : "r"(0x7f0000000000ULL) : "al"); }
static void do_invd(void *a) { (void)a; __asm__ volatile("invd"); }

static void exceptions(void)
{
	static const struct {
		const char *name;
		void (*fn)(void *);
		int vector;
	} cases[] = {
		{ "UD2 raises #UD", do_ud, 6 }, { "INT3 raises #BP", do_bp, 3 },
		{ "a division by 0 raises #DE", do_de, 0 },
		{ "a non-canonical load raises #GP", do_gp, 13 },
		{ "a load from an unmapped page raises #PF", do_pf, 14 },
		{ "INVD completes", do_invd, -1 },
	};

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int v = rt_try(cases[i].fn, NULL);

		report(v == cases[i].vector, cases[i].name, WHY("vector %d", v));
	}
}

/* ---- the APIC: timer, self-IPI, self-NMI ---- */

volatile uint32_t irq_count[2], nmi_count;
void timer_isr(void), ipi_isr(void), nmi_isr(void);

RT_APIC_ISR(timer_isr, "irq_count");
RT_APIC_ISR(ipi_isr, "irq_count+4");
__asm__(".globl nmi_isr\nnmi_isr:\n	lock incl nmi_count(%rip)\n	iretq\n");

static void wait_for(volatile uint32_t *c, uint32_t n)
{
	uint64_t t0 = rt_rdtsc(), hz, ns;

	hv1_get_time(&hz, &ns);
	while (*c < n && rt_rdtsc() - t0 < hz / 10)   /* 100 ms at most */
		__asm__ volatile("pause");
}

static void apic_events(void)
{
	rt_idt_set(TIMER_VEC, timer_isr, 0);
	rt_idt_set(IPI_VEC, ipi_isr, 0);
	rt_idt_set(2, nmi_isr, 0);
	*apic(APIC_SVR) = 0x1ff;
	__asm__ volatile("sti");
	*apic(APIC_TDCR) = 0xb;          /* divide by 1 */
	*apic(APIC_LVT_TIMER) = TIMER_VEC;   /* one-shot */
	*apic(APIC_TMICT) = 100000;
	wait_for(&irq_count[0], 1);
	report(irq_count[0] == 1, "the APIC timer's one-shot fires once", WHY("%u times", irq_count[0]));
	*apic(APIC_ICR_LO) = 1u << 18 | IPI_VEC;    /* self, fixed */
	wait_for(&irq_count[1], 1);
	report(irq_count[1] == 1, "a fixed IPI to self arrives", WHY("%u times", irq_count[1]));
	*apic(APIC_ICR_HI) = *apic(APIC_ID);       /* its own ID: the self shorthand is fixed-only */
	*apic(APIC_ICR_LO) = 4u << 8;               /* NMI, physical destination */
	wait_for(&nmi_count, 1);
	report(nmi_count == 1, "an NMI IPI to self arrives", WHY("%u times", nmi_count));
	*apic(APIC_LVT_TIMER) = 1u << 16;
	__asm__ volatile("cli");
}

int main(void)
{
	bool amd = rt_amd();

	rt_printf("x86conf: %s CPU\n", amd ? "an AMD" : "an Intel");
	msrs(amd);
	cpuid_apic();
	cpuid_misc();
	fw_cfg_items();
	cr8_tpr();
	exceptions();
	apic_events();
	rt_printf("SUMMARY: %u tests, %u failures, %u skipped\n", tests, failures, skipped);
	/* as kvm-unit-tests ends: its status through the isa-debug-exit port
	 * (with debug_exit=on the hypervisor stops it there with status
	 * failures * 2 + 1); else, or if that returned, a shutdown */
	__asm__ volatile("outl %0, %1" : : "a"((uint32_t)failures), "Nd"((uint16_t)0xf4));
	return failures;
}
