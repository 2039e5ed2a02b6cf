/* Lottery scheduling (Waldspurger and Weihl, 1994): each pick draws a
 * ticket among the runnable entities' weight= tickets; the holder runs one
 * slice. Fair in expectation, not per interval: compare its shares with
 * wfs in the simulator. Draws come from the CPU's seeded generator, so a
 * run is repeatable. */
#include "sched/sched.h"

static void lottery_enqueue(struct sched_cpu *c, struct sched_entity *e, u64 now)
{
	(void)now;
	sched_queue_append(c, e);
}

static struct sched_entity *lottery_pick(struct sched_cpu *c, u64 now, u64 *slice_ns)
{
	struct sched_entity *e;
	u64 total = 0, draw;

	(void)now, (void)slice_ns;
	for (e = c->head; e; e = e->next)
		total += e->params.weight;
	if (!total)
		return NULL;
	draw = sched_random(c) % total;
	for (e = c->head; draw >= e->params.weight; e = e->next)
		draw -= e->params.weight;
	sched_queue_remove(c, e);
	return e;
}

static const struct sched_ops lottery = {
	.name = "lottery",
	.summary = "lottery: a random draw over weight= tickets per slice",
	.by_weight = true,
	.enqueue = lottery_enqueue,
	.pick = lottery_pick,
};

SCHED_POLICY(lottery);
