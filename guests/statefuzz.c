/* statefuzz: seeded, reproducible random privileged operations: MOV to
 * CR0, CR2, CR3, CR4, CR8 and DR0-DR7, RDMSR and WRMSR of random and of
 * interesting indexes, XSETBV, INVLPG, port reads and writes, APIC and
 * IOAPIC register accesses, CPUID, RDPMC, WBINVD, SWAPGS and exceptions it
 * raises itself (INT n, UD2, a division by zero). Each runs under rt_try,
 * and what it changed in this guest's own state is put back, so the
 * fuzzer lives on. Beside it, other guests check that none of it reached
 * them (tests/e2e/hostile-statefuzz); the hypervisor must stay up.
 *
 * Left out, as they would only end this guest: HLT with interrupts off,
 * LGDT/LIDT, writes to the reset ports (0x92, 0xcf9) and to the ACPI PM1
 * control block, and unaligned or register-crossing MMIO (each stops the
 * guest by design; tests/e2e/guest-apic, guest-mmio-tricks).
 *
 * FUZZ_OPS and FUZZ_SEED may be given at build time (make fuzz). */
#include "guests/rt/rt.h"

#ifndef FUZZ_OPS
#define FUZZ_OPS 1000000
#endif
#ifndef FUZZ_SEED
#define FUZZ_SEED 0x57a7e5eed0000001ULL
#endif

#define LAPIC 0xfee00000UL
#define IOAPIC 0xfec00000UL
#define PM1_CNT 0x604   /* the ACPI PM1 control block, 2 bytes (core/dev/vacpi.h) */

static uint64_t rng = FUZZ_SEED;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A value: random, a single bit, all-ones or zero. */
static uint64_t value(void)
{
	uint64_t r = next();

	switch (r % 4) {
	case 0: return 1ULL << (r >> 8) % 64;
	case 1: return r & 1 << 9 ? ~0ULL : 0;
	default: return next();
	}
}

struct op {
	uint64_t a, b, c;
};

/* ---- the operations; each gets its arguments in struct op */

static uint64_t cr(int n)
{
	uint64_t v = 0;

	switch (n) {
	case 0: __asm__ volatile("mov %%cr0, %0" : "=r"(v)); break;
	case 2: __asm__ volatile("mov %%cr2, %0" : "=r"(v)); break;
	case 3: __asm__ volatile("mov %%cr3, %0" : "=r"(v)); break;
	case 4: __asm__ volatile("mov %%cr4, %0" : "=r"(v)); break;
	case 8: __asm__ volatile("mov %%cr8, %0" : "=r"(v)); break;
	}
	return v;
}

static void set_cr(int n, uint64_t v)
{
	switch (n) {
	case 0: __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory"); break;
	case 2: __asm__ volatile("mov %0, %%cr2" : : "r"(v) : "memory"); break;
	case 3: __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory"); break;
	case 4: __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory"); break;
	case 8: __asm__ volatile("mov %0, %%cr8" : : "r"(v) : "memory"); break;
	}
}

/* a = CR number, b = bits to flip (CR3: reloaded as it is; CR2: any). */
static void op_cr(void *p)
{
	struct op *o = p;
	int n = (int)o->a;

	set_cr(n, n == 3 ? cr(3) : n == 2 ? o->b : cr(n) ^ o->b);
}

static void set_dr(int n, uint64_t v)
{
	switch (n) {
	case 0: __asm__ volatile("mov %0, %%dr0" : : "r"(v)); break;
	case 1: __asm__ volatile("mov %0, %%dr1" : : "r"(v)); break;
	case 2: __asm__ volatile("mov %0, %%dr2" : : "r"(v)); break;
	case 3: __asm__ volatile("mov %0, %%dr3" : : "r"(v)); break;
	case 6: __asm__ volatile("mov %0, %%dr6" : : "r"(v)); break;
	case 7: __asm__ volatile("mov %0, %%dr7" : : "r"(v)); break;
	}
}

/* a = DR number, b = value; DR7 goes back to 0 inside the same try (a GD
 * bit set now makes that MOV the #DB, which clears GD). */
static void op_dr(void *p)
{
	struct op *o = p;

	set_dr((int)o->a, o->b);
	set_dr(7, 0);
}

static const uint32_t msrs[] = {
	0x10, 0x1b, 0x3a, 0x48, 0x49, 0x8b, 0x174, 0x175, 0x176, 0x179, 0x17a, 0x1a0, 0x1d9, 0x200, 0x201,
	0x250, 0x277, 0x2ff, 0x480, 0x48d, 0x6e0, 0x802, 0x80f, 0xc0000080, 0xc0000081, 0xc0000082,
	0xc0000083, 0xc0000084, 0xc0000100, 0xc0000101, 0xc0000102, 0xc0000103, 0xc0010000, 0xc0010015,
	0xc0010114, 0xc0010117, 0xc0010140,
};

/* a = index, b = value: read it, write b, write back what was read. */
static void op_msr(void *p)
{
	struct op *o = p;
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"((uint32_t)o->a));
	o->c = (uint64_t)hi << 32 | lo;   /* readable: the write below may be tried */
	__asm__ volatile("wrmsr" : : "c"((uint32_t)o->a), "a"((uint32_t)o->b), "d"((uint32_t)(o->b >> 32)));
}

static void restore_msr(void *p)
{
	struct op *o = p;

	__asm__ volatile("wrmsr" : : "c"((uint32_t)o->a), "a"((uint32_t)o->c), "d"((uint32_t)(o->c >> 32)));
}

/* a = XCR0 to try, then XCR0 as it was (b). */
static void op_xsetbv(void *p)
{
	struct op *o = p;

	rt_xsetbv(o->a);
	rt_xsetbv(o->b);
}

static void op_invlpg(void *p)
{
	__asm__ volatile("invlpg (%0)" : : "r"(((struct op *)p)->a) : "memory");
}

/* a = port, b = value, c = size (1, 2, 4) and direction (bit 3: out). */
static void op_port(void *p)
{
	struct op *o = p;
	uint16_t port = (uint16_t)o->a;

	switch (o->c) {
	case 1: (void)rt_inb(port); break;
	case 2: (void)rt_inw(port); break;
	case 4: (void)rt_inl(port); break;
	case 9: __asm__ volatile("outb %b0, %w1" : : "a"(o->b), "Nd"(port)); break;
	case 10: __asm__ volatile("outw %w0, %w1" : : "a"(o->b), "Nd"(port)); break;
	case 12: __asm__ volatile("outl %k0, %w1" : : "a"(o->b), "Nd"(port)); break;
	}
}

/* a = address (4-byte aligned on a device page), b = value, c = 1: write. */
static void op_mmio(void *p)
{
	struct op *o = p;
	volatile uint32_t *r = (volatile uint32_t *)o->a;

	if (o->c)
		*r = (uint32_t)o->b;
	else
		(void)*r;
}

static void op_cpuid(void *p)
{
	struct op *o = p;

	(void)rt_cpuid((uint32_t)o->a, (uint32_t)o->b);
}

static void op_rdpmc(void *p)
{
	__asm__ volatile("rdpmc" : : "c"((uint32_t)((struct op *)p)->a) : "rax", "rdx");
}

static void op_wbinvd(void *p)
{
	(void)p;
	__asm__ volatile("wbinvd" : : : "memory");
}

static void op_swapgs(void *p)
{
	(void)p;
	__asm__ volatile("swapgs");
}

/* a = what: INT n (b = vector), UD2, or a division by zero. */
static void op_raise(void *p)
{
	static const uint8_t ints[] = { 0, 1, 3, 4, 5, 6, 8, 13, 14, 17, 18, 19, 32, 0x40, 0x80, 0xff };
	struct op *o = p;
	uint8_t code[3] = { 0xcd, ints[o->b % sizeof(ints)], 0xc3 };   /* int n; ret */
	static uint8_t stub[3] __attribute__((aligned(4)));
	uint64_t a = 1, d = 0, zero = 0;

	switch (o->a % 3) {
	case 0:
		for (int k = 0; k < 3; k++)
			stub[k] = code[k];
		((void (*)(void))(uintptr_t)stub)();
		break;
	case 1: __asm__ volatile("ud2"); break;
	default: __asm__ volatile("div %2" : "+a"(a), "+d"(d) : "r"(zero)); break;
	}
}

/* Whether a write of size bytes at port touches a reset or power-off port. */
static bool ends_me(uint64_t port, uint64_t size)
{
	static const uint64_t deadly[] = { 0x92, 0xcf9, PM1_CNT, PM1_CNT + 1 };

	for (unsigned i = 0; i < sizeof(deadly) / sizeof(deadly[0]); i++)
		if (deadly[i] >= port && deadly[i] < port + size)
			return true;
	return false;
}

/* ---- one random operation, and putting this guest's state back */

struct saved {
	uint64_t cr0, cr4, cr8, xcr0;
	bool xsave;
};

static void one(const struct saved *s, uint64_t *counts)
{
	uint64_t r = next(), k = r % 12;
	struct op o = { 0, 0, 0 };
	static const int crs[] = { 0, 2, 3, 4, 8 };
	static const int drs[] = { 0, 1, 2, 3, 6, 7 };

	counts[k]++;
	switch (k) {
	case 0:
		o.a = (uint64_t)crs[(r >> 8) % 5];
		o.b = o.a == 8 ? value() & 0x1f : o.a == 2 ? value() : 1ULL << (r >> 16) % 64;
		(void)rt_try(op_cr, &o);
		set_cr(0, s->cr0);
		set_cr(4, s->cr4);
		set_cr(8, s->cr8);
		break;
	case 1:
		o.a = (uint64_t)drs[(r >> 8) % 6];
		o.b = value();
		(void)rt_try(op_dr, &o);
		set_dr(7, 0);
		break;
	case 2:
		o.a = r >> 8 & 1 ? msrs[(r >> 9) % (sizeof(msrs) / sizeof(msrs[0]))] : (uint32_t)next();
		o.b = value();
		if (rt_try(op_msr, &o) == -1 || o.c)
			(void)rt_try(restore_msr, &o);
		break;
	case 3:
		if (s->xsave) {
			o.a = value() & 0xffffffffffULL;
			o.b = s->xcr0;
			if (rt_try(op_xsetbv, &o) != -1)
				rt_xsetbv(s->xcr0);
		}
		break;
	case 4:
		o.a = next();
		(void)rt_try(op_invlpg, &o);
		break;
	case 5:
		o.a = r >> 8 & 0xffff;
		o.b = next();
		o.c = (uint64_t)(1 << (r >> 24) % 3) | (r >> 26 & 8);
		if ((o.c & 8) && ends_me(o.a, o.c & 7))
			o.c &= 7;   /* a read instead: the write would reset or power off */
		(void)rt_try(op_port, &o);
		break;
	case 6:
		o.a = (r >> 8 & 1 ? LAPIC : IOAPIC) + ((r >> 9) & 0xffc);
		o.b = value();
		o.c = r >> 21 & 1;
		(void)rt_try(op_mmio, &o);
		break;
	case 7:
		o.a = r >> 8 & 1 ? (uint32_t)(r >> 9) % 0x20 : 0x80000000u + (uint32_t)(r >> 9) % 0x20;
		o.b = r >> 40 & 0xf;
		(void)rt_try(op_cpuid, &o);
		break;
	case 8:
		o.a = next();
		(void)rt_try(op_rdpmc, &o);
		break;
	case 9:
		(void)rt_try(op_wbinvd, &o);
		break;
	case 10:
		(void)rt_try(op_swapgs, &o);
		break;
	default:
		o.a = r >> 8;
		o.b = r >> 16;
		(void)rt_try(op_raise, &o);
		break;
	}
}

int main(void)
{
	static const char *const names[12] = { "CR", "DR", "MSR", "XSETBV", "INVLPG", "port", "MMIO", "CPUID",
					       "RDPMC", "WBINVD", "SWAPGS", "raise" };
	static uint64_t counts[12];
	struct saved s = { cr(0), cr(4), cr(8), 0, rt_cpuid(1, 0).c >> 26 & 1 };

	if (s.xsave) {
		set_cr(4, s.cr4 | 1u << 18);   /* OSXSAVE, kept: XSETBV is fuzzed */
		s.cr4 = cr(4);
		s.xcr0 = rt_xgetbv();
	}
	for (uint64_t i = 0; i < FUZZ_OPS; i++)
		one(&s, counts);
	rt_puts("\n");   /* after whatever the fuzzed COM1 writes left on the line */
	rt_printf("statefuzz: %lu operations, seed %lx:", (uint64_t)FUZZ_OPS, (uint64_t)FUZZ_SEED);
	for (int k = 0; k < 12; k++)
		rt_printf(" %s %lu", names[k], counts[k]);
	rt_puts("\n");
	return 0;
}
