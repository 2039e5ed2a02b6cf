/* schedset: under sched=edf, asks for reservations through ABI v4: one that
 * would overcommit the CPU (refused, nothing changes), then one that fits. */
#include "compat/abi/hv_v4.h"
#include "guests/rt/rt.h"

int main(void)
{
	static struct hv4_sched_params p = { sizeof(p), 1, 5000000, 10000000 };
	uint64_t needed;

	EXPECT(hv4_sched_set((uintptr_t)&p, sizeof(p)) == HV4_EREFUSED, "5ms every 10ms beside 60%%: EREFUSED");
	hv4_sched_get((uintptr_t)&p, sizeof(p), &needed);
	EXPECT(p.budget_ns == 0 && p.period_ns == 0, "still no reservation");
	p = (struct hv4_sched_params){ sizeof(p), 1, 3000000, 10000000 };
	EXPECT(hv4_sched_set((uintptr_t)&p, sizeof(p)) == HV4_OK, "3ms every 10ms: accepted");
	hv4_sched_get((uintptr_t)&p, sizeof(p), &needed);
	EXPECT(p.budget_ns == 3000000 && p.period_ns == 10000000, "sched_get: %lu ns every %lu ns", p.budget_ns,
	       p.period_ns);
	return rt_failures;
}
