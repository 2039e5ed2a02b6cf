/* The local APICs: set up on every CPU in the mode the firmware left the
 * boot CPU's in (xAPIC or x2APIC), their IDs, the IPIs that start and kick
 * CPUs, and each CPU's timer, the host's preemption clock for backends
 * without one of their own (AMD-V), calibrated once on the boot CPU (the
 * APs' run at the same rate). */
#ifndef CORE_LAPIC_H
#define CORE_LAPIC_H

#include "core/lib/types.h"

#define LAPIC_TIMER_VECTOR 0xf0
#define LAPIC_SPURIOUS_VECTOR 0xff
#define LAPIC_KICK_VECTOR 0xf1     /* wakes a halted CPU: acknowledged, nothing else */

/* The boot CPU's local APIC: its mode (xAPIC or x2APIC, as the firmware
 * left it) learnt, enabled (software too, with the spurious vector), the
 * interrupt handlers installed. Once, before any AP starts. */
int lapic_init(void);

/* An AP's local APIC: enabled in the boot CPU's mode, with the spurious
 * vector, and its timer set up as the boot CPU's if that one is. */
void lapic_cpu_init(void);

/* This CPU's local APIC ID; whether the APICs are in x2APIC mode. */
u32 lapic_id(void);
bool lapic_x2apic(void);

/* Sends an interprocessor interrupt: icr is the command's low word
 * (vector, delivery mode, level), apic_id the destination. */
#define ICR_FIXED(vector) (0x4000u | (vector))
#define ICR_NMI 0x4400u
#define ICR_INIT 0x4500u          /* INIT, level assert */
#define ICR_SIPI(page) (0x4600u | (page))   /* start-up at page * 4 KiB */
void lapic_send_ipi(u32 apic_id, u32 icr);

/* Measures the boot CPU's timer against the TSC and unmasks it for the
 * countdowns below (AMD-V's preemption, an idle CPU's wake on both
 * backends). 0, or -1 after saying why. */
int lapic_timer_init(void);

/* Starts a one-shot countdown of this CPU's timer of about `tsc_ticks`
 * TSC ticks, unless one already running ends no later (a guest's timer
 * due before the slice's end shortens it). Its interrupt sets this CPU's
 * fired flag (struct cpu). */
void lapic_timer_start(u64 tsc_ticks);

/* Stops this CPU's countdown, if one runs. */
void lapic_timer_stop(void);

/* Whether the countdown ended since the last call; clears the flag. */
bool lapic_timer_take_fired(void);

/* Whether the countdowns above work here (lapic_timer_init succeeded). */
bool lapic_timer_ready(void);

#endif
