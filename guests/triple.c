/* triple: an exception with no usable IDT escalates to a triple fault. */
#include "guests/rt/rt.h"

int main(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) empty = { 0, 0 };

	rt_printf("loading an empty IDT and faulting\n");
	__asm__ volatile("lidt %0; ud2" : : "m"(empty));
	rt_printf("still running after a triple fault\n");
	return 1;
}
