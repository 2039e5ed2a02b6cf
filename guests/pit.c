/* pit: calibrates the TSC against the guest's PIT channel 2 the way kernels
 * do (gate through port 0x61, mode 0, wait for OUT2), compares the result
 * with the hypervisor's TSC frequency, and checks that a latched counter
 * counts down and port 0x61's refresh bit toggles. */
#include "guests/rt/rt.h"

#define PIT_HZ 1193182ULL
#define COUNT 11932     /* 10 ms */

static uint64_t calibrate(void)
{
	uint64_t t0, dt;

	rt_outb(0x61, (rt_inb(0x61) & ~0x02) | 0x01);   /* speaker off, gate on */
	rt_outb(0x43, 0xb0);                            /* channel 2, lo/hi, mode 0 */
	rt_outb(0x42, COUNT & 0xff);
	rt_outb(0x42, COUNT >> 8);
	t0 = rt_rdtsc();
	do
		dt = rt_rdtsc() - t0;
	while (!(rt_inb(0x61) & 0x20) && dt < (1ULL << 36));
	return dt * PIT_HZ / COUNT;
}

static uint16_t latch0(void)
{
	uint16_t v;

	rt_outb(0x43, 0x00);                            /* latch channel 0 */
	v = rt_inb(0x40);
	return v | rt_inb(0x40) << 8;
}

int main(void)
{
	uint64_t hz, now, pit_hz = calibrate();
	uint16_t a, b;
	uint8_t r1, r2;

	hv1_get_time(&hz, &now);
	EXPECT(pit_hz * 100 >= hz * 97 && pit_hz * 100 <= hz * 103,
	       "TSC calibrated on PIT channel 2 within 3%% of the hypervisor's (%lu kHz, %lu kHz)", pit_hz / 1000,
	       hz / 1000);
	rt_outb(0x43, 0x34);                            /* channel 0, lo/hi, mode 2 */
	rt_outb(0x40, 0);
	rt_outb(0x40, 0);                               /* 65536: about 55 ms per period */
	a = latch0();
	for (volatile int i = 0; i < 20000; i++)
		;
	b = latch0();
	EXPECT(a != b, "a latched channel 0 moves (%u, then %u)", a, b);
	r1 = rt_inb(0x61);
	r2 = rt_inb(0x61);
	EXPECT(((r1 ^ r2) & 0x10) != 0, "port 0x61's refresh bit toggles");
	return rt_failures;
}
