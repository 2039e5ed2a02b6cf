/* The simulation: N CPUs, each asking the scheduler what to run, running
 * it for its slice or until its burst ends, in simulated time. Entities
 * start on the CPU sched_init gave them and move as the load balancing
 * says, at the hypervisor's pace (once a millisecond of a CPU, between its
 * slices). A vCPU woken while others run waits for the running slice to
 * end, as on the target. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sched/sim/sim.h"

struct cpu_run {
	struct sim_vcpu *cur;
	u64 start, end;            /* the running slice */
	u64 idle_until;
	u64 next_balance;
};

#define BALANCE_NS 1000000ULL   /* as the hypervisor's run loops (core/guest/run.c) */

void sim_add_slice(struct sim *s, u32 cpu, u32 vcpu, u64 start, u64 dur)
{
	if (s->nslices == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 1024;
		s->slices = realloc(s->slices, s->cap * sizeof(*s->slices));
		if (!s->slices)
			abort();
	}
	s->slices[s->nslices++] = (struct sim_slice){ start, dur, cpu, vcpu };
}

static void add_latency(struct sim_vcpu *v, u64 ns)
{
	if (v->nlat == v->cap) {
		v->cap = v->cap ? 2 * v->cap : 256;
		v->lat = realloc(v->lat, v->cap * sizeof(*v->lat));
		if (!v->lat)
			abort();
	}
	v->lat[v->nlat++] = ns;
}

/* The vCPU finished its burst or job at now: block until the next one. */
static u64 burst_done(struct sim_vcpu *v, u64 now)
{
	if (v->every_ns) {
		v->jobs++;
		if (now > v->release_ns + v->every_ns)
			v->job_misses++;
		v->release_ns += v->every_ns;
		v->left_ns = v->burst_ns;
		return v->release_ns;
	}
	v->left_ns = v->burst_ns;
	return now + v->sleep_ns;
}

static void start_slice(struct sim *s, struct sched_cpu *c, struct cpu_run *r, u64 now)
{
	struct scheduler *sc = s->sched;
	u64 slice, until = SCHED_NEVER;
	struct sched_entity *e = sched_next(sc, c, now, &slice, &until);

	s->decisions++;
	if (!e) {
		r->idle_until = until;
		return;
	}
	r->cur = e->owner;
	if (r->cur->woke) {
		add_latency(r->cur, now - e->ready_ns);
		r->cur->woke = false;
	}
	r->start = now;
	r->end = now + (r->cur->burst_ns ? MIN(slice, r->cur->left_ns) : slice);
	if (r->cur->exit_ns)   /* its last slice ends when it exits */
		r->end = MIN(r->end, now + (r->cur->exit_ns - e->runtime_ns));
}

static void end_slice(struct sim *s, struct cpu_run *r, u32 cpu)
{
	struct scheduler *sc = s->sched;
	struct sim_vcpu *v = r->cur;
	u64 ran = r->end - r->start, wake;

	sim_add_slice(s, cpu, (u32)(v - s->v), r->start, ran);
	r->cur = NULL;
	if (v->exit_ns && v->e.runtime_ns + ran >= v->exit_ns) {
		sched_ran(sc, &v->e, ran, r->end, SCHED_EXITS, 0);
		return;
	}
	if (!v->burst_ns || (v->left_ns -= ran)) {
		sched_ran(sc, &v->e, ran, r->end, SCHED_PREEMPTED, 0);
		return;
	}
	if (v->yields) {
		v->left_ns = v->burst_ns;
		sched_ran(sc, &v->e, ran, r->end, SCHED_YIELDED, 0);
		return;
	}
	wake = burst_done(v, r->end);
	v->woke = true;
	sched_ran(sc, &v->e, ran, r->end, SCHED_BLOCKS, wake);
	if (v->e.state != SCHED_BLOCKED)   /* already due: no latency to see */
		v->woke = false;
}

static int setup(struct sim *s, struct scheduler *sc, struct sched_cpu *cpus, struct sched_entity **all)
{
	const struct sched_ops *ops = sched_policy_find(s->policy);
	char err[200];

	if (!ops)
		return fprintf(stderr, "sched-sim: no policy '%s'\n", s->policy), -1;
	for (u32 i = 0; i < s->n; i++) {
		struct sim_vcpu *v = &s->v[i];

		all[i] = &v->e;
		v->e.owner = v;
		v->left_ns = v->burst_ns;
		v->release_ns = v->start_ns;
	}
	if (sched_init(sc, ops, cpus, s->ncpus, all, s->n, s->slice_ns, 0, err, sizeof(err)))
		return fprintf(stderr, "sched-sim: %s\n", err), -1;
	for (u32 i = 0; i < s->n; i++) {   /* late starters sleep until their start */
		struct sim_vcpu *v = &s->v[i];

		if (v->start_ns)
			sched_sleep(sc, &v->e, v->start_ns);
	}
	return 0;
}

/* CPU c's part of the load balancing, between its slices: a vCPU it gives
 * away joins the other CPU's queue, which looks at once if it idles. */
static void balance(struct sim *s, struct sched_cpu *c, struct cpu_run *run, u64 now)
{
	struct cpu_run *r = &run[c->id];
	struct sched_entity *e;

	if (now < r->next_balance)
		return;
	r->next_balance = now + BALANCE_NS;
	e = sched_balance(s->sched, c);
	if (!e)
		return;
	sched_post(s->sched, e);
	s->moves++;
	if (!run[e->cpu].cur)
		run[e->cpu].idle_until = MIN(run[e->cpu].idle_until, now);
}

int sim_run(struct sim *s)
{
	struct sched_cpu cpus[SIM_MAX_CPUS];
	struct cpu_run run[SIM_MAX_CPUS] = { 0 };
	struct sched_entity *all[SIM_MAX_VCPUS];
	struct scheduler sc;
	struct timespec t0, t1;
	u64 now = 0;

	if (setup(s, &sc, cpus, all))
		return -1;
	s->sched = &sc;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (now < s->duration_ns) {
		u64 next = SCHED_NEVER;

		for (u32 c = 0; c < s->ncpus; c++) {
			if (!run[c].cur && run[c].idle_until <= now) {
				balance(s, &cpus[c], run, now);
				start_slice(s, &cpus[c], &run[c], now);
			}
			next = MIN(next, run[c].cur ? run[c].end : run[c].idle_until);
		}
		if (next == SCHED_NEVER)
			break;
		now = MIN(next, s->duration_ns);
		for (u32 c = 0; c < s->ncpus; c++) {
			if (run[c].cur && run[c].end <= now)
				end_slice(s, &run[c], c);
			else if (!run[c].cur && run[c].idle_until <= now)
				run[c].idle_until = 0;
		}
	}
	for (u32 c = 0; c < s->ncpus; c++)   /* cut the slices running at the end */
		if (run[c].cur) {
			run[c].end = now;
			end_slice(s, &run[c], c);
		}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	return 0;
}
