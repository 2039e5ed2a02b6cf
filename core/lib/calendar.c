/* Calendar arithmetic for core/hw/wallclock.h: days counted in 400-year eras
 * of the proleptic Gregorian calendar, each year starting in March so the
 * leap day comes last. Pure, so the unit tests run it on the host. */
#include "core/lib/calendar.h"

static u64 days_from_civil(u64 y, u32 m, u32 d)
{
	u64 era, yoe, doy;

	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

u64 calendar_to_epoch(const struct civil_time *t)
{
	return days_from_civil(t->year, t->month, t->mday) * 86400 + t->hour * 3600 + t->min * 60 + t->sec;
}

void calendar_from_epoch(u64 secs, struct civil_time *t)
{
	u64 days = secs / 86400 + 719468, era = days / 146097, doe = days - era * 146097;
	u64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	u64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	u32 month = (u32)(mp < 10 ? mp + 3 : mp - 9);

	t->year = (u32)(yoe + era * 400 + (month <= 2));
	t->month = month;
	t->mday = (u32)(doy - (153 * mp + 2) / 5 + 1);
	t->hour = (u32)(secs % 86400 / 3600);
	t->min = (u32)(secs % 3600 / 60);
	t->sec = (u32)(secs % 60);
	t->wday = (u32)((secs / 86400 + 4) % 7);   /* 1970-01-01 was a Thursday */
}
