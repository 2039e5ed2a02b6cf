/* Guest port I/O: a table of emulated devices by port range; a port no
 * device claims reads as all ones and ignores writes. */
#ifndef CORE_VIO_H
#define CORE_VIO_H

#include "core/backend.h"

struct pio_dev {
	const char *name;
	u16 base, count;
	u32 (*read)(struct guest *g, u16 port, u8 size);
	void (*write)(struct guest *g, u16 port, u8 size, u32 val);
};

extern const struct pio_dev vuart_com1, vrtc, vpci, vpit, vport61, vpic_master, vpic_slave, velcr, vpm,
	vreset_cf9, vreset_92;

void exit_io(struct vcpu *v, struct exit_info *ei);

/* A byte arrives at g's COM1; false (and nothing changes) when its receive
 * FIFO is full. */
bool vuart_receive(struct guest *g, u8 b);

#endif
