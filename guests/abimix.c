/* abimix: one guest calling v1 and v3 in the same run, through both
 * versions' headers: each call answers as its own version defined it. */
#include "compat/abi/hv_v1.h"
#include "compat/abi/hv_v3.h"
#include "guests/rt/rt.h"

int main(void)
{
	static const char msg[] = "v1 console_write between v3 calls\n";
	static struct hv1_guest_info g1;
	static struct hv3_guest_info g3;
	uint64_t needed, bits, hz, now;

	EXPECT(hv1_guest_info((uintptr_t)&g1) == HV1_OK, "v1 guest_info: 32-byte layout, boot %u", g1.boot_count);
	EXPECT(hv3_guest_info((uintptr_t)&g3, sizeof(g3), &needed) == sizeof(g3),
	       "v3 guest_info: %u-byte layout", g3.size);
	EXPECT(g1.ram_size == g3.ram_size && g1.free_base == g3.free_base && g1.free_end == g3.free_end &&
	       g1.guest_id == g3.guest_id && g1.boot_count == g3.boot_count,
	       "both layouts describe the same guest (%lu KiB)", g1.ram_size >> 10);
	EXPECT(hv3_notify(g3.guest_id, 0x40) == HV3_OK, "v3 notify");
	EXPECT(hv1_console_write((uintptr_t)msg, sizeof(msg) - 1) == sizeof(msg) - 1, "v1 console_write");
	EXPECT(hv1_get_time(&hz, &now) == HV1_OK && hv3_sleep_until(now + 100000) == HV3_OK,
	       "v1 get_time, then v3 sleep_until");
	EXPECT(hv3_notify_poll(&bits) == HV3_OK && bits == 0x40, "v3 notify_poll sees the bit: %lx", bits);
	EXPECT(hv1_call(HV3_POWEROFF, 2, 0, 0, 0).status == HV1_EINVAL,
	       "number %d called as v1 is v1's shutdown: mode 2 is EINVAL, no power-off", HV3_POWEROFF);
	EXPECT(hv1_call(HV3_VCPU_INFO, 0, 0, 0, 0).status == HV1_ENOSYS, "v3's vcpu_info called as v1: ENOSYS");
	hv1_shutdown(HV1_SHUTDOWN_POWEROFF, (uint64_t)rt_failures);
	return 100;
}
