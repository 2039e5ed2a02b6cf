/* The date and time: the host's RTC read once at boot, then advanced by the
 * monotonic clock (core/time.h). */
#ifndef CORE_WALLCLOCK_H
#define CORE_WALLCLOCK_H

#include "core/types.h"

struct civil_time {
	u32 year, month, mday, hour, min, sec;   /* month and mday from 1 */
	u32 wday;                                /* 0 = Sunday */
};

/* Reads the host's CMOS clock; call after time_init. */
void wallclock_init(void);

void wallclock_now(struct civil_time *t);

/* Seconds since 1970-01-01 00:00 to the calendar, and back (host-testable). */
void wallclock_from_epoch(u64 secs, struct civil_time *t);
u64 wallclock_to_epoch(const struct civil_time *t);

#endif
