/* The guest's local APIC (xAPIC, MMIO at 0xfee00000; one per vCPU, ID =
 * the vCPU's). Modelled: TPR/PPR, the IRR/ISR/TMR vectors with EOI (level
 * EOIs reach the IOAPIC), LDR/DFR (flat and cluster), SVR enable, the six
 * LVTs, the timer in one-shot and periodic mode counting the crystal of
 * CPUID 0x15 through its divider, and IPIs to the vCPUs of the same guest
 * (never another guest's): fixed and lowest priority (to the first vCPU
 * named), NMI (core/irq/virq.c), INIT and start-up (core/vm/vmp.c), by
 * physical or logical destination or shorthand; the delivery-status bit
 * reads 0, the message having gone. Not modelled: x2APIC and TSC-deadline
 * mode (CPUID hides both), SMI IPIs (dropped), LINT1's NMI (nothing drives
 * it), error reporting (ESR reads 0; illegal
 * vectors 0-15 are dropped), and the thermal and performance LVTs fire
 * nothing.
 *
 * Locking: with several vCPUs, every access runs under the guest's lock
 * (exits, interrupt delivery), so one vCPU's IPI may write another's IRR
 * while that one runs elsewhere; it then wakes it (vcpu_wake).
 *
 * The start state is what PC firmware leaves: the APIC enabled, LINT0 in
 * ExtINT mode (the 8259's output reaches the CPU through it) and LINT1 NMI,
 * so guests that never touch the APIC get their PIC interrupts. */
#include "core/irq/vlapic.h"
#include "core/irq/vioapic.h"
#include "core/irq/virq.h"
#include "core/hw/time.h"
#include "core/vm/vmp.h"

#define APIC_BASE 0xfee00000ULL

enum {
	ID = 0x20, VER = 0x30, TPR = 0x80, APR = 0x90, PPR = 0xa0, EOI = 0xb0, LDR = 0xd0,
	DFR = 0xe0, SVR = 0xf0, ISR = 0x100, TMR = 0x180, IRR = 0x200,
	ICR_LO = 0x300, ICR_HI = 0x310, LVT0 = 0x320, TMICT = 0x380, TMCCT = 0x390, TDCR = 0x3e0,
};

#define VERSION 0x00050014u        /* integrated APIC, six LVT entries */
#define SVR_ENABLE (1u << 8)
#define LVT_MASK (1u << 16)
#define LVT_PERIODIC (1u << 17)
#define DM_EXTINT 0x700u
#define DM_NMI 0x400u

/* Writable bits of each LVT: vector, delivery mode, polarity, trigger,
 * mask; the timer has its periodic bit instead of a delivery mode. */
static const u32 lvt_bits[LVT_COUNT] = {
	[LVT_TIMER] = 0x300ff, [LVT_THERMAL] = 0x107ff, [LVT_PERF] = 0x107ff,
	[LVT_LINT0] = 0x1a7ff, [LVT_LINT1] = 0x1a7ff, [LVT_ERROR] = 0x100ff,
};

static bool test_bit(const u32 *v, u32 n)
{
	return v[n / 32] >> (n % 32) & 1;
}

static void put_bit(u32 *v, u32 n, bool on)
{
	v[n / 32] = (v[n / 32] & ~(1u << (n % 32))) | (u32)on << (n % 32);
}

/* The highest vector set in v, or -1. */
static int highest(const u32 *v)
{
	for (int w = 7; w >= 0; w--)
		if (v[w])
			return w * 32 + 31 - __builtin_clz(v[w]);
	return -1;
}

static bool sw_enabled(const struct vlapic *a)
{
	return a->enabled && (a->svr & SVR_ENABLE);
}

static u32 ppr(const struct vlapic *a)
{
	int isr = highest(a->isr);
	u32 isrv = isr < 0 ? 0 : (u32)isr & 0xf0;

	return (a->tpr & 0xf0) >= isrv ? a->tpr & 0xff : isrv;
}

void vlapic_reset(struct vcpu *v, bool firmware)
{
	struct vlapic *a = v->lapic;

	*a = (struct vlapic){ .dfr = 0xffffffff, .svr = 0xff, .enabled = true };
	for (int i = 0; i < LVT_COUNT; i++)
		a->lvt[i] = LVT_MASK;
	if (firmware) {
		a->svr |= SVR_ENABLE;
		a->lvt[LVT_LINT0] = DM_EXTINT;
		a->lvt[LVT_LINT1] = DM_NMI;
	}
}

/* ---- the timer: counts crystal ticks (TSC / time_crystal_ratio) divided
 * by TDCR's 1..128 from TMICT down to 0 ---- */

static u64 ticks_per_count(const struct vlapic *a)
{
	u32 code = (a->tdcr & 3) | (a->tdcr & 8) >> 1;

	return time_crystal_ratio() * (code == 7 ? 1 : 2u << code);
}

static u64 counts_since_start(const struct vlapic *a, u64 now_ns)
{
	return time_ns_to_tsc(now_ns - a->timer_start_ns) / ticks_per_count(a);
}

static u64 period_ns(const struct vlapic *a)
{
	return MAX(time_tsc_to_ns(a->timer_init * ticks_per_count(a)), 1);
}

static u32 current_count(const struct vlapic *a)
{
	u64 n;

	if (!a->timer_init)
		return 0;
	n = counts_since_start(a, time_now_ns());
	if (a->lvt[LVT_TIMER] & LVT_PERIODIC)
		return (u32)(a->timer_init - n % a->timer_init);
	return n >= a->timer_init ? 0 : (u32)(a->timer_init - n);
}

static void timer_start(struct vlapic *a, u32 init)
{
	a->timer_init = init;
	a->timer_start_ns = time_now_ns();
	a->timer_next_ns = init ? a->timer_start_ns + period_ns(a) : 0;
}

u64 vlapic_poll(struct vcpu *v, u64 now_ns)
{
	struct vlapic *a = v->lapic;

	if (!a->timer_next_ns || now_ns < a->timer_next_ns)
		return a->timer_next_ns;
	if (!(a->lvt[LVT_TIMER] & LVT_MASK))
		vlapic_accept(v, (u8)a->lvt[LVT_TIMER], false);
	a->timer_next_ns = a->lvt[LVT_TIMER] & LVT_PERIODIC ?
			   virq_next_period(a->timer_next_ns, now_ns, period_ns(a)) : 0;
	return a->timer_next_ns;
}

/* ---- interrupts ---- */

void vlapic_accept(struct vcpu *v, u8 vector, bool level)
{
	struct vlapic *a = v->lapic;

	if (!sw_enabled(a) || vector < 16)
		return;
	a->nirr += !test_bit(a->irr, vector);
	put_bit(a->irr, vector, true);
	put_bit(a->tmr, vector, level);
	virq_kick_vcpu(v);
	if (v->guest->nvcpus > 1)
		vcpu_wake(v);   /* it may sleep, or run on another CPU */
}

bool vlapic_matches(const struct vcpu *v, u8 dest, bool logical)
{
	const struct vlapic *a = v->lapic;
	u8 ldr = (u8)(a->ldr >> 24);

	if (dest == 0xff)
		return true;
	if (!logical)
		return dest == v->id;
	if ((a->dfr >> 28) == 0xf)                       /* flat */
		return ldr & dest;
	return (ldr >> 4) == (dest >> 4) && (ldr & dest & 0xf);   /* cluster */
}

int vlapic_pending(const struct vcpu *v)
{
	const struct vlapic *a = v->lapic;
	int irr;

	if (!a->nirr)
		return -1;
	irr = highest(a->irr);
	return ((u32)irr & 0xf0) > (ppr(a) & 0xf0) ? irr : -1;
}

void vlapic_ack(struct vcpu *v, u8 vector)
{
	struct vlapic *a = v->lapic;

	a->nirr -= test_bit(a->irr, vector);
	put_bit(a->irr, vector, false);
	put_bit(a->isr, vector, true);
}

bool vlapic_extint(const struct vcpu *v)
{
	const struct vlapic *a = v->lapic;

	if (!a->enabled)
		return true;   /* a disabled APIC passes the 8259's INTR straight through */
	return sw_enabled(a) && (a->lvt[LVT_LINT0] & (LVT_MASK | 0x700)) == DM_EXTINT;
}

static void eoi(struct vcpu *v)
{
	struct vlapic *a = v->lapic;
	int vec = highest(a->isr);

	if (vec < 0)
		return;
	put_bit(a->isr, (u32)vec, false);
	if (test_bit(a->tmr, (u32)vec))
		vioapic_eoi(v->guest, (u8)vec);
}

/* Whether an IPI from v with ICR low word lo reaches t: by shorthand, or
 * by its destination (physical, or logical through t's LDR). */
static bool ipi_reaches(const struct vcpu *v, const struct vcpu *t, u32 lo, u8 dest)
{
	switch (lo >> 18 & 3) {
	case 1: return t == v;                  /* self */
	case 2: return true;                    /* all including self */
	case 3: return t != v;                  /* all excluding self */
	default: return vlapic_matches(t, dest, lo >> 11 & 1);
	}
}

/* ICR delivery modes (bits 10:8) */
enum { IPI_FIXED, IPI_LOWEST, IPI_NMI = 4, IPI_INIT, IPI_STARTUP };

#define ICR_LEVEL_ASSERT (1u << 14)
#define ICR_TRIGGER_LEVEL (1u << 15)

/* One vCPU t the IPI reaches takes it; false when no other may (lowest
 * priority goes to the first). */
static bool ipi_take(struct vcpu *t, u32 lo)
{
	switch (lo >> 8 & 7) {
	case IPI_FIXED: vlapic_accept(t, (u8)lo, false); return true;
	case IPI_LOWEST: vlapic_accept(t, (u8)lo, false); return false;
	case IPI_INIT:
		if (!(lo & ICR_TRIGGER_LEVEL) || (lo & ICR_LEVEL_ASSERT))   /* not the de-assert */
			vmp_init(t);
		return true;
	case IPI_STARTUP: vmp_sipi(t, (u8)lo); return true;
	case IPI_NMI: virq_nmi(t); return true;
	default: return true;                   /* SMI, reserved: dropped */
	}
}

/* The IPI written to v's ICR, to every vCPU of its guest it reaches. */
static void send_ipi(struct vcpu *v, u32 lo)
{
	struct guest *g = v->guest;
	u8 dest = (u8)(v->lapic->icr_hi >> 24);

	for (u32 i = 0; i < g->nvcpus; i++)
		if (ipi_reaches(v, &g->vcpu[i], lo, dest) && !ipi_take(&g->vcpu[i], lo))
			break;
}

/* IA32_APIC_BASE: only enable and disable; disabling resets the APIC to
 * its power-on state. */
u64 vlapic_base_msr(const struct vcpu *v)
{
	return APIC_BASE | (v->id == 0 ? 1u << 8 : 0) | (v->lapic->enabled ? 1u << 11 : 0);
}

int vlapic_set_base_msr(struct vcpu *v, u64 val)
{
	if ((val & ~(0x900ULL)) != APIC_BASE)
		return -1;   /* moving the APIC, x2APIC mode, reserved bits */
	virq_kick_vcpu(v);
	if (!(val >> 11 & 1)) {
		vlapic_reset(v, false);
		v->lapic->enabled = false;
	} else {
		v->lapic->enabled = true;
	}
	return 0;
}

/* ---- registers ---- */

static u32 apic_read(struct vcpu *v, u32 off)
{
	const struct vlapic *a = v->lapic;
	u32 word = (off >> 4) & 7;

	if (off >= ISR && off < ISR + 0x80)
		return a->isr[word];
	if (off >= TMR && off < TMR + 0x80)
		return a->tmr[word];
	if (off >= IRR && off < IRR + 0x80)
		return a->irr[word];
	if (off >= LVT0 && off < LVT0 + 0x10 * LVT_COUNT)
		return a->lvt[(off - LVT0) >> 4];
	switch (off) {
	case ID: return v->id << 24;
	case VER: return VERSION;
	case TPR: return a->tpr;
	case PPR: return ppr(a);
	case LDR: return a->ldr;
	case DFR: return a->dfr;
	case SVR: return a->svr;
	case ICR_LO: return a->icr_lo;
	case ICR_HI: return a->icr_hi;
	case TMICT: return a->timer_init;
	case TMCCT: return current_count(a);
	case TDCR: return a->tdcr;
	default: return 0;
	}
}

static void write_lvt(struct vlapic *a, u32 i, u32 val)
{
	bool was_periodic = a->lvt[i] & LVT_PERIODIC;

	a->lvt[i] = (val & lvt_bits[i]) | (sw_enabled(a) ? 0 : LVT_MASK);
	if (i == LVT_TIMER && was_periodic != !!(val & LVT_PERIODIC))
		timer_start(a, 0);   /* a mode change stops the count */
}

static void apic_write(struct vcpu *v, u32 off, u32 val)
{
	struct vlapic *a = v->lapic;

	if (!a->enabled)
		return;
	virq_kick_vcpu(v);   /* TPR, EOI, an LVT, the timer: all can matter */
	if (off >= LVT0 && off < LVT0 + 0x10 * LVT_COUNT) {
		write_lvt(a, (off - LVT0) >> 4, val);
		return;
	}
	switch (off) {
	case TPR: a->tpr = val & 0xff; break;
	case EOI: eoi(v); break;
	case LDR: a->ldr = val & 0xff000000; break;
	case DFR: a->dfr = val | 0x0fffffff; break;
	case SVR:
		a->svr = val & 0x3ff;
		if (!(val & SVR_ENABLE))
			for (int i = 0; i < LVT_COUNT; i++)
				a->lvt[i] |= LVT_MASK;
		break;
	case ICR_LO: a->icr_lo = val & 0xccfff; send_ipi(v, val); break;   /* delivery status reads 0 */
	case ICR_HI: a->icr_hi = val & 0xff000000; break;
	case TMICT: timer_start(a, val); break;
	case TDCR: a->tdcr = val & 0xb; break;
	default: break;   /* read-only or reserved: ignored */
	}
}

const struct mmio_dev vlapic_mmio = { "lapic", APIC_BASE, PAGE_SIZE, apic_read, apic_write };
