/* sched/sched.c: the count of exited entities behind sched_alive, through
 * exits and the debug console's revival. */
#include "sched/sched.h"
#include "tests/unit/test.h"

static struct sched_entity a = { .name = "a", .params = { .weight = 1 } };
static struct sched_entity b = { .name = "b", .params = { .weight = 1 } };

TEST(sched_alive_counts_exits_and_revivals)
{
	struct sched_entity *all[] = { &a, &b }, *e;
	struct scheduler s;
	struct sched_cpu cpu;
	char err[160];
	u64 slice, until;

	CHECK_EQ(sched_init(&s, sched_policy_find("rr"), &cpu, 1, all, 2, 1000000, 0, err, sizeof(err)), 0);
	e = sched_next(&s, &cpu, 0, &slice, &until);
	CHECK(e != NULL);
	sched_ran(&s, e, 1000, 1000, SCHED_EXITS, 0);
	CHECK(sched_alive(&s));
	sched_revive(&s, e, 2000);                     /* the console's restart */
	CHECK_EQ(e->state, SCHED_RUNNABLE);
	e = sched_next(&s, &cpu, 2000, &slice, &until);
	sched_ran(&s, e, 1000, 3000, SCHED_EXITS, 0);
	CHECK(sched_alive(&s));                        /* the revived one still runs */
	e = sched_next(&s, &cpu, 3000, &slice, &until);
	CHECK(e != NULL);
	sched_ran(&s, e, 1000, 4000, SCHED_EXITS, 0);
	CHECK(!sched_alive(&s));
}

/* Placement: each entity, in order, on the allowed CPU with the fewest so
 * far (round-robin without affinities); none allowed: refused by name. */
TEST(sched_init_places_by_affinity_and_load)
{
	struct sched_entity p[4] = {
		{ .name = "p0", .params = { .weight = 1 }, .cpus_allowed = 1u << 1 },
		{ .name = "p1", .params = { .weight = 1 }, .cpus_allowed = 1u << 1 },
		{ .name = "p2", .params = { .weight = 1 } },
		{ .name = "p3", .params = { .weight = 1 } },
	};
	struct sched_entity *all[] = { &p[0], &p[1], &p[2], &p[3] };
	struct sched_entity far = { .name = "far", .params = { .weight = 1 }, .cpus_allowed = 1u << 5 };
	struct sched_entity *bad[] = { &far };
	struct scheduler s;
	struct sched_cpu cpus[3];
	char err[160];

	CHECK_EQ(sched_init(&s, sched_policy_find("rr"), cpus, 3, all, 4, 1000000, 0, err, sizeof(err)), 0);
	CHECK_EQ(p[0].cpu, 1);
	CHECK_EQ(p[1].cpu, 1);
	CHECK_EQ(p[2].cpu, 0);
	CHECK_EQ(p[3].cpu, 2);
	CHECK_EQ(sched_init(&s, sched_policy_find("rr"), cpus, 3, bad, 1, 1000000, 0, err, sizeof(err)), -1);
	CHECK_STR(err, "sched: 'far' may run on none of the 3 CPUs");
}

/* The balancing moves one queued entity from a CPU with two more ready
 * entities than another it may use; none with a reservation or pinned;
 * the move arrives through the inbox and counts on the new CPU at once. */
TEST(sched_balance_moves_to_a_lighter_cpu)
{
	struct sched_entity p[4] = {
		{ .name = "p0", .params = { .weight = 1 }, .cpus_allowed = 1 },
		{ .name = "p1", .params = { .weight = 1 }, .cpus_allowed = 1 },
		{ .name = "r", .params = { .weight = 1, .budget_ns = 1000, .period_ns = 100000 }, .cpus_allowed = 1 },
		{ .name = "free", .params = { .weight = 1 }, .cpus_allowed = 1 },
	};
	struct sched_entity *all[] = { &p[0], &p[1], &p[2], &p[3] }, *e;
	struct scheduler s;
	struct sched_cpu cpus[2];
	char err[160];
	u64 slice, until;

	CHECK_EQ(sched_init(&s, sched_policy_find("rr"), cpus, 2, all, 4, 1000000, 0, err, sizeof(err)), 0);
	CHECK_EQ(cpus[0].load, 4);
	CHECK(sched_balance(&s, &cpus[0]) == NULL);   /* all pinned to CPU 0 */
	p[3].cpus_allowed = 0;                           /* free may go anywhere now */
	p[2].cpus_allowed = 0;                           /* r too, but it has a reservation */
	e = sched_balance(&s, &cpus[0]);
	CHECK(e == &p[3]);
	CHECK_EQ(e->cpu, 1);
	CHECK_EQ(e->state, SCHED_MOVING);
	CHECK_EQ(cpus[0].load, 3);
	CHECK_EQ(cpus[1].load, 1);
	CHECK(sched_balance(&s, &cpus[0]) == NULL);   /* 3 against 1, r stays */
	sched_post(&s, e);
	CHECK(sched_next(&s, &cpus[1], 10, &slice, &until) == e);
	CHECK(cpus[1].inbox == NULL);
	e = sched_next(&s, &cpus[0], 10, &slice, &until);
	CHECK(e != &p[3]);
}

/* Reservations are placed by the share already reserved: 60%, none, 60%
 * on two CPUs fit (one 60% on each), which placing by count would put
 * on one CPU (120%) and edf would refuse. */
TEST(sched_init_places_reservations_by_share)
{
	struct sched_entity r1 = { .name = "r1", .params = { .weight = 1, .budget_ns = 6000000, .period_ns = 10000000 } };
	struct sched_entity x = { .name = "x", .params = { .weight = 1 } };
	struct sched_entity r2 = { .name = "r2", .params = { .weight = 1, .budget_ns = 6000000, .period_ns = 10000000 } };
	struct sched_entity *all[] = { &r1, &x, &r2 };
	struct scheduler s;
	struct sched_cpu cpus[2];
	char err[160];

	CHECK_EQ(sched_init(&s, sched_policy_find("edf"), cpus, 2, all, 3, 1000000, 0, err, sizeof(err)), 0);
	CHECK_EQ(r1.cpu, 0);
	CHECK_EQ(x.cpu, 1);
	CHECK_EQ(r2.cpu, 1);
}

/* A policy that shares by weight places and balances by weight: 4, 1, 1
 * on two CPUs put the 4 alone; a weight raised on a CPU raises its load,
 * and the balancing then moves a 1 off only if that lowers the higher. */
TEST(sched_weighs_by_weight_under_wfs)
{
	struct sched_entity p[3] = {
		{ .name = "big", .params = { .weight = 4 } },
		{ .name = "s1", .params = { .weight = 1 } },
		{ .name = "s2", .params = { .weight = 1 } },
	};
	struct sched_entity *all[] = { &p[0], &p[1], &p[2] };
	struct sched_params heavier = { .weight = 6 };
	struct scheduler s;
	struct sched_cpu cpus[2];
	char err[160];

	CHECK_EQ(sched_init(&s, sched_policy_find("wfs"), cpus, 2, all, 3, 1000000, 0, err, sizeof(err)), 0);
	CHECK_EQ(p[0].cpu, 0);
	CHECK_EQ(p[1].cpu, 1);
	CHECK_EQ(p[2].cpu, 1);
	CHECK_EQ(cpus[0].load, 4);
	CHECK_EQ(cpus[1].load, 2);
	CHECK(sched_balance(&s, &cpus[1]) == NULL);   /* 2 against 4 */
	CHECK(sched_balance(&s, &cpus[0]) == NULL);   /* big alone may not move: 4 + 2 */
	CHECK_EQ(sched_set_params(&s, &p[1], &heavier, 0, err, sizeof(err)), 0);
	CHECK_EQ(cpus[1].load, 7);
	CHECK(sched_balance(&s, &cpus[1]) == &p[2]);  /* 1 + 4 < 7 */
	CHECK_EQ(cpus[0].load, 5);
	CHECK_EQ(cpus[1].load, 6);
}

/* A wake from another CPU: a blocked entity goes to its own CPU's inbox as
 * a wake (counted on that CPU's load at once, taken by its next
 * decision); one still running keeps the wake and does not sleep when it
 * blocks next, unless the wake was cleared first (a HLT that looked). */
TEST(sched_wake_remote_wakes_once_and_loses_none)
{
	struct sched_entity p[2] = {
		{ .name = "a", .params = { .weight = 1 }, .cpus_allowed = 1u << 1 },
		{ .name = "b", .params = { .weight = 1 }, .cpus_allowed = 1u << 1 },
	};
	struct sched_entity *all[] = { &p[0], &p[1] }, *e;
	struct scheduler s;
	struct sched_cpu cpus[2];
	char err[160];
	u64 slice, until;

	CHECK_EQ(sched_init(&s, sched_policy_find("rr"), cpus, 2, all, 2, 1000000, 0, err, sizeof(err)), 0);
	sched_sleep(&s, &p[1], 0);                       /* b waits, as for a SIPI */
	CHECK_EQ(cpus[1].load, 1);
	CHECK(sched_wake_remote(&s, &p[1]));
	CHECK_EQ(p[1].state, SCHED_MOVING);
	CHECK_EQ(cpus[1].load, 2);
	CHECK(!sched_wake_remote(&s, &p[1]));            /* once */
	e = sched_next(&s, &cpus[1], 10, &slice, &until);
	CHECK(e == &p[0] || e == &p[1]);
	CHECK_EQ(p[1].state == SCHED_RUNNABLE || p[1].state == SCHED_RUNNING, 1);
	CHECK(cpus[1].inbox == NULL);
	if (e != &p[0]) {                                /* run a until it blocks */
		sched_ran(&s, e, 10, 20, SCHED_YIELDED, 0);
		e = sched_next(&s, &cpus[1], 20, &slice, &until);
	}
	CHECK(e == &p[0]);
	CHECK(!sched_wake_remote(&s, &p[0]));            /* running: kept */
	sched_ran(&s, e, 10, 30, SCHED_BLOCKS, 0);
	CHECK_EQ(p[0].state, SCHED_RUNNABLE);            /* not lost */
	CHECK(!p[0].wake_pending);
	e = sched_next(&s, &cpus[1], 30, &slice, &until);
	if (e != &p[0]) {
		sched_ran(&s, e, 10, 40, SCHED_YIELDED, 0);
		e = sched_next(&s, &cpus[1], 40, &slice, &until);
	}
	CHECK(e == &p[0]);
	CHECK(!sched_wake_remote(&s, &p[0]));
	p[0].wake_pending = false;                       /* a HLT looked since */
	sched_ran(&s, e, 10, 50, SCHED_BLOCKS, 0);
	CHECK_EQ(p[0].state, SCHED_BLOCKED);
}
