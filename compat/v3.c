/* ABI version 3 (compat/abi/v3.abi): released, frozen. Additions only:
 * calls 1-7 are v1's and v2's, served by their decoders (the generated
 * table); get_version reports the feature bits v3 defines. */
#include "compat/compat.h"
#include "compat/abi/hv_v2.h"
#include "compat/abi/hv_v3.h"
#include "core/lib/string.h"
#include "hypercall/hypercall.h"

_Static_assert(HV3_ENOSYS == HC_ENOSYS && HV3_EINVAL == HC_EINVAL && HV3_EFAULT == HC_EFAULT &&
	       HV3_EPERM == HC_EPERM && HV3_EVERSION == HC_EVERSION && HV3_ETOOSMALL == HC_ETOOSMALL,
	       "v3 error values");
_Static_assert(HV3_F_INVARIANT_TSC == HV2_F_INVARIANT_TSC && HV3_F_NOTIFY == HC_F_NOTIFY &&
	       HV3_CONSOLE_MAX == HV2_CONSOLE_MAX && HV3_SLEEP_MAX_NS == HV2_SLEEP_MAX_NS &&
	       sizeof(struct hv3_guest_info) == sizeof(struct hv2_guest_info),
	       "v3 keeps v2's bits, limits and structures");
_Static_assert(sizeof(((struct hv3_sched_info *)0)->policy) == HC_POLICY_NAME, "policy name");

#define V3_FEATURES (HV3_F_INVARIANT_TSC | HV3_F_NOTIFY)

/* As v1's, with the feature bits v3 defines. */
struct act v3_get_version(struct vcpu *v)
{
	return compat_get_version(v, V3_FEATURES);
}

struct act v3_vcpu_info(struct vcpu *v)
{
	struct hc_vcpu_info vi;

	hc_vcpu_info(v, &vi);
	v->gprs.rbx = vi.id;
	v->gprs.rcx = vi.count;
	return compat_status(v, HV3_OK);
}

struct act v3_sched_info(struct vcpu *v)
{
	struct hc_sched_info si;
	struct hv3_sched_info out;

	hc_sched_info(v, &si);
	out = (struct hv3_sched_info){ .size = sizeof(out), .weight = si.weight, .slice_ns = si.slice_ns };
	memcpy(out.policy, si.policy, sizeof(out.policy));
	out.policy[sizeof(out.policy) - 1] = 0;
	return compat_put_sized(v, &out, sizeof(out));
}

struct act v3_notify(struct vcpu *v)
{
	u64 target = v->gprs.rbx, bits = v->gprs.rcx;

	if (!bits || target > 0xffffffffu || hc_notify((u32)target, bits))
		return compat_status(v, HV3_EINVAL);
	return compat_status(v, HV3_OK);
}

struct act v3_notify_poll(struct vcpu *v)
{
	v->gprs.rbx = hc_notify_poll(v->guest);
	return compat_status(v, HV3_OK);
}
