/* vmmcall: the same calls through AMD's instruction, whatever the CPU. */
#include "guests/rt/rt.h"

int main(void)
{
	static const char msg[] = "hello through VMMCALL\n";
	struct hc_result r = hv_vmmcall(HC_CONSOLE_WRITE, (uintptr_t)msg, sizeof(msg) - 1, 0, 0);

	EXPECT(r.status == (int64_t)sizeof(msg) - 1, "console_write returned %ld", r.status);
	r = hv_vmmcall(HC_GET_VERSION, 0, 0, 0, 0);
	EXPECT(r.status == 0 && r.r1 == 1, "get_version via VMMCALL: oldest %lu", r.r1);
	hv_vmmcall(HC_SHUTDOWN, HV1_SHUTDOWN_POWEROFF, (uint64_t)rt_failures, 0, 0);
	return 99;
}
