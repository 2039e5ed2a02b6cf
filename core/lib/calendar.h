/* The proleptic Gregorian calendar in UTC, counted from the Unix epoch
 * (core/lib/calendar.c; host-testable). */
#ifndef CORE_LIB_CALENDAR_H
#define CORE_LIB_CALENDAR_H

#include "core/lib/types.h"

struct civil_time {
	u32 year, month, mday, hour, min, sec;   /* month and mday from 1 */
	u32 wday;                                /* 0 = Sunday */
};

/* Seconds since 1970-01-01 00:00 to the calendar, and back. */
void calendar_from_epoch(u64 secs, struct civil_time *t);
u64 calendar_to_epoch(const struct civil_time *t);

#endif
