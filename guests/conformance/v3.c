/* The ABI v3 conformance guest, built against compat/abi/hv_v3.h alone;
 * frozen at release as guests/golden/abi-v3.elf. Boot 1 checks every call
 * and reboots; boot 2 checks the reboot and powers off. */
#define ABI 3
#include "compat/abi/hv_v3.h"
#include "guests/conformance/conformance.h"

int main(void)
{
	static struct hv3_guest_info gi;
	uint64_t needed, features, oldest, newest;

	hv3_guest_info(gpa(&gi), sizeof(gi), &needed);
	rt_printf("v3 conformance, boot %u\n", gi.boot_count);
	check_memory(gi.ram_size, gi.free_base, gi.free_end);
	if (gi.boot_count == 1) {
		check_common(gi.ram_size);
		check_sized("guest_info", hv3_guest_info, sizeof(gi), gi.ram_size);
		check_vcpu_sched(gi.ram_size);
		hv3_get_version(&oldest, &newest, &features);
		if (features & HV3_F_NOTIFY)
			check_notify(gi.guest_id);
		rt_printf("v3 conformance, boot 1: %d failures\n", rt_failures);
		if (!rt_failures)
			hv3_reboot();
		EXPECT(!rt_failures, "reboot does not return");
	} else {
		EXPECT(gi.boot_count == 2, "boot_count after one reboot: %u", gi.boot_count);
	}
	rt_printf("v3 conformance, boot %u: %d failures\n", gi.boot_count, rt_failures);
	hv3_poweroff((uint64_t)rt_failures);
	return 100;
}
