/* The scheduler core: entity states, accounting, sleepers; the policy
 * decides the order. Shared by the hypervisor and the host simulator. */
#include "sched/sched.h"
#include "core/lib/fmt.h"

/* e is runnable since ready (<= now), queued now. */
static void make_runnable(struct scheduler *s, struct sched_entity *e, u64 ready, u64 now)
{
	e->state = SCHED_RUNNABLE;
	e->ready_ns = ready;
	s->ops->enqueue(&s->cpus[e->cpu], e, now);
}

/* The CPU e belongs to, as another CPU may just have set it (sched_balance
 * stores it last). */
static inline u32 cpu_of(const struct sched_entity *e)
{
	return __atomic_load_n(&e->cpu, __ATOMIC_ACQUIRE);
}

/* Takes e out of c's queue: the policy's dequeue, or the list's. */
static void dequeue(struct scheduler *s, struct sched_cpu *c, struct sched_entity *e)
{
	if (s->ops->dequeue)
		s->ops->dequeue(c, e);
	else
		sched_queue_remove(c, e);
}

/* What e adds to its CPU's load while it is ready: its weight for a
 * policy that shares by weight, else 1. */
static u64 load_of(const struct scheduler *s, const struct sched_entity *e)
{
	return s->ops->by_weight ? e->params.weight : 1;
}

/* e joins (n = 1) or leaves (n = -1) the ready load of CPU c. */
static void count_ready(struct scheduler *s, struct sched_cpu *c, const struct sched_entity *e, int n)
{
	__atomic_add_fetch(&c->load, n > 0 ? load_of(s, e) : -load_of(s, e), __ATOMIC_RELAXED);
}

/* e, blocked or stopped, is ready again. */
static void ready_again(struct scheduler *s, struct sched_entity *e, u64 ready, u64 now)
{
	e->wake_pending = false;
	count_ready(s, &s->cpus[e->cpu], e, 1);
	make_runnable(s, e, ready, now);
}

/* Whether this caller takes e out of SCHED_BLOCKED (into SCHED_MOVING,
 * until it is made runnable): other CPUs may try at once
 * (sched_wake_remote). */
static bool claim_blocked(struct sched_entity *e)
{
	enum sched_state blocked = SCHED_BLOCKED;

	return __atomic_compare_exchange_n(&e->state, &blocked, SCHED_MOVING, false, __ATOMIC_ACQ_REL,
					   __ATOMIC_RELAXED);
}

/* What placement weighs on each CPU so far: its load (load_of), and the
 * CPU share reserved there (budget/period, in parts per million). */
struct placed {
	u64 load[64];
	u64 ppm[64];
};

static u64 reserved_ppm(const struct sched_entity *e)
{
	return e->params.period_ns ? e->params.budget_ns * 1000000 / e->params.period_ns : 0;
}

/* The allowed CPU for e: with a reservation, the one with the least
 * reserved so far (a partitioned set fits if it can, placed in order);
 * without, the one with the least load; the lowest of equals. -1: none
 * allowed. */
static int place(const struct sched_entity *e, const struct placed *p, u32 ncpus)
{
	bool by_ppm = reserved_ppm(e) != 0;
	int best = -1;

	for (u32 c = 0; c < ncpus && c < 64; c++) {
		if (e->cpus_allowed && !(e->cpus_allowed >> c & 1))
			continue;
		if (best < 0 || (by_ppm ? p->ppm[c] < p->ppm[best] : p->load[c] < p->load[best]))
			best = (int)c;
	}
	return best;
}

int sched_init(struct scheduler *s, const struct sched_ops *ops, struct sched_cpu *cpus, u32 ncpus,
	       struct sched_entity **all, u32 n, u64 slice_ns, u64 now, char *err, size_t len)
{
	struct placed p = { { 0 }, { 0 } };

	*s = (struct scheduler){ ops, cpus, ncpus, all, n, 0 };
	if (!ncpus || ncpus > 64 || !slice_ns)
		return snformat(err, len, "sched: %u CPUs (1 to 64) or a zero slice", ncpus), -1;
	for (u32 i = 0; i < n; i++) {
		int c = place(all[i], &p, ncpus);

		if (!all[i]->params.weight)
			return snformat(err, len, "sched: '%s' has weight 0 (at least 1)", all[i]->name), -1;
		if (c < 0)
			return snformat(err, len, "sched: '%s' may run on none of the %u CPUs", all[i]->name, ncpus), -1;
		all[i]->id = i;
		all[i]->cpu = (u32)c;
		p.load[c] += load_of(s, all[i]);
		p.ppm[c] += reserved_ppm(all[i]);
	}
	if (ops->admit && ops->admit(all, n, err, len))
		return -1;
	for (u32 i = 0; i < ncpus; i++)
		cpus[i] = (struct sched_cpu){ .id = i, .slice_ns = slice_ns, .rng = 0x9e3779b97f4a7c15ULL + i,
					      .next_wake_ns = SCHED_NEVER };
	for (u32 i = 0; i < n; i++) {
		if (ops->init_entity)
			ops->init_entity(&cpus[all[i]->cpu], all[i], now);
		count_ready(s, &cpus[all[i]->cpu], all[i], 1);
		make_runnable(s, all[i], now, now);
	}
	return 0;
}

void sched_wake_due(struct scheduler *s, struct sched_cpu *c, u64 now)
{
	u64 next = SCHED_NEVER;

	for (u32 i = 0; i < s->n; i++) {
		struct sched_entity *e = s->all[i];

		if (cpu_of(e) != c->id || e->state != SCHED_BLOCKED || !e->wake_ns)
			continue;
		if (e->wake_ns <= now) {
			if (claim_blocked(e))
				ready_again(s, e, e->wake_ns, now);
		} else
			next = MIN(next, e->wake_ns);
	}
	c->next_wake_ns = next;
}

void sched_block(struct scheduler *s, struct sched_entity *e, u64 wake_ns)
{
	struct sched_cpu *c = &s->cpus[e->cpu];

	e->wake_ns = wake_ns;
	if (wake_ns)
		c->next_wake_ns = MIN(c->next_wake_ns, wake_ns);
	__atomic_store_n(&e->state, SCHED_BLOCKED, __ATOMIC_SEQ_CST);
}

/* e's new state after a slice that ended for why. */
static inline void settle(struct scheduler *s, struct sched_entity *e, u64 now, enum sched_why why,
			  u64 wake_ns)
{
	if (why == SCHED_EXITS) {
		e->state = SCHED_STOPPED;
		count_ready(s, &s->cpus[e->cpu], e, -1);
		__atomic_add_fetch(&s->stopped, 1, __ATOMIC_RELAXED);
	} else if (why == SCHED_BLOCKS && (!wake_ns || wake_ns > now)) {
		count_ready(s, &s->cpus[e->cpu], e, -1);
		sched_block(s, e, wake_ns);
		/* a wake another CPU asked before it was blocked is not lost */
		if (__atomic_load_n(&e->wake_pending, __ATOMIC_SEQ_CST) && claim_blocked(e))
			ready_again(s, e, now, now);
	} else {
		make_runnable(s, e, now, now);
	}
}

/* Out of line, so that a policy without charge pays for no call around it. */
static __attribute__((noinline)) void charge_and_settle(struct scheduler *s, struct sched_entity *e,
							u64 ran_ns, u64 now, enum sched_why why, u64 wake_ns)
{
	s->ops->charge(&s->cpus[e->cpu], e, ran_ns, now, why);
	settle(s, e, now, why, wake_ns);
}

void sched_ran(struct scheduler *s, struct sched_entity *e, u64 ran_ns, u64 now, enum sched_why why,
	       u64 wake_ns)
{
	e->runtime_ns += ran_ns;
	if (s->ops->charge)
		charge_and_settle(s, e, ran_ns, now, why, wake_ns);
	else
		settle(s, e, now, why, wake_ns);
}

int sched_set_params(struct scheduler *s, struct sched_entity *e, const struct sched_params *p, u64 now,
		     char *err, size_t len)
{
	struct sched_params old = e->params;

	if (!p->weight)
		return snformat(err, len, "sched: weight 0 (at least 1)"), -1;
	e->params = *p;
	if (s->ops->admit && s->ops->admit(s->all, s->n, err, len)) {
		e->params = old;
		return -1;
	}
	if (e->state == SCHED_RUNNABLE || e->state == SCHED_RUNNING) {   /* its load here changes */
		struct sched_entity was = *e;

		was.params = old;
		count_ready(s, &s->cpus[e->cpu], &was, -1);
		count_ready(s, &s->cpus[e->cpu], e, 1);
	}
	if (e->state == SCHED_RUNNABLE)   /* its queue position may depend on them */
		dequeue(s, &s->cpus[e->cpu], e);
	if (s->ops->init_entity)
		s->ops->init_entity(&s->cpus[e->cpu], e, now);
	if (e->state == SCHED_RUNNABLE)
		s->ops->enqueue(&s->cpus[e->cpu], e, now);
	return 0;
}

void sched_sleep(struct scheduler *s, struct sched_entity *e, u64 wake_ns)
{
	if (e->state != SCHED_RUNNABLE)
		return;
	dequeue(s, &s->cpus[e->cpu], e);
	count_ready(s, &s->cpus[e->cpu], e, -1);
	sched_block(s, e, wake_ns);
}

void sched_pause(struct scheduler *s, struct sched_entity *e)
{
	sched_sleep(s, e, 0);
	if (e->state == SCHED_BLOCKED)
		e->wake_ns = 0;
}

void sched_resume(struct scheduler *s, struct sched_entity *e, u64 now)
{
	sched_wake(s, e, now);
}

void sched_revive(struct scheduler *s, struct sched_entity *e, u64 now)
{
	if (e->state == SCHED_STOPPED) {
		__atomic_sub_fetch(&s->stopped, 1, __ATOMIC_RELAXED);
		ready_again(s, e, now, now);
	}
}

void sched_wake(struct scheduler *s, struct sched_entity *e, u64 now)
{
	if (claim_blocked(e))
		ready_again(s, e, now, now);
}

bool sched_wake_remote(struct scheduler *s, struct sched_entity *e)
{
	__atomic_store_n(&e->wake_pending, true, __ATOMIC_SEQ_CST);
	if (!claim_blocked(e))
		return false;
	e->wake_pending = false;
	e->posted_wake = true;
	count_ready(s, &s->cpus[e->cpu], e, 1);
	sched_post(s, e);
	return true;
}

static bool allowed(const struct sched_entity *e, u32 cpu)
{
	return !e->cpus_allowed || (cpu < 64 && (e->cpus_allowed >> cpu & 1));
}

/* The CPU other than c, among those e may use, with the least load, if
 * moving e there lowers the higher of the two loads (its load plus e's
 * stays under c's); *n: that load. Else -1. */
static int lighter(const struct scheduler *s, const struct sched_entity *e, const struct sched_cpu *c, u64 *n)
{
	u64 mine = __atomic_load_n(&c->load, __ATOMIC_RELAXED), w = load_of(s, e);
	int best = -1;

	*n = mine;
	for (u32 t = 0; t < s->ncpus; t++) {
		u64 k = __atomic_load_n(&s->cpus[t].load, __ATOMIC_RELAXED);

		if (t != c->id && allowed(e, t) && k + w < mine && k < *n) {
			best = (int)t;
			*n = k;
		}
	}
	return best;
}

struct sched_entity *sched_balance(struct scheduler *s, struct sched_cpu *c)
{
	if (s->ncpus < 2)
		return NULL;
	for (u32 i = 0; i < s->n; i++) {
		struct sched_entity *e = s->all[i];
		u64 n;
		int t;

		if (cpu_of(e) != c->id || e->state != SCHED_RUNNABLE || e->params.period_ns)
			continue;
		t = lighter(s, e, c, &n);
		if (t < 0)
			continue;
		/* counted there at once, unless another CPU just moved one
		 * there too: then nothing moves until next time */
		if (!__atomic_compare_exchange_n(&s->cpus[t].load, &n, n + load_of(s, e), false, __ATOMIC_RELAXED,
						 __ATOMIC_RELAXED))
			return NULL;
		dequeue(s, c, e);
		count_ready(s, c, e, -1);
		e->state = SCHED_MOVING;
		__atomic_store_n(&e->cpu, (u32)t, __ATOMIC_RELEASE);
		return e;
	}
	return NULL;
}

void sched_post(struct scheduler *s, struct sched_entity *e)
{
	struct sched_cpu *c = &s->cpus[e->cpu];

	e->post_next = __atomic_load_n(&c->inbox, __ATOMIC_RELAXED);
	while (!__atomic_compare_exchange_n(&c->inbox, &e->post_next, e, true, __ATOMIC_RELEASE,
					    __ATOMIC_RELAXED))
		;
}

/* Arrivals join c's queue as if woken here: the policy prepares those
 * that moved for this CPU first (its clock, not the old one's); a wake
 * keeps what it had (a reservation's budget stays spent). */
u32 sched_take_posted(struct scheduler *s, struct sched_cpu *c, u64 now)
{
	struct sched_entity *e = __atomic_exchange_n(&c->inbox, NULL, __ATOMIC_ACQUIRE), *next;
	u32 moved = 0;

	for (; e; e = next) {
		next = e->post_next;
		if (!e->posted_wake) {   /* a move, not a wake at home */
			moved++;
			if (s->ops->init_entity)
				s->ops->init_entity(c, e, now);
		}
		e->posted_wake = false;
		make_runnable(s, e, now, now);
	}
	return moved;
}

u64 sched_random(struct sched_cpu *c)
{
	c->rng ^= c->rng >> 12;
	c->rng ^= c->rng << 25;
	c->rng ^= c->rng >> 27;
	return c->rng * 0x2545f4914f6cdd1dULL;
}
