/* The ABI v1 conformance guest: every v1 call with valid and invalid
 * arguments, built against compat/abi/hv_v1.h alone. Its binary, frozen at
 * release, is guests/golden/abi-v1.elf: it is never rebuilt. The first
 * boot checks everything and reboots; the second checks the reboot and
 * powers off with the number of failures. */
#define ABI 1
#include "compat/abi/hv_v1.h"
#include "guests/conformance/conformance.h"

static void check_info(uint64_t ram)
{
	fill(scratch, sizeof(scratch), 0xa5);
	EXPECT(hv1_guest_info(gpa(scratch)) == HV1_OK &&
	       untouched(scratch + sizeof(struct hv1_guest_info), 64, 0xa5), "guest_info writes its 32 bytes");
	EXPECT(hv1_guest_info(gpa(scratch) + 4) == HV1_EINVAL, "guest_info misaligned: EINVAL");
	EXPECT(hv1_guest_info(ram - 8) == HV1_EFAULT, "guest_info across the end of RAM: EFAULT");
	EXPECT(hv1_guest_info(~0ULL & ~7ULL) == HV1_EFAULT, "guest_info far outside RAM: EFAULT");
}

int main(void)
{
	static struct hv1_guest_info gi;

	hv1_guest_info(gpa(&gi));
	rt_printf("v1 conformance, boot %u\n", gi.boot_count);
	check_memory(gi.ram_size, gi.free_base, gi.free_end);
	if (gi.boot_count == 1) {
		check_common(gi.ram_size);
		check_info(gi.ram_size);
		EXPECT(hv1_shutdown(2, 0) == HV1_EINVAL, "shutdown with an unknown mode: EINVAL");
		rt_printf("v1 conformance, boot 1: %d failures\n", rt_failures);
		if (!rt_failures)
			hv1_shutdown(HV1_SHUTDOWN_REBOOT, 0);
		EXPECT(!rt_failures, "shutdown(REBOOT) does not return");
	} else {
		EXPECT(gi.boot_count == 2, "boot_count after one reboot: %u", gi.boot_count);
	}
	rt_printf("v1 conformance, boot %u: %d failures\n", gi.boot_count, rt_failures);
	hv1_shutdown(HV1_SHUTDOWN_POWEROFF, (uint64_t)rt_failures);
	return 100;
}
