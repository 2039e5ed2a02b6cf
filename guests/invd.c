/* invd: an instruction the hypervisor has no handler for (INVD would drop
 * dirty cache lines of other guests' memory) stops this guest alone. */
#include "guests/rt/rt.h"

int main(void)
{
	rt_printf("executing INVD\n");
	__asm__ volatile("invd" : : : "memory");
	rt_printf("still running after INVD\n");
	return 1;
}
