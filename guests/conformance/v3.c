/* The ABI v3 conformance guest, built against compat/abi/hv_v3.h alone;
 * frozen at release as guests/golden/abi-v3.elf. Boot 1 checks every call
 * and reboots; boot 2 checks the reboot and powers off. */
#define ABI 3
#include "compat/abi/hv_v3.h"
#include "guests/conformance/conformance.h"

static void check_vcpu_sched(uint64_t ram)
{
	static struct hv3_sched_info si;
	uint64_t id = ~0ULL, count = 0, needed;
	size_t len = 0;

	EXPECT(hv3_vcpu_info(&id, &count) == HV3_OK && id < count, "vcpu_info: vCPU %lu of %lu", id, count);
	EXPECT(hv3_sched_info(gpa(&si), sizeof(si), &needed) == sizeof(si), "sched_info");
	while (len < sizeof(si.policy) && si.policy[len])
		len++;
	EXPECT(si.size == sizeof(si) && si.weight >= 1 && si.slice_ns > 0 && len > 0 && len < sizeof(si.policy),
	       "sched_info: policy %s, weight %u, slice %lu ns", len < sizeof(si.policy) ? si.policy : "?",
	       si.weight, si.slice_ns);
	check_sized("sched_info", hv3_sched_info, sizeof(si), ram);
}

static void check_notify(uint32_t self)
{
	uint64_t bits = 1;

	hv3_notify_poll(&bits);
	EXPECT(hv3_notify(self, 0x5) == HV3_OK && hv3_notify(self, 0x8) == HV3_OK, "notify itself twice");
	EXPECT(hv3_notify_poll(&bits) == HV3_OK && bits == 0xd, "notify_poll: bits %lx (OR of both)", bits);
	EXPECT(hv3_notify_poll(&bits) == HV3_OK && bits == 0, "notify_poll again: 0");
	EXPECT(hv3_notify(self, 0) == HV3_EINVAL, "notify with no bits: EINVAL");
	EXPECT(hv3_notify(0xffffffffULL, 1) == HV3_EINVAL, "notify guest 0xffffffff: EINVAL");
	EXPECT(hv3_notify(1ULL << 32 | self, 1) == HV3_EINVAL, "notify a 64-bit guest id: EINVAL");
}

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
