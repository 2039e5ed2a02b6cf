/* Reservations under earliest deadline first. An entity with budget= and
 * period= gets budget of CPU time in every period, its deadline being the
 * period's end; the runnable entity with budget left and the earliest
 * deadline runs, never past its budget or the next release of another.
 * Entities without a reservation run in the background, round-robin, when
 * no reservation has budget left. admit refuses a set needing more than a
 * CPU (utilization above 100%), so an accepted set misses no deadline.
 *
 * Words: key = the deadline (end of the current period; SCHED_NEVER for
 * background entities), pol[0] = budget left in this period, pol[1] = CPU
 * time it ran past its budget (a slice ends at the first exit after its
 * end), taken from its next budgets. A period that ends while its entity
 * still wanted CPU and had budget left is a miss. */
#include "sched/sched.h"
#include "core/lib/fmt.h"

#define PPM 1000000ULL
#define PERIOD_MIN 10000ULL   /* ns: shorter periods would be all scheduling */

static bool reserved(const struct sched_entity *e)
{
	return e->params.period_ns != 0;
}

static u64 ppm_of(const struct sched_entity *e)
{
	return e->params.budget_ns * PPM / e->params.period_ns;
}

/* Sum of utilizations on CPU cpu, in parts per million. */
static u64 cpu_load(struct sched_entity *const *all, u32 n, u32 cpu)
{
	u64 sum = 0;

	for (u32 i = 0; i < n; i++)
		if (all[i]->cpu == cpu && reserved(all[i]))
			sum += ppm_of(all[i]);
	return sum;
}

static int edf_admit(struct sched_entity *const *all, u32 n, char *err, size_t len)
{
	for (u32 i = 0; i < n; i++) {
		const struct sched_params *p = &all[i]->params;

		if (!p->budget_ns != !p->period_ns || p->budget_ns > p->period_ns)
			return snformat(err, len, "sched=edf: '%s' needs budget= and period= together, budget <= period",
					all[i]->name), -1;
		if (p->period_ns && p->period_ns < PERIOD_MIN)
			return snformat(err, len, "sched=edf: '%s' has a period under 10 us", all[i]->name), -1;
	}
	for (u32 i = 0; i < n; i++) {
		u64 load = cpu_load(all, n, all[i]->cpu);

		if (load > PPM)
			return snformat(err, len, "sched=edf: the reservations on CPU %u need %lu.%lu%% of it "
					"(at most 100%%): not feasible, nothing started", all[i]->cpu,
					load / 10000, load / 1000 % 10), -1;
	}
	return 0;
}

/* Moves e into the period holding now; a period that ended with budget
 * left while e wanted CPU counts as a miss. */
static void replenish(struct sched_entity *e, u64 now, bool wanted)
{
	u64 periods;

	if (!reserved(e) || now < e->key)
		return;
	if (wanted && e->pol[0])
		e->misses++;
	periods = (now - e->key) / e->params.period_ns + 1;
	e->key += periods * e->params.period_ns;
	e->pol[0] = e->params.budget_ns - MIN(e->pol[1], e->params.budget_ns);
	e->pol[1] -= MIN(e->pol[1], e->params.budget_ns);
}

/* At start, and when e's parameters change: a new reservation starts a
 * period now; a changed one keeps its deadline and never more budget than
 * it had left, so changing parameters cannot buy CPU time. */
static void edf_init_entity(struct sched_cpu *c, struct sched_entity *e, u64 now)
{
	(void)c;
	if (!reserved(e)) {
		e->key = SCHED_NEVER;
		e->pol[0] = 0;
	} else if (!e->key || e->key == SCHED_NEVER) {
		e->key = now + e->params.period_ns;
		e->pol[0] = e->params.budget_ns;
	} else {
		e->pol[0] = MIN(e->pol[0], e->params.budget_ns);
	}
}

static void edf_enqueue(struct sched_cpu *c, struct sched_entity *e, u64 now)
{
	replenish(e, now, false);
	sched_queue_append(c, e);
}

static struct sched_entity *edf_pick(struct sched_cpu *c, u64 now, u64 *slice_ns)
{
	struct sched_entity *best = NULL, *background = NULL;
	u64 release = SCHED_NEVER;

	for (struct sched_entity *e = c->head; e; e = e->next) {
		replenish(e, now, true);
		if (!reserved(e))
			background = background ? background : e;
		else if (e->pol[0] && (!best || e->key < best->key))
			best = e;
	}
	best = best ? best : background;
	for (struct sched_entity *e = c->head; e; e = e->next)
		if (e != best && reserved(e))
			release = MIN(release, e->key);
	if (!best) {
		*slice_ns = release == SCHED_NEVER ? 0 : release - now;
		return NULL;
	}
	sched_queue_remove(c, best);
	*slice_ns = MIN(c->slice_ns, release - now);
	if (reserved(best))
		*slice_ns = MIN(*slice_ns, best->pol[0]);
	return best;
}

static void edf_charge(struct sched_cpu *c, struct sched_entity *e, u64 ran_ns, u64 now, enum sched_why why)
{
	(void)c;
	if (!reserved(e))
		return;
	if (ran_ns > e->pol[0])          /* a slice ends a little late: paid back */
		e->pol[1] += ran_ns - e->pol[0];
	e->pol[0] -= MIN(ran_ns, e->pol[0]);
	replenish(e, now, why == SCHED_PREEMPTED);
}

static const struct sched_ops edf = {
	.name = "edf",
	.summary = "reservations (budget=, period=) by earliest deadline; others in the background",
	.admit = edf_admit,
	.init_entity = edf_init_entity,
	.enqueue = edf_enqueue,
	.pick = edf_pick,
	.charge = edf_charge,
};

SCHED_POLICY(edf);
