/* The guest's IOAPIC (core/irq/vioapic.c) at 0xfec00000: 24 pins routed to
 * the local APIC. State: struct guest's ioapic. */
#ifndef CORE_IRQ_VIOAPIC_H
#define CORE_IRQ_VIOAPIC_H

#include "core/vm/device.h"

#define VIOAPIC_PINS 24
/* Its ID at reset, which the MADT names: above every vCPU's local APIC ID. */
#define VIOAPIC_ID 8

struct vioapic {
	u32 sel, id;               /* IOREGSEL; the ID register's bits 24-27 */
	u64 redir[VIOAPIC_PINS];
	u32 pending;               /* level pins raised while their remote IRR was set */
};

extern const struct mmio_dev vioapic_mmio;

/* As at power-on; a rising edge on a pin; the local APIC's EOI of a level
 * vector. */
void vioapic_reset(struct guest *g);
void vioapic_raise(struct guest *g, u32 pin);
void vioapic_eoi(struct guest *g, u8 vector);

#endif
