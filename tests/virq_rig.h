/* The guest interrupt controllers (core/irq/virq.h) on the host, for the unit
 * tests and the fuzz target: a clock the test sets (a 1 GHz TSC, so ticks
 * are nanoseconds), no backend (nothing is injected), and one guest with
 * its vCPU. Include it in one file of a program: it defines the stubs. */
#ifndef TESTS_VIRQ_RIG_H
#define TESTS_VIRQ_RIG_H

#include "core/irq/vioapic.h"
#include "core/irq/virq.h"
#include "core/irq/vlapic.h"
#include "core/irq/vpic.h"
#include "core/irq/vpit.h"
#include "core/hw/time.h"
#include "core/vm/backend.h"
#include "core/vm/vmp.h"

#include <string.h>

static u64 rig_now;

u64 time_now_ns(void) { return rig_now; }
u64 time_tsc_hz(void) { return 1000000000ULL; }
u64 time_ns_to_tsc(u64 ns) { return ns; }
u64 time_tsc_to_ns(u64 ticks) { return ticks; }

const struct backend_ops *backend;

/* One vCPU: no IPI has another to reach, none sleeps. */
void vcpu_wake(struct vcpu *t) { (void)t; }
void vmp_init(struct vcpu *t) { (void)t; }
void vmp_sipi(struct vcpu *t, u8 vector) { (void)t; (void)vector; }

static struct guest rig_g;
static struct vcpu rig_v;
static struct vlapic rig_lapic;
static struct vioapic rig_ioapic;
static struct vpic_chip rig_pic[2];
static struct vpit rig_pit;

/* A guest at power-on, its clock at start_ns. */
static void rig_reset(u64 start_ns)
{
	memset(&rig_g, 0, sizeof(rig_g));
	memset(&rig_v, 0, sizeof(rig_v));
	memset(rig_pic, 0, sizeof(rig_pic));
	memset(&rig_pit, 0, sizeof(rig_pit));
	rig_g.vcpu = &rig_v;
	rig_g.nvcpus = 1;
	rig_g.ioapic = &rig_ioapic;
	rig_g.pic = rig_pic;
	rig_g.pit = &rig_pit;
	rig_v.lapic = &rig_lapic;
	rig_v.guest = &rig_g;
	rig_now = start_ns;
	vioapic_reset(&rig_g);
	vlapic_reset(&rig_v, true);
}

#endif
