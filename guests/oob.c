/* oob: touches guest-physical memory it does not have; the hypervisor must
 * stop this guest alone. */
#include "guests/rt/rt.h"

int main(void)
{
	volatile uint64_t *far = (volatile uint64_t *)(uintptr_t)0x10000000;  /* 256 MiB */

	rt_printf("reading 256 MiB, beyond my memory\n");
	(void)*far;
	rt_printf("still running: the hypervisor let me read foreign memory\n");
	return 1;
}
