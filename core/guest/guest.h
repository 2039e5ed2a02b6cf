/* Building and running the configured guests. */
#ifndef CORE_GUEST_H
#define CORE_GUEST_H

#include "core/config/boot_info.h"
#include "core/config/config.h"
#include "core/vm/vcpu.h"

/* Picks and starts the backend on the boot CPU, then starts up to cpus
 * CPUs in all (0: every one; core/smp/smp.h), each with the backend on
 * (core/guest/virt.c). 0, or < 0 after printing why no guest can run
 * here. */
int virt_init(u32 cpus);

/* Builds guest number id from its configuration: memory, tables, image,
 * vCPU. 0, or -1 after saying why. */
int guest_create(struct guest *g, u32 id, const struct guest_cfg *gc, const struct boot_info *bi,
		 u8 selftest);

/* Loads the image into RAM the caller zeroed (setup at creation; the run
 * loop's wipe for a reboot, guest_wipe for the debug console's restart)
 * and puts the vCPU in its start state. 0, or -1 after saying why. */
int guest_start(struct guest *g, u8 selftest);

/* On v's CPU with its state loaded, the guest's lock held: acts on an
 * INIT or a start-up IPI that came for v (core/vm/vmp.h). True when v
 * may run; false while it waits for a SIPI (the caller blocks it; the
 * SIPI wakes it). */
bool guest_vcpu_take(struct vcpu *v);

/* Zeroes all of g's RAM at once. */
void guest_wipe(struct guest *g);

/* "guest 'x': N exits (reason count, ...)" ('x/N' for its vCPU N). */
void guest_print_exits(const struct vcpu *v);

/* Creates every configured guest and runs them all under the configured
 * scheduling policy until each has stopped; a guest that cannot be created
 * or misbehaves is stopped alone (core/guest/run.c). Returns the number of
 * guests that could not be created. When the policy refuses the guests'
 * parameters (an infeasible reservation), says why and powers off with
 * HV_EXIT_CONFIG. */
u32 guests_run(const struct config *cfg, const struct boot_info *bi);

#endif
