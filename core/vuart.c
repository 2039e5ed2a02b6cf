/* The emulated 16550A UART at COM1 (0x3f8, IRQ 4) of every guest, enough
 * for Linux's 8250 driver: the transmitter is always ready (each byte goes
 * to the guest's console line at once), nothing is ever received, and the
 * one interrupt source is "transmitter holding register empty": due after
 * every byte and whenever it is enabled, reported in IIR (reading it there
 * clears it), and raised as IRQ 4 on the guest's PIC while MCR.OUT2 is set,
 * as on a PC. Loopback (MCR.LOOP) reflects the modem control bits in MSR. */
#include "core/vio.h"
#include "core/gcons.h"
#include "core/virq.h"

enum { RBR_THR = 0, IER = 1, IIR_FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7 };

#define LCR_DLAB 0x80
#define LSR_THRE_TEMT 0x60
#define IER_THRI 0x02
#define IIR_NONE 0x01
#define IIR_THRE 0x02
#define IIR_FIFO 0xc0
#define MCR_OUT2 0x08
#define MCR_LOOP 0x10
#define MSR_IDLE 0xb0   /* DCD, DSR, CTS */
#define COM1_IRQ 4

/* IRQ 4 follows the interrupt condition; the PIC sees its rising edges. */
static void update_line(struct guest *g, struct vuart *u)
{
	bool line = u->thre_pending && (u->ier & IER_THRI) && (u->mcr & MCR_OUT2);

	if (line && !u->line)
		vpic_raise(g, COM1_IRQ);
	u->line = line;
}

/* In loopback, DSR/CTS/RI/DCD read back DTR/RTS/OUT1/OUT2. */
static u8 modem_status(const struct vuart *u)
{
	u8 m = u->mcr;

	if (!(m & MCR_LOOP))
		return MSR_IDLE;
	return (u8)((m & 1) << 5 | (m & 2) << 3 | (m & 4) << 4 | (m & 8) << 4);
}

static u8 read_iir(struct guest *g, struct vuart *u)
{
	u8 fifo = (u->fcr & 1) ? IIR_FIFO : 0;

	if (u->thre_pending && (u->ier & IER_THRI)) {
		u->thre_pending = false;
		update_line(g, u);
		return fifo | IIR_THRE;
	}
	return fifo | IIR_NONE;
}

static u32 vuart_read(struct guest *g, u16 port, u8 size)
{
	struct vuart *u = &g->com1;
	bool dlab = u->lcr & LCR_DLAB;

	(void)size;
	switch (port & 7) {
	case RBR_THR: return dlab ? u->dll : 0;
	case IER: return dlab ? u->dlh : u->ier;
	case IIR_FCR: return read_iir(g, u);
	case LCR: return u->lcr;
	case MCR: return u->mcr;
	case LSR: return LSR_THRE_TEMT;
	case MSR: return modem_status(u);
	default: return u->scr;
	}
}

static void transmit(struct guest *g, struct vuart *u, u8 b)
{
	if (!(u->mcr & MCR_LOOP))
		gcons_putc(g, (char)b);
	u->thre_pending = true;
	u->line = false;         /* writing THR clears the condition; it is due again at once */
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
			transmit(g, u, b);
		break;
	case IER:
		if (dlab) {
			u->dlh = b;
		} else {
			if ((b & IER_THRI) && !(u->ier & IER_THRI))
				u->thre_pending = true;   /* enabling it while empty: due now */
			u->ier = b & 0x0f;
		}
		break;
	case IIR_FCR: u->fcr = b; break;
	case LCR: u->lcr = b; break;
	case MCR: u->mcr = b & 0x1f; break;
	case SCR: u->scr = b; break;
	default: break;   /* LSR and MSR are read-only */
	}
	update_line(g, u);
}

const struct pio_dev vuart_com1 = { "com1", 0x3f8, 8, vuart_read, vuart_write };
