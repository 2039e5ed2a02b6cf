/* state: runs as a pair (guest ids 0 and 1). Each writes values of its own
 * into every register of docs/state.md it can reach, yields to the other,
 * and checks that it finds its own values again, ROUNDS times. Guest 0
 * uses AVX (and AVX-512 where there is one) and turns AVX off before half
 * of its yields; guest 1 never enables XSAVE and uses SSE through
 * CR4.OSFXSR alone. A register the hypervisor does not switch shows the
 * other guest's value.
 *
 * With 3 MiB of RAM or more it watches instead, for good: each round
 * sleeps WATCH_NS between writing and checking (whatever runs meanwhile,
 * such as guests/statefuzz.c, gets several slices), says so at once when
 * a register changed, and counts its rounds every WATCH_REPORT; the
 * configuration ends the run (run_until=). */
#include "guests/rt/rt.h"

#define ROUNDS 200
#define WATCH_NS 20000000ULL
#define WATCH_REPORT 100

enum reg {
	R_GPRS, R_X87, R_MXCSR, R_XMM, R_YMM, R_ZMMHI, R_ZMM, R_OPMASK, R_XCR0, R_PKRU, R_CR2, R_CR8,
	R_DR03, R_DR6, R_DR7, R_KGS, R_FS, R_GS, R_SYSCALL, R_SYSENTER, R_PAT, R_EFER, R_TSC_AUX, R_CR0,
	R_TSC, R_MSR_MODEL, R_COUNT
};

static const char *const names[R_COUNT] = {
	"GPRs (RBP RSI RDI R8-R15)", "x87 control word", "MXCSR", "XMM0-15", "YMM0-15 upper halves",
	"ZMM0-15 bits 256-511", "ZMM16/ZMM31", "opmask K1-K7", "XCR0", "PKRU", "CR2",
	"CR8 (and the APIC TPR)", "DR0-DR3", "DR6", "DR7",
	"KERNEL_GS_BASE (by SWAPGS)", "FS_BASE", "GS_BASE", "STAR LSTAR CSTAR SFMASK",
	"SYSENTER CS ESP EIP", "PAT", "EFER.SCE", "TSC_AUX (by RDTSCP)",
	"CR0 (AM WP)", "TSC (its offset, by WRMSR IA32_TSC)",
	"MISC_ENABLE (Intel) or PerfEvtSel1 and PerfCtr0 (AMD)",
};

static unsigned bad[R_COUNT];
static bool tried[R_COUNT];
static bool avx, avx512, pku, rdtscp, amd;
static uint64_t xcr0_all;
static uint32_t me;
static bool watch;

static void check(enum reg r, uint64_t got, uint64_t want)
{
	tried[r] = true;
	if (got != want && !bad[r]++)
		rt_printf("FAILED: %s: found %lx, wrote %lx\n", names[r], got, want);
}

static uint64_t pattern(unsigned round, unsigned n)
{
	uint64_t x = (uint64_t)(me + 1) * 0x9e3779b97f4a7c15ULL ^ (uint64_t)round << 32 ^ n * 0x1000193ULL;

	return x ^ x >> 29;
}

static void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

/* ---- the vector registers, written from and read into memory */

#define X16(m) m(0) m(1) m(2) m(3) m(4) m(5) m(6) m(7) m(8) m(9) m(10) m(11) m(12) m(13) m(14) m(15)
#define STR(x) #x
#define XMM_LD(n) "movdqu " STR(n * 16) "(%0), %%xmm" #n "\n"
#define XMM_ST(n) "movdqu %%xmm" #n ", " STR(n * 16) "(%0)\n"
#define YMM_LD(n) "vmovdqu " STR(n * 32) "(%0), %%ymm" #n "\n"
#define YMM_ST(n) "vmovdqu %%ymm" #n ", " STR(n * 32) "(%0)\n"
#define ZMM_LD(n) "vmovdqu64 " STR(n * 64) "(%0), %%zmm" #n "\n"
#define ZMM_ST(n) "vmovdqu64 %%zmm" #n ", " STR(n * 64) "(%0)\n"
#define K7(m) m(1) m(2) m(3) m(4) m(5) m(6) m(7)
#define K_LD(n) "kmovw " STR(n * 2) "(%0), %%k" #n "\n"
#define K_ST(n) "kmovw %%k" #n ", " STR(n * 2) "(%0)\n"

/* XMM/YMM/ZMM0-15 (16 x 64 bytes: a register's 8 quadwords in a row),
 * ZMM16 and ZMM31, K1-K7 (16 bits each). */
#define V_ZMM 128
#define V_K (V_ZMM + 16)
static uint64_t vbuf[V_K + 4] __attribute__((aligned(64))), vout[V_K + 4] __attribute__((aligned(64)));

/* Which register a quadword of vbuf's first 128 belongs to. */
static enum reg low_part(unsigned i)
{
	return i % 8 < 2 ? R_XMM : i % 8 < 4 ? R_YMM : R_ZMMHI;
}

static void vec_write(unsigned round)
{
	for (unsigned i = 0; i < V_K + 4; i++)
		vbuf[i] = pattern(round, 100 + i);
	if (avx512) {
		__asm__ volatile(X16(ZMM_LD) : : "r"(vbuf) : "memory");
		__asm__ volatile("vmovdqu64 (%0), %%zmm16\n vmovdqu64 64(%0), %%zmm31" : : "r"(vbuf + V_ZMM) : "memory");
		__asm__ volatile(K7(K_LD) : : "r"(vbuf + V_K) : "memory");
	} else if (avx) {
		__asm__ volatile(X16(YMM_LD) : : "r"(vbuf) : "memory");
	} else {
		__asm__ volatile(X16(XMM_LD) : : "r"(vbuf) : "memory");
	}
}

static void vec_check(unsigned round)
{
	const uint16_t *k = (const uint16_t *)(vout + V_K), *kw = (const uint16_t *)(vbuf + V_K);

	for (unsigned i = 0; i < V_K + 4; i++)
		vbuf[i] = pattern(round, 100 + i);
	if (avx512) {
		__asm__ volatile(X16(ZMM_ST) : : "r"(vout) : "memory");
		for (unsigned i = 0; i < V_ZMM; i++)
			check(low_part(i), vout[i], vbuf[i]);
		__asm__ volatile("vmovdqu64 %%zmm16, (%0)\n vmovdqu64 %%zmm31, 64(%0)" : : "r"(vout + V_ZMM) : "memory");
		for (unsigned i = V_ZMM; i < V_K; i++)
			check(R_ZMM, vout[i], vbuf[i]);
		__asm__ volatile(K7(K_ST) : : "r"(vout + V_K) : "memory");
		for (unsigned n = 1; n < 8; n++)
			check(R_OPMASK, k[n], kw[n]);
	} else if (avx) {
		__asm__ volatile(X16(YMM_ST) : : "r"(vout) : "memory");
		for (unsigned i = 0; i < 64; i++)
			check(i % 4 < 2 ? R_XMM : R_YMM, vout[i], vbuf[i]);
	} else {
		__asm__ volatile(X16(XMM_ST) : : "r"(vout) : "memory");
		for (unsigned i = 0; i < 32; i++)
			check(R_XMM, vout[i], vbuf[i]);
	}
}

static void fpu_write(unsigned round)
{
	uint16_t fcw = (uint16_t)(0x037f ^ (pattern(round, 1) & 3) << 10);   /* rounding control */
	uint32_t mxcsr = (uint32_t)(0x1f80 ^ (pattern(round, 2) & 3) << 13);

	__asm__ volatile("fldcw %0" : : "m"(fcw));
	__asm__ volatile("ldmxcsr %0" : : "m"(mxcsr));
	if (pku) {
		uint32_t pkru = (uint32_t)pattern(round, 3) & ~3u;   /* key 0 stays usable */

		__asm__ volatile("wrpkru" : : "a"(pkru), "c"(0), "d"(0));
	}
}

static void fpu_check(unsigned round)
{
	uint16_t fcw;
	uint32_t mxcsr;

	__asm__ volatile("fnstcw %0" : "=m"(fcw));
	__asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
	check(R_X87, fcw, 0x037f ^ (pattern(round, 1) & 3) << 10);
	check(R_MXCSR, mxcsr, 0x1f80 ^ (pattern(round, 2) & 3) << 13);
	if (pku) {
		uint32_t pkru;

		__asm__ volatile("rdpkru" : "=a"(pkru) : "c"(0) : "rdx");
		check(R_PKRU, pkru, (uint32_t)pattern(round, 3) & ~3u);
	}
}

/* ---- control and debug registers, MSRs */

static uint64_t canonical(uint64_t x)
{
	return (uint64_t)((int64_t)(x << 16) >> 16);
}

/* DR7 with every breakpoint's type and length set (R/W 01 or 11) but none
 * enabled, so nothing ever fires. */
static uint64_t dr7_of(unsigned round)
{
	uint64_t p = pattern(round, 7), v = 0x400;

	for (int i = 0; i < 4; i++)
		v |= ((p >> (4 * i) & 0xc) | 1 | (p >> (4 * i + 2) & 2)) << (16 + 4 * i);
	return v;
}

#define DR_WRITE(n, v) __asm__ volatile("mov %0, %%dr" #n : : "r"(v))
#define DR_READ(n, v) __asm__ volatile("mov %%dr" #n ", %0" : "=r"(v))

/* CR0 with AM and WP (harmless at CPL 0) from the pattern. */
#define CR0_AM_WP (1ULL << 18 | 1ULL << 16)

static uint64_t cr0_of(unsigned round)
{
	uint64_t cr0;

	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	return (cr0 & ~CR0_AM_WP) | (pattern(round, 27) >> 16 & CR0_AM_WP);   /* bits of the round */
}

/* The TSC this guest sets each round: its number in bits 44 up, the
 * round's in 36-43, so that the other guest's (or a TSC never moved)
 * differs there until 2^36 ticks have passed. */
static uint64_t tsc_base(unsigned round)
{
	return (uint64_t)(me + 1) << 44 | (uint64_t)(round & 0xff) << 36;
}

/* MSRs the hypervisor keeps in software alone (core/exit/vmsr.c): on
 * Intel MISC_ENABLE's writable bits without effect (0, 3, 16, 18, 23),
 * on AMD an event select (no reserved bit) and a 48-bit counter. */
#define MISC_QUIET (1ULL << 0 | 1ULL << 3 | 1ULL << 16 | 1ULL << 18 | 1ULL << 23)
#define EVTSEL_OK 0xffd7ffffULL

static void model_write(unsigned round)
{
	if (amd) {
		wrmsr(0xc0010001, pattern(round, 28) & EVTSEL_OK);
		wrmsr(0xc0010004, pattern(round, 29) & ((1ULL << 48) - 1));
	} else {
		wrmsr(0x1a0, (rdmsr(0x1a0) & ~MISC_QUIET) | (pattern(round, 28) & MISC_QUIET));
	}
}

static void model_check(unsigned round)
{
	if (amd) {
		check(R_MSR_MODEL, rdmsr(0xc0010001), pattern(round, 28) & EVTSEL_OK);
		check(R_MSR_MODEL, rdmsr(0xc0010004), pattern(round, 29) & ((1ULL << 48) - 1));
	} else {
		check(R_MSR_MODEL, rdmsr(0x1a0) & MISC_QUIET, pattern(round, 28) & MISC_QUIET);
	}
}

static void regs_write(unsigned round)
{
	uint64_t cr8 = pattern(round, 8) & 15, cr2 = pattern(round, 9), cr0 = cr0_of(round);

	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0) : "memory");   /* a trapped write on AMD-V */

	__asm__ volatile("mov %0, %%cr2" : : "r"(cr2));
	__asm__ volatile("mov %0, %%cr8" : : "r"(cr8));
	DR_WRITE(0, canonical(pattern(round, 10)));
	DR_WRITE(1, canonical(pattern(round, 11)));
	DR_WRITE(2, canonical(pattern(round, 12)));
	DR_WRITE(3, canonical(pattern(round, 13)));
	DR_WRITE(6, 0xffff0ff0 | (pattern(round, 14) & 0xf));
	DR_WRITE(7, dr7_of(round));
	wrmsr(0xc0000100, canonical(pattern(round, 15)));   /* FS_BASE */
	wrmsr(0xc0000101, canonical(pattern(round, 16)));   /* GS_BASE, swapped into KERNEL_GS_BASE */
	__asm__ volatile("swapgs");
	wrmsr(0xc0000101, canonical(pattern(round, 17)));
	wrmsr(0xc0000081, pattern(round, 18));              /* STAR */
	wrmsr(0xc0000082, canonical(pattern(round, 19)));   /* LSTAR */
	wrmsr(0xc0000083, canonical(pattern(round, 20)));   /* CSTAR */
	wrmsr(0xc0000084, pattern(round, 21) & 0xffffffff); /* SFMASK */
	wrmsr(0x174, pattern(round, 22) & 0xfffc);          /* SYSENTER_CS */
	wrmsr(0x175, canonical(pattern(round, 23)));
	wrmsr(0x176, canonical(pattern(round, 24)));
	wrmsr(0x277, round & 1 ? 0x0007040600070406ULL : 0x0606060606060606ULL);   /* PAT */
	wrmsr(0xc0000080, (rdmsr(0xc0000080) & ~1ULL) | (pattern(round, 25) & 1)); /* EFER.SCE */
	if (rdtscp)
		wrmsr(0xc0000103, pattern(round, 26) & 0xffffffff);       /* TSC_AUX */
	wrmsr(0x10, tsc_base(round));                                 /* IA32_TSC */
	model_write(round);
}

static void regs_check(unsigned round)
{
	uint64_t v, w;

	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	check(R_CR0, v & CR0_AM_WP, pattern(round, 27) >> 16 & CR0_AM_WP);
	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	check(R_CR2, v, pattern(round, 9));
	__asm__ volatile("mov %%cr8, %0" : "=r"(v));
	check(R_CR8, v, pattern(round, 8) & 15);
	check(R_CR8, *(volatile uint32_t *)0xfee00080 >> 4, pattern(round, 8) & 15);   /* APIC TPR */
	DR_READ(0, v);
	check(R_DR03, v, canonical(pattern(round, 10)));
	DR_READ(1, v);
	check(R_DR03, v, canonical(pattern(round, 11)));
	DR_READ(2, v);
	check(R_DR03, v, canonical(pattern(round, 12)));
	DR_READ(3, v);
	check(R_DR03, v, canonical(pattern(round, 13)));
	DR_READ(6, v);
	check(R_DR6, v & 0xf, pattern(round, 14) & 0xf);
	DR_READ(7, v);
	check(R_DR7, v, dr7_of(round));
	check(R_FS, rdmsr(0xc0000100), canonical(pattern(round, 15)));
	check(R_GS, rdmsr(0xc0000101), canonical(pattern(round, 17)));
	__asm__ volatile("swapgs");
	check(R_KGS, rdmsr(0xc0000101), canonical(pattern(round, 16)));
	__asm__ volatile("swapgs");
	check(R_SYSCALL, rdmsr(0xc0000081), pattern(round, 18));
	check(R_SYSCALL, rdmsr(0xc0000082), canonical(pattern(round, 19)));
	check(R_SYSCALL, rdmsr(0xc0000083), canonical(pattern(round, 20)));
	check(R_SYSCALL, rdmsr(0xc0000084), pattern(round, 21) & 0xffffffff);
	check(R_SYSENTER, rdmsr(0x174), pattern(round, 22) & 0xfffc);
	check(R_SYSENTER, rdmsr(0x175), canonical(pattern(round, 23)));
	check(R_SYSENTER, rdmsr(0x176), canonical(pattern(round, 24)));
	w = round & 1 ? 0x0007040600070406ULL : 0x0606060606060606ULL;
	check(R_PAT, rdmsr(0x277), w);
	check(R_EFER, rdmsr(0xc0000080) & 1, pattern(round, 25) & 1);
	if (rdtscp) {
		uint32_t aux;

		__asm__ volatile("rdtscp" : "=c"(aux) : : "rax", "rdx");
		check(R_TSC_AUX, aux, pattern(round, 26) & 0xffffffff);
	}
	check(R_TSC, rt_rdtsc() >> 36, tsc_base(round) >> 36);
	model_check(round);
}

/* The GPRs a hypercall keeps (all but RAX-RDX), across a null call the
 * hypervisor serves and resumes on its short way (RBP and R12-R15 stay in
 * the CPU, RDI on its stack) and then the yield (or, watching, the sleep),
 * which leaves the short way for the other guest. */
static void gprs_across_yield(unsigned round)
{
	/* static: RIP-relative operands, still right after the pushes below */
	static uint64_t call, deadline, null_call;
	uint64_t in[11], out[11], *p = in, hz, now;

	null_call = HC(1, HV1_GET_VERSION);
	call = HC(1, HV1_YIELD);
	if (watch) {
		hv1_get_time(&hz, &now);
		call = HC(1, HV1_SLEEP_UNTIL);
		deadline = now + WATCH_NS;
	}
	for (int i = 0; i < 11; i++)
		in[i] = pattern(round, 30 + i);
	__asm__ volatile(
		"push %%rbp\n push %%rbx\n push %%r12\n push %%r13\n push %%r14\n push %%r15\n"
		"push %1\n"
		"mov 0(%%rax), %%rbp\n mov 8(%%rax), %%rsi\n mov 16(%%rax), %%rdi\n mov 24(%%rax), %%r8\n"
		"mov 32(%%rax), %%r9\n mov 40(%%rax), %%r10\n mov 48(%%rax), %%r11\n mov 56(%%rax), %%r12\n"
		"mov 64(%%rax), %%r13\n mov 72(%%rax), %%r14\n mov 80(%%rax), %%r15\n"
		"mov %5, %%rax\n vmcall\n"
		"mov %3, %%rbx\n mov %2, %%rax\n vmcall\n"
		"pop %%rax\n"
		"mov %%rbp, 0(%%rax)\n mov %%rsi, 8(%%rax)\n mov %%rdi, 16(%%rax)\n mov %%r8, 24(%%rax)\n"
		"mov %%r9, 32(%%rax)\n mov %%r10, 40(%%rax)\n mov %%r11, 48(%%rax)\n mov %%r12, 56(%%rax)\n"
		"mov %%r13, 64(%%rax)\n mov %%r14, 72(%%rax)\n mov %%r15, 80(%%rax)\n"
		"pop %%r15\n pop %%r14\n pop %%r13\n pop %%r12\n pop %%rbx\n pop %%rbp\n"
		: "+a"(p) : "r"(out), "m"(call), "m"(deadline), "m"(in), "m"(null_call)
		: "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "memory");
	for (int i = 0; i < 11; i++)
		check(R_GPRS, out[i], in[i]);
}

/* A breakpoint target: both copies are one image, so it lies at the same
 * address in each. */
static __attribute__((noinline)) void probe(void *arg)
{
	(void)arg;
	__asm__ volatile("nop");
}

/* Guest 0 points its DR0 at probe and yields. Guest 1, which has touched
 * no debug register yet, then arms breakpoint 0 by writing DR7 alone and
 * calls probe: no #DB may come (the CPU still holds guest 0's DR0, but
 * guest 1's first MOV DR, of DR7 too, loads its own: core/vm/vswitch.c),
 * and DR0-DR3 read as its own reset values, 0. */
static void drs_at_first_use(void)
{
	uint64_t v[4];
	int hit;

	if (me == 0) {
		DR_WRITE(0, (uint64_t)(uintptr_t)probe);
		hv_vmcall(HC(1, HV1_YIELD), 0, 0, 0, 0);
		return;
	}
	DR_WRITE(7, 0x401ULL);                       /* L0: execute at DR0 */
	hit = rt_try(probe, NULL);
	DR_WRITE(7, 0x400ULL);
	DR_READ(0, v[0]);
	DR_READ(1, v[1]);
	DR_READ(2, v[2]);
	DR_READ(3, v[3]);
	EXPECT(hit == -1 && !(v[0] | v[1] | v[2] | v[3]),
	       "DR0-DR3 at first use: 0 and arming nothing (%lx %lx %lx %lx, vector %d)", v[0], v[1], v[2], v[3],
	       hit);
}

static void setup(void)
{
	struct hv1_guest_info gi;
	struct cpuid c1 = rt_cpuid(1, 0), c7 = rt_cpuid(7, 0);
	uint64_t cr4;

	hv1_guest_info((uintptr_t)&gi);
	rdtscp = rt_cpuid(0x80000001, 0).d >> 27 & 1;
	amd = rt_amd();
	me = gi.guest_id;
	watch = gi.ram_size >= 3 << 20;
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	cr4 |= 1u << 9 | 1u << 10;                          /* OSFXSR, OSXMMEXCPT */
	if (me == 0 && (c1.c >> 26 & 1)) {
		cr4 |= 1u << 18;                            /* OSXSAVE */
		pku = c7.c >> 3 & 1;
		if (pku)
			cr4 |= 1u << 22;                    /* PKE */
	}
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4));
	if (cr4 >> 18 & 1) {
		struct cpuid d = rt_cpuid(0xd, 0);

		xcr0_all = (d.a | (uint64_t)d.d << 32) & (0xe7 | 1u << 9);   /* x87 SSE AVX AVX-512 PKRU */
		avx = (c1.c >> 28 & 1) && (xcr0_all & 4);
		avx512 = avx && (c7.b >> 16 & 1) && (xcr0_all & 0xe0) == 0xe0;
		if (!avx512)
			xcr0_all &= ~0xe0ULL;
		rt_xsetbv(xcr0_all);
	}
	rt_printf("guest %u: %s%s%s\n", me, avx ? "AVX" : "SSE only, XCR0 left at x87",
		  avx512 ? ", AVX-512" : "", pku ? ", PKRU" : "");
}

int main(void)
{
	setup();
	drs_at_first_use();
	for (unsigned round = 0; watch || round < ROUNDS; round++) {
		bool avx_off = avx && (round & 1);

		if (avx)
			rt_xsetbv(xcr0_all);
		vec_write(round);
		fpu_write(round);
		regs_write(round);
		if (avx_off)
			rt_xsetbv(3);                          /* AVX off: the upper halves stay */
		gprs_across_yield(round);
		if (avx) {
			check(R_XCR0, rt_xgetbv(), avx_off ? 3 : xcr0_all);
			rt_xsetbv(xcr0_all);
		}
		vec_check(round);
		fpu_check(round);
		regs_check(round);
		if (watch && (round + 1) % WATCH_REPORT == 0)
			rt_printf("state: %u rounds watched\n", round + 1);
	}
	__asm__ volatile("mov %0, %%cr8" : : "r"(0ULL));
	for (int r = 0; r < R_COUNT; r++)
		if (tried[r])
			EXPECT(!bad[r], "%s kept across %d switches (%u wrong)", names[r], ROUNDS, bad[r]);
	rt_printf("state: %d failures\n", rt_failures);
	return rt_failures;
}
