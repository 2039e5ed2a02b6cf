/* 16550 UART driver: register offsets from the port base. */
#include "core/hw/uart16550.h"
#include "core/hw/cpu.h"

enum { THR = 0, RBR = 0, DLL = 0, IER = 1, DLH = 1, FCR = 2, LCR = 3, MCR = 4, LSR = 5 };

#define LCR_8N1 0x03
#define LCR_DLAB 0x80
#define LSR_DR 0x01
#define LSR_THRE 0x20
#define BAUD_DIVISOR 1 /* 115200 = 1.8432 MHz / 16 / 1 */

void uart16550_init(struct uart16550 *u)
{
	outb(u->port + IER, 0);
	outb(u->port + LCR, LCR_DLAB);
	outb(u->port + DLL, BAUD_DIVISOR);
	outb(u->port + DLH, 0);
	outb(u->port + LCR, LCR_8N1);
	outb(u->port + FCR, 0xc7);  /* enable and clear FIFOs */
	outb(u->port + MCR, 0x03);  /* DTR, RTS */
}

/* Waits a bounded time for room: a missing UART must not hang the machine. */
static void uart_putc(void *dev, char c)
{
	struct uart16550 *u = dev;

	for (int i = 0; i < 100000 && !(inb(u->port + LSR) & LSR_THRE); i++)
		cpu_relax();
	outb(u->port + THR, (u8)c);
}

static bool uart_try_putc(void *dev, char c)
{
	struct uart16550 *u = dev;

	if (!(inb(u->port + LSR) & LSR_THRE))
		return false;
	outb(u->port + THR, (u8)c);
	return true;
}

static int uart_getc(void *dev)
{
	struct uart16550 *u = dev;

	return inb(u->port + LSR) & LSR_DR ? inb(u->port + RBR) : -1;
}

const struct console_ops uart16550_console = { "16550", uart_putc, uart_try_putc, uart_getc };
