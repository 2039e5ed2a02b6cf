/* nmiwatch: a guest with an NMI handler of its own that spins for 500 ms
 * (the hypervisor's clock) without exits, while the hypervisor's
 * selftest=nmi has another CPU send NMIs to this one. Every NMI is the
 * host's: the handler must never run. */
#include "guests/rt/rt.h"

#define WATCH_NS 500000000ULL

volatile uint32_t nmis;
void nmi_stub(void);

__asm__(".globl nmi_stub\n"
	"nmi_stub:\n"
	"	lock incl nmis(%rip)\n"
	"	iretq\n");

int main(void)
{
	uint64_t hz, t0, end;

	rt_idt_set(2, nmi_stub, 0);
	hv1_get_time(&hz, &t0);
	end = rt_rdtsc() + WATCH_NS / 1000 * (hz / 1000000);
	while (rt_rdtsc() < end)
		__asm__ volatile("pause");
	EXPECT(nmis == 0, "no NMI reached the guest in 500 ms (%u did)", nmis);
	return rt_failures;
}
