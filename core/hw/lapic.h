/* The boot CPU's local APIC timer, as the host's preemption clock for
 * backends without one of their own (AMD-V). xAPIC or x2APIC, whichever
 * mode the firmware left the APIC in. */
#ifndef CORE_LAPIC_H
#define CORE_LAPIC_H

#include "core/lib/types.h"

#define LAPIC_TIMER_VECTOR 0xf0
#define LAPIC_SPURIOUS_VECTOR 0xff

/* Enables the APIC, masks the legacy PICs, installs the interrupt handlers
 * and measures the timer against the TSC. 0, or -1 after saying why. */
int lapic_timer_init(void);

/* Starts a one-shot countdown of about `tsc_ticks` TSC ticks, unless one is
 * already running. Its interrupt sets the fired flag. */
void lapic_timer_start(u64 tsc_ticks);

/* Whether the countdown ended since the last call; clears the flag. */
bool lapic_timer_take_fired(void);

#endif
