/* Interrupt routing and delivery to a guest (core/irq/virq.h). */
#include "core/irq/virq.h"
#include "core/irq/vioapic.h"
#include "core/irq/vlapic.h"
#include "core/irq/vpic.h"
#include "core/irq/vpit.h"
#include "core/vm/backend.h"
#include "core/lib/string.h"
#include "core/hw/time.h"
#include "core/vm/vmp.h"

void virq_raise(struct guest *g, u32 irq)
{
	virq_kick(g);
	vpic_raise(g, irq);
	vioapic_raise(g, irq == 0 ? 2 : irq);   /* the MADT's override: IRQ 0 is pin 2 */
	if (g->nvcpus > 1)
		vcpu_wake(&g->vcpu[0]);   /* the 8259s' output reaches vCPU 0 alone */
}

void virq_reset(struct guest *g)
{
	memset(g->pit, 0, sizeof(*g->pit));
	memset(g->pic, 0, 2 * sizeof(*g->pic));
	vioapic_reset(g);
	vlapic_reset(g->vcpu, true);
	virq_vcpu_reset(g->vcpu);
	virq_kick(g);
}

void virq_vcpu_reset(struct vcpu *v)
{
	v->nmi_pending = false;
	v->irq_window = v->nmi_window = false;
	backend->irq_window(v, false);
	backend->nmi_window(v, false);
}

void virq_nmi(struct vcpu *v)
{
	if (v->mp != VCPU_RUNNING || v->init_pending)
		return;   /* waiting for SIPI, the CPU takes no NMI */
	v->nmi_pending = true;
	virq_kick_vcpu(v);
	if (v->guest->nvcpus > 1)
		vcpu_wake(v);
}

u64 virq_poll(struct vcpu *v, u64 now_ns)
{
	u64 pit = v->id ? 0 : vpit_poll(v->guest, now_ns), apic = vlapic_poll(v, now_ns);

	return !pit ? apic : !apic ? pit : MIN(pit, apic);
}

/* The local APIC's own vectors first, then the 8259's through LINT0;
 * *apic says which. */
static int pick(struct vcpu *v, bool *apic)
{
	int vector = vlapic_pending(v);

	*apic = vector >= 0;
	if (vector < 0 && vlapic_extint(v))
		vector = vpic_pending(v->guest);
	return vector;
}

int virq_pending(struct vcpu *v)
{
	bool apic;

	return pick(v, &apic);
}

/* Asks for an interrupt-window exit, or stops asking; the backend is told
 * only of changes. */
static void window(struct vcpu *v, bool on)
{
	if (v->irq_window != on) {
		v->irq_window = on;
		backend->irq_window(v, on);
	}
}

/* Asks for an NMI-window exit, or stops asking; whether an exit will
 * come when the window opens (backend_ops.nmi_window). */
static bool nmi_window(struct vcpu *v, bool on)
{
	bool exits = true;

	if (on || v->nmi_window)
		exits = backend->nmi_window(v, on);
	v->nmi_window = on;
	return exits;
}

/* The pending NMI, before any interrupt: injected if the guest can take
 * it now, else a window is asked for, and where none will come the
 * vCPU's next deadline is at most VIRQ_NMI_POLL_NS away (its own time:
 * the exit is charged to its slice). True when it took the entry's one
 * event. */
static bool deliver_nmi(struct vcpu *v, u64 *next)
{
	if (!v->nmi_pending)
		return false;
	if (backend->nmi_ready(v)) {
		backend->inject(v, 2, EVENT_NMI, false, 0);
		v->nmi_pending = false;
		nmi_window(v, false);
		return true;
	}
	if (!nmi_window(v, true)) {
		u64 poll = time_now_ns() + VIRQ_NMI_POLL_NS;

		*next = *next ? MIN(*next, poll) : poll;
	}
	return false;
}

/* virq_deliver, its lock held. */
static u64 deliver(struct vcpu *v)
{
	u64 next = virq_poll(v, time_now_ns());
	bool apic, nmi = deliver_nmi(v, &next);
	int vector = pick(v, &apic);

	if (vector < 0) {   /* it may have gone (masked) since a window was asked for */
		window(v, false);
		if (!next && !v->nmi_pending)
			v->virq_check = false;
		return next;
	}
	if (!nmi && backend->irq_ready(v)) {
		backend->inject(v, (u8)vector, EVENT_EXTINT, false, 0);
		v->injected = true;
		if (apic)
			vlapic_ack(v, (u8)vector);
		else
			vpic_ack(v->guest);
		window(v, false);
	} else {
		window(v, true);
	}
	return next;
}

u64 virq_deliver(struct vcpu *v)
{
	bool locked = guest_lock(v->guest);
	u64 next = deliver(v);

	guest_unlock(v->guest, locked);
	return next;
}
