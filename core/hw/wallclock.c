/* Wall-clock time (core/hw/wallclock.h). */
#include "core/hw/wallclock.h"
#include "core/hw/cpu.h"
#include "core/hw/time.h"

static u64 boot_epoch;           /* seconds since 1970 at time_now_ns() == boot_ns */
static u64 boot_ns;

static u8 cmos_read(u8 index)
{
	outb(0x70, index);
	return inb(0x71);
}

static u32 from_bcd(u8 v, bool binary)
{
	return binary ? v : (u32)(v >> 4) * 10 + (v & 15);
}

/* Reads once no update is in progress (bounded: a missing RTC reads as
 * 0xff and ends in a nonsense date, caught below). */
void wallclock_init(void)
{
	struct civil_time t;
	bool binary;
	u32 century;

	for (int i = 0; i < 100000 && (cmos_read(0x0a) & 0x80); i++)
		cpu_relax();
	binary = cmos_read(0x0b) & 4;
	t = (struct civil_time){
		.sec = from_bcd(cmos_read(0x00), binary), .min = from_bcd(cmos_read(0x02), binary),
		.hour = from_bcd(cmos_read(0x04) & 0x7f, binary), .mday = from_bcd(cmos_read(0x07), binary),
		.month = from_bcd(cmos_read(0x08), binary), .year = from_bcd(cmos_read(0x09), binary),
	};
	century = from_bcd(cmos_read(0x32), binary);   /* the PC convention; 20 if absent */
	t.year += (century >= 19 && century <= 21 ? century : 20) * 100;
	if (t.month < 1 || t.month > 12 || t.mday < 1 || t.mday > 31 || t.hour > 23 || t.min > 59 || t.sec > 59)
		t = (struct civil_time){ .year = 2000, .month = 1, .mday = 1 };
	boot_epoch = calendar_to_epoch(&t);
	boot_ns = time_now_ns();
}

void wallclock_now(struct civil_time *t)
{
	calendar_from_epoch(boot_epoch + (time_now_ns() - boot_ns) / 1000000000ULL, t);
}
