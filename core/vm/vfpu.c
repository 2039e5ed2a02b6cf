/* Guest FPU state and XCR0 (core/vm/vfpu.h). */
#include "core/vm/vfpu.h"
#include "core/console/console.h"
#include "core/hw/cpu.h"
#include "core/hw/percpu.h"
#include "core/lib/string.h"
#include "core/vm/vcpu_util.h"
#include "mm/mm.h"

#define XCR0_X87 1ULL
#define XCR0_SSE 2ULL
#define XCR0_AVX 4ULL
#define XCR0_MPX (3ULL << 3)
#define XCR0_AVX512 (7ULL << 5)
#define XCR0_AMX (3ULL << 17)   /* TILECFG and TILEDATA */
#define FXSAVE_BYTES 512

static bool has_xsave;
static u64 xcr0_supported = XCR0_X87 | XCR0_SSE;
static u64 area_bytes = FXSAVE_BYTES;

static void xsetbv(u64 val)
{
	__asm__ volatile("xsetbv" : : "c"(0), "a"((u32)val), "d"((u32)(val >> 32)));
}

u32 fpu_xsave_size(u64 xcr0)
{
	u32 end = FXSAVE_BYTES + 64;                   /* legacy area + XSAVE header */
	u32 top = 63 - (u32)__builtin_clzll(xcr0 | 1);

	if (top >= 2) {
		struct cpuid_regs r = cpuid(0xd, top);

		end = MAX(end, r.ebx + r.eax);
	}
	return end;
}

u32 fpu_xsave_compacted_size(u64 xcr0)
{
	u32 end = FXSAVE_BYTES + 64;

	for (u32 i = 2; i < 63; i++) {
		if (xcr0 >> i & 1) {
			struct cpuid_regs r = cpuid(0xd, i);

			if (r.ecx & 2)                 /* aligned to 64 bytes when compacted */
				end = ALIGN_UP(end, 64);
			end += r.eax;
		}
	}
	return end;
}

u64 fpu_xcr0_supported(void)
{
	return xcr0_supported;
}

void fpu_init(void)
{
	struct cpuid_regs r = cpuid(1, 0);

	write_cr4(read_cr4() | CR4_OSFXSR);
	if (!(r.ecx & (1u << 26)))
		return;
	has_xsave = true;
	write_cr4(read_cr4() | CR4_OSXSAVE);
	r = cpuid(0xd, 0);
	xcr0_supported = r.eax | (u64)r.edx << 32;
	area_bytes = MAX(fpu_xsave_size(xcr0_supported), r.ecx);
	xsetbv(XCR0_X87);
	log_debug("fpu: XSAVE, XCR0 bits %lx, %lu-byte areas\n", xcr0_supported, area_bytes);
}

static u64 xgetbv(void)
{
	u32 lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return lo | (u64)hi << 32;
}

/* Sets XCR0 to val unless the CPU's, cur, already is. */
static void xcr0_to(u64 cur, u64 val)
{
	if (cur != val)
		xsetbv(val);
}

/* Both directions run with XCR0 = every component the CPU has, whatever
 * the guest's own XCR0: a guest that left XCR0 at x87 still uses SSE
 * (CR4.OSFXSR is enough), and one that turned AVX off still holds its upper
 * YMM halves. XRSTOR puts every component the area does not hold in its
 * reset state, so nothing of the previous vCPU survives the switch. save
 * leaves XCR0 at every component; load ends with v's own. cur: the CPU's
 * XCR0 now; v->xcr0 is current for save. */
static void save(struct vcpu *v)
{
	if (has_xsave) {
		xcr0_to(v->xcr0, xcr0_supported);
		__asm__ volatile("xsave64 (%0)" : : "r"(v->fpu_area), "a"(~0u), "d"(~0u) : "memory");
	} else {
		__asm__ volatile("fxsave64 (%0)" : : "r"(v->fpu_area) : "memory");
	}
}

static void load(struct vcpu *v, u64 cur)
{
	if (has_xsave) {
		xcr0_to(cur, xcr0_supported);
		__asm__ volatile("xrstor64 (%0)" : : "r"(v->fpu_area), "a"(~0u), "d"(~0u) : "memory");
		xcr0_to(xcr0_supported, v->xcr0);
	} else {
		__asm__ volatile("fxrstor64 (%0)" : : "r"(v->fpu_area) : "memory");
	}
}

void fpu_vcpu_reset(struct vcpu *v)
{
	u8 *a = v->fpu_area;
	u16 fcw = 0x37f;
	u32 mxcsr = 0x1f80;

	memset(a, 0, area_bytes);                      /* XSTATE_BV 0: all components in reset state */
	memcpy(a, &fcw, 2);
	memcpy(a + 24, &mxcsr, 4);
	v->xcr0 = XCR0_X87;
	if (this_cpu()->fpu_owner == v)
		load(v, has_xsave ? xgetbv() : 0);     /* reset in its own slice: the CPU too */
}

int fpu_vcpu_init(struct vcpu *v)
{
	u64 pa = frames_alloc_filled(ALIGN_UP(area_bytes, PAGE_SIZE) / PAGE_SIZE, 0);

	if (!pa)
		return -1;
	v->fpu_area = (void *)(uintptr_t)pa;
	fpu_vcpu_reset(v);
	return 0;
}

u64 fpu_xcr0(struct vcpu *v)
{
	return has_xsave && this_cpu()->fpu_owner == v && !backend->xsetbv_exits ? xgetbv() : v->xcr0;
}

void fpu_switch(struct vcpu *next)
{
	struct vcpu *prev = this_cpu_read(fpu_owner);

	if (prev == next)
		return;
	if (prev) {
		prev->xcr0 = fpu_xcr0(prev);   /* while prev is still the owner */
		save(prev);
	}
	this_cpu_write(fpu_owner, next);
	load(next, prev ? xcr0_supported : XCR0_X87);   /* a CPU starts with x87 (XCR0's reset value) */
}

void fpu_release(struct vcpu *v)
{
	struct cpu *c = this_cpu();

	if (c->fpu_owner != v)
		return;
	v->xcr0 = fpu_xcr0(v);
	save(v);                  /* leaves XCR0 at every component, which the next load allows for */
	c->fpu_owner = NULL;
}

/* The rules the CPU applies to a new XCR0 (Intel SDM Vol. 1, 13.3). */
static bool xcr0_valid(u64 val)
{
	if (!(val & XCR0_X87) || (val & ~xcr0_supported))
		return false;
	if ((val & XCR0_AVX) && !(val & XCR0_SSE))
		return false;
	if ((val & XCR0_MPX) && (val & XCR0_MPX) != XCR0_MPX)
		return false;
	if ((val & XCR0_AMX) && (val & XCR0_AMX) != XCR0_AMX)
		return false;
	return !(val & XCR0_AVX512) || ((val & XCR0_AVX512) == XCR0_AVX512 && (val & XCR0_AVX));
}

struct act exit_xsetbv(struct vcpu *v, struct exit_info *ei)
{
	u64 val = (v->gprs.rdx << 32) | (u32)v->gprs.rax;

	if (!has_xsave || !(backend->get(v, VREG_CR4) & CR4_OSXSAVE)) {
		return vcpu_inject_ud(v);
	}
	if ((u32)v->gprs.rcx != 0 || backend->get(v, VREG_CPL) != 0 || !xcr0_valid(val)) {
		return vcpu_inject_gp(v);
	}
	v->xcr0 = val;
	if (this_cpu()->fpu_owner == v)
		xsetbv(val);
	return vcpu_skip(v, ei->insn_len);
}
