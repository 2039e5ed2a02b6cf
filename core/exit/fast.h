/* The short way: the exit a paravirtual guest makes most, its hypercall,
 * served by the backend inside its entry loop (svm_entry.asm,
 * vmx_entry.asm), with no run loop, exit table or host register restore
 * between the exit and the next entry. Everything else takes the long way
 * (exit_dispatch through the run loop), and so does a call that asks for
 * more than resuming. While the call is served, v->gprs holds the guest's
 * RAX-RSI and R8-R11; its RBP and R12-R15 are still in the CPU and its
 * RDI on the host stack (core/vm/gprs.inc), and no hypercall reads or
 * writes them (compat/README.md). */
#ifndef CORE_EXIT_FAST_H
#define CORE_EXIT_FAST_H

#include "compat/compat.h"
#include "core/dev/gcons.h"
#include "core/irq/virq.h"

/* Counts and serves the hypercall of v's exit, made by 64-bit code at
 * CPL 0 (the backend checked: every other caller takes the long way,
 * compat_dispatch), with RIP moved past its len bytes. True when the
 * guest may be entered again at once: the call's action is resume, no
 * device waits for virq_deliver and no console bytes for the writer's
 * slice. False: the action waits in v->served_act for the run loop
 * (exit_served). The backend keeps to the ticks run was given across the
 * short way: who pays is the guest, in its own slice. Inline: each
 * backend's loop holds its copy. */
static inline bool exit_hypercall_fast(struct vcpu *v, u8 len)
{
	struct act act;

	v->exit_counts[EXIT_HYPERCALL]++;
	act = compat_call64(v, len);
	if (act.kind == ACT_RESUME && !virq_wanted(v) && !v->guest->cons->todo)
		return true;
	v->served = true;
	v->served_act = act;
	return false;
}

/* For the backend's run, once the entry loop returned: true when its last
 * exit was a call the short way served, described in *ei as EXIT_SERVED
 * with the call's action (exit_dispatch hands it on, counted already). */
static inline bool exit_served(struct vcpu *v, struct exit_info *ei)
{
	if (!v->served)
		return false;
	v->served = false;
	ei->reason = EXIT_SERVED;
	ei->served = v->served_act;
	return true;
}

#endif
