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
 * slice. False: *act is for the run loop (the backend reports
 * EXIT_SERVED). The backend keeps to the timer arm_timer set across the
 * short way: who pays is the guest, in its own slice. Inline: each
 * backend's loop holds its copy. */
static inline bool exit_hypercall_fast(struct vcpu *v, u8 len, struct act *act)
{
	v->exit_counts[EXIT_HYPERCALL]++;
	*act = compat_call64(v, len);
	return act->kind == ACT_RESUME && !virq_wanted(v->guest) && !v->guest->cons->todo;
}

#endif
