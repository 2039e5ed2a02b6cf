/* irq: a guest that runs on timer interrupts, as kernels do: it programs
 * the PIC pair (vectors 0x20-0x2f, only IRQ 0 unmasked) and PIT channel 0
 * at 100 Hz, then halts with interrupts on until 50 ticks have come. The
 * ticks must take about half a second of the hypervisor's clock. */
#include "guests/rt/rt.h"

#define TICKS 50

volatile uint32_t ticks;
void irq0_stub(void);

/* Counts, acknowledges the PIC (non-specific EOI), returns. */
__asm__(".globl irq0_stub\n"
	"irq0_stub:\n"
	"	push %rax\n"
	"	lock incl ticks(%rip)\n"
	"	mov $0x20, %al\n"
	"	out %al, $0x20\n"
	"	pop %rax\n"
	"	iretq\n");

int main(void)
{
	uint64_t hz, t0, t1;

	rt_idt_set(0x20, irq0_stub, 0);
	rt_pic_init(0x20);
	rt_outb(0x43, 0x34);     /* channel 0, lo/hi, mode 2 */
	rt_outb(0x40, 11932 & 0xff);
	rt_outb(0x40, 11932 >> 8);
	hv1_get_time(&hz, &t0);
	__asm__ volatile("sti");
	while (ticks < TICKS)
		__asm__ volatile("hlt");
	__asm__ volatile("cli");
	hv1_get_time(&hz, &t1);
	EXPECT(ticks >= TICKS, "%u timer interrupts through the PIC", ticks);
	EXPECT(t1 - t0 >= 400000000 && t1 - t0 <= 700000000, "50 ticks at 100 Hz took %lu ms", (t1 - t0) / 1000000);
	EXPECT(rt_inb(0x21) == 0xfe, "the PIC's mask reads back");
	return rt_failures;
}
