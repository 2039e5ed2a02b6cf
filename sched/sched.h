/* The scheduler: what runs next on each CPU, and for how long.
 *
 * This file and sched.c, policy.c and policies/ are built twice: into the
 * hypervisor, where an entity is a guest's vCPU, and into the host
 * simulator (build/sched-sim), where it is a simulated vCPU. They use only
 * core/lib/types.h, core/lib/string.h and core/lib/fmt.h, never the rest of the
 * hypervisor.
 *
 * The core keeps each entity's state, its CPU time, and the sleepers; a
 * policy (struct sched_ops) keeps the run queue of each CPU and decides. All
 * times are nanoseconds on one monotonic clock. */
#ifndef SCHED_SCHED_H
#define SCHED_SCHED_H

#include "core/lib/types.h"

#define SCHED_NEVER (~0ULL)
#define SCHED_POLICY_NAME 16

enum sched_state { SCHED_RUNNABLE, SCHED_RUNNING, SCHED_BLOCKED, SCHED_STOPPED, SCHED_MOVING };

/* Why an entity stopped running (sched_ran). */
enum sched_why { SCHED_PREEMPTED, SCHED_YIELDED, SCHED_BLOCKS, SCHED_EXITS };

/* Per-entity parameters, from the configuration or the guest itself. */
struct sched_params {
	u32 weight;                /* share against others (>= 1; tickets for lottery) */
	u64 budget_ns, period_ns;  /* a reservation: budget per period (0 = none) */
};

struct sched_entity {
	const char *name;
	u32 id;                    /* index in sched_init's array */
	u32 cpu;                   /* the CPU whose queue it belongs to (sched_init places it) */
	u64 cpus_allowed;          /* the CPUs it may run on, bit n for CPU n; 0 = any */
	enum sched_state state;
	struct sched_params params;
	u64 runtime_ns;            /* CPU time used */
	u64 wake_ns;               /* SCHED_BLOCKED: when it becomes runnable */
	u64 ready_ns;              /* when it last became runnable (latency) */
	u64 switches;              /* times it was picked */
	u64 misses;                /* reservation periods that ended short */
	/* Policy-owned: a queue link, a few words of state and a pointer for
	 * any structure of its own. The core never reads them; a policy sets
	 * what it needs in init_entity. */
	struct sched_entity *next;
	u64 key, pol[3];
	void *priv;
	struct sched_entity *post_next;   /* the core's: link in a CPU's inbox (sched_post) */
	bool wake_pending;         /* the core's: sched_wake_remote asked while it was not blocked */
	bool posted_wake;          /* the core's: in its own CPU's inbox, woken, not moved */
	void *owner;               /* the vCPU or simulated vCPU */
};

struct sched_cpu {
	u32 id;
	struct sched_entity *head; /* policy-owned run queue: read it, change */
	struct sched_entity *tail; /* it only through the helpers below */
	u64 pol[2];                /* policy-owned per-CPU words */
	void *priv;                /* policy-owned: any structure of its own */
	u64 slice_ns;              /* the configured slice */
	u64 rng;                   /* a seeded random state for policies */
	/* the core's own */
	u64 next_wake_ns;          /* no sleeper here wakes before this */
	u64 load;                  /* of the entities here runnable or running: each one's weight
				    * (sched_ops.by_weight) or 1; other CPUs read it */
	struct sched_entity *inbox;   /* handed over by other CPUs, not yet taken (atomic) */
};

/* A policy: at most ten hooks; the ones marked optional may be NULL.
 * Each hook runs with the scheduler's data to itself (one CPU at a time). */
struct sched_ops {
	const char *name;          /* as in sched=NAME */
	const char *summary;       /* one line for listings */
	/* Whether its shares follow the weights (wfs, lottery): then the
	 * placement and the load balancing weigh each entity by its weight,
	 * else each counts as one (rr). Not a hook. */
	bool by_weight;
	/* optional: checks the parameters of all n entities before anything
	 * runs; 0, or -1 with a message in err (such as an infeasible set). */
	int (*admit)(struct sched_entity *const *all, u32 n, char *err, size_t len);
	/* optional: prepares e's policy words before it first enqueues (they
	 * start zeroed), and again when its parameters change while it runs
	 * (sched_set_params). A change must not grant more than e had. */
	void (*init_entity)(struct sched_cpu *c, struct sched_entity *e, u64 now);
	/* e became runnable on c: started, woken, preempted, yielded or
	 * arrived from another CPU. */
	void (*enqueue)(struct sched_cpu *c, struct sched_entity *e, u64 now);
	/* optional: takes e, runnable and queued on c, out of c's queue (a
	 * pause, new parameters, a move to another CPU). NULL: the list's
	 * sched_queue_remove. */
	void (*dequeue)(struct sched_cpu *c, struct sched_entity *e);
	/* Removes and returns what runs next on c, with its slice in *slice_ns
	 * (left 0: c->slice_ns); or NULL when nothing may run now, with
	 * *slice_ns the time until something may (left 0: a wake-up). */
	struct sched_entity *(*pick)(struct sched_cpu *c, u64 now, u64 *slice_ns);
	/* optional: e ran ran_ns (running -> whatever why says), before it is
	 * enqueued again if still runnable. */
	void (*charge)(struct sched_cpu *c, struct sched_entity *e, u64 ran_ns, u64 now,
		       enum sched_why why);
};

/* Puts a policy in the list sched_policy_find searches: one line at the
 * end of a file in sched/policies/, nothing to edit elsewhere. */
#define SCHED_POLICY(ops)                                                             \
	static const struct sched_ops *const sched_policy_##ops                      \
		__attribute__((used, section("sched_policies"), aligned(8))) = &ops

const struct sched_ops *sched_policy_find(const char *name);

/* Calls fn for every policy linked in, in link order. */
void sched_policy_each(void (*fn)(const struct sched_ops *ops, void *arg), void *arg);

/* The scheduler of ncpus CPUs over n entities, all runnable at now. It
 * numbers them and places each, in order, on the CPU it may run on
 * (cpus_allowed) with the least load so far (the lowest of equals;
 * without affinities and weights, round-robin), or, for one with a
 * reservation, the least CPU share reserved so far. An entity stays on
 * its CPU until sched_balance moves it. 0, or -1 with the reason in err (unknown
 * policy, an entity allowed on no CPU there is, refused parameters).
 *
 * Who touches what: CPU c's struct sched_cpu and the entities placed on it
 * are c's alone (sched_next, sched_ran, sched_set_params for one of its
 * own, sched_balance), except while the other CPUs are stopped (the
 * hypervisor's debug console: sched_pause, sched_resume, sched_revive,
 * sched_wake). Other CPUs only read its load and which CPU each entity
 * belongs to, add to that load and push onto its inbox when they
 * hand it an entity (atomically: sched_balance, sched_post), and stopped
 * is counted atomically: no locks. Entities' parameters are the caller's
 * to serialize (admission reads them all: the hypervisor takes a lock). */
struct scheduler {
	const struct sched_ops *ops;
	struct sched_cpu *cpus;
	u32 ncpus;
	struct sched_entity **all;
	u32 n;
	u32 stopped;               /* entities that exited (sched_ran) */
};

int sched_init(struct scheduler *s, const struct sched_ops *ops, struct sched_cpu *cpus, u32 ncpus,
	       struct sched_entity **all, u32 n, u64 slice_ns, u64 now, char *err, size_t len);

/* e (not queued) sleeps until wake_ns (0: until sched_wake). */
void sched_block(struct scheduler *s, struct sched_entity *e, u64 wake_ns);

/* Wakes c's sleepers that are due at now; c->next_wake_ns becomes the
 * earliest still asleep. For sched_next, once that time has come. */
void sched_wake_due(struct scheduler *s, struct sched_cpu *c, u64 now);

/* For sched_next: takes what other CPUs handed to c (sched_post, and
 * sched_wake_remote's wakes); how many of them moved here. */
u32 sched_take_posted(struct scheduler *s, struct sched_cpu *c, u64 now);

/* What CPU c runs next: wakes the sleepers that are due, then asks the
 * policy. NULL when nothing can run; *until_ns is then the next moment
 * something may (SCHED_NEVER: nothing ever will). Inline: it is on every
 * switch's path, and a decision with nobody due to wake costs a
 * comparison and the policy's pick. */
static inline struct sched_entity *sched_next(struct scheduler *s, struct sched_cpu *c, u64 now,
					      u64 *slice_ns, u64 *until_ns)
{
	struct sched_entity *e;
	u64 t = 0;

	if (now >= c->next_wake_ns)
		sched_wake_due(s, c, now);
	if (__atomic_load_n(&c->inbox, __ATOMIC_RELAXED))
		sched_take_posted(s, c, now);
	e = s->ops->pick(c, now, &t);
	if (!e) {
		*until_ns = MIN(c->next_wake_ns, t ? now + t : SCHED_NEVER);
		return NULL;
	}
	*slice_ns = t ? t : c->slice_ns;
	e->state = SCHED_RUNNING;
	e->switches++;
	return e;
}

/* e, picked by sched_next, ran ran_ns and stopped for why. For
 * SCHED_BLOCKS, wake_ns says until when (0 = until sched_wake). */
void sched_ran(struct scheduler *s, struct sched_entity *e, u64 ran_ns, u64 now, enum sched_why why,
	       u64 wake_ns);

/* Gives e new parameters from its next enqueue on, if the policy admits
 * the whole set with them: 0, or -1 with the reason in err and e
 * unchanged. e may be running or queued. */
int sched_set_params(struct scheduler *s, struct sched_entity *e, const struct sched_params *p, u64 now,
		     char *err, size_t len);

/* Takes e off the CPU until sched_resume (the debug console): a queued
 * entity leaves its queue, a sleeping one forgets its wake-up. */
void sched_pause(struct scheduler *s, struct sched_entity *e);
void sched_resume(struct scheduler *s, struct sched_entity *e, u64 now);

/* A stopped entity runs again (its guest was restarted). */
void sched_revive(struct scheduler *s, struct sched_entity *e, u64 now);

/* e, runnable and queued (not running), sleeps until wake_ns (0: until
 * sched_wake): a late start (the simulator's), the debug console's pause. */
void sched_sleep(struct scheduler *s, struct sched_entity *e, u64 wake_ns);

/* From any CPU: e, blocked, becomes runnable on its own CPU through that
 * CPU's inbox (true: the caller kicks that CPU, if it is another). If e
 * is not blocked (running, on its way to block), the wake is kept
 * (wake_pending) and taken when it next blocks, so none is lost; false.
 * Who wins when the owner wakes e itself at the same time: whoever
 * changes its state from SCHED_BLOCKED first (atomically). */
bool sched_wake_remote(struct scheduler *s, struct sched_entity *e);

/* CPU c's part of the load balancing, on c, at the caller's pace: if one
 * of the entities queued on c may run on a CPU whose load (struct
 * sched_cpu) plus its own stays under c's, the first such leaves c's
 * queue and is returned, bound for the least loaded of those CPUs
 * (e->cpu, state SCHED_MOVING): with equal loads of one, a CPU with at
 * least two fewer. The caller lets go of what c holds of it, then
 * hands it over with sched_post. Entities with a reservation stay where
 * they were placed (admission is per CPU). NULL: nothing to move. */
struct sched_entity *sched_balance(struct scheduler *s, struct sched_cpu *c);

/* Hands a moving entity to its new CPU, from any CPU: it joins that CPU's
 * queue at its next sched_next (as if woken there), which the caller may
 * hurry (the hypervisor kicks that CPU). */
void sched_post(struct scheduler *s, struct sched_entity *e);


/* A blocked entity becomes runnable now. */
void sched_wake(struct scheduler *s, struct sched_entity *e, u64 now);

/* True while some entity has not exited. */
static inline bool sched_alive(const struct scheduler *s)
{
	return __atomic_load_n(&s->stopped, __ATOMIC_RELAXED) < s->n;
}

/* ---- helpers for policies ---- */

/* The queue helpers are inline: they sit on every switch's path. */

/* Appends e to c's queue (FIFO order). */
static inline void sched_queue_append(struct sched_cpu *c, struct sched_entity *e)
{
	e->next = NULL;
	if (c->tail)
		c->tail->next = e;
	else
		c->head = e;
	c->tail = e;
}

/* Inserts e before the first entity with a larger key (stable). */
static inline void sched_queue_insert(struct sched_cpu *c, struct sched_entity *e)
{
	struct sched_entity **p = &c->head;

	while (*p && (*p)->key <= e->key)
		p = &(*p)->next;
	e->next = *p;
	*p = e;
	if (!e->next)
		c->tail = e;
}

/* Unlinks e from c's queue; e must be in it. */
static inline void sched_queue_remove(struct sched_cpu *c, struct sched_entity *e)
{
	struct sched_entity **p = &c->head, *prev = NULL;

	while (*p && *p != e) {
		prev = *p;
		p = &(*p)->next;
	}
	if (*p) {
		*p = e->next;
		if (c->tail == e)
			c->tail = prev;
	}
	e->next = NULL;
}

/* Unlinks and returns the head of c's queue, or NULL. */
static inline struct sched_entity *sched_queue_pop(struct sched_cpu *c)
{
	struct sched_entity *e = c->head;

	if (e) {
		c->head = e->next;
		if (!c->head)
			c->tail = NULL;
		e->next = NULL;
	}
	return e;
}

/* A 64-bit pseudo-random number from c's state (xorshift64*). */
u64 sched_random(struct sched_cpu *c);

#endif
