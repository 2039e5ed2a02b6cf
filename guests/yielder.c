/* yielder: 2000 yields, reporting the cheapest round trip in TSC ticks.
 * With two yielders under rr, one round trip is two guest-to-guest
 * switches (there and back), each with its yield hypercall. */
#include "guests/rt/rt.h"

#define YIELDS 2000

int main(void)
{
	uint64_t best = ~0ULL;

	for (int i = 0; i < YIELDS; i++) {
		uint64_t t0 = rt_rdtsc();

		hv1_yield();
		uint64_t dt = rt_rdtsc() - t0;

		best = dt < best ? dt : best;
	}
	rt_printf("%d yields: min %lu ticks per round trip\n", YIELDS, best);
	return 0;
}
