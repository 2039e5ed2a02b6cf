/* Choosing the TSC frequency (core/hw/tsc_pick.h). */
#include "core/hw/tsc_pick.h"

s64 tsc_ppm(u64 a, u64 b)
{
	u64 d = a > b ? a - b : b - a;
	s64 ppm = b && d <= UINT64_MAX / 1000000 ? (s64)(d * 1000000 / b) : INT64_MAX;   /* no 128-bit division here */

	return a >= b ? ppm : -ppm;
}

static bool agree(u64 a, u64 b)
{
	s64 p = tsc_ppm(a, b);

	return a && b && p <= TSC_AGREE_PPM && p >= -TSC_AGREE_PPM;
}

/* The median of s's samples (the lower of the middle two), failed ones
 * included as 0; whether a majority agree with it. */
static void summarize(struct tsc_source *s)
{
	u64 v[TSC_SAMPLES_MAX];
	u32 n = s->n < TSC_SAMPLES_MAX ? s->n : TSC_SAMPLES_MAX, near = 0;

	for (u32 i = 0; i < n; i++) {   /* insertion sort: a handful */
		u32 j = i;

		for (; j > 0 && v[j - 1] > s->hz[i]; j--)
			v[j] = v[j - 1];
		v[j] = s->hz[i];
	}
	s->median = n ? v[(n - 1) / 2] : 0;
	for (u32 i = 0; i < n; i++)
		near += agree(s->hz[i], s->median);
	s->steady = n && near * 2 > n;
}

int tsc_pick(struct tsc_source *s, u32 n)
{
	int best = -1;

	for (u32 i = 0; i < n; i++)
		summarize(&s[i]);
	for (u32 i = 0; i < n; i++) {
		s[i].agree = 0;
		for (u32 j = 0; s[i].steady && j < n; j++)
			s[i].agree += s[j].steady && agree(s[j].median, s[i].median);
		if (s[i].steady && (best < 0 || s[i].agree > s[best].agree))
			best = (int)i;
	}
	return best;
}
