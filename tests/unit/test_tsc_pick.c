/* core/hw/tsc_pick.c on made-up clocks: a 2 GHz TSC as CPUID, the PM
 * timer and the PIT might report it, each case a way the boot's
 * measurement has gone or could go wrong. */
#include "core/hw/tsc_pick.h"
#include "tests/unit/test.h"

#define GHZ2 2000000000ULL

enum { CPUID, PM, PIT };

static void set(struct tsc_source *s, const char *name, const u64 *hz, u32 n)
{
	memset(s, 0, sizeof(*s));
	s->name = name;
	for (u32 i = 0; i < n; i++)
		s->hz[i] = hz[i];
	s->n = n;
}

TEST(tsc_pick_all_agree)
{
	struct tsc_source s[3];

	set(&s[CPUID], "cpuid", (u64[]){ GHZ2 }, 1);
	set(&s[PM], "pm", (u64[]){ GHZ2 + 300, GHZ2 - 200, GHZ2 + 100, GHZ2, GHZ2 - 500 }, 5);
	set(&s[PIT], "pit", (u64[]){ GHZ2 + 2000, GHZ2 - 1000, GHZ2 }, 3);
	CHECK_EQ(tsc_pick(s, 3), CPUID);
	CHECK_EQ(s[CPUID].agree, 3);
	CHECK_EQ(s[PM].median, GHZ2);
	CHECK(s[PM].steady && s[PIT].steady);
}

/* The failure seen in QEMU boots: one PIT sample 78% low. The median
 * and the PM timer both ignore it. */
TEST(tsc_pick_pit_outlier_outvoted)
{
	struct tsc_source s[3];

	set(&s[CPUID], "cpuid", NULL, 0);
	set(&s[PM], "pm", (u64[]){ GHZ2, GHZ2 + 10, GHZ2 - 10, GHZ2, GHZ2 }, 5);
	set(&s[PIT], "pit", (u64[]){ GHZ2 * 22 / 100, GHZ2 + 5, GHZ2 }, 3);
	CHECK_EQ(tsc_pick(s, 3), PM);
	CHECK(s[PIT].steady);            /* two of three samples agree */
	CHECK_EQ(s[PIT].median, GHZ2);
	CHECK_EQ(s[PM].agree, 2);
}

/* Every PIT sample 31% high: the PIT disagrees with the PM timer, and
 * with no third source the preferred one (the PM timer) wins alone. */
TEST(tsc_pick_two_disagree_preferred_wins)
{
	struct tsc_source s[3];

	set(&s[CPUID], "cpuid", NULL, 0);
	set(&s[PM], "pm", (u64[]){ GHZ2, GHZ2, GHZ2, GHZ2, GHZ2 }, 5);
	set(&s[PIT], "pit", (u64[]){ GHZ2 * 131 / 100, GHZ2 * 131 / 100, GHZ2 * 131 / 100 }, 3);
	CHECK_EQ(tsc_pick(s, 3), PM);
	CHECK_EQ(s[PM].agree, 1);
	CHECK_EQ(tsc_ppm(s[PIT].median, s[PM].median), 310000);
}

/* CPUID names a nominal rate 1% off what both timers measure: the two
 * timers outvote it. */
TEST(tsc_pick_timers_outvote_cpuid)
{
	struct tsc_source s[3];

	set(&s[CPUID], "cpuid", (u64[]){ GHZ2 + GHZ2 / 100 }, 1);
	set(&s[PM], "pm", (u64[]){ GHZ2, GHZ2, GHZ2, GHZ2, GHZ2 }, 5);
	set(&s[PIT], "pit", (u64[]){ GHZ2, GHZ2 + 1000, GHZ2 }, 3);
	CHECK_EQ(tsc_pick(s, 3), PM);
	CHECK_EQ(s[PM].agree, 2);
	CHECK_EQ(s[CPUID].agree, 1);
}

/* A PM timer whose samples scatter (no majority near the median) is not
 * believed; a steady PIT is. */
TEST(tsc_pick_unsteady_source_ignored)
{
	struct tsc_source s[3];

	set(&s[CPUID], "cpuid", NULL, 0);
	set(&s[PM], "pm", (u64[]){ GHZ2 / 2, GHZ2, GHZ2 * 3 / 2, GHZ2 * 2, GHZ2 / 4 }, 5);
	set(&s[PIT], "pit", (u64[]){ GHZ2, GHZ2, GHZ2 }, 3);
	CHECK_EQ(tsc_pick(s, 3), PIT);
	CHECK(!s[PM].steady);
}

/* Failed samples (0): a source whose samples mostly failed is unsteady;
 * with none steady there is no answer. */
TEST(tsc_pick_none_steady)
{
	struct tsc_source s[3];

	set(&s[CPUID], "cpuid", NULL, 0);
	set(&s[PM], "pm", (u64[]){ 0, 0, 0, GHZ2, GHZ2 }, 5);
	set(&s[PIT], "pit", (u64[]){ 0, 0, 0 }, 3);
	CHECK_EQ(tsc_pick(s, 3), -1);
	CHECK_EQ(s[PM].median, 0);
	CHECK(!s[PM].steady && !s[PIT].steady);
}

TEST(tsc_pick_ppm)
{
	CHECK_EQ(tsc_ppm(GHZ2 + GHZ2 / 200, GHZ2), 5000);
	CHECK_EQ(tsc_ppm(GHZ2 - GHZ2 / 200, GHZ2), -5000);
	CHECK_EQ(tsc_ppm(GHZ2, 0), INT64_MAX);
}
