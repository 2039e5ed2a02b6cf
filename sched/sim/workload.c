/* Workload files and hypervisor trace logs, read into struct sim.
 *
 * A workload is lines of words ('#' starts a comment):
 *   cpus N | policy NAME | slice DURATION | duration DURATION
 *   vcpu NAME [weight=N] [budget=D period=D] [start=D] [cpus=SET]
 *             [burst=D [sleep=D | yield]] [every=D burst=D] [exit=D]
 * burst alone (or none) is CPU-bound; burst with sleep alternates; every
 * releases a job of burst every D, due before the next release; yield
 * gives the CPU up after each burst, runnable at once (as a guest's yield
 * call); exit stops the vCPU for good once it has had D of CPU (as a
 * guest's power-off). cpus is
 * the hypervisor's guest cpus= (such as 1 or 0-1+3): the CPUs it may run on. */
#include <stdlib.h>
#include <string.h>

#include "core/config/config.h"
#include "sched/sim/sim.h"

struct field {
	const char *key;
	size_t off;                /* of a u64 in struct sim_vcpu */
};

static const struct field vcpu_fields[] = {
	{ "budget", offsetof(struct sim_vcpu, e.params.budget_ns) },
	{ "period", offsetof(struct sim_vcpu, e.params.period_ns) },
	{ "start", offsetof(struct sim_vcpu, start_ns) },
	{ "burst", offsetof(struct sim_vcpu, burst_ns) },
	{ "sleep", offsetof(struct sim_vcpu, sleep_ns) },
	{ "every", offsetof(struct sim_vcpu, every_ns) },
	{ "exit", offsetof(struct sim_vcpu, exit_ns) },
};

static int vcpu_word(struct sim_vcpu *v, char *w)
{
	char *eq = strchr(w, '=');

	if (!strcmp(w, "yield"))
		return v->yields = true, 0;
	if (!eq)
		return -1;
	*eq++ = 0;
	if (!strcmp(w, "weight")) {
		char *end;
		unsigned long n = strtoul(eq, &end, 10);

		v->e.params.weight = (u32)n;
		return *end || !n || n > 1000000 ? -1 : 0;
	}
	if (!strcmp(w, "cpus"))
		return config_parse_cpuset(eq, &v->e.cpus_allowed) ? 0 : -1;
	for (size_t i = 0; i < ARRAY_SIZE(vcpu_fields); i++)
		if (!strcmp(w, vcpu_fields[i].key))
			return config_parse_duration(eq, (u64 *)((char *)v + vcpu_fields[i].off)) ? 0 : -1;
	return -1;
}

static int add_vcpu(struct sim *s, char *rest)
{
	struct sim_vcpu *v;
	char *w = strtok(rest, " \t");

	if (!w || s->n == SIM_MAX_VCPUS)
		return -1;
	v = &s->v[s->n++];
	snprintf(v->name, sizeof(v->name), "%s", w);
	v->e.name = v->name;
	v->e.params.weight = 1;
	while ((w = strtok(NULL, " \t")))
		if (vcpu_word(v, w))
			return -1;
	return (v->every_ns || v->yields) && !v->burst_ns ? -1 : 0;
}

static int line(struct sim *s, char *l)
{
	char *key = strtok(l, " \t"), *rest = strtok(NULL, ""), *val;

	if (!key)
		return 0;
	if (!strcmp(key, "vcpu"))
		return rest ? add_vcpu(s, rest) : -1;
	val = rest ? strtok(rest, " \t") : NULL;
	if (!val || strtok(NULL, " \t"))
		return -1;
	if (!strcmp(key, "cpus")) {
		s->ncpus = (u32)atoi(val);
		return s->ncpus >= 1 && s->ncpus <= SIM_MAX_CPUS ? 0 : -1;
	}
	if (!strcmp(key, "policy"))
		return snprintf(s->policy, sizeof(s->policy), "%s", val) < (int)sizeof(s->policy) ? 0 : -1;
	if (!strcmp(key, "slice"))
		return config_parse_duration(val, &s->slice_ns) ? 0 : -1;
	if (!strcmp(key, "duration"))
		return config_parse_duration(val, &s->duration_ns) ? 0 : -1;
	return -1;
}

int sim_load(struct sim *s, const char *path)
{
	FILE *f = fopen(path, "r");
	char buf[512];
	int no = 0;

	if (!f)
		return fprintf(stderr, "sched-sim: cannot read %s\n", path), -1;
	while (fgets(buf, sizeof(buf), f)) {
		no++;
		buf[strcspn(buf, "#\n")] = 0;
		if (line(s, buf)) {
			fprintf(stderr, "sched-sim: %s:%d: not understood (see sched/sim/workload.c)\n", path, no);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	if (!s->n)
		return fprintf(stderr, "sched-sim: %s: no vcpu lines\n", path), -1;
	return 0;
}

static int find_or_add(struct sim *s, const char *name)
{
	for (u32 i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].name, name))
			return (int)i;
	if (s->n == SIM_MAX_VCPUS)
		return -1;
	snprintf(s->v[s->n].name, sizeof(s->v[s->n].name), "%s", name);
	s->v[s->n].e.params.weight = 1;
	return (int)s->n++;
}

/* Lines "sched-trace: START DUR CPU NAME" anywhere in the log. */
int sim_load_log(struct sim *s, const char *path)
{
	FILE *f = fopen(path, "r");
	char buf[512], name[32];
	unsigned long long start, dur, first = ~0ULL;
	unsigned cpu;

	if (!f)
		return fprintf(stderr, "sched-sim: cannot read %s\n", path), -1;
	while (fgets(buf, sizeof(buf), f)) {
		char *p = strstr(buf, "sched-trace: ");
		int i;

		if (!p || sscanf(p, "sched-trace: %llu %llu %u %31s", &start, &dur, &cpu, name) != 4)
			continue;
		if ((i = find_or_add(s, name)) < 0 || cpu >= SIM_MAX_CPUS)
			break;
		first = start < first ? start : first;
		s->ncpus = cpu + 1 > s->ncpus ? cpu + 1 : s->ncpus;
		s->v[i].e.runtime_ns += dur;
		sim_add_slice(s, cpu, (u32)i, start, dur);
	}
	fclose(f);
	if (!s->nslices)
		return fprintf(stderr, "sched-sim: %s holds no sched-trace lines (boot with trace=on)\n", path), -1;
	for (u32 i = 0; i < s->nslices; i++)
		s->slices[i].start_ns -= first;
	s->duration_ns = s->slices[s->nslices - 1].start_ns + s->slices[s->nslices - 1].dur_ns;
	snprintf(s->policy, sizeof(s->policy), "target");
	return 0;
}
