/* The guest's CMOS at ports 0x70 (index) and 0x71 (data): the real-time
 * clock's date and time in BCD, 24-hour, always valid and never updating
 * (UIP stays 0), advancing with the hypervisor's clock from the host's RTC
 * as read at boot (core/hw/wallclock.c); no alarm, no periodic interrupt.
 * The other bytes (0x0e-0x7f but the century) are RAM that holds what the
 * guest writes, kept across its restarts as a PC's battery keeps it, and 0
 * at its creation. Bit 7 of the index (NMI disable) is ignored. */
#include "core/dev/vrtc.h"
#include "core/hw/wallclock.h"

enum { SEC = 0x00, MIN = 0x02, HOUR = 0x04, WDAY = 0x06, MDAY = 0x07, MONTH = 0x08, YEAR = 0x09,
       STATUS_A = 0x0a, STATUS_B = 0x0b, STATUS_C = 0x0c, STATUS_D = 0x0d, CENTURY = 0x32 };

#define STATUS_B_24H 0x02
#define STATUS_D_VALID 0x80

static u8 bcd(u32 v)
{
	return (u8)((v / 10 % 10) << 4 | v % 10);
}

/* Whether index is one of the clock's registers (else CMOS RAM). */
static bool is_clock(u8 index)
{
	return index <= STATUS_D || index == CENTURY;
}

static u8 clock_reg(u8 index)
{
	struct civil_time t;

	wallclock_now(&t);
	switch (index) {
	case SEC: return bcd(t.sec);
	case MIN: return bcd(t.min);
	case HOUR: return bcd(t.hour);
	case WDAY: return bcd(t.wday + 1);
	case MDAY: return bcd(t.mday);
	case MONTH: return bcd(t.month);
	case YEAR: return bcd(t.year % 100);
	case CENTURY: return bcd(t.year / 100);
	case STATUS_B: return STATUS_B_24H;
	case STATUS_D: return STATUS_D_VALID;
	default: return 0;     /* STATUS_A: no update in progress; C: no interrupt */
	}
}

static u32 vrtc_read(struct guest *g, u16 port, u8 size)
{
	u8 i = g->cmos_index & 0x7f;

	(void)size;
	if (port == 0x70)
		return g->cmos_index;
	return is_clock(i) ? clock_reg(i) : g->cmos_ram[i];
}

/* The clock's registers ignore writes: the guest cannot set the time. */
static struct act vrtc_write(struct guest *g, u16 port, u8 size, u32 val)
{
	u8 i = g->cmos_index & 0x7f;

	(void)size;
	if (port == 0x70)
		g->cmos_index = (u8)val;
	else if (!is_clock(i))
		g->cmos_ram[i] = (u8)val;
	return act_resume();
}

const struct pio_dev vrtc = { "cmos", 0x70, 2, vrtc_read, vrtc_write };
