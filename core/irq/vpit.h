/* The guest's i8254 PIT and port 0x61 (core/irq/vpit.c). State: struct
 * guest's pit. */
#ifndef CORE_IRQ_VPIT_H
#define CORE_IRQ_VPIT_H

#include "core/vm/device.h"

struct vpit_channel {
	u16 reload, latch;
	u64 start_ns;              /* when the count was loaded (or gate 2 rose) */
	u8 mode, access;
	bool counting, latched, read_hi, write_hi;
};

struct vpit {
	struct vpit_channel ch[3];
	u64 next_irq_ns;           /* channel 0's next IRQ 0, 0 = none */
	u8 port61;                 /* gate 2, speaker */
	u8 refresh;                /* bit 4 toggles on every read of 0x61 */
};

extern const struct pio_dev vpit, vport61;

/* Raises IRQ 0 if a period ended by now; returns when the next one ends,
 * or 0 when channel 0 does not count towards an interrupt. */
u64 vpit_poll(struct guest *g, u64 now_ns);

#endif
