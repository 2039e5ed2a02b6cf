/* Interrupt delivery to a guest (core/virq.h). */
#include "core/virq.h"
#include "core/backend.h"
#include "core/time.h"

void virq_deliver(struct vcpu *v)
{
	struct guest *g = v->guest;
	int vector;

	vpit_poll(g, time_now_ns());
	vector = vpic_pending(g);
	if (vector < 0)
		return;
	if (backend->irq_ready(v)) {
		backend->inject(v, (u8)vector, EVENT_EXTINT, false, 0);
		vpic_ack(g);
		backend->irq_window(v, false);
	} else {
		backend->irq_window(v, true);
	}
}
