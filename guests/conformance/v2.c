/* The ABI v2 conformance guest, built against compat/abi/hv_v2.h alone;
 * frozen at release as guests/golden/abi-v2.elf. Boot 1 checks every call
 * and reboots; boot 2 checks the reboot and powers off. */
#define ABI 2
#include "compat/abi/hv_v2.h"
#include "guests/conformance/conformance.h"

static void read_info(struct hv2_guest_info *gi)
{
	uint64_t needed;

	if (hv2_guest_info(gpa(gi), sizeof(*gi), &needed) != sizeof(*gi))
		EXPECT(0, "guest_info into a %zu-byte structure", sizeof(*gi));
}

int main(void)
{
	static struct hv2_guest_info gi;

	read_info(&gi);
	rt_printf("v2 conformance, boot %u\n", gi.boot_count);
	EXPECT(gi.size == sizeof(gi) && gi.flags == 0 && gi.ram_base == 0 && gi.vcpu_count >= 1 &&
	       gi.reserved == 0, "guest_info: size %u, %u vCPU(s)", gi.size, gi.vcpu_count);
	check_memory(gi.ram_size, gi.free_base, gi.free_end);
	if (gi.boot_count == 1) {
		check_common(gi.ram_size);
		check_sized("guest_info", hv2_guest_info, sizeof(gi), gi.ram_size);
		rt_printf("v2 conformance, boot 1: %d failures\n", rt_failures);
		if (!rt_failures)
			hv2_reboot();
		EXPECT(!rt_failures, "reboot does not return");
	} else {
		EXPECT(gi.boot_count == 2, "boot_count after one reboot: %u", gi.boot_count);
	}
	rt_printf("v2 conformance, boot %u: %d failures\n", gi.boot_count, rt_failures);
	hv2_poweroff((uint64_t)rt_failures);
	return 100;
}
