/* The local APIC: its set-up on each CPU, IDs, IPIs and the timer; see
 * lapic.h. Register offsets are the xAPIC MMIO ones
 * (Intel SDM Vol. 3 ch. 11, AMD APM Vol. 2 ch. 16); in x2APIC mode the MSR
 * is 0x800 + offset / 16. */
#include "core/hw/lapic.h"
#include "core/console/console.h"
#include "core/hw/cpu.h"
#include "core/hw/percpu.h"
#include "core/hw/time.h"
#include "core/hw/trap.h"

#define MSR_APIC_BASE 0x1b
#define APIC_BASE_X2APIC (1ULL << 10)
#define APIC_BASE_ENABLE (1ULL << 11)

enum {
	APIC_ID = 0x20, APIC_EOI = 0xb0, APIC_SVR = 0xf0, APIC_ICR = 0x300, APIC_ICR_HIGH = 0x310,
	APIC_LVT_TIMER = 0x320,
	APIC_TIMER_INIT = 0x380, APIC_TIMER_CUR = 0x390, APIC_TIMER_DIV = 0x3e0,
};

#define SVR_ENABLE (1u << 8)
#define ICR_PENDING (1u << 12)   /* xAPIC delivery status: not yet accepted */
#define LVT_MASKED (1u << 16)
#define DIV_BY_1 0xb
#define CALIBRATE_US 1000

static u64 mmio_base;              /* 0 in x2APIC mode */
static u64 tsc_per_tick_q16;       /* TSC ticks per APIC timer tick, << 16 (every CPU's) */

static u32 apic_read(u32 reg)
{
	if (!mmio_base)
		return (u32)rdmsr(0x800 + reg / 16);
	return *(volatile u32 *)(uintptr_t)(mmio_base + reg);
}

static void apic_write(u32 reg, u32 val)
{
	if (!mmio_base)
		wrmsr(0x800 + reg / 16, val);
	else
		*(volatile u32 *)(uintptr_t)(mmio_base + reg) = val;
}

static void on_timer(void)
{
	struct cpu *c = this_cpu();

	c->timer_running = false;
	c->timer_fired = true;
	apic_write(APIC_EOI, 0);
}

static void on_kick(void)
{
	this_cpu()->kick_tsc = rdtsc();
	apic_write(APIC_EOI, 0);
}

static void on_spurious(void)
{
	/* no EOI for the spurious vector */
}

/* The TSC at a read of the timer's count, as the midpoint of two TSC
 * reads around it; false when they lie more than span / 100 apart (a
 * stall between them: an SMI, or the emulator's own exit). */
static bool timer_at(u32 *count, u64 *tsc, u64 span)
{
	u64 a = rdtsc(), b;

	*count = apic_read(APIC_TIMER_CUR);
	b = rdtsc();
	*tsc = a + (b - a) / 2;
	return b - a <= span / 100;
}

/* Lets the timer count down for CALIBRATE_US of TSC time (time.c has
 * calibrated the TSC by now) and sees how far it went, between two reads
 * of its count each timed closely (up to three tries): a fixed time, not
 * a fixed count, so that a slow timer (Bochs's at the TSC's 50 MHz) costs
 * the boot no more than a fast one; 1 ms is thousands of ticks even
 * there. A timer that does not move is refused. */
static int calibrate(void)
{
	u64 span = time_tsc_hz() / (1000000 / CALIBRATE_US), t0, t1;
	u32 c0, c1;
	bool ok;

	apic_write(APIC_TIMER_DIV, DIV_BY_1);
	apic_write(APIC_LVT_TIMER, LVT_MASKED | LAPIC_TIMER_VECTOR);
	for (int tries = 0; tries < 3; tries++) {
		apic_write(APIC_TIMER_INIT, 0xffffffff);
		ok = timer_at(&c0, &t0, span);

		while (rdtsc() - t0 < span)
			cpu_relax();
		ok &= timer_at(&c1, &t1, span);
		apic_write(APIC_TIMER_INIT, 0);
		if (c1 == 0 || c1 >= c0)
			return -1;   /* not counting, or through 4 G ticks in 1 ms */
		tsc_per_tick_q16 = ((t1 - t0) << 16) / (c0 - c1);
		if (ok)
			break;
	}
	return tsc_per_tick_q16 ? 0 : -1;
}

int lapic_init(void)
{
	u64 base = rdmsr(MSR_APIC_BASE);

	if (!(base & APIC_BASE_ENABLE))
		wrmsr(MSR_APIC_BASE, base |= APIC_BASE_ENABLE);
	mmio_base = base & APIC_BASE_X2APIC ? 0 : base & ~0xfffULL & 0xffffffffffULL;
	trap_set_irq(LAPIC_TIMER_VECTOR, on_timer);
	trap_set_irq(LAPIC_SPURIOUS_VECTOR, on_spurious);
	trap_set_irq(LAPIC_KICK_VECTOR, on_kick);
	apic_write(APIC_SVR, SVR_ENABLE | LAPIC_SPURIOUS_VECTOR);
	return 0;
}

void lapic_cpu_init(void)
{
	u64 base = rdmsr(MSR_APIC_BASE);

	if (!(base & APIC_BASE_ENABLE))
		wrmsr(MSR_APIC_BASE, base |= APIC_BASE_ENABLE);   /* xAPIC first: */
	if (!mmio_base && !(base & APIC_BASE_X2APIC))
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_X2APIC);    /* then the boot CPU's x2APIC */
	apic_write(APIC_SVR, SVR_ENABLE | LAPIC_SPURIOUS_VECTOR);
	if (tsc_per_tick_q16) {                                   /* the boot CPU's timer, calibrated */
		apic_write(APIC_TIMER_DIV, DIV_BY_1);
		apic_write(APIC_LVT_TIMER, LAPIC_TIMER_VECTOR);
	}
}

u32 lapic_id(void)
{
	return mmio_base ? apic_read(APIC_ID) >> 24 : apic_read(APIC_ID);
}

bool lapic_x2apic(void)
{
	return !mmio_base;
}

void lapic_send_ipi(u32 apic_id, u32 icr)
{
	if (!mmio_base) {
		/* WRMSR to the x2APIC is not serializing: earlier stores (the
		 * work a kick announces) must be visible first */
		__asm__ volatile("mfence; lfence" : : : "memory");
		wrmsr(0x800 + APIC_ICR / 16, (u64)apic_id << 32 | icr);
		return;
	}
	apic_write(APIC_ICR_HIGH, apic_id << 24);
	apic_write(APIC_ICR, icr);
	for (int i = 0; i < 100000 && (apic_read(APIC_ICR) & ICR_PENDING); i++)
		cpu_relax();
}

int lapic_timer_init(void)
{
	if (calibrate()) {
		log_err("lapic: the local APIC timer does not count; guests cannot be preempted\n");
		return -1;
	}
	apic_write(APIC_LVT_TIMER, LAPIC_TIMER_VECTOR);   /* one-shot, unmasked */
	log_info("lapic: %s mode, timer %lu.%02lu TSC ticks per tick\n", mmio_base ? "xAPIC" : "x2APIC",
		 tsc_per_tick_q16 >> 16, ((tsc_per_tick_q16 & 0xffff) * 100) >> 16);
	return 0;
}

void lapic_timer_start(u64 tsc_ticks)
{
	struct cpu *c = this_cpu();
	u64 now = rdtsc(), ticks;

	if (c->timer_running && c->timer_deadline <= now + tsc_ticks)
		return;   /* the countdown running ends first */
	ticks = (tsc_ticks << 16) / tsc_per_tick_q16;
	c->timer_running = true;
	c->timer_deadline = now + tsc_ticks;
	apic_write(APIC_TIMER_INIT, (u32)MIN(MAX(ticks, 1), 0xffffffffULL));
}

void lapic_timer_stop(void)
{
	struct cpu *c = this_cpu();

	if (!c->timer_running)
		return;
	c->timer_running = false;
	apic_write(APIC_TIMER_INIT, 0);
}

bool lapic_timer_ready(void)
{
	return tsc_per_tick_q16 != 0;
}

bool lapic_timer_take_fired(void)
{
	struct cpu *c = this_cpu();
	bool f = c->timer_fired;

	c->timer_fired = false;
	return f;
}
