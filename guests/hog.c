/* hog: spins with interrupts off for 400 ms by the TSC, never calling the
 * hypervisor meanwhile. The other guests must still run. */
#include "guests/rt/rt.h"

int main(void)
{
	uint64_t hz, now, end;

	hv1_get_time(&hz, &now);
	end = rt_rdtsc() + hz / 1000 * 400;
	__asm__ volatile("cli");
	while (rt_rdtsc() < end)
		;
	rt_printf("hogged the CPU for 400 ms with interrupts off\n");
	return 0;
}
