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
	g->vcpu->irq_window = false;
	backend->irq_window(g->vcpu, false);
	virq_kick(g);
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

/* virq_deliver, its lock held. */
static u64 deliver(struct vcpu *v)
{
	u64 next = virq_poll(v, time_now_ns());
	bool apic;
	int vector = pick(v, &apic);

	if (vector < 0) {   /* it may have gone (masked) since a window was asked for */
		window(v, false);
		if (!next)
			v->virq_check = false;
		return next;
	}
	if (backend->irq_ready(v)) {
		backend->inject(v, (u8)vector, EVENT_EXTINT, false, 0);
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
