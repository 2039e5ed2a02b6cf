/* The on-target schedule trace (core/guest/run_trace.h). */
#include "core/guest/run_trace.h"
#include "core/console/console.h"
#include "core/lib/spinlock.h"
#include "mm/mm.h"

struct slice_rec {
	u64 start_ns, dur_ns;
	u32 cpu, entity;
};

static struct slice_rec *ring;
static u64 count;
static struct spinlock lock = SPINLOCK("trace");   /* the ring and count: every CPU adds */
bool run_trace_on;   /* ring is allocated */

void run_trace_init(bool on)
{
	if (on && !(ring = kzalloc(RUN_TRACE_LEN * sizeof(*ring))))
		log_warn("sched: no memory for the trace: trace=on ignored\n");
	run_trace_on = ring != NULL;
}

void run_trace_add(u64 start_ns, u64 dur_ns, u32 cpu, u32 entity)
{
	spin_lock(&lock);
	ring[count++ % RUN_TRACE_LEN] = (struct slice_rec){ start_ns, dur_ns, cpu, entity };
	spin_unlock(&lock);
}

bool run_trace_dump(const struct scheduler *s)
{
	u64 first = count > RUN_TRACE_LEN ? count - RUN_TRACE_LEN : 0;

	if (!ring)
		return false;
	log_info("sched: trace of the last %lu of %lu slices\n", count - first, count);
	for (u64 i = first; i < count; i++) {
		const struct slice_rec *r = &ring[i % RUN_TRACE_LEN];

		log_info("sched-trace: %lu %lu %u %s\n", r->start_ns, r->dur_ns, r->cpu, s->all[r->entity]->name);
	}
	return true;
}
