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
