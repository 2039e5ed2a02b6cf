/* platform: the PC devices every guest gets besides COM1: the CMOS clock
 * (a valid BCD date that advances with time) and PCI configuration
 * mechanism #1 with no device behind it. */
#include "guests/rt/rt.h"

static inline void rt_outl(uint16_t p, uint32_t v) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(p)); }

static uint8_t cmos(uint8_t index)
{
	rt_outb(0x70, index);
	return rt_inb(0x71);
}

static unsigned bin(uint8_t bcd)
{
	return (bcd >> 4) * 10 + (bcd & 15);
}

static unsigned seconds_of_day(void)
{
	return bin(cmos(4)) * 3600 + bin(cmos(2)) * 60 + bin(cmos(0));
}

int main(void)
{
	unsigned year = bin(cmos(0x32)) * 100 + bin(cmos(9)), month = bin(cmos(8)), day = bin(cmos(7));
	unsigned t0 = seconds_of_day(), t1;
	uint64_t hz, now;

	EXPECT(year >= 1970 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && t0 < 86400,
	       "CMOS date valid: %04u-%02u-%02u", year, month, day);
	EXPECT(!(cmos(0x0a) & 0x80) && (cmos(0x0b) & 2) && (cmos(0x0d) & 0x80),
	       "CMOS status: no update in progress, 24-hour, valid");
	hv1_get_time(&hz, &now);
	hv1_sleep_until(now + 2100000000ULL);
	t1 = seconds_of_day();
	EXPECT((t1 + 86400 - t0) % 86400 >= 2 && (t1 + 86400 - t0) % 86400 <= 3, "the clock advanced 2 s in a 2.1 s sleep (%u s)",
	       (t1 + 86400 - t0) % 86400);
	rt_outl(0xcf8, 0x80000000);
	EXPECT(rt_inl(0xcf8) == 0x80000000, "PCI mechanism #1 present (address register reads back)");
	EXPECT(rt_inl(0xcfc) == 0xffffffff, "no PCI device at 00:00.0 (vendor ffff)");
	return rt_failures;
}
