/* hcloop: many null hypercalls (get_version) through ABI versions 1 to 4,
 * by VMCALL and by VMMCALL; reports the cheapest round trip of each in TSC
 * ticks (under Bochs, one tick per instruction; under QEMU -icount
 * shift=7, 128). The vendor's own instruction is an intercept; the other
 * one reaches the hypervisor as #UD and is decoded. */
#include "guests/rt/rt.h"

#define CALLS 2000

static int loop(uint32_t version, bool vmmcall)
{
	uint64_t best = ~0ULL, total = 0;

	for (int i = 0; i < CALLS; i++) {
		uint64_t t0 = rt_rdtsc();
		struct hc_result r = vmmcall ? hv_vmmcall(HC(version, 0), 0, 0, 0, 0)
					     : hv_vmcall(HC(version, 0), 0, 0, 0, 0);
		uint64_t dt = rt_rdtsc() - t0;

		if (r.status != 0) {
			rt_printf("v%u call %d failed: %ld\n", version, i, r.status);
			return 1;
		}
		total += dt;
		best = dt < best ? dt : best;
	}
	rt_printf("v%u %s: %d calls: min %lu ticks, mean %lu ticks per round trip\n", version,
		  vmmcall ? "vmmcall" : "vmcall", CALLS, best, total / CALLS);
	return 0;
}

int main(void)
{
	int failed = 0;

	for (uint32_t v = 1; v <= 4; v++)
		failed += loop(v, false) + loop(v, true);
	return failed;
}
