/* gapvictim: beside the guests of guests/greedy.c, reads the TSC in a
 * tight loop for WINDOW_NS of the hypervisor's clock and reports the
 * longest time it was kept off the CPU (a jump between two reads) and the
 * share of the window it ran. tests/e2e/hostile-time/check judges them. */
#include "guests/rt/rt.h"

#define WINDOW_NS 400000000ULL
#define GAP_NS 20000ULL          /* a jump longer than this was time off the CPU */

int main(void)
{
	uint64_t hz, now, t, t0, last, end, gap = 0, off = 0, ran;

	hv1_get_time(&hz, &now);
	t0 = last = rt_rdtsc();
	end = t0 + WINDOW_NS * hz / 1000000000ULL;
	do {
		t = rt_rdtsc();
		if ((t - last) * 1000000000ULL / hz > GAP_NS) {
			off += t - last;
			gap = t - last > gap ? t - last : gap;
		}
		last = t;
	} while (t < end);
	ran = (t - t0 - off) * 1000 / (t - t0);
	rt_printf("gapvictim: longest gap %lu us, ran %lu.%lu%% of %lu ms\n", gap * 1000000 / hz,
		  ran / 10, ran % 10, (t - t0) * 1000 / hz);
	return 0;
}
