/* ABI version 1 (draft: not released or locked yet; see docs/abi/).
 *   0 get_version()            -> RAX 0, RBX oldest, RCX newest version served
 *   1 console_write(RBX gpa, RCX len) -> RAX len written, or HC_EINVAL / HC_EFAULT
 *   2 shutdown(RBX code)       -> does not return */
#include "compat/compat.h"
#include "hypercall/hypercall.h"

#define V1_CONSOLE_MAX 4096

static void v1_get_version(struct vcpu *v)
{
	v->gprs.rax = 0;
	v->gprs.rbx = ABI_OLDEST;
	v->gprs.rcx = ABI_NEWEST;
}

static void v1_console_write(struct vcpu *v)
{
	u64 gpa = v->gprs.rbx, len = v->gprs.rcx;

	if (len > V1_CONSOLE_MAX) {
		v->gprs.rax = (u64)HC_EINVAL;
		return;
	}
	v->gprs.rax = hc_console_write(v->guest, gpa, len) ? (u64)HC_EFAULT : len;
}

static void v1_shutdown(struct vcpu *v)
{
	hc_shutdown(v->guest, v->gprs.rbx);
}

static const hc_decoder v1_calls[] = {
	v1_get_version,
	v1_console_write,
	v1_shutdown,
};

const struct abi_version abi_v1 = { 1, ARRAY_SIZE(v1_calls), v1_calls };
