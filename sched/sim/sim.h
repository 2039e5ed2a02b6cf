/* The host scheduler simulator (build/sched-sim): the policies of
 * sched/policies/ and the core of sched/sched.c, unchanged, driven by a
 * simulated clock and simulated vCPUs. */
#ifndef SCHED_SIM_SIM_H
#define SCHED_SIM_SIM_H

#include <stdio.h>

#include "sched/sched.h"

#define SIM_MAX_VCPUS 64
#define SIM_MAX_CPUS 16

/* One simulated vCPU: its workload, its scheduler entity, what it saw. */
struct sim_vcpu {
	char name[32];
	struct sched_entity e;
	u64 start_ns;              /* runnable from */
	u64 burst_ns;              /* CPU per burst or job; 0 = CPU-bound forever */
	u64 sleep_ns;              /* sleep after each burst */
	u64 every_ns;              /* periodic: a job released every every_ns */
	u64 exit_ns;               /* it exits once it has had this much CPU (0: never) */
	bool yields;               /* it yields after each burst instead of sleeping */
	u64 left_ns;               /* CPU left in the current burst or job */
	u64 release_ns;            /* periodic: the current job's release */
	u64 jobs, job_misses;      /* periodic jobs done, finished late */
	bool woke;                 /* runnable after sleeping: a latency sample is due */
	u64 *lat;                  /* wake-up latencies */
	u32 nlat, cap;
};

struct sim_slice {
	u64 start_ns, dur_ns;
	u32 cpu, vcpu;
};

struct sim {
	char policy[SCHED_POLICY_NAME];
	u32 ncpus;
	u64 slice_ns, duration_ns;
	struct sim_vcpu v[SIM_MAX_VCPUS];
	u32 n;
	struct sim_slice *slices;  /* the schedule, for the trace and the chart */
	u32 nslices, cap;
	struct scheduler *sched;   /* while running */
	u64 decisions;
	u64 moves;                 /* vCPUs the load balancing moved */
	double seconds;            /* host time the simulation took */
};

/* Reads a workload file into s. 0, or -1 after printing file:line: why. */
int sim_load(struct sim *s, const char *path);

/* Runs the workload under s->policy. 0, or -1 after printing why. */
int sim_run(struct sim *s);

/* Reads the "sched-trace:" lines the hypervisor printed (trace=on) into s,
 * as if simulated. 0, or -1 after printing why. */
int sim_load_log(struct sim *s, const char *path);

void sim_report(const struct sim *s, FILE *out);
int sim_write_trace(const struct sim *s, const char *path);   /* Chrome trace JSON */
int sim_write_svg(const struct sim *s, const char *path);     /* Gantt chart */

void sim_add_slice(struct sim *s, u32 cpu, u32 vcpu, u64 start, u64 dur);

#endif
