/* The hypercall ABI, version 4: the public header for guests.
 * Generated from compat/abi/v4.abi by compat/abigen.py: do not edit.
 * Released: this file never changes (compat/abi/LOCK). */
#ifndef HV_ABI_V4_H
#define HV_ABI_V4_H

#include <stddef.h>
#include <stdint.h>

#define HV4_VERSION 4
/* EAX of a call: version << 16 | function. */
#define HV4_NR(fn) ((uint32_t)4 << 16 | (uint32_t)(fn))

/* Functions */
#define HV4_GET_VERSION 0
#define HV4_CONSOLE_WRITE 1
#define HV4_GET_TIME 2
#define HV4_YIELD 3
#define HV4_SLEEP_UNTIL 4
#define HV4_GUEST_INFO 5
#define HV4_POWEROFF 6
#define HV4_REBOOT 7
#define HV4_VCPU_INFO 8
#define HV4_SCHED_INFO 9
#define HV4_NOTIFY 10
#define HV4_NOTIFY_POLL 11
#define HV4_SCHED_GET 12
#define HV4_SCHED_SET 13
/* One past the highest function number. */
#define HV4_CALLS 14

/* Status in RAX */
#define HV4_OK (0) /* success */
#define HV4_ENOSYS (-1) /* no such function in this version */
#define HV4_EINVAL (-2) /* an argument is out of range or misaligned */
#define HV4_EFAULT (-3) /* a buffer is not wholly inside the caller's memory */
#define HV4_EPERM (-4) /* the caller is not at CPL 0 */
#define HV4_EVERSION (-5) /* this hypervisor does not serve that version */
#define HV4_ETOOSMALL (-6) /* the buffer is smaller than the structure; RBX holds the size needed */
#define HV4_EREFUSED (-7) /* the scheduling policy refused the request (such as a reservation that would overcommit the CPU) */

/* Feature bits (get_version RDX, CPUID 0x40000001 ECX) */
#define HV4_F_INVARIANT_TSC (1u << 0) /* the TSC ticks at tsc_hz at all times, so the guest may time itself with RDTSC */
#define HV4_F_NOTIFY (1u << 1) /* notify and notify_poll reach other guests */
#define HV4_FEATURES_DEFINED 0x3u

/* Limits */
#define HV4_CONSOLE_MAX 4096ULL /* the longest console_write, in bytes */
#define HV4_WEIGHT_MAX 10000ULL /* the largest weight */
#define HV4_SLEEP_MAX_NS 60000000000ULL /* the farthest a sleep_until deadline may lie ahead of now, in ns */

/* What a guest knows of its memory and itself */
struct hv4_guest_info {
	uint32_t size; /* bytes of this structure the hypervisor wrote (56) */
	uint32_t flags; /* none defined yet: 0 */
	uint64_t ram_base; /* guest-physical address where RAM starts (0) */
	uint64_t ram_size; /* bytes of RAM from ram_base */
	uint64_t free_base; /* first byte after the loaded image, 4 KiB aligned */
	uint64_t free_end; /* end of RAM the guest may use freely; above it lie the loader's tables and stack */
	uint32_t guest_id; /* this guest's number, from 0 in configuration order */
	uint32_t boot_count; /* 1 on the first start, one more after each reboot */
	uint32_t vcpu_count; /* virtual CPUs of this guest */
	uint32_t reserved; /* 0 */
};
_Static_assert(sizeof(struct hv4_guest_info) == 56, "struct hv4_guest_info is 56 bytes");
_Static_assert(offsetof(struct hv4_guest_info, size) == 0, "struct hv4_guest_info.size");
_Static_assert(offsetof(struct hv4_guest_info, flags) == 4, "struct hv4_guest_info.flags");
_Static_assert(offsetof(struct hv4_guest_info, ram_base) == 8, "struct hv4_guest_info.ram_base");
_Static_assert(offsetof(struct hv4_guest_info, ram_size) == 16, "struct hv4_guest_info.ram_size");
_Static_assert(offsetof(struct hv4_guest_info, free_base) == 24, "struct hv4_guest_info.free_base");
_Static_assert(offsetof(struct hv4_guest_info, free_end) == 32, "struct hv4_guest_info.free_end");
_Static_assert(offsetof(struct hv4_guest_info, guest_id) == 40, "struct hv4_guest_info.guest_id");
_Static_assert(offsetof(struct hv4_guest_info, boot_count) == 44, "struct hv4_guest_info.boot_count");
_Static_assert(offsetof(struct hv4_guest_info, vcpu_count) == 48, "struct hv4_guest_info.vcpu_count");
_Static_assert(offsetof(struct hv4_guest_info, reserved) == 52, "struct hv4_guest_info.reserved");

/* How the scheduler treats the calling guest */
struct hv4_sched_info {
	uint32_t size; /* bytes of this structure the hypervisor wrote (32) */
	uint32_t weight; /* relative share of CPU time against other guests; at least 1, and 1 by default */
	uint64_t slice_ns; /* longest time the guest runs before the scheduler may preempt it; never 0 */
	char policy[16]; /* name of the scheduling policy, NUL-terminated */
};
_Static_assert(sizeof(struct hv4_sched_info) == 32, "struct hv4_sched_info is 32 bytes");
_Static_assert(offsetof(struct hv4_sched_info, size) == 0, "struct hv4_sched_info.size");
_Static_assert(offsetof(struct hv4_sched_info, weight) == 4, "struct hv4_sched_info.weight");
_Static_assert(offsetof(struct hv4_sched_info, slice_ns) == 8, "struct hv4_sched_info.slice_ns");
_Static_assert(offsetof(struct hv4_sched_info, policy) == 16, "struct hv4_sched_info.policy");

/* A guest's own scheduling parameters */
struct hv4_sched_params {
	uint32_t size; /* bytes of this structure (24) */
	uint32_t weight; /* share against other guests under weighted policies, 1 to WEIGHT_MAX */
	uint64_t budget_ns; /* reserved CPU time per period under reservation policies; 0 with period_ns 0 for none */
	uint64_t period_ns; /* the reservation's period; budget_ns at most period_ns */
};
_Static_assert(sizeof(struct hv4_sched_params) == 24, "struct hv4_sched_params is 24 bytes");
_Static_assert(offsetof(struct hv4_sched_params, size) == 0, "struct hv4_sched_params.size");
_Static_assert(offsetof(struct hv4_sched_params, weight) == 4, "struct hv4_sched_params.weight");
_Static_assert(offsetof(struct hv4_sched_params, budget_ns) == 8, "struct hv4_sched_params.budget_ns");
_Static_assert(offsetof(struct hv4_sched_params, period_ns) == 16, "struct hv4_sched_params.period_ns");

/* One call: status in RAX, results in RBX, RCX, RDX (docs/abi/README.md).
 * VMCALL by default; define HV_USE_VMMCALL for AMD's VMMCALL. */
struct hv4_ret {
	int64_t status;
	uint64_t rbx, rcx, rdx;
};

static inline struct hv4_ret hv4_call(uint32_t fn, uint64_t rbx, uint64_t rcx, uint64_t rdx, uint64_t rsi)
{
	uint64_t rax = HV4_NR(fn);

#ifdef HV_USE_VMMCALL
	__asm__ volatile("vmmcall" : "+a"(rax), "+b"(rbx), "+c"(rcx), "+d"(rdx), "+S"(rsi) : : "memory");
#else
	__asm__ volatile("vmcall" : "+a"(rax), "+b"(rbx), "+c"(rcx), "+d"(rdx), "+S"(rsi) : : "memory");
#endif
	return (struct hv4_ret){ (int64_t)rax, rbx, rcx, rdx };
}

/* Which ABI versions this hypervisor serves, and its features. RAX: 0. */
static inline int64_t hv4_get_version(uint64_t *oldest, uint64_t *newest, uint64_t *features)
{
	struct hv4_ret r = hv4_call(HV4_GET_VERSION, 0, 0, 0, 0);

	*oldest = r.rbx;
	*newest = r.rcx;
	*features = r.rdx;
	return r.status;
}

/* Writes text to the guest's console. RAX: bytes written (len). */
static inline int64_t hv4_console_write(uint64_t buf, uint64_t len)
{
	struct hv4_ret r = hv4_call(HV4_CONSOLE_WRITE, buf, len, 0, 0);

	return r.status;
}

/* Reads the TSC frequency and the monotonic clock. RAX: 0. */
static inline int64_t hv4_get_time(uint64_t *tsc_hz, uint64_t *now_ns)
{
	struct hv4_ret r = hv4_call(HV4_GET_TIME, 0, 0, 0, 0);

	*tsc_hz = r.rbx;
	*now_ns = r.rcx;
	return r.status;
}

/* Gives up the rest of the time slice to other guests. RAX: 0. */
static inline int64_t hv4_yield(void)
{
	struct hv4_ret r = hv4_call(HV4_YIELD, 0, 0, 0, 0);

	return r.status;
}

/* Waits until the monotonic clock reaches a deadline. RAX: 0, with the clock at or past the deadline. */
static inline int64_t hv4_sleep_until(uint64_t deadline_ns)
{
	struct hv4_ret r = hv4_call(HV4_SLEEP_UNTIL, deadline_ns, 0, 0, 0);

	return r.status;
}

/* Writes struct guest_info. RAX: bytes written (the size of struct guest_info). */
static inline int64_t hv4_guest_info(uint64_t info, uint64_t size, uint64_t *needed)
{
	struct hv4_ret r = hv4_call(HV4_GUEST_INFO, info, size, 0, 0);

	*needed = r.rbx;
	return r.status;
}

/* Stops the calling guest for good. RAX: does not return. */
static inline int64_t hv4_poweroff(uint64_t code)
{
	struct hv4_ret r = hv4_call(HV4_POWEROFF, code, 0, 0, 0);

	return r.status;
}

/* Starts the calling guest again from its image, with fresh memory. RAX: does not return. */
static inline int64_t hv4_reboot(void)
{
	struct hv4_ret r = hv4_call(HV4_REBOOT, 0, 0, 0, 0);

	return r.status;
}

/* Which virtual CPU is calling. RAX: 0. */
static inline int64_t hv4_vcpu_info(uint64_t *vcpu_id, uint64_t *vcpu_count)
{
	struct hv4_ret r = hv4_call(HV4_VCPU_INFO, 0, 0, 0, 0);

	*vcpu_id = r.rbx;
	*vcpu_count = r.rcx;
	return r.status;
}

/* Writes struct sched_info for the calling guest. RAX: bytes written (the size of struct sched_info). */
static inline int64_t hv4_sched_info(uint64_t info, uint64_t size, uint64_t *needed)
{
	struct hv4_ret r = hv4_call(HV4_SCHED_INFO, info, size, 0, 0);

	*needed = r.rbx;
	return r.status;
}

/* Raises event bits in another guest's (or its own) notification word. RAX: 0. */
static inline int64_t hv4_notify(uint64_t guest, uint64_t bits)
{
	struct hv4_ret r = hv4_call(HV4_NOTIFY, guest, bits, 0, 0);

	return r.status;
}

/* Takes the caller's notification word, leaving it 0. RAX: 0. */
static inline int64_t hv4_notify_poll(uint64_t *bits)
{
	struct hv4_ret r = hv4_call(HV4_NOTIFY_POLL, 0, 0, 0, 0);

	*bits = r.rbx;
	return r.status;
}

/* Writes struct sched_params of the calling guest. RAX: bytes written (the size of struct sched_params). */
static inline int64_t hv4_sched_get(uint64_t info, uint64_t size, uint64_t *needed)
{
	struct hv4_ret r = hv4_call(HV4_SCHED_GET, info, size, 0, 0);

	*needed = r.rbx;
	return r.status;
}

/* Changes the calling guest's scheduling parameters, from its next slice on. RAX: 0: the parameters apply; nothing changes on any error. */
static inline int64_t hv4_sched_set(uint64_t info, uint64_t size)
{
	struct hv4_ret r = hv4_call(HV4_SCHED_SET, info, size, 0, 0);

	return r.status;
}

#endif
