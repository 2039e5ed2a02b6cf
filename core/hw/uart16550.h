/* 16550 UART used as the hypervisor console (polled, 115200 8N1). */
#ifndef CORE_UART16550_H
#define CORE_UART16550_H

#include "core/console/console.h"

struct uart16550 {
	u16 port;
};

extern const struct console_ops uart16550_console;

/* Programs the UART at u->port for 115200 baud, 8N1, FIFOs on, no IRQs. */
void uart16550_init(struct uart16550 *u);

#endif
