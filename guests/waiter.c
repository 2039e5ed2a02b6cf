/* waiter: sleeps in 10 ms steps for 30 s of the hypervisor's clock (a few
 * seconds under QEMU's instruction clock), so a test has time to drive the
 * debug console while it is alive. */
#include "guests/rt/rt.h"

#define STEP_NS 10000000ULL
#define WINDOW_NS 30000000000ULL

int main(void)
{
	uint64_t hz, start, now;
	unsigned naps = 0;

	hv1_get_time(&hz, &start);
	do {
		hv1_get_time(&hz, &now);
		hv1_sleep_until(now + STEP_NS);
		naps++;
	} while (now - start < WINDOW_NS);
	rt_printf("waited %u naps\n", naps);
	return 0;
}
