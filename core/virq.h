/* Interrupts for guests: the PIC pair (core/vpic.c), fed by the PIT
 * (core/vpit.c), delivered by the run loop before each entry. */
#ifndef CORE_VIRQ_H
#define CORE_VIRQ_H

#include "core/vcpu.h"

/* Requests line irq (0-15) on g's PICs. */
void vpic_raise(struct guest *g, u32 irq);

/* The vector the PICs would deliver now, or -1. */
int vpic_pending(struct guest *g);

/* The CPU took that vector: it moves from requested to in service. */
void vpic_ack(struct guest *g);

/* Raises the PIT's IRQ 0 if a period ended by now; returns when the next
 * one ends, or 0 when channel 0 is not counting periodically. */
u64 vpit_poll(struct guest *g, u64 now_ns);

/* Before entering v: injects the interrupt the PICs hold if the guest can
 * take it now, or asks the backend for an exit as soon as it can. */
void virq_deliver(struct vcpu *v);

/* Whether virq_deliver has anything to do: checked inline on every entry,
 * so guests without a timer or requests pay two loads. */
static inline bool virq_wanted(const struct guest *g)
{
	return g->pit.next_irq_ns || g->pic[0].irr;
}

#endif
