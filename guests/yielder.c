/* yielder: 2000 yields, reporting the cheapest round trip in TSC ticks.
 * With two yielders under rr, one round trip is two guest-to-guest
 * switches (there and back), each with its yield hypercall, made with the
 * vendor's own instruction (VMMCALL on AMD, VMCALL on Intel) so that the
 * figure is the switch, not the decoding of the other vendor's. */
#include "guests/rt/rt.h"

#define YIELDS 2000

int main(void)
{
	uint64_t best = ~0ULL;
	bool vmmcall = rt_amd();

	for (int i = 0; i < YIELDS; i++) {
		uint64_t t0 = rt_rdtsc();

		if (vmmcall)
			hv_vmmcall(HC(1, HV1_YIELD), 0, 0, 0, 0);
		else
			hv_vmcall(HC(1, HV1_YIELD), 0, 0, 0, 0);
		uint64_t dt = rt_rdtsc() - t0;

		best = dt < best ? dt : best;
	}
	rt_printf("%d yields: min %lu ticks per round trip\n", YIELDS, best);
	return 0;
}
