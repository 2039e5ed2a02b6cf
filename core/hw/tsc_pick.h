/* Choosing the TSC frequency from several sources' measurements (taken
 * by core/hw/time.c): each source's samples reduce to their median, and a
 * source counts only if it is steady, most of its samples within
 * TSC_AGREE_PPM of that median (a sample cut by an interruption, or an
 * emulator's thread descheduled, falls outside). The answer is the median
 * of the steady source that the most steady sources agree with (within
 * TSC_AGREE_PPM), the earlier in the list on a tie: two clocks that agree
 * outvote a third, and a preferred source alone is believed. Pure, for
 * the unit tests' made-up clocks. */
#ifndef CORE_TSC_PICK_H
#define CORE_TSC_PICK_H

#include "core/lib/types.h"

#define TSC_SAMPLES_MAX 8
#define TSC_AGREE_PPM 5000   /* 0.5% */

struct tsc_source {
	const char *name;
	u64 hz[TSC_SAMPLES_MAX];   /* each sample's TSC rate; 0: it failed */
	u32 n;                     /* samples taken */
	/* set by tsc_pick */
	u64 median;
	bool steady;
	u32 agree;                 /* steady sources within TSC_AGREE_PPM of it, itself included */
};

/* Fills in median, steady and agree of each of the n sources (in order of
 * preference) and returns the index of the one to believe, or -1 when
 * none is steady. */
int tsc_pick(struct tsc_source *s, u32 n);

/* a against b in parts per million (a - b) / b, rounded toward zero. */
s64 tsc_ppm(u64 a, u64 b);

#endif
