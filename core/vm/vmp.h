/* A guest of several vCPUs (vcpus= in its configuration): vCPU 0 boots
 * it, the others wait for a start-up IPI as application processors do.
 * INIT and SIPI come from the local APIC's ICR (core/irq/vlapic.c) of
 * another vCPU of the same guest, which may run on another CPU: the
 * sender only records them, under the guest's lock, and wakes the target
 * (vcpu_wake); the target's own CPU acts on them before it next enters
 * the target (guest_vcpu_take, core/guest/guest.h), where that vCPU's
 * state is loaded.
 *
 * What is not modelled: INIT to vCPU 0 (ignored: it would restart the
 * guest's boot processor at the reset vector), and INIT level de-assert
 * (ignored, as every CPU since the Pentium 4 does). */
#ifndef CORE_VM_VMP_H
#define CORE_VM_VMP_H

#include "core/vm/vcpu.h"

/* An INIT for t: it stops at its next look and waits for a SIPI (one
 * may come before it looked). */
void vmp_init(struct vcpu *t);

/* A start-up IPI for page vector: t, if it waits for one and has none
 * yet, starts there in real mode (CS = vector << 8, IP = 0); else
 * ignored. */
void vmp_sipi(struct vcpu *t, u8 vector);

/* The run loop must look at t before entering it again; woken if it
 * sleeps. */
void vmp_hold(struct vcpu *t);

/* Every vCPU of g looks before its next entry (g stopped or reboots):
 * each one asleep is woken, each running elsewhere kicked. */
void vmp_hold_all(struct guest *g);

/* Whether every vCPU but the first waits for a SIPI: none runs guest
 * code (a reboot waits for that before it wipes the guest's RAM). */
bool vmp_all_parked(const struct guest *g);

/* Defined by the run loop (core/guest/run.c), from any CPU: t has
 * something to look at (an interrupt, an INIT, a stop): if it sleeps it
 * becomes runnable, and if it runs on another CPU that CPU is kicked so
 * that it exits. Nothing for the vCPU running here. */
void vcpu_wake(struct vcpu *t);

#endif
