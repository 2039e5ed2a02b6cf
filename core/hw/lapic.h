/* The boot CPU's local APIC timer, as the host's preemption clock for
 * backends without one of their own (AMD-V). xAPIC or x2APIC, whichever
 * mode the firmware left the APIC in. */
#ifndef CORE_LAPIC_H
#define CORE_LAPIC_H

#include "core/lib/types.h"

#define LAPIC_TIMER_VECTOR 0xf0
#define LAPIC_SPURIOUS_VECTOR 0xff
#define LAPIC_KICK_VECTOR 0xf1     /* wakes a halted CPU: acknowledged, nothing else */

/* This CPU's local APIC: enabled (software too, with the spurious vector),
 * its interrupt handlers installed. On every CPU, the boot CPU first. */
int lapic_init(void);

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
 * preemption countdowns below (AMD-V). 0, or -1 after saying why. */
int lapic_timer_init(void);

/* Starts a one-shot countdown of about `tsc_ticks` TSC ticks, unless one is
 * already running. Its interrupt sets the fired flag. */
void lapic_timer_start(u64 tsc_ticks);

/* Whether the countdown ended since the last call; clears the flag. */
bool lapic_timer_take_fired(void);

#endif
