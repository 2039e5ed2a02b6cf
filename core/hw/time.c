/* TSC frequency and monotonic time. The frequency is measured against
 * every clock the machine offers and chosen by core/hw/tsc_pick.c: the
 * ACPI PM timer (3.579545 MHz; PM_SAMPLES samples of 1 ms), the PIT
 * (channel 2 gated through port 0x61, counting down PIT_COUNT ticks of
 * its 1.193182 MHz clock in mode 0; PIT_SAMPLES samples of 1 ms), and
 * CPUID 0x15 (or 0x16's base MHz) where the CPU reports it. Short samples
 * keep the boot cheap: 8 ms in all, where one 10 ms PIT sample was the
 * only measure before (and was more than 0.5% off in 7 of 26 QEMU boots). */
#include "core/hw/time.h"
#include "core/console/console.h"
#include "core/hw/acpi.h"
#include "core/hw/cpu.h"
#include "core/hw/tsc_pick.h"
#include "core/lib/fmt.h"

#define PIT_HZ 1193182ULL
#define PIT_COUNT 1193             /* 1 ms */
#define PIT_SAMPLES 3
#define PM_HZ 3579545ULL
#define PM_COUNT 3580              /* 1 ms */
#define PM_SAMPLES 5
#define SAMPLE_TSC_LIMIT (1ULL << 34) /* give up: the clock is not counting */
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

/* CPUID 0x15's crystal times its ratio; without the crystal, 0x16's base
 * MHz (the nominal rate the TSC runs at). One sample, or none. */
static void from_cpuid(struct tsc_source *s)
{
	u32 max = cpuid(0, 0).eax;
	struct cpuid_regs r = max >= 0x15 ? cpuid(0x15, 0) : (struct cpuid_regs){ 0 };

	if (r.eax && r.ebx && r.ecx) {
		s->hz[s->n++] = (u64)r.ecx * r.ebx / r.eax;
	} else if (max >= 0x16 && (cpuid(0x16, 0).eax & 0xffff)) {
		s->name = "CPUID 0x16";
		s->hz[s->n++] = (u64)(cpuid(0x16, 0).eax & 0xffff) * 1000000;
	}
}

/* One PIT sample: the TSC rate while channel 2 counts PIT_COUNT down (in
 * mode 0, OUT2 rises PIT_COUNT + 1 clocks after the count is written: the
 * first loads it); 0 if it never finishes. */
static u64 pit_sample(void)
{
	u64 t0, dt;

	outb(0x61, (inb(0x61) & ~0x02) | 0x01);   /* speaker off, gate on */
	outb(0x43, 0xb0);                          /* channel 2, lo/hi, mode 0 */
	outb(0x42, PIT_COUNT & 0xff);
	outb(0x42, PIT_COUNT >> 8);
	t0 = rdtsc();
	do
		dt = rdtsc() - t0;
	while (!(inb(0x61) & 0x20) && dt < SAMPLE_TSC_LIMIT);
	return dt < SAMPLE_TSC_LIMIT ? muldiv(dt, PIT_HZ, PIT_COUNT + 1) : 0;
}

/* One PM timer sample: the TSC rate over at least PM_COUNT of its ticks
 * (as many as it read, wrapping at mask), timed from just after one tick
 * to just after another, so that neither end loses part of a tick; 0 if
 * it does not count. */
static u64 pm_sample(u16 port, u32 mask)
{
	u32 first = inl(port) & mask, c0, d = 0;
	u64 t0 = rdtsc(), dt;

	while ((c0 = inl(port) & mask) == first && rdtsc() - t0 < SAMPLE_TSC_LIMIT)
		;
	t0 = rdtsc();
	do {
		d = (inl(port) - c0) & mask;
		dt = rdtsc() - t0;
	} while (d < PM_COUNT && dt < SAMPLE_TSC_LIMIT);
	return d >= PM_COUNT ? muldiv(dt, PM_HZ, d) : 0;
}

static void measure(struct tsc_source *src)
{
	u32 mask;
	u16 pm = acpi_pm_timer(&mask);

	from_cpuid(&src[0]);
	for (u32 i = 0; pm && i < PM_SAMPLES; i++)
		src[1].hz[src[1].n++] = pm_sample(pm, mask);
	for (u32 i = 0; i < PIT_SAMPLES; i++)
		src[2].hz[src[2].n++] = pit_sample();
}

/* "time: TSC N kHz from S (its samples, how many sources agree), then
 * what each other source said against it: ppm (marked if unsteady), or
 * none. */
static void report(const struct tsc_source *src, u32 n, int pick)
{
	char line[256];
	size_t len = 0;

	for (u32 i = 0; i < n; i++) {
		const struct tsc_source *s = &src[i];
		s64 ppm = tsc_ppm(s->median, tsc_hz);

		if ((int)i == pick)
			continue;
		if (!s->n)
			len += (size_t)snformat(line + len, sizeof(line) - len, "; %s: none", s->name);
		else
			len += (size_t)snformat(line + len, sizeof(line) - len, "; %s: %s%ld ppm%s", s->name,
						ppm < 0 ? "-" : "+", ppm < 0 ? -ppm : ppm,
						s->steady ? "" : " (unsteady)");
		len = len < sizeof(line) ? len : sizeof(line) - 1;
	}
	line[len] = 0;
	log_info("time: TSC %lu kHz from %s (%u samples, %u source(s) agree)%s%s\n", tsc_hz / 1000,
		 src[pick].name, src[pick].n, src[pick].agree, invariant ? ", invariant" : "", line);
}

int time_init(void)
{
	struct tsc_source src[3] = { { .name = "CPUID 0x15" }, { .name = "the PM timer" }, { .name = "the PIT" } };
	int pick;

	measure(src);
	pick = tsc_pick(src, 3);
	if (pick < 0) {
		log_err("time: cannot learn the TSC frequency (no CPUID 0x15 or 0x16, no steady PM timer or PIT)\n");
		return -1;
	}
	tsc_hz = src[pick].median;
	ns_per_tick_q32 = muldiv(NS, 1ULL << 32, tsc_hz);
	ticks_per_ns_q32 = muldiv(tsc_hz, 1ULL << 32, NS);
	invariant = cpuid(0x80000000, 0).eax >= 0x80000007 && (cpuid(0x80000007, 0).edx >> 8 & 1);
	tsc0 = rdtsc();
	report(src, 3, pick);
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
