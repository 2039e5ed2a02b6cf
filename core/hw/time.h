/* The hypervisor's clock: the TSC, its frequency, and monotonic
 * nanoseconds since time_init. */
#ifndef CORE_TIME_H
#define CORE_TIME_H

#include "core/lib/types.h"

/* Learns the TSC frequency: measured against the ACPI PM timer and the
 * PIT, read from CPUID 0x15 or 0x16 where the CPU says, and chosen by
 * core/hw/tsc_pick.c; says which source won and how far the others were.
 * After acpi_init. 0, or -1 after saying why. */
int time_init(void);

u64 time_tsc_hz(void);

/* TSC ticks per tick of the "crystal" guests are told of (CPUID leaf
 * 0x15: its Hz must fit 32 bits), which their local APIC timer counts. */
static inline u64 time_crystal_ratio(void)
{
	return time_tsc_hz() / 0x100000000ULL + 1;
}

/* True when the TSC runs at one rate in every power state. */
bool time_tsc_invariant(void);

/* Nanoseconds since time_init; never goes back. */
u64 time_now_ns(void);

/* TSC ticks in ns nanoseconds, and back. */
u64 time_ns_to_tsc(u64 ns);
u64 time_tsc_to_ns(u64 ticks);

/* Spins until time_now_ns() >= deadline. */
void time_wait_until(u64 deadline_ns);

#endif
