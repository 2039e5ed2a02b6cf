/* The ABI v4 conformance guest, built against compat/abi/hv_v4.h alone;
 * frozen at release as guests/golden/abi-v4.elf. Boot 1 checks every call
 * and reboots; boot 2 checks the reboot and powers off. */
#define ABI 4
#include "compat/abi/hv_v4.h"
#include "guests/conformance/conformance.h"

/* Reads and changes its own parameters; restores them. */
static void check_sched_params(uint64_t ram)
{
	static struct hv4_sched_params p, q;
	uint64_t needed;

	EXPECT(hv4_sched_get(gpa(&p), sizeof(p), &needed) == sizeof(p) && p.size == sizeof(p) && p.weight >= 1 &&
	       p.budget_ns <= p.period_ns, "sched_get: weight %u, budget %lu, period %lu", p.weight, p.budget_ns,
	       p.period_ns);
	check_sized("sched_get", hv4_sched_get, sizeof(p), ram);
	q = p;
	q.weight = p.weight % HV4_WEIGHT_MAX + 1;
	EXPECT(hv4_sched_set(gpa(&q), sizeof(q)) == HV4_OK, "sched_set weight %u", q.weight);
	hv4_sched_get(gpa(&q), sizeof(q), &needed);
	EXPECT(q.weight == p.weight % HV4_WEIGHT_MAX + 1, "sched_get sees weight %u", q.weight);
	q.weight = 0;
	EXPECT(hv4_sched_set(gpa(&q), sizeof(q)) == HV4_EINVAL, "sched_set weight 0: EINVAL");
	q.weight = HV4_WEIGHT_MAX + 1;
	EXPECT(hv4_sched_set(gpa(&q), sizeof(q)) == HV4_EINVAL, "sched_set weight over WEIGHT_MAX: EINVAL");
	q = p;
	q.budget_ns = 2000000;
	q.period_ns = 0;
	EXPECT(hv4_sched_set(gpa(&q), sizeof(q)) == HV4_EINVAL, "sched_set budget without period: EINVAL");
	q.period_ns = 1000000;
	EXPECT(hv4_sched_set(gpa(&q), sizeof(q)) == HV4_EINVAL, "sched_set budget over period: EINVAL");
	EXPECT(hv4_sched_set(gpa(&q), sizeof(q) - 1) == HV4_ETOOSMALL, "sched_set of a short structure: ETOOSMALL");
	EXPECT(hv4_sched_set(gpa(&q) + 4, sizeof(q)) == HV4_EINVAL, "sched_set misaligned: EINVAL");
	EXPECT(hv4_sched_set(ram - 8, sizeof(q)) == HV4_EFAULT, "sched_set across the end of RAM: EFAULT");
	hv4_sched_get(gpa(&q), sizeof(q), &needed);
	EXPECT(q.weight == p.weight % HV4_WEIGHT_MAX + 1 && q.budget_ns == p.budget_ns,
	       "refused calls changed nothing");
	EXPECT(hv4_sched_set(gpa(&p), sizeof(p)) == HV4_OK, "sched_set restores weight %u", p.weight);
}

int main(void)
{
	static struct hv4_guest_info gi;
	uint64_t needed, features, oldest, newest;

	hv4_guest_info(gpa(&gi), sizeof(gi), &needed);
	rt_printf("v4 conformance, boot %u\n", gi.boot_count);
	check_memory(gi.ram_size, gi.free_base, gi.free_end);
	if (gi.boot_count == 1) {
		check_common(gi.ram_size);
		check_sized("guest_info", hv4_guest_info, sizeof(gi), gi.ram_size);
		check_vcpu_sched(gi.ram_size);
		check_sched_params(gi.ram_size);
		hv4_get_version(&oldest, &newest, &features);
		if (features & HV4_F_NOTIFY)
			check_notify(gi.guest_id);
		rt_printf("v4 conformance, boot 1: %d failures\n", rt_failures);
		if (!rt_failures)
			hv4_reboot();
		EXPECT(!rt_failures, "reboot does not return");
	} else {
		EXPECT(gi.boot_count == 2, "boot_count after one reboot: %u", gi.boot_count);
	}
	rt_printf("v4 conformance, boot %u: %d failures\n", gi.boot_count, rt_failures);
	hv4_poweroff((uint64_t)rt_failures);
	return 100;
}
