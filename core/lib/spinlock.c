/* Ticket spinlocks (core/lib/spinlock.h). */
#include "core/lib/spinlock.h"

const struct spin_checks *spin_checks;

void spin_lock(struct spinlock *l)
{
	const struct spin_checks *c = spin_checks;
	u32 ticket, me = c ? c->self() + 1 : 0;

	if (c && c->irqs_on())
		c->misuse(l, "taken with interrupts on");
	if (c && __atomic_load_n(&l->holder, __ATOMIC_RELAXED) == me)
		c->misuse(l, "taken twice by one CPU");
	ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
	while (__atomic_load_n(&l->serving, __ATOMIC_ACQUIRE) != ticket)
		__asm__ volatile("pause");
	__atomic_store_n(&l->holder, me, __ATOMIC_RELAXED);
}

void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->holder, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&l->serving, l->serving + 1, __ATOMIC_RELEASE);
}
