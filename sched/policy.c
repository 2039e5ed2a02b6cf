/* The policies linked in: every file in sched/policies/ puts a pointer to
 * its ops in the section "sched_policies" (SCHED_POLICY); the linker
 * gathers them between these two symbols (the hypervisor's linker scripts
 * define them; on the host, ld does for any section named like a C
 * identifier). */
#include "sched/sched.h"
#include "core/lib/string.h"

extern const struct sched_ops *const __start_sched_policies[];
extern const struct sched_ops *const __stop_sched_policies[];

const struct sched_ops *sched_policy_find(const char *name)
{
	for (const struct sched_ops *const *p = __start_sched_policies; p < __stop_sched_policies; p++)
		if (!strcmp((*p)->name, name))
			return *p;
	return NULL;
}

void sched_policy_each(void (*fn)(const struct sched_ops *ops, void *arg), void *arg)
{
	for (const struct sched_ops *const *p = __start_sched_policies; p < __stop_sched_policies; p++)
		fn(*p, arg);
}
