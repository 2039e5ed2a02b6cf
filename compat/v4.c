/* ABI version 4 (compat/abi/v4.abi): additions only: calls 0-11 are
 * served by the decoders of the versions that defined them (the generated
 * table); a guest reads and sets its scheduling parameters. */
#include "compat/compat.h"
#include "compat/abi/hv_v3.h"
#include "compat/abi/hv_v4.h"
#include "core/config/config.h"
#include "hypercall/hypercall.h"
#include "mm/gmem.h"

_Static_assert(HV4_ENOSYS == HC_ENOSYS && HV4_EINVAL == HC_EINVAL && HV4_EFAULT == HC_EFAULT &&
	       HV4_EPERM == HC_EPERM && HV4_EVERSION == HC_EVERSION && HV4_ETOOSMALL == HC_ETOOSMALL,
	       "v4 error values");
_Static_assert(HV4_F_INVARIANT_TSC == HV3_F_INVARIANT_TSC && HV4_F_NOTIFY == HV3_F_NOTIFY &&
	       HV4_CONSOLE_MAX == HV3_CONSOLE_MAX && HV4_SLEEP_MAX_NS == HV3_SLEEP_MAX_NS &&
	       sizeof(struct hv4_guest_info) == sizeof(struct hv3_guest_info) &&
	       sizeof(struct hv4_sched_info) == sizeof(struct hv3_sched_info) && HV4_WEIGHT_MAX == CFG_WEIGHT_MAX,
	       "v4 keeps v3's bits, limits and structures");

struct act v4_sched_get(struct vcpu *v)
{
	struct sched_params p;
	struct hv4_sched_params out;

	hc_sched_get(v, &p);
	out = (struct hv4_sched_params){ .size = sizeof(out), .weight = p.weight, .budget_ns = p.budget_ns,
					 .period_ns = p.period_ns };
	return compat_put_sized(v, &out, sizeof(out));
}

struct act v4_sched_set(struct vcpu *v)
{
	static const long errors[] = { HV4_OK, HV4_EINVAL, HV4_EREFUSED };
	u64 gpa = v->gprs.rbx, size = v->gprs.rcx;
	struct hv4_sched_params in;
	int r;

	if (gpa & 7)
		return compat_status(v, HV4_EINVAL);
	if (size < sizeof(in))
		return compat_status(v, HV4_ETOOSMALL);
	if (copy_from_guest(&v->guest->mem, &in, gpa, sizeof(in)))
		return compat_status(v, HV4_EFAULT);
	r = hc_sched_set(v, &(struct sched_params){ in.weight, in.budget_ns, in.period_ns });
	return compat_status(v, errors[-r]);
}
