/* core/lib/calendar.c: seconds since 1970 to the calendar and back. */
#include "core/lib/calendar.h"
#include "tests/unit/test.h"

TEST(calendar_known_dates)
{
	static const struct { u64 secs; struct civil_time t; } cases[] = {
		{ 0, { 1970, 1, 1, 0, 0, 0, 4 } },
		{ 946684799, { 1999, 12, 31, 23, 59, 59, 5 } },
		{ 951782400, { 2000, 2, 29, 0, 0, 0, 2 } },           /* a leap day of a 400-year */
		{ 4107542400ULL, { 2100, 3, 1, 0, 0, 0, 1 } },        /* 2100 is not leap */
		{ 1795478400ULL, { 2026, 11, 24, 0, 0, 0, 2 } },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct civil_time t;

		calendar_from_epoch(cases[i].secs, &t);
		CHECK_EQ(t.year, cases[i].t.year);
		CHECK_EQ(t.month, cases[i].t.month);
		CHECK_EQ(t.mday, cases[i].t.mday);
		CHECK_EQ(t.hour, cases[i].t.hour);
		CHECK_EQ(t.sec, cases[i].t.sec);
		CHECK_EQ(t.wday, cases[i].t.wday);
		CHECK_EQ(calendar_to_epoch(&t), cases[i].secs);
	}
}

TEST(calendar_round_trip_every_day)
{
	for (u64 day = 0; day < 200 * 366; day++) {
		struct civil_time t;
		u64 s = day * 86400 + 43210;

		calendar_from_epoch(s, &t);
		CHECK(t.month >= 1 && t.month <= 12 && t.mday >= 1 && t.mday <= 31);
		CHECK_EQ(calendar_to_epoch(&t), s);
	}
}
