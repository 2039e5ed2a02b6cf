/* ABI version 2 (compat/abi/v2.abi): released, frozen. Calls v2 kept from
 * v1 decode exactly as v1's; guest_info has its own larger structure and
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

void v2_get_version(struct vcpu *v) { v1_get_version(v); }
void v2_console_write(struct vcpu *v) { v1_console_write(v); }
void v2_get_time(struct vcpu *v) { v1_get_time(v); }
void v2_yield(struct vcpu *v) { v1_yield(v); }
void v2_sleep_until(struct vcpu *v) { v1_sleep_until(v); }

void v2_guest_info(struct vcpu *v)
{
	struct hc_guest_info gi;
	struct hv2_guest_info out;

	hc_guest_info(v->guest, &gi);
	out = (struct hv2_guest_info){
		.size = sizeof(out), .ram_base = gi.ram_base, .ram_size = gi.ram_size,
		.free_base = gi.free_base, .free_end = gi.free_end, .guest_id = gi.guest_id,
		.boot_count = gi.boot_count, .vcpu_count = gi.vcpu_count,
	};
	compat_put_sized(v, &out, sizeof(out));
}

void v2_poweroff(struct vcpu *v)
{
	hc_poweroff(v->guest, v->gprs.rbx);
}

void v2_reboot(struct vcpu *v)
{
	hc_reboot(v->guest);
}
