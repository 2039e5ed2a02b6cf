/* INIT, start-up IPIs and holds, as other vCPUs send them (core/vm/vmp.h). */
#include "core/vm/vmp.h"

void vmp_hold(struct vcpu *t)
{
	__atomic_store_n(&t->hold, 1, __ATOMIC_SEQ_CST);
	vcpu_wake(t);
}

void vmp_hold_all(struct guest *g)
{
	for (u32 i = 0; i < g->nvcpus; i++) {
		__atomic_store_n(&g->vcpu[i].hold, 1, __ATOMIC_SEQ_CST);
		if (g->nvcpus > 1)
			vcpu_wake(&g->vcpu[i]);
	}
}

void vmp_init(struct vcpu *t)
{
	if (!t->id)
		return;
	t->sipi_vector = -1;      /* one that came before it is gone */
	t->init_pending = true;
	vmp_hold(t);
}

void vmp_sipi(struct vcpu *t, u8 vector)
{
	if ((t->mp != VCPU_WAIT_SIPI && !t->init_pending) || t->sipi_vector >= 0)
		return;   /* it runs (no INIT since), or has its SIPI already */
	t->sipi_vector = vector;
	vmp_hold(t);
}

bool vmp_all_parked(const struct guest *g)
{
	for (u32 i = 1; i < g->nvcpus; i++)
		if (__atomic_load_n(&g->vcpu[i].mp, __ATOMIC_ACQUIRE) != VCPU_WAIT_SIPI)
			return false;
	return true;
}
