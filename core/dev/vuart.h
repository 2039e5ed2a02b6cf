/* The 16550 a guest writes its console to, COM1 at 0x3f8 (core/dev/vuart.c),
 * with its receive FIFO (what is typed on the hypervisor's console).
 * State: struct guest's com1. */
#ifndef CORE_DEV_VUART_H
#define CORE_DEV_VUART_H

#include "core/vm/device.h"

#define VUART_FIFO 16

struct vuart {
	u8 ier, fcr, lcr, mcr, scr, dll, dlh;
	bool thre_pending;         /* the "transmitter empty" interrupt is due */
	bool line;                 /* IRQ 4 as last driven */
	u8 rx[VUART_FIFO], rx_head, rx_len;
};

extern const struct pio_dev vuart_com1;

/* A byte arrives at g's COM1; false (and nothing changes) when its receive
 * FIFO is full. */
bool vuart_receive(struct guest *g, u8 b);

#endif
