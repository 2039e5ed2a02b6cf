/* user: hypercalls from CPL 3 get EPERM through either instruction, and
 * change nothing; CPL 0 calls and exception catching still work after. */
#include "guests/rt/rt.h"

static void ud(void *arg)
{
	(void)arg;
	__asm__ volatile("ud2");
}

int main(void)
{
	int64_t st = rt_user_hypercall(HC_GET_VERSION, 0, 0, 0);

	EXPECT(st == HV1_EPERM, "CPL 3 VMCALL: %ld (EPERM)", st);
	st = rt_user_hypercall(HC_GET_VERSION, 0, 0, 1);
	EXPECT(st == HV1_EPERM, "CPL 3 VMMCALL: %ld (EPERM)", st);
	st = rt_user_hypercall(HC_SHUTDOWN, HV1_SHUTDOWN_POWEROFF, 42, 0);
	EXPECT(st == HV1_EPERM, "CPL 3 shutdown: %ld (EPERM), still running", st);
	EXPECT(hv_vmcall(HC_GET_VERSION, 0, 0, 0, 0).status == 0, "CPL 0 get_version still works");
	EXPECT(rt_try(ud, NULL) == 6, "CPL 0 #UD still caught by the runtime");
	return rt_failures;
}
