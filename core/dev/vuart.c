/* The emulated 16550A UART at COM1 (0x3f8, IRQ 4) of every guest, enough
 * for Linux's 8250 driver: the transmitter is always ready (each byte goes
 * to the guest's console line at once); received bytes (typed on the
 * hypervisor's console; core/dev/gcons.c holds them back while the FIFO is
 * full) wait in a 16-byte FIFO, with no receive errors. Two interrupt
 * sources, in IIR's priority: "received data available" while the FIFO
 * holds a byte, then "transmitter holding register empty", due after
 * every byte and whenever it is enabled (reading IIR there clears it).
 * Either raises IRQ 4 while MCR.OUT2 is set, as on a PC. Loopback
 * (MCR.LOOP) reflects the modem control bits in MSR; transmitted bytes
 * are not looped back. */
#include "core/dev/vuart.h"
#include "core/dev/gcons.h"
#include "core/irq/virq.h"

enum { RBR_THR = 0, IER = 1, IIR_FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7 };

#define LCR_DLAB 0x80
#define LSR_DR 0x01
#define LSR_THRE_TEMT 0x60
#define IER_RDI 0x01
#define IER_THRI 0x02
#define IIR_NONE 0x01
#define IIR_THRE 0x02
#define IIR_RDI 0x04
#define FCR_CLEAR_RX 0x02
#define IIR_FIFO 0xc0
#define MCR_OUT2 0x08
#define MCR_LOOP 0x10
#define MSR_IDLE 0xb0   /* DCD, DSR, CTS */
#define COM1_IRQ 4

/* IRQ 4 follows the interrupt condition; the PIC and IOAPIC see its rising edges. */
static void update_line(struct guest *g, struct vuart *u)
{
	bool cause = (u->thre_pending && (u->ier & IER_THRI)) || (u->rx_len && (u->ier & IER_RDI));
	bool line = cause && (u->mcr & MCR_OUT2);

	if (line && !u->line)
		virq_raise(g, COM1_IRQ);
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

	if (u->rx_len && (u->ier & IER_RDI))
		return fifo | IIR_RDI;   /* cleared by reading the data */
	if (u->thre_pending && (u->ier & IER_THRI)) {
		u->thre_pending = false;
		update_line(g, u);
		return fifo | IIR_THRE;
	}
	return fifo | IIR_NONE;
}

static u8 receive(struct guest *g, struct vuart *u)
{
	u8 b;

	if (!u->rx_len)
		return 0;
	b = u->rx[u->rx_head];
	u->rx_head = (u8)((u->rx_head + 1) % VUART_FIFO);
	u->rx_len--;
	update_line(g, u);
	return b;
}

bool vuart_receive(struct guest *g, u8 b)
{
	struct vuart *u = g->com1;

	if (u->rx_len == VUART_FIFO)
		return false;
	u->rx[(u->rx_head + u->rx_len++) % VUART_FIFO] = b;
	update_line(g, u);
	return true;
}

static u32 vuart_read(struct guest *g, u16 port, u8 size)
{
	struct vuart *u = g->com1;
	bool dlab = u->lcr & LCR_DLAB;

	(void)size;
	switch (port & 7) {
	case RBR_THR: return dlab ? u->dll : receive(g, u);
	case IER: return dlab ? u->dlh : u->ier;
	case IIR_FCR: return read_iir(g, u);
	case LCR: return u->lcr;
	case MCR: return u->mcr;
	case LSR: return LSR_THRE_TEMT | (u->rx_len ? LSR_DR : 0);
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

static struct act vuart_write(struct guest *g, u16 port, u8 size, u32 val)
{
	struct vuart *u = g->com1;
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
	case IIR_FCR:
		u->fcr = b;
		if (b & FCR_CLEAR_RX)
			u->rx_len = 0;
		break;
	case LCR: u->lcr = b; break;
	case MCR: u->mcr = b & 0x1f; break;
	case SCR: u->scr = b; break;
	default: break;   /* LSR and MSR are read-only */
	}
	update_line(g, u);
	return act_resume();
}

const struct pio_dev vuart_com1 = { "com1", 0x3f8, 8, vuart_read, vuart_write };
