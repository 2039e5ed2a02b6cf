/* waiter: sleeps in 10 ms steps so a test has time to drive the debug
 * console while it is alive; it stops once the console has visibly acted
 * on it (restarted, so its boot count is 2, or given weight 3 or more), or
 * after 30 s of the hypervisor's clock. */
#include "compat/abi/hv_v4.h"
#include "guests/rt/rt.h"

#define STEP_NS 10000000ULL
#define WINDOW_NS 30000000000ULL

/* Why to stop now, or NULL. */
static const char *done(uint64_t start, uint64_t now)
{
	static struct hv4_guest_info gi;
	static struct hv4_sched_params sp;
	uint64_t needed;

	hv4_guest_info((uintptr_t)&gi, sizeof(gi), &needed);
	hv4_sched_get((uintptr_t)&sp, sizeof(sp), &needed);
	if (gi.boot_count >= 2)
		return "restarted";
	if (sp.weight >= 3)
		return "given weight 3";
	return now - start >= WINDOW_NS ? "30 s passed" : NULL;
}

int main(void)
{
	uint64_t hz, start, now;
	const char *why;

	hv1_get_time(&hz, &start);
	do {
		hv1_get_time(&hz, &now);
		hv1_sleep_until(now + STEP_NS);
	} while (!(why = done(start, now)));
	rt_printf("waited until %s\n", why);
	return 0;
}
