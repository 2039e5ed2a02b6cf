/* burn: CPU-bound for a 600 ms window of the hypervisor's clock, counting
 * units of fixed work; prints how many it finished. Several burners started
 * together measure their CPU shares by their own progress. */
#include "guests/rt/rt.h"

#define WINDOW_NS 600000000ULL
#define UNIT 1000

int main(void)
{
	uint64_t hz, start, now, units = 0;
	volatile uint64_t x = 0;

	hv1_get_time(&hz, &start);
	do {
		for (int i = 0; i < UNIT; i++)
			x += i;
		units++;
		hv1_get_time(&hz, &now);
	} while (now - start < WINDOW_NS);
	rt_printf("burned %lu units in %lu ms\n", units, (now - start) / 1000000);
	return 0;
}
