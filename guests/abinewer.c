/* abinewer: a guest built for an ABI version newer than any this
 * hypervisor serves. Discovery tells it so; a call with its version gets
 * EVERSION, not a crash; it falls back to a version that is served. */
#include "guests/rt/rt.h"

#define WANTED 9   /* the version this guest was "built" against */

int main(void)
{
	struct cpuid h1 = rt_cpuid(0x40000001, 0);
	struct hc_result r;

	EXPECT(h1.b < WANTED, "discovery: versions %u to %u served, v%d is not", h1.a, h1.b, WANTED);
	r = hv_vmcall(HC(WANTED, 0), 0, 0, 0, 0);
	EXPECT(r.status == HV1_EVERSION, "a v%d call: EVERSION (%ld)", WANTED, r.status);
	r = hv_vmmcall(HC(0xffff, 0xffff), 0, 0, 0, 0);
	EXPECT(r.status == HV1_EVERSION, "version 0xffff through VMMCALL: EVERSION (%ld)", r.status);
	r = hv_vmcall(HC(h1.b, HV1_GET_VERSION), 0, 0, 0, 0);
	EXPECT(r.status == 0 && r.r2 == h1.b, "falls back to v%u: get_version works", h1.b);
	return rt_failures;
}
