/* ABI version 2 (compat/abi/v2.abi): released, frozen. Calls v2 kept from
 * v1 go to v1's decoders (the generated table); guest_info has its own larger structure and
 * shutdown is split in two. */
#include "compat/compat.h"
#include "compat/abi/hv_v1.h"
#include "compat/abi/hv_v2.h"
#include "hypercall/hypercall.h"

_Static_assert(HV2_ENOSYS == HC_ENOSYS && HV2_EINVAL == HC_EINVAL && HV2_EFAULT == HC_EFAULT &&
	       HV2_EPERM == HC_EPERM && HV2_EVERSION == HC_EVERSION && HV2_ETOOSMALL == HC_ETOOSMALL,
	       "v2 error values");
/* What v2 shares with v1 must be the same, value for value. */
_Static_assert(HV2_F_INVARIANT_TSC == HV1_F_INVARIANT_TSC && HV2_CONSOLE_MAX == HV1_CONSOLE_MAX &&
	       HV2_SLEEP_MAX_NS == HV1_SLEEP_MAX_NS, "v2 keeps v1's bits and limits");

struct act v2_guest_info(struct vcpu *v)
{
	struct hc_guest_info gi;
	struct hv2_guest_info out;

	hc_guest_info(v->guest, &gi);
	out = (struct hv2_guest_info){
		.size = sizeof(out), .ram_base = gi.ram_base, .ram_size = gi.ram_size,
		.free_base = gi.free_base, .free_end = gi.free_end, .guest_id = gi.guest_id,
		.boot_count = gi.boot_count, .vcpu_count = gi.vcpu_count,
	};
	return compat_put_sized(v, &out, sizeof(out));
}

struct act v2_poweroff(struct vcpu *v)
{
	return hc_poweroff(v->guest, v->gprs.rbx);
}

struct act v2_reboot(struct vcpu *v)
{
	return hc_reboot(v->guest);
}
