/* Round-robin: one FIFO queue per CPU, every entity the same slice
 * (slice= in the configuration). The smallest useful policy. */
#include "sched/sched.h"

static void rr_enqueue(struct sched_cpu *c, struct sched_entity *e, u64 now)
{
	(void)now;
	sched_queue_append(c, e);
}

static struct sched_entity *rr_pick(struct sched_cpu *c, u64 now, u64 *slice_ns)
{
	(void)now, (void)slice_ns;
	return sched_queue_pop(c);
}

static const struct sched_ops rr = {
	.name = "rr",
	.summary = "round-robin, one slice for all",
	.enqueue = rr_enqueue,
	.pick = rr_pick,
};

SCHED_POLICY(rr);
