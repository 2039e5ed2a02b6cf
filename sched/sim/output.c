/* What the simulator reports: a table per vCPU, a Chrome trace (opens in
 * ui.perfetto.dev or chrome://tracing) and an SVG Gantt chart. */
#include <stdlib.h>
#include <string.h>

#include "sched/sim/sim.h"

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* The p-th percentile of v's latencies, in microseconds (sorts them). */
static double percentile_us(const struct sim_vcpu *v, u32 p)
{
	if (!v->nlat)
		return 0;
	qsort(v->lat, v->nlat, sizeof(*v->lat), cmp_u64);
	return (double)v->lat[(u64)(v->nlat - 1) * p / 100] / 1000;
}

static u64 weight_on_cpu(const struct sim *s, u32 cpu)
{
	u64 sum = 0;

	for (u32 i = 0; i < s->n; i++)
		if (s->v[i].e.cpu == cpu)
			sum += s->v[i].e.params.weight;
	return sum;
}

void sim_report(const struct sim *s, FILE *out)
{
	u64 misses = 0;

	if (s->seconds > 0)
		fprintf(out, "policy %s, %u CPU(s), slice %.3f ms, %.3f ms simulated\n", s->policy, s->ncpus,
			(double)s->slice_ns / 1e6, (double)s->duration_ns / 1e6);
	else
		fprintf(out, "schedule read from a hypervisor trace: %u CPU(s), %.3f ms (weights, latencies "
			"and misses are not in the trace)\n", s->ncpus, (double)s->duration_ns / 1e6);
	if (s->seconds > 0)
		fprintf(out, "%lu decisions in %.3f s of host time: %.0f decisions per second\n",
			s->decisions, s->seconds, (double)s->decisions / s->seconds);
	if (s->seconds > 0 && s->ncpus > 1)
		fprintf(out, "%lu moves between CPUs (load balancing)\n", s->moves);
	fprintf(out, "%-12s %3s %6s %12s %8s %8s %10s %10s %10s %8s\n", "vcpu", "cpu", "weight", "cpu-ms",
		"share", "weight%", "lat-p50us", "lat-p95us", "lat-p99us", "misses");
	for (u32 i = 0; i < s->n; i++) {
		const struct sim_vcpu *v = &s->v[i];
		u64 wsum = weight_on_cpu(s, v->e.cpu);
		u64 miss = v->job_misses + v->e.misses;

		misses += miss;
		fprintf(out, "%-12s %3u %6u %12.3f %7.2f%% %7.2f%% %10.1f %10.1f %10.1f %8lu\n", v->name, v->e.cpu,
			v->e.params.weight, (double)v->e.runtime_ns / 1e6,
			s->duration_ns ? 100.0 * (double)v->e.runtime_ns / (double)s->duration_ns : 0,
			wsum ? 100.0 * v->e.params.weight / (double)wsum : 0, percentile_us(v, 50),
			percentile_us(v, 95), percentile_us(v, 99), miss);
	}
	fprintf(out, "deadline misses: %lu\n", misses);
}

int sim_write_trace(const struct sim *s, const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return fprintf(stderr, "sched-sim: cannot write %s\n", path), -1;
	fprintf(f, "{\"displayTimeUnit\": \"ns\", \"traceEvents\": [\n");
	for (u32 c = 0; c < s->ncpus; c++)
		fprintf(f, "{\"ph\": \"M\", \"name\": \"thread_name\", \"pid\": 0, \"tid\": %u, \"args\": {\"name\": \"CPU %u\"}},\n",
			c, c);
	for (u32 i = 0; i < s->nslices; i++) {
		const struct sim_slice *sl = &s->slices[i];

		fprintf(f, "{\"ph\": \"X\", \"name\": \"%s\", \"pid\": 0, \"tid\": %u, \"ts\": %.3f, \"dur\": %.3f}%s\n",
			s->v[sl->vcpu].name, sl->cpu, (double)sl->start_ns / 1000, (double)sl->dur_ns / 1000,
			i + 1 < s->nslices ? "," : "");
	}
	fprintf(f, "]}\n");
	return fclose(f);
}

#define SVG_W 1200
#define SVG_ROW 24
#define SVG_LEFT 120

static const char *const colors[] = { "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
				      "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac" };

int sim_write_svg(const struct sim *s, const char *path)
{
	FILE *f = fopen(path, "w");
	double span = s->duration_ns ? (double)s->duration_ns : 1, scale = (SVG_W - SVG_LEFT - 10) / span;
	u32 h = SVG_ROW * (s->n + 2);

	if (!f)
		return fprintf(stderr, "sched-sim: cannot write %s\n", path), -1;
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%u\" font-family=\"monospace\" font-size=\"12\">\n",
		SVG_W, h);
	fprintf(f, "<text x=\"4\" y=\"16\">%s, %u CPU(s): one row per vCPU, %.3f ms</text>\n", s->policy, s->ncpus,
		span / 1e6);
	for (u32 i = 0; i < s->n; i++)
		fprintf(f, "<text x=\"4\" y=\"%u\">%s</text>\n", SVG_ROW * (i + 2) - 6, s->v[i].name);
	for (u32 i = 0; i < s->nslices; i++) {
		const struct sim_slice *sl = &s->slices[i];

		fprintf(f, "<rect x=\"%.2f\" y=\"%u\" width=\"%.2f\" height=\"%d\" fill=\"%s\"><title>%s on CPU %u: %.3f ms at %.3f ms</title></rect>\n",
			SVG_LEFT + (double)sl->start_ns * scale, SVG_ROW * (sl->vcpu + 1) + 2,
			(double)sl->dur_ns * scale < 0.5 ? 0.5 : (double)sl->dur_ns * scale, SVG_ROW - 6,
			colors[sl->vcpu % ARRAY_SIZE(colors)], s->v[sl->vcpu].name, sl->cpu,
			(double)sl->dur_ns / 1e6, (double)sl->start_ns / 1e6);
	}
	fprintf(f, "</svg>\n");
	return fclose(f);
}
