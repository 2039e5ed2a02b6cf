/* The guest's i8254 PIT (ports 0x40-0x43) and system control port B
 * (0x61: channel 2's gate, the speaker, OUT2 and the refresh toggle), as
 * Linux and other kernels use them to calibrate their TSC: the counters
 * count down at 1.193182 MHz of the hypervisor's clock from the moment a
 * count is written. Modes 0 and 4 (one shot: OUT rises, or strobes, at
 * zero) and 2/3 (periodic) are modelled, in binary; channel 0 raises IRQ 0
 * every period in mode 2 or 3, once at zero in mode 0
 * or 4 (Linux's one-shot clock events use mode 4). */
#include "core/irq/vpit.h"
#include "core/hw/time.h"
#include "core/irq/virq.h"

#define PIT_HZ 1193182ULL
#define NS 1000000000ULL

enum { ACCESS_LATCH = 0, ACCESS_LO = 1, ACCESS_HI = 2, ACCESS_LOHI = 3 };

static u64 ticks_since(u64 start_ns)
{
	u64 ns = time_now_ns() - start_ns;

	return ns / NS * PIT_HZ + ns % NS * PIT_HZ / NS;
}

static u32 reload_of(const struct vpit_channel *c)
{
	return c->reload ? c->reload : 0x10000;
}

static bool one_shot(const struct vpit_channel *c)
{
	return c->mode == 0 || c->mode == 4;
}

/* The modes in which channel 0 raises IRQ 0 by itself (not 1 and 5, which
 * wait for a gate edge channel 0 never sees). */
static bool raises_irq(const struct vpit_channel *c)
{
	return one_shot(c) || c->mode == 2 || c->mode == 3;
}

/* The counter now, and whether OUT is high. */
static u16 count(const struct vpit_channel *c, bool *out)
{
	u64 t = c->counting ? ticks_since(c->start_ns) : 0;
	u32 r = reload_of(c);

	if (one_shot(c)) {
		*out = c->mode == 4 || (c->counting && t >= r);
		return (u16)(r - t % 0x10000);
	}
	*out = t % r < r / 2;
	return (u16)(r - t % r);
}

static u8 read_counter(struct vpit_channel *c)
{
	bool out;
	u16 v = c->latched ? c->latch : count(c, &out);
	bool hi = c->access == ACCESS_HI || (c->access == ACCESS_LOHI && c->read_hi);

	if (c->access == ACCESS_LOHI)
		c->read_hi = !c->read_hi;
	if (c->latched && (c->access != ACCESS_LOHI || !c->read_hi))
		c->latched = false;
	return hi ? (u8)(v >> 8) : (u8)v;
}

static void write_counter(struct vpit_channel *c, u8 b, bool gate)
{
	if (c->access == ACCESS_LO || (c->access == ACCESS_LOHI && !c->write_hi))
		c->reload = (u16)((c->reload & 0xff00) | b);
	else
		c->reload = (u16)((c->reload & 0x00ff) | b << 8);
	if (c->access == ACCESS_LOHI && (c->write_hi = !c->write_hi))
		return;   /* wait for the high byte */
	c->counting = gate;
	c->start_ns = time_now_ns();
}

static u64 period_ns(const struct vpit_channel *c)
{
	return MAX((u64)reload_of(c) * NS / PIT_HZ, 1);
}

u64 vpit_poll(struct guest *g, u64 now_ns)
{
	struct vpit *p = g->pit;
	const struct vpit_channel *c0 = &p->ch[0];

	if (!p->next_irq_ns || now_ns < p->next_irq_ns)
		return p->next_irq_ns;
	virq_raise(g, 0);
	p->next_irq_ns = one_shot(c0) ? 0 : virq_next_period(p->next_irq_ns, now_ns, period_ns(c0));
	return p->next_irq_ns;
}

static void command(struct vpit *p, u8 b)
{
	struct vpit_channel *c;
	u8 mode = b >> 1 & 7;
	bool out;

	if ((b >> 6) == 3)
		return;   /* read-back: not modelled */
	c = &p->ch[b >> 6];
	if ((b >> 4 & 3) == ACCESS_LATCH) {
		c->latch = count(c, &out);
		c->latched = true;
		return;
	}
	c->access = b >> 4 & 3;
	c->mode = mode >= 6 ? mode - 4 : mode;   /* 6, 7 are 2, 3 */
	c->read_hi = c->write_hi = false;
	c->counting = false;
}

static u32 vpit_read(struct guest *g, u16 port, u8 size)
{
	struct vpit *p = g->pit;
	bool out;

	(void)size;
	if (port == 0x61) {
		p->refresh ^= 0x10;
		count(&p->ch[2], &out);
		return (u32)(p->port61 & 3) | p->refresh | (out ? 0x20 : 0);
	}
	return port == 0x43 ? 0xff : read_counter(&p->ch[port - 0x40]);
}

static struct act vpit_write(struct guest *g, u16 port, u8 size, u32 val)
{
	struct vpit *p = g->pit;
	struct vpit_channel *c0 = &p->ch[0];
	u8 b = (u8)val;

	(void)size;
	virq_kick(g);   /* channel 0 may start or stop counting towards IRQ 0 */
	if (port == 0x61) {
		if ((b & 1) && !(p->port61 & 1)) {   /* gate 2 rises: counting (re)starts */
			p->ch[2].counting = true;
			p->ch[2].start_ns = time_now_ns();
		}
		p->port61 = b & 3;
	} else if (port == 0x43) {
		command(p, b);
	} else {
		write_counter(&p->ch[port - 0x40], b, port != 0x42 || (p->port61 & 1));
	}
	if ((port == 0x43 && b >> 6 == 0) || (port == 0x40 && !c0->write_hi))   /* channel 0 (re)programmed */
		p->next_irq_ns = c0->counting && raises_irq(c0) ?
				 c0->start_ns + period_ns(c0) : 0;
	return act_resume();
}

const struct pio_dev vpit = { "pit", 0x40, 4, vpit_read, vpit_write };
const struct pio_dev vport61 = { "port61", 0x61, 1, vpit_read, vpit_write };
