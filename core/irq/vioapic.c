/* The guest's IOAPIC at 0xfec00000 (version 0x11, 24 pins, ID 1 as the
 * MADT says): IOREGSEL at 0x00, IOWIN at 0x10; registers ID, version,
 * arbitration and the redirection table. The ISA lines arrive as in the
 * MADT (core/dev/vacpi.c): IRQ 0 on pin 2, every other IRQ n on pin n.
 * Fixed and lowest-priority delivery to the one vCPU, physical or logical
 * destination; edge pins drop what comes while they are masked, level
 * pins hold the next request until the EOI of the last (remote IRR).
 * ExtINT, NMI, SMI and INIT redirections deliver nothing. */
#include "core/irq/vioapic.h"
#include "core/irq/vlapic.h"
#include "core/irq/virq.h"

#define IOAPIC_BASE 0xfec00000ULL
#define VERSION (0x11u | (VIOAPIC_PINS - 1) << 16)

enum { IOREGSEL = 0x00, IOWIN = 0x10 };

#define RTE_DM (7ULL << 8)
#define RTE_LOGICAL (1ULL << 11)
#define RTE_REMOTE_IRR (1ULL << 14)
#define RTE_LEVEL (1ULL << 15)
#define RTE_MASK (1ULL << 16)
/* the rest (delivery status, remote IRR, reserved) is the IOAPIC's */
#define RTE_WRITABLE (0xff000000000000ffULL | RTE_DM | RTE_LOGICAL | 1ULL << 13 | RTE_LEVEL | RTE_MASK)

void vioapic_reset(struct guest *g)
{
	*g->ioapic = (struct vioapic){ .id = VIOAPIC_ID };
	for (int i = 0; i < VIOAPIC_PINS; i++)
		g->ioapic->redir[i] = RTE_MASK;
}

/* Fixed (0) messages to every vCPU named, lowest-priority (1) to the
 * first; other delivery modes are dropped. */
static void deliver(struct guest *g, u64 rte)
{
	if ((rte & RTE_DM) > 1ULL << 8)
		return;
	for (u32 i = 0; i < g->nvcpus; i++) {
		if (!vlapic_matches(&g->vcpu[i], (u8)(rte >> 56), rte & RTE_LOGICAL))
			continue;
		vlapic_accept(&g->vcpu[i], (u8)rte, rte & RTE_LEVEL);
		if (rte & RTE_DM)
			return;
	}
}

void vioapic_raise(struct guest *g, u32 pin)
{
	struct vioapic *io = g->ioapic;
	u64 *rte;

	if (pin >= VIOAPIC_PINS || (io->redir[pin] & RTE_MASK))
		return;
	rte = &io->redir[pin];
	if (*rte & RTE_LEVEL) {
		if (*rte & RTE_REMOTE_IRR) {
			io->pending |= 1u << pin;
			return;
		}
		*rte |= RTE_REMOTE_IRR;
	}
	deliver(g, *rte);
}

void vioapic_eoi(struct guest *g, u8 vector)
{
	struct vioapic *io = g->ioapic;

	for (u32 pin = 0; pin < VIOAPIC_PINS; pin++) {
		u64 *rte = &io->redir[pin];

		if ((u8)*rte != vector || !(*rte & RTE_REMOTE_IRR))
			continue;
		*rte &= ~RTE_REMOTE_IRR;
		if (io->pending >> pin & 1) {
			io->pending &= ~(1u << pin);
			vioapic_raise(g, pin);
		}
	}
}

static u32 reg_read(const struct vioapic *io, u32 r)
{
	u32 pin = (r - 0x10) / 2;

	if (r == 0 || r == 2)
		return io->id << 24;
	if (r == 1)
		return VERSION;
	if (r >= 0x10 && pin < VIOAPIC_PINS)
		return (u32)(io->redir[pin] >> (r & 1 ? 32 : 0));
	return 0;
}

static void reg_write(struct vioapic *io, u32 r, u32 val)
{
	u32 pin = (r - 0x10) / 2, shift = r & 1 ? 32 : 0;
	u64 *rte, keep;

	if (r == 0)
		io->id = val >> 24 & 0xf;
	if (r < 0x10 || pin >= VIOAPIC_PINS)
		return;
	rte = &io->redir[pin];
	keep = ~(0xffffffffULL << shift) | ~RTE_WRITABLE;
	*rte = (*rte & keep) | ((u64)val << shift & RTE_WRITABLE);
	if (!(*rte & RTE_LEVEL)) {   /* an edge pin has no remote IRR */
		*rte &= ~RTE_REMOTE_IRR;
		io->pending &= ~(1u << pin);
	}
}

static u32 ioapic_read(struct vcpu *v, u32 off)
{
	struct vioapic *io = v->guest->ioapic;

	return off == IOREGSEL ? io->sel : off == IOWIN ? reg_read(io, io->sel) : 0;
}

static void ioapic_write(struct vcpu *v, u32 off, u32 val)
{
	struct vioapic *io = v->guest->ioapic;

	virq_kick(v->guest);
	if (off == IOREGSEL)
		io->sel = val & 0xff;
	else if (off == IOWIN)
		reg_write(io, io->sel, val);
}

const struct mmio_dev vioapic_mmio = { "ioapic", IOAPIC_BASE, PAGE_SIZE, ioapic_read, ioapic_write };
