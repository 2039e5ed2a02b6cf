/* The guest's i8259 PIC pair: master at 0x20/0x21, slave at 0xa0/0xa1 on
 * the master's line 2. Edge-triggered requests, fully nested priority
 * (line 0 first), the ICW1-ICW4 initialization with automatic EOI, the
 * mask (OCW1), non-specific and specific EOI (OCW2) and IRR/ISR reads
 * (OCW3). No rotation, special mask or polling. The ELCR pair at
 * 0x4d0/0x4d1 holds what is written to it (lines 0-2, 8 and 13 stay edge)
 * but every line is still modelled edge-triggered. */
#include "core/irq/vpic.h"
#include "core/irq/virq.h"

static struct vpic_chip *chip_of(struct guest *g, u16 port)
{
	return &g->pic[port >= 0xa0];
}

/* The highest-priority requested, unmasked line above everything in
 * service on this chip, or -1. */
static int best(const struct vpic_chip *c)
{
	u8 req = c->irr & ~c->imr;

	for (int l = 0; l < 8; l++) {
		if (c->isr >> l & 1)
			return -1;
		if (req >> l & 1)
			return l;
	}
	return -1;
}

void vpic_raise(struct guest *g, u32 irq)
{
	struct vpic_chip *c = &g->pic[irq >= 8];

	c->irr |= (u8)(1u << (irq & 7));
	if (irq >= 8)
		g->pic[0].irr |= 1u << 2;   /* the cascade */
}

int vpic_pending(struct guest *g)
{
	int l = best(&g->pic[0]), s;

	if (l < 0 || !g->pic[0].ready)
		return -1;
	if (l != 2)
		return g->pic[0].base + l;
	s = best(&g->pic[1]);
	return s < 0 || !g->pic[1].ready ? -1 : g->pic[1].base + s;
}

void vpic_ack(struct guest *g)
{
	struct vpic_chip *m = &g->pic[0], *s = &g->pic[1];
	int l = best(m);

	if (l < 0)
		return;
	m->irr &= (u8)~(1u << l);
	m->isr |= (u8)(!m->aeoi << l);
	if (l == 2 && (l = best(s)) >= 0) {
		s->irr &= (u8)~(1u << l);
		s->isr |= (u8)(!s->aeoi << l);
	}
}

static void eoi(struct vpic_chip *c, u8 b)
{
	if (b & 0x40)
		c->isr &= (u8)~(1u << (b & 7));              /* specific */
	else
		for (int l = 0; l < 8; l++)
			if (c->isr >> l & 1) {
				c->isr &= (u8)~(1u << l);     /* the highest in service */
				break;
			}
}

static void command(struct vpic_chip *c, u8 b)
{
	if (b & 0x10) {                                       /* ICW1: start over */
		*c = (struct vpic_chip){ .icw = 2, .icw4 = b & 1, .elcr = c->elcr };
	} else if (b & 0x08) {                                /* OCW3 */
		if (b & 2)
			c->read_isr = b & 1;
	} else if (b & 0x20) {                                /* OCW2: EOI */
		eoi(c, b);
	}
}

static void data(struct vpic_chip *c, u8 b)
{
	if (c->icw == 2) {
		c->base = b & 0xf8;
		c->icw = 3;
	} else if (c->icw == 3) {
		c->icw = c->icw4 ? 4 : 0;
		c->ready = !c->icw4;
	} else if (c->icw == 4) {
		c->aeoi = b >> 1 & 1;
		c->icw = 0;
		c->ready = true;
	} else {
		c->imr = b;                                   /* OCW1 */
	}
}

static u32 vpic_read(struct guest *g, u16 port, u8 size)
{
	struct vpic_chip *c = chip_of(g, port);

	(void)size;
	return port & 1 ? c->imr : c->read_isr ? c->isr : c->irr;
}

static struct act vpic_write(struct guest *g, u16 port, u8 size, u32 val)
{
	struct vpic_chip *c = chip_of(g, port);

	(void)size;
	virq_kick(g);   /* a mask, EOI or new base changes what is deliverable */
	if (port & 1)
		data(c, (u8)val);
	else
		command(c, (u8)val);
	return act_resume();
}

static u32 elcr_read(struct guest *g, u16 port, u8 size)
{
	(void)size;
	return g->pic[port & 1].elcr;
}

static struct act elcr_write(struct guest *g, u16 port, u8 size, u32 val)
{
	(void)size;
	g->pic[port & 1].elcr = (u8)val & (port & 1 ? 0xde : 0xf8);
	return act_resume();
}

const struct pio_dev vpic_master = { "pic", 0x20, 2, vpic_read, vpic_write };
const struct pio_dev vpic_slave = { "pic2", 0xa0, 2, vpic_read, vpic_write };
const struct pio_dev velcr = { "elcr", 0x4d0, 2, elcr_read, elcr_write };
