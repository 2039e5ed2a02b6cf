/* The guest's i8259 pair (core/irq/vpic.c) and its ELCR. State: struct
 * guest's pic[0] (master) and pic[1] (slave). */
#ifndef CORE_IRQ_VPIC_H
#define CORE_IRQ_VPIC_H

#include "core/vm/device.h"

struct vpic_chip {
	u8 irr, isr, imr, base, elcr;
	u8 icw;                    /* the initialization word expected next, 0 = done */
	bool icw4, aeoi, ready, read_isr;
};

extern const struct pio_dev vpic_master, vpic_slave, velcr;

/* Request line irq; the vector the pair would deliver, or -1; the CPU took
 * that vector. */
void vpic_raise(struct guest *g, u32 irq);
int vpic_pending(struct guest *g);
void vpic_ack(struct guest *g);

#endif
