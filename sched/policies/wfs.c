/* Weighted fair share: each entity's virtual time (key) advances by the CPU
 * time it used divided by its weight; the one furthest behind runs next.
 * Over a busy interval, CPU time splits in proportion to the weights.
 * c->pol[0] is the CPU's virtual clock: the key of the last pick. An
 * entity waking from sleep starts no further behind than that clock, so
 * sleeping earns no credit to spend later. */
#include "sched/sched.h"

#define WFS_UNIT 1024   /* virtual ns per real ns at weight 1, scaled */

static void wfs_init_entity(struct sched_cpu *c, struct sched_entity *e, u64 now)
{
	(void)now;
	e->key = c->pol[0];
}

static void wfs_enqueue(struct sched_cpu *c, struct sched_entity *e, u64 now)
{
	(void)now;
	e->key = MAX(e->key, c->pol[0]);
	sched_queue_insert(c, e);
}

static struct sched_entity *wfs_pick(struct sched_cpu *c, u64 now, u64 *slice_ns)
{
	struct sched_entity *e = sched_queue_pop(c);

	(void)now, (void)slice_ns;
	if (e)
		c->pol[0] = e->key;
	return e;
}

static void wfs_charge(struct sched_cpu *c, struct sched_entity *e, u64 ran_ns, u64 now, enum sched_why why)
{
	(void)c, (void)now, (void)why;
	e->key += ran_ns * WFS_UNIT / e->params.weight;
}

static const struct sched_ops wfs = {
	.name = "wfs",
	.summary = "weighted fair share: CPU time in proportion to weight=",
	.by_weight = true,
	.init_entity = wfs_init_entity,
	.enqueue = wfs_enqueue,
	.pick = wfs_pick,
	.charge = wfs_charge,
};

SCHED_POLICY(wfs);
