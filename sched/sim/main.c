/* build/sched-sim: runs a workload under a policy, or reads a trace the
 * hypervisor printed, and reports.
 *
 *   sched-sim [--policy NAME] [--trace OUT.json] [--svg OUT.svg] WORKLOAD
 *   sched-sim --log SERIAL [--trace OUT.json] [--svg OUT.svg]
 *   sched-sim --list */
#include <string.h>

#include "sched/sim/sim.h"

static void list_one(const struct sched_ops *ops, void *arg)
{
	fprintf(arg, "%-10s %s\n", ops->name, ops->summary);
}

static int usage(void)
{
	fprintf(stderr, "usage: sched-sim [--policy NAME] [--trace OUT.json] [--svg OUT.svg] WORKLOAD\n"
			"       sched-sim --log SERIAL [--trace OUT.json] [--svg OUT.svg]\n"
			"       sched-sim --list\n");
	return 2;
}

int main(int argc, char **argv)
{
	static struct sim s = { .policy = "rr", .ncpus = 1, .slice_ns = 1000000, .duration_ns = 1000000000 };
	const char *trace = NULL, *svg = NULL, *log = NULL, *policy = NULL, *work = NULL;

	for (int i = 1; i < argc; i++) {
		const char **slot = !strcmp(argv[i], "--trace") ? &trace : !strcmp(argv[i], "--svg") ? &svg :
				    !strcmp(argv[i], "--log") ? &log : !strcmp(argv[i], "--policy") ? &policy : NULL;

		if (!strcmp(argv[i], "--list"))
			return sched_policy_each(list_one, stdout), 0;
		if (slot && i + 1 < argc)
			*slot = argv[++i];
		else if (argv[i][0] != '-' && !work)
			work = argv[i];
		else
			return usage();
	}
	if (!log == !work)
		return usage();
	if (log ? sim_load_log(&s, log) : sim_load(&s, work))
		return 1;
	if (policy)
		snprintf(s.policy, sizeof(s.policy), "%s", policy);
	if (!log && sim_run(&s))
		return 1;
	sim_report(&s, stdout);
	if ((trace && sim_write_trace(&s, trace)) || (svg && sim_write_svg(&s, svg)))
		return 1;
	return 0;
}
