/* The guest's reset controls, each of which restarts that guest alone,
 * the way a PC's reset does (the reboot call's way: RAM wiped, the image
 * loaded again, at most RESTARTS_PER_S a second, core/guest/run.c): the
 * reset control register at port 0xcf9 (a write with RST_CPU, bit 2, set;
 * the FADT's reset register names it with the value 6) and system control
 * port A at 0x92 (fast reset, bit 0; A20 reads as always on). There is no
 * 8042, so nothing resets through port 0x64. */
#include "core/dev/vreset.h"

#define RST_CPU 0x04
#define FAST_RESET 0x01
#define A20_ON 0x02

static u32 reset_read(struct guest *g, u16 port, u8 size)
{
	(void)g, (void)size;
	return port == 0x92 ? A20_ON : 0;
}

static struct act reset_write(struct guest *g, u16 port, u8 size, u32 val)
{
	(void)g, (void)size;
	if (port == 0x92 ? val & FAST_RESET : val & RST_CPU)
		return act_reboot();
	return act_resume();
}

const struct pio_dev vreset_cf9 = { "reset", 0xcf9, 1, reset_read, reset_write };
const struct pio_dev vreset_92 = { "port-a", 0x92, 1, reset_read, reset_write };
