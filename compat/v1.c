/* ABI version 1 (compat/abi/v1.abi): released, frozen. Nothing here may
 * change what a v1 guest observes. */
#include "compat/compat.h"
#include "compat/abi/hv_v1.h"
#include "hypercall/hypercall.h"

_Static_assert(HV1_ENOSYS == HC_ENOSYS && HV1_EINVAL == HC_EINVAL && HV1_EFAULT == HC_EFAULT &&
	       HV1_EPERM == HC_EPERM && HV1_EVERSION == HC_EVERSION, "v1 error values");
_Static_assert(HV1_F_INVARIANT_TSC == HC_F_INVARIANT_TSC, "v1 feature bits");

#define V1_FEATURES HV1_F_INVARIANT_TSC

struct act v1_get_version(struct vcpu *v)
{
	return compat_get_version(v, V1_FEATURES);
}

struct act v1_console_write(struct vcpu *v)
{
	u64 gpa = v->gprs.rbx, len = v->gprs.rcx;
	int r;

	if (len > HV1_CONSOLE_MAX)
		return compat_status(v, HV1_EINVAL);
	r = hc_console_write(v->guest, gpa, len);
	if (r > 0)
		return compat_retry(v);
	return compat_status(v, r ? HV1_EFAULT : (long)len);
}

struct act v1_get_time(struct vcpu *v)
{
	struct hc_time t;

	hc_get_time(&t);
	v->gprs.rbx = t.tsc_hz;
	v->gprs.rcx = t.now_ns;
	return compat_status(v, HV1_OK);
}

struct act v1_yield(struct vcpu *v)
{
	compat_status(v, HV1_OK);
	return hc_yield(v);
}

struct act v1_sleep_until(struct vcpu *v)
{
	struct hc_time t;
	u64 deadline = v->gprs.rbx;

	hc_get_time(&t);
	if (deadline > t.now_ns && deadline - t.now_ns > HV1_SLEEP_MAX_NS)
		return compat_status(v, HV1_EINVAL);
	compat_status(v, HV1_OK);
	return hc_sleep_until(v, deadline);
}

struct act v1_guest_info(struct vcpu *v)
{
	struct hc_guest_info gi;
	struct hv1_guest_info out;

	hc_guest_info(v->guest, &gi);
	out = (struct hv1_guest_info){
		.ram_size = gi.ram_size, .free_base = gi.free_base, .free_end = gi.free_end,
		.guest_id = gi.guest_id, .boot_count = gi.boot_count,
	};
	return compat_put(v, v->gprs.rbx, &out, sizeof(out));
}

struct act v1_shutdown(struct vcpu *v)
{
	u64 mode = v->gprs.rbx;

	if (mode == HV1_SHUTDOWN_POWEROFF)
		return hc_poweroff(v->guest, v->gprs.rcx);
	if (mode == HV1_SHUTDOWN_REBOOT)
		return hc_reboot(v->guest);
	return compat_status(v, HV1_EINVAL);
}
