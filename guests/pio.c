/* pio: the emulated COM1 and ports nobody owns. */
#include "guests/rt/rt.h"

static void com1_puts(const char *s)
{
	for (; *s; s++) {
		while (!(rt_inb(0x3f8 + 5) & 0x20))
			;
		rt_outb(0x3f8, (uint8_t)*s);
	}
}

int main(void)
{
	rt_outb(0x3f8 + 7, 0x5a);
	com1_puts("written to COM1 with OUT instructions\n");
	EXPECT(rt_inb(0x3f8 + 7) == 0x5a, "COM1 scratch register keeps 5a");
	EXPECT(rt_inb(0x3f8 + 5) & 0x20, "COM1 transmitter ready");
	EXPECT(rt_inb(0x2f8) == 0xff, "unassigned port 2f8 reads ff");
	EXPECT(rt_inw(0x1234) == 0xffff, "unassigned port 1234 reads ffff (16-bit)");
	EXPECT(rt_inl(0xcfc) == 0xffffffff, "unassigned port cfc reads ffffffff (32-bit)");
	rt_outb(0x80, 0x12);   /* ignored */
	return rt_failures;
}
