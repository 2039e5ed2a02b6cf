/* Ticket spinlocks: CPUs get the lock in the order they asked for it.
 *
 * Every lock of the hypervisor is taken with interrupts off (the
 * hypervisor runs with IF clear; only an idle CPU's HLT opens them), is
 * never held across a VM entry, and is never taken twice by one CPU.
 * spin_lock checks the first and the last once the CPUs are known
 * (spin_checks, set by core/hw), and calls its misuse hook on either
 * mistake (a panic); the second is the run loop's rule (core/guest/run.c). */
#ifndef CORE_LIB_SPINLOCK_H
#define CORE_LIB_SPINLOCK_H

#include "core/lib/types.h"

struct spinlock {
	u32 next;                  /* the next ticket handed out */
	u32 serving;               /* the ticket that holds the lock */
	u32 holder;                /* the holder's CPU number + 1 (with checks); 0 when free */
	const char *name;          /* for the misuse message */
};

#define SPINLOCK(n) { 0, 0, 0, n }

struct spin_checks {
	u32 (*self)(void);         /* the running CPU's number */
	bool (*irqs_on)(void);     /* whether an interrupt could come now */
	NORETURN void (*misuse)(const struct spinlock *l, const char *what);
};

/* NULL until core/hw sets it, once every CPU can say which it is. */
extern const struct spin_checks *spin_checks;

void spin_lock(struct spinlock *l);
void spin_unlock(struct spinlock *l);

#endif
