/* The emulated 16550 UART at COM1 (0x3f8) of every guest: transmit only.
 * The transmitter is always ready, nothing is ever received, no interrupt
 * is raised; the other registers hold what the guest wrote. */
#include "core/vio.h"
#include "core/gcons.h"

enum { RBR_THR = 0, IER = 1, IIR_FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7 };

#define LCR_DLAB 0x80
#define LSR_THRE_TEMT 0x60
#define IIR_NONE 0x01
#define MSR_IDLE 0xb0   /* DCD, DSR, CTS */

static u32 vuart_read(struct guest *g, u16 port, u8 size)
{
	struct vuart *u = &g->com1;
	bool dlab = u->lcr & LCR_DLAB;

	(void)size;
	switch (port & 7) {
	case RBR_THR: return dlab ? u->dll : 0;
	case IER: return dlab ? u->dlh : u->ier;
	case IIR_FCR: return IIR_NONE | ((u->fcr & 1) ? 0xc0 : 0);
	case LCR: return u->lcr;
	case MCR: return u->mcr;
	case LSR: return LSR_THRE_TEMT;
	case MSR: return MSR_IDLE;
	default: return u->scr;
	}
}

static void vuart_write(struct guest *g, u16 port, u8 size, u32 val)
{
	struct vuart *u = &g->com1;
	bool dlab = u->lcr & LCR_DLAB;
	u8 b = (u8)val;

	(void)size;
	switch (port & 7) {
	case RBR_THR:
		if (dlab)
			u->dll = b;
		else
			gcons_putc(g, (char)b);
		break;
	case IER:
		if (dlab)
			u->dlh = b;
		else
			u->ier = b & 0x0f;
		break;
	case IIR_FCR: u->fcr = b; break;
	case LCR: u->lcr = b; break;
	case MCR: u->mcr = b & 0x1f; break;
	case SCR: u->scr = b; break;
	default: break;   /* LSR and MSR are read-only */
	}
}

const struct pio_dev vuart_com1 = { "com1", 0x3f8, 8, vuart_read, vuart_write };
