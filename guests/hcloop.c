/* hcloop: many null hypercalls; reports the cheapest round trip in TSC
 * ticks (under Bochs, one tick per instruction). */
#include "guests/rt/rt.h"

#define CALLS 2000

int main(void)
{
	uint64_t best = ~0ULL, total = 0;

	for (int i = 0; i < CALLS; i++) {
		uint64_t t0 = rt_rdtsc();
		struct hc_result r = hv_vmcall(HC_GET_VERSION, 0, 0, 0, 0);
		uint64_t dt = rt_rdtsc() - t0;

		if (r.status != 0) {
			rt_printf("call %d failed: %ld\n", i, r.status);
			return 1;
		}
		total += dt;
		best = dt < best ? dt : best;
	}
	rt_printf("%d calls: min %lu ticks, mean %lu ticks per round trip\n", CALLS, best, total / CALLS);
	return 0;
}
