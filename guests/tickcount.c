/* tickcount: counts its timer ticks the way an old kernel keeps time, while
 * another guest takes half of the CPU (tests/e2e/guest-ticks). The PIT's
 * IRQ 0 through the 8259 and the local APIC timer, both periodic at about
 * 1 kHz, tick while it computes with interrupts on for 400 ms of the
 * hypervisor's clock; in that time it is off the CPU for whole slices of
 * 5 ms. Every period that ended must be counted: the hypervisor owes the
 * ones missed off the CPU and pays them when the guest runs again (a
 * count kept by ticks alone ran about half as fast when missed periods
 * collapsed into one). */
#include "guests/rt/rt.h"

#define LAPIC 0xfee00000UL
#define PIT_VEC 0x20
#define TIMER_VEC 0x40
#define PIT_RELOAD 1193            /* 999847 ns at 1193182 Hz */
#define PIT_PERIOD_NS 999847ULL
#define WINDOW_NS 400000000ULL

enum { EOI = 0xb0, SVR = 0xf0, LVT_TIMER = 0x320, TMICT = 0x380, TMCCT = 0x390, TDCR = 0x3e0 };

volatile uint32_t counts[2];       /* PIT, APIC timer */
void pit_stub(void), timer_stub(void);

/* The PIT's: counts, non-specific EOI to the 8259. */
__asm__(".globl pit_stub\n"
	"pit_stub:\n"
	"	push %rax\n"
	"	lock incl counts(%rip)\n"
	"	mov $0x20, %al\n"
	"	out %al, $0x20\n"
	"	pop %rax\n"
	"	iretq\n");
RT_APIC_ISR(timer_stub, "counts+4");

static volatile uint32_t *reg(uint32_t off)
{
	return (volatile uint32_t *)(LAPIC + off);
}

static uint64_t now_ns(void)
{
	uint64_t hz, t;

	hv1_get_time(&hz, &t);
	return t;
}

/* The APIC timer's counts a second (divide by 1), over 20 ms. */
static uint64_t apic_rate(void)
{
	uint64_t t0, dt;
	uint32_t left;

	*reg(TDCR) = 0xb;
	*reg(LVT_TIMER) = 1u << 16 | TIMER_VEC;   /* masked while measuring */
	*reg(TMICT) = 0xffffffff;
	t0 = now_ns();
	while (now_ns() - t0 < 20000000)
		;
	left = *reg(TMCCT);
	dt = now_ns() - t0;
	return (uint64_t)(0xffffffffu - left) * 1000000000 / dt;
}

/* Whether n ticks of period_ns account for elapsed_ns: none lost beyond
 * the last slice away (5 ms, owed but not yet paid when the window shuts),
 * none counted twice. */
static bool right(uint32_t n, uint64_t elapsed_ns, uint64_t period_ns, const char *what)
{
	uint64_t want = elapsed_ns / period_ns;

	rt_printf("%s: %u ticks of %lu periods (%lu%%)\n", what, n, want, n * 100 / want);
	return n * 100 >= want * 97 && n <= want + 2;
}

int main(void)
{
	uint64_t rate = apic_rate(), period, t0, t1;
	volatile uint64_t x = 0;

	rt_idt_set(PIT_VEC, pit_stub, 0);
	rt_idt_set(TIMER_VEC, timer_stub, 0);
	*reg(SVR) = 0x1ff;
	rt_pic_init(PIT_VEC);
	period = rate / 1000;                     /* counts of 1 ms */
	t0 = now_ns();
	rt_outb(0x43, 0x34);                      /* PIT channel 0, lo/hi, mode 2 */
	rt_outb(0x40, PIT_RELOAD & 0xff);
	rt_outb(0x40, PIT_RELOAD >> 8);
	*reg(LVT_TIMER) = 1u << 17 | TIMER_VEC;   /* periodic */
	*reg(TMICT) = (uint32_t)period;
	__asm__ volatile("sti");
	do
		for (int i = 0; i < 1000; i++)
			x += (uint64_t)i;
	while (now_ns() - t0 < WINDOW_NS);
	__asm__ volatile("cli");
	t1 = now_ns();
	*reg(LVT_TIMER) = 1u << 16;
	EXPECT(right(counts[0], t1 - t0, PIT_PERIOD_NS, "PIT"), "the PIT's ticks kept count");
	EXPECT(right(counts[1], t1 - t0, period * 1000000000 / rate, "APIC timer"),
	       "the APIC timer's ticks kept count");
	return rt_failures;
}
