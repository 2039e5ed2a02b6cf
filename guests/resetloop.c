/* resetloop: resets itself through port 0xcf9 at every start, as a PC in
 * a reset loop does, until its 25th start, which says so and shuts down.
 * The hypervisor restarts it each time, at most 10 times a second: the
 * 11th and the 21st restart each wait for the next second. A CMOS RAM
 * byte counts the starts: it must survive each reset, as on a PC. */
#include "compat/abi/hv_v1.h"
#include "guests/rt/rt.h"

#define LAST_START 25
#define MARK 0x40       /* a CMOS RAM byte no firmware convention claims */

static uint8_t cmos_read(uint8_t index)
{
	rt_outb(0x70, index);
	return rt_inb(0x71);
}

static void cmos_write(uint8_t index, uint8_t val)
{
	rt_outb(0x70, index);
	rt_outb(0x71, val);
}

int main(void)
{
	static struct hv1_guest_info gi;
	uint8_t kept;

	hv1_guest_info((uintptr_t)&gi);
	kept = cmos_read(MARK);
	if (kept != (uint8_t)(gi.boot_count - 1)) {
		rt_printf("resetloop: FAILED: CMOS byte %x holds %u at start %u\n", MARK, kept, gi.boot_count);
		return 1;
	}
	cmos_write(MARK, (uint8_t)gi.boot_count);
	if (gi.boot_count < LAST_START) {
		rt_outb(0xcf9, 0x06);
		rt_printf("resetloop: the reset returned at start %u\n", gi.boot_count);
		return 1;
	}
	rt_printf("resetloop: start %u, after %u resets, CMOS RAM kept across each\n", gi.boot_count,
		  gi.boot_count - 1);
	return 0;
}
