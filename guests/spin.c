/* spin: computes with interrupts off and never calls the hypervisor until
 * done; the preemption timer must still take the CPU back from it. */
#include "guests/rt/rt.h"

int main(void)
{
	volatile uint64_t x = 0;

	__asm__ volatile("cli");
	for (uint64_t i = 0; i < 3000000; i++)
		x += i;
	rt_printf("spun with interrupts off: %lu\n", x);
	return 0;
}
