/* mmiotrick: accesses to the APIC page that are not the instruction at
 * RIP, chosen by guest id. The hypervisor must not emulate the MOV it finds
 * there with the fault's address; it stops this guest alone and says why.
 *   0: the stack on the APIC page when the APIC timer's interrupt comes,
 *      the next instruction a MOV to the TPR: the fault is the delivery's
 *      push of the interrupt frame, not that MOV.
 *   1: a page table on the APIC page (a PDE pointing at it): the guest's
 *      walk reads its entry from the page, then a store through that
 *      mapping. The fault is the walk's read, not the store. */
#include "guests/rt/rt.h"

#define LAPIC 0xfee00000UL
#define TPR 0x80

extern const char tick_handler[];
__asm__(".globl tick_handler\ntick_handler: iretq\n");

static volatile uint32_t *reg(uint32_t off)
{
	return (volatile uint32_t *)(LAPIC + off);
}

static void during_delivery(void)
{
	rt_idt_set(0x40, tick_handler, 0);
	*reg(0xf0) = 0x1ff;                  /* software enable */
	*reg(0x3e0) = 0xb;                   /* divide by 1 */
	*reg(0x320) = 0x40;                  /* one-shot, vector 0x40 */
	rt_puts("mmiotrick: stack on the APIC page, an interrupt due, MOVs to the TPR\n");
	*reg(0x380) = 100000;
	/* RSP on the APIC page (below the LVTs), interrupts on, then the same
	 * MOV of 0 to the TPR until the interrupt's delivery pushes its
	 * frame there. */
	__asm__ volatile("mov %%rsp, %%r12\n"
			 "mov %0, %%rsp\n"
			 "sti\n"
			 "1: movl $0, (%1)\n"
			 "jmp 1b\n"
			 : : "r"(LAPIC + 0x300), "r"(LAPIC + TPR) : "r12", "memory");
}

static void during_walk(void)
{
	uint64_t cr3, *pml4, *pdpt, *pd;
	volatile uint32_t *through = (volatile uint32_t *)(0xc0000000UL + (TPR / 8) * 4096UL);

	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	pml4 = (uint64_t *)(cr3 & ~0xfffULL);
	pdpt = (uint64_t *)(pml4[0] & ~0xfffULL);
	pd = (uint64_t *)(pdpt[3] & ~0xfffULL);
	pd[0] = LAPIC | 3;                   /* 3 GiB: a page table on the APIC page */
	__asm__ volatile("invlpg (%0)" : : "r"(through) : "memory");
	rt_puts("mmiotrick: a page table on the APIC page, a store through it\n");
	*through = 0xf;                      /* its PTE is the TPR's slot */
}

int main(void)
{
	struct hv1_guest_info gi;

	hv1_guest_info((uintptr_t)&gi);
	if (gi.guest_id == 0)
		during_delivery();
	else
		during_walk();
	rt_printf("mmiotrick: still running: the TPR reads %x\n", *reg(TPR));
	return 1;
}
