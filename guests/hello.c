/* hello: console output by hypercall, the ABI range, a clean shutdown. */
#include "guests/rt/rt.h"

int main(void)
{
	struct hc_result r = hv_vmcall(HC_GET_VERSION, 0, 0, 0, 0);

	rt_printf("hello from a guest\n");
	EXPECT(r.status == 0 && r.r1 >= 1 && r.r2 >= r.r1,
	       "get_version: ABI versions %lu to %lu", r.r1, r.r2);
	return rt_failures;
}
