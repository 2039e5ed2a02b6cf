/* The schedule as it happened on target: a ring of the last RUN_TRACE_LEN
 * slices, printed at power-off as "sched-trace: START_NS DUR_NS CPU NAME"
 * lines when trace=on. `build/sched-sim --log SERIAL` reads them into the
 * simulator's report, Chrome trace and SVG chart. */
#ifndef CORE_RUN_TRACE_H
#define CORE_RUN_TRACE_H

#include "sched/sched.h"

#define RUN_TRACE_LEN 4096

/* Allocates the ring when on; otherwise recording does nothing. */
void run_trace_init(bool on);

extern bool run_trace_on;

void run_trace_add(u64 start_ns, u64 dur_ns, u32 cpu, u32 entity);

/* A slice, in the ring when tracing is on: one test a switch when off. */
static inline void run_trace_record(u64 start_ns, u64 dur_ns, u32 cpu, u32 entity)
{
	if (run_trace_on)
		run_trace_add(start_ns, dur_ns, cpu, entity);
}

/* Prints the ring, oldest first, naming entities from s; false when
 * tracing is off. */
bool run_trace_dump(const struct scheduler *s);

#endif
