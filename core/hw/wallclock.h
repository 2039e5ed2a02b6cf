/* The date and time: the host's RTC read once at boot, then advanced by the
 * monotonic clock (core/hw/time.h). */
#ifndef CORE_WALLCLOCK_H
#define CORE_WALLCLOCK_H

#include "core/lib/calendar.h"

/* Reads the host's CMOS clock; call after time_init. */
void wallclock_init(void);

void wallclock_now(struct civil_time *t);

#endif
