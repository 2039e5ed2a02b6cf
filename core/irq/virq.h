/* Interrupts for guests. The ISA lines of the devices (PIT on 0, COM1 on
 * 4) reach both the i8259 pair (core/irq/vpic.c) and the IOAPIC
 * (core/irq/vioapic.c); the IOAPIC sends vectors to the vCPU's local APIC
 * (core/irq/vlapic.c), whose timer is one more source, and the 8259's output
 * reaches the CPU through the local APIC's LINT0 (or directly when the
 * APIC is disabled). The run loop delivers before each entry. */
#ifndef CORE_VIRQ_H
#define CORE_VIRQ_H

#include "core/vm/vcpu.h"

/* A rising edge on ISA line irq (0-15). */
void virq_raise(struct guest *g, u32 irq);

/* The interrupt controllers and timers of g as at power-on (vCPU 0's
 * local APIC as firmware leaves it, in virtual-wire mode; the others'
 * are reset by guest_start). g->vcpu must exist. */
void virq_reset(struct guest *g);

/* Raises what v's timers owe by now_ns (its local APIC's; the PIT's is
 * vCPU 0's to poll); returns when the next one is due, 0 when none is
 * counting. */
u64 virq_poll(struct vcpu *v, u64 now_ns);

/* The vector the vCPU would take now if it could, or -1. */
int virq_pending(struct vcpu *v);

/* An NMI for v (an NMI IPI): pending until the guest can take it (not
 * inside its NMI handler, before that handler's IRET), at most one
 * pending, as the CPU's NMI latch holds one. Dropped while v waits for
 * a start-up IPI. Under the guest's lock; wakes v. */
void virq_nmi(struct vcpu *v);

/* How long at most a pending NMI waits for a backend that cannot ask
 * for an exit when the guest's shadow or queued event ends (AMD-V). */
#define VIRQ_NMI_POLL_NS 50000ULL

/* v's pending NMI and interrupt windows dropped (INIT, reset). */
void virq_vcpu_reset(struct vcpu *v);

/* Before entering v: polls the timers, injects the pending NMI, or else
 * the interrupt that is pending, if the guest can take it now, or asks the
 * backend for an exit as soon as it can. Returns virq_poll's next deadline; clears virq_wanted
 * when there is none and nothing is pending. Takes the guest's lock. */
u64 virq_deliver(struct vcpu *v);

/* Whether virq_deliver has anything to do for v: checked inline on every
 * entry, so guests without a timer or requests pay one load. It stays
 * true while a timer counts or an interrupt waits; virq_kick sets it
 * again for every vCPU of the guest, virq_kick_vcpu for one, called by
 * every device write that may unmask, EOI, arm or raise something. */
static inline bool virq_wanted(const struct vcpu *v)
{
	return v->virq_check;
}

static inline void virq_kick_vcpu(struct vcpu *v)
{
	v->virq_check = true;
}

static inline void virq_kick(struct guest *g)
{
	for (u32 i = 0; i < g->nvcpus; i++)
		g->vcpu[i].virq_check = true;
}

/* ---- the devices, for each other ---- */

/* A periodic timer's next deadline after the one due at `due` fired at
 * now: periods missed while the guest did not run collapse into one. */
static inline u64 virq_next_period(u64 due, u64 now_ns, u64 period)
{
	return now_ns - due >= period ? now_ns + period : due + period;
}

#endif
