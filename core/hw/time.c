/* TSC frequency and monotonic time. The PIT measurement gates channel 2
 * (port 0x61), counts down PIT_COUNT ticks of its 1.193182 MHz clock in
 * mode 0, and reads how far the TSC moved meanwhile. */
#include "core/hw/time.h"
#include "core/console/console.h"
#include "core/hw/cpu.h"

#define PIT_HZ 1193182ULL
#define PIT_COUNT 11932            /* 10 ms */
#define PIT_TSC_LIMIT (1ULL << 36) /* give up: the PIT is not counting */
#define NS 1000000000ULL

static u64 tsc_hz, tsc0;
static bool invariant;
/* The conversions as 32.32 fixed-point factors, set once: one multiply
 * instead of two divisions on every clock read (the run loop reads it
 * at every switch). Truncating a factor errs by under 1 in 2^32/factor:
 * at most microseconds a day, and the clock stays monotonic. */
static u64 ns_per_tick_q32, ticks_per_ns_q32;

/* a * b / c without overflow when a * b would overflow but the result does
 * not, for c below 2^32 * 2^32 / b. */
static u64 muldiv(u64 a, u64 b, u64 c)
{
	return a / c * b + a % c * b / c;
}

static u64 from_cpuid(void)
{
	struct cpuid_regs r;

	if (cpuid(0, 0).eax < 0x15)
		return 0;
	r = cpuid(0x15, 0);
	return r.eax && r.ebx && r.ecx ? (u64)r.ecx * r.ebx / r.eax : 0;
}

static u64 from_pit(void)
{
	u64 t0, dt;

	outb(0x61, (inb(0x61) & ~0x02) | 0x01);   /* speaker off, gate on */
	outb(0x43, 0xb0);                          /* channel 2, lo/hi, mode 0 */
	outb(0x42, PIT_COUNT & 0xff);
	outb(0x42, PIT_COUNT >> 8);
	t0 = rdtsc();
	do
		dt = rdtsc() - t0;
	while (!(inb(0x61) & 0x20) && dt < PIT_TSC_LIMIT);
	return dt < PIT_TSC_LIMIT ? muldiv(dt, PIT_HZ, PIT_COUNT) : 0;
}

int time_init(void)
{
	const char *how = "CPUID 0x15";

	tsc_hz = from_cpuid();
	if (!tsc_hz) {
		how = "the PIT";
		tsc_hz = from_pit();
	}
	if (!tsc_hz) {
		log_err("time: cannot learn the TSC frequency (no CPUID 0x15, the PIT does not count)\n");
		return -1;
	}
	ns_per_tick_q32 = muldiv(NS, 1ULL << 32, tsc_hz);
	ticks_per_ns_q32 = muldiv(tsc_hz, 1ULL << 32, NS);
	invariant = cpuid(0x80000000, 0).eax >= 0x80000007 && (cpuid(0x80000007, 0).edx >> 8 & 1);
	tsc0 = rdtsc();
	log_info("time: TSC %lu kHz (from %s)%s\n", tsc_hz / 1000, how, invariant ? ", invariant" : "");
	return 0;
}

u64 time_tsc_hz(void)
{
	return tsc_hz;
}

bool time_tsc_invariant(void)
{
	return invariant;
}

u64 time_tsc_to_ns(u64 ticks)
{
	return (u64)((unsigned __int128)ticks * ns_per_tick_q32 >> 32);
}

u64 time_ns_to_tsc(u64 ns)
{
	return (u64)((unsigned __int128)ns * ticks_per_ns_q32 >> 32);
}

u64 time_now_ns(void)
{
	return time_tsc_to_ns(rdtsc() - tsc0);
}

void time_wait_until(u64 deadline_ns)
{
	while (time_now_ns() < deadline_ns)
		__asm__ volatile("pause");
}
