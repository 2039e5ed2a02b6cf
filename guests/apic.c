/* apic: the local APIC and IOAPIC through their MMIO pages, as kernels use
 * them: the APIC's ID and version (32-bit and narrower loads), its timer
 * calibrated against the hypervisor's clock and then periodic at 100 Hz,
 * a 200 us one-shot that must fire on time while the guest spins without
 * exits, a self-IPI, and the PIT's IRQ 0 through IOAPIC pin 2 with the
 * 8259s masked. Every handler ends with an EOI to the APIC (a MOV of an
 * immediate). Last, an instruction the hypervisor does not emulate on an
 * MMIO page (LOCK OR) must stop this guest alone, with its bytes named. */
#include "guests/rt/rt.h"

#define LAPIC 0xfee00000UL
#define IOAPIC 0xfec00000UL
#define TIMER_VEC 0x40
#define PIT_VEC 0x41
#define IPI_VEC 0x42

enum { ID = 0x20, VER = 0x30, TPR = 0x80, EOI = 0xb0, SVR = 0xf0, ICR_LO = 0x300, LVT_TIMER = 0x320,
       TMICT = 0x380, TMCCT = 0x390, TDCR = 0x3e0 };

volatile uint32_t counts[3];
void timer_stub(void), pit_stub(void), ipi_stub(void);

/* Each stub counts its interrupt and writes the APIC's EOI register. */
RT_APIC_ISR(timer_stub, "counts");
RT_APIC_ISR(pit_stub, "counts+4");
RT_APIC_ISR(ipi_stub, "counts+8");

static volatile uint32_t *reg(uint32_t off)
{
	return (volatile uint32_t *)(LAPIC + off);
}

static void ioapic_write(uint32_t r, uint32_t v)
{
	*(volatile uint32_t *)IOAPIC = r;
	*(volatile uint32_t *)(IOAPIC + 0x10) = v;
}

static uint32_t ioapic_read(uint32_t r)
{
	*(volatile uint32_t *)IOAPIC = r;
	return *(volatile uint32_t *)(IOAPIC + 0x10);
}

static uint64_t now_ns(void)
{
	uint64_t hz, t;

	hv1_get_time(&hz, &t);
	return t;
}

/* Sleeps until counts[slot] reaches n; the time taken. The count is
 * checked with interrupts off and STI's shadow covers the HLT, so an
 * interrupt cannot slip in between the check and the sleep. */
static uint64_t wait_for(int slot, uint32_t n)
{
	uint64_t t0 = now_ns();

	while (counts[slot] < n)
		__asm__ volatile("sti; hlt; cli");
	return now_ns() - t0;
}

static void registers(void)
{
	EXPECT((*reg(VER) & 0xff) == 0x14 && (*reg(VER) >> 16 & 0xff) == 5, "APIC version %x", *reg(VER));
	EXPECT(*reg(ID) >> 24 == 0, "APIC ID 0");
	EXPECT(*(volatile uint8_t *)(LAPIC + VER) == 0x14 && *(volatile uint16_t *)(LAPIC + VER + 2) == 5,
	       "byte and word loads of the version register");
	*reg(TPR) = 0x20;
	EXPECT(*reg(TPR) == 0x20, "TPR reads back");
	*reg(TPR) = 0;
	EXPECT(ioapic_read(1) == 0x170011, "IOAPIC version %x (24 pins)", ioapic_read(1));
}

/* The timer's rate, measured over 50 ms of the hypervisor's clock, then
 * 20 periodic ticks at 100 Hz. Returns the rate. */
static uint64_t timer(void)
{
	uint64_t t0, dt, rate;
	uint32_t left;

	*reg(TDCR) = 0x3;                        /* divide by 16 */
	*reg(LVT_TIMER) = 1u << 16 | TIMER_VEC;  /* masked while measuring */
	*reg(TMICT) = 0xffffffff;
	t0 = now_ns();
	while (now_ns() - t0 < 50000000)
		;
	left = *reg(TMCCT);
	dt = now_ns() - t0;
	rate = (uint64_t)(0xffffffffu - left) * 1000000000 / dt;
	EXPECT(rate > 10000, "the APIC timer counts (%lu Hz after the divider)", rate);
	*reg(LVT_TIMER) = 1u << 17 | TIMER_VEC;  /* periodic */
	*reg(TMICT) = (uint32_t)(rate / 100);
	dt = wait_for(0, 20);
	*reg(LVT_TIMER) = 1u << 16;
	EXPECT(dt >= 150000000 && dt <= 400000000, "20 APIC timer ticks at 100 Hz took %lu ms", dt / 1000000);
	return rate;
}

/* A 200 us one-shot fires on time while the guest spins with interrupts
 * on and makes no exit: the hypervisor's own countdown, armed for the
 * rest of a long slice (slice=20ms), must be cut short for it (AMD-V
 * preempts with the host's APIC timer). */
static void one_shot(uint64_t rate)
{
	uint32_t before = counts[0];
	uint64_t t0 = now_ns(), dt;

	*reg(LVT_TIMER) = TIMER_VEC;             /* one-shot */
	*reg(TMICT) = (uint32_t)(rate / 5000);
	__asm__ volatile("sti");
	while (counts[0] == before)
		__asm__ volatile("pause");
	__asm__ volatile("cli");
	dt = now_ns() - t0;
	EXPECT(dt < 2000000, "a 200 us one-shot fired after %lu us of spinning", dt / 1000);
}

static void self_ipi(void)
{
	*reg(ICR_LO) = 1u << 18 | IPI_VEC;       /* shorthand self, fixed */
	wait_for(2, 1);
	EXPECT(counts[2] == 1, "a self-IPI arrived");
}

/* PIT channel 0 at 100 Hz, its IRQ 0 on IOAPIC pin 2; the 8259s masked. */
static void pit_through_ioapic(void)
{
	uint64_t dt;

	rt_outb(0x21, 0xff);
	rt_outb(0xa1, 0xff);
	ioapic_write(0x10 + 2 * 2, PIT_VEC);     /* edge, physical, unmasked */
	ioapic_write(0x11 + 2 * 2, 0);           /* to APIC 0 */
	rt_outb(0x43, 0x34);
	rt_outb(0x40, 11932 & 0xff);
	rt_outb(0x40, 11932 >> 8);
	dt = wait_for(1, 20);
	ioapic_write(0x10 + 2 * 2, 1u << 16);
	EXPECT(dt >= 150000000 && dt <= 400000000, "20 PIT ticks through the IOAPIC took %lu ms", dt / 1000000);
}

int main(void)
{
	rt_idt_set(TIMER_VEC, timer_stub, 0);
	rt_idt_set(PIT_VEC, pit_stub, 0);
	rt_idt_set(IPI_VEC, ipi_stub, 0);
	*reg(SVR) = 0x1ff;
	registers();
	one_shot(timer());
	self_ipi();
	pit_through_ioapic();
	rt_printf("apic: %d failures\n", rt_failures);
	__asm__ volatile("mov %0, %%rax; lock orl $0, (%%rax)" : : "r"(LAPIC + TPR) : "rax", "memory");
	rt_printf("apic: LOCK OR on the APIC page returned\n");
	return 1;
}
