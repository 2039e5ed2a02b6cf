/* The hypercall ABI, version 2: the public header for guests.
 * Generated from compat/abi/v2.abi by compat/abigen.py: do not edit.
 * Released: this file never changes (compat/abi/LOCK). */
#ifndef HV_ABI_V2_H
#define HV_ABI_V2_H

#include <stddef.h>
#include <stdint.h>

#define HV2_VERSION 2
/* EAX of a call: version << 16 | function. */
#define HV2_NR(fn) ((uint32_t)2 << 16 | (uint32_t)(fn))

/* Functions */
#define HV2_GET_VERSION 0
#define HV2_CONSOLE_WRITE 1
#define HV2_GET_TIME 2
#define HV2_YIELD 3
#define HV2_SLEEP_UNTIL 4
#define HV2_GUEST_INFO 5
#define HV2_POWEROFF 6
#define HV2_REBOOT 7
/* One past the highest function number. */
#define HV2_CALLS 8

/* Status in RAX */
#define HV2_OK (0) /* success */
#define HV2_ENOSYS (-1) /* no such function in this version */
#define HV2_EINVAL (-2) /* an argument is out of range or misaligned */
#define HV2_EFAULT (-3) /* a buffer is not wholly inside the caller's memory */
#define HV2_EPERM (-4) /* the caller is not at CPL 0 */
#define HV2_EVERSION (-5) /* this hypervisor does not serve that version */
#define HV2_ETOOSMALL (-6) /* the buffer is smaller than the structure; RBX holds the size needed */

/* Feature bits (get_version RDX, CPUID 0x40000001 ECX) */
#define HV2_F_INVARIANT_TSC (1u << 0) /* the TSC ticks at tsc_hz at all times, so the guest may time itself with RDTSC */
#define HV2_FEATURES_DEFINED 0x1u

/* Limits */
#define HV2_CONSOLE_MAX 4096ULL /* the longest console_write, in bytes */
#define HV2_SLEEP_MAX_NS 60000000000ULL /* the farthest a sleep_until deadline may lie ahead of now, in ns */

/* What a guest knows of its memory and itself */
struct hv2_guest_info {
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
_Static_assert(sizeof(struct hv2_guest_info) == 56, "struct hv2_guest_info is 56 bytes");
_Static_assert(offsetof(struct hv2_guest_info, size) == 0, "struct hv2_guest_info.size");
_Static_assert(offsetof(struct hv2_guest_info, flags) == 4, "struct hv2_guest_info.flags");
_Static_assert(offsetof(struct hv2_guest_info, ram_base) == 8, "struct hv2_guest_info.ram_base");
_Static_assert(offsetof(struct hv2_guest_info, ram_size) == 16, "struct hv2_guest_info.ram_size");
_Static_assert(offsetof(struct hv2_guest_info, free_base) == 24, "struct hv2_guest_info.free_base");
_Static_assert(offsetof(struct hv2_guest_info, free_end) == 32, "struct hv2_guest_info.free_end");
_Static_assert(offsetof(struct hv2_guest_info, guest_id) == 40, "struct hv2_guest_info.guest_id");
_Static_assert(offsetof(struct hv2_guest_info, boot_count) == 44, "struct hv2_guest_info.boot_count");
_Static_assert(offsetof(struct hv2_guest_info, vcpu_count) == 48, "struct hv2_guest_info.vcpu_count");
_Static_assert(offsetof(struct hv2_guest_info, reserved) == 52, "struct hv2_guest_info.reserved");

/* One call: status in RAX, results in RBX, RCX, RDX (docs/abi/README.md).
 * VMCALL by default; define HV_USE_VMMCALL for AMD's VMMCALL. */
struct hv2_ret {
	int64_t status;
	uint64_t rbx, rcx, rdx;
};

static inline struct hv2_ret hv2_call(uint32_t fn, uint64_t rbx, uint64_t rcx, uint64_t rdx, uint64_t rsi)
{
	uint64_t rax = HV2_NR(fn);

#ifdef HV_USE_VMMCALL
	__asm__ volatile("vmmcall" : "+a"(rax), "+b"(rbx), "+c"(rcx), "+d"(rdx), "+S"(rsi) : : "memory");
#else
	__asm__ volatile("vmcall" : "+a"(rax), "+b"(rbx), "+c"(rcx), "+d"(rdx), "+S"(rsi) : : "memory");
#endif
	return (struct hv2_ret){ (int64_t)rax, rbx, rcx, rdx };
}

/* Which ABI versions this hypervisor serves, and its features. RAX: 0. */
static inline int64_t hv2_get_version(uint64_t *oldest, uint64_t *newest, uint64_t *features)
{
	struct hv2_ret r = hv2_call(HV2_GET_VERSION, 0, 0, 0, 0);

	*oldest = r.rbx;
	*newest = r.rcx;
	*features = r.rdx;
	return r.status;
}

/* Writes text to the guest's console. RAX: bytes written (len). */
static inline int64_t hv2_console_write(uint64_t buf, uint64_t len)
{
	struct hv2_ret r = hv2_call(HV2_CONSOLE_WRITE, buf, len, 0, 0);

	return r.status;
}

/* Reads the TSC frequency and the monotonic clock. RAX: 0. */
static inline int64_t hv2_get_time(uint64_t *tsc_hz, uint64_t *now_ns)
{
	struct hv2_ret r = hv2_call(HV2_GET_TIME, 0, 0, 0, 0);

	*tsc_hz = r.rbx;
	*now_ns = r.rcx;
	return r.status;
}

/* Gives up the rest of the time slice to other guests. RAX: 0. */
static inline int64_t hv2_yield(void)
{
	struct hv2_ret r = hv2_call(HV2_YIELD, 0, 0, 0, 0);

	return r.status;
}

/* Waits until the monotonic clock reaches a deadline. RAX: 0, with the clock at or past the deadline. */
static inline int64_t hv2_sleep_until(uint64_t deadline_ns)
{
	struct hv2_ret r = hv2_call(HV2_SLEEP_UNTIL, deadline_ns, 0, 0, 0);

	return r.status;
}

/* Writes struct guest_info. RAX: bytes written (the size of struct guest_info). */
static inline int64_t hv2_guest_info(uint64_t info, uint64_t size, uint64_t *needed)
{
	struct hv2_ret r = hv2_call(HV2_GUEST_INFO, info, size, 0, 0);

	*needed = r.rbx;
	return r.status;
}

/* Stops the calling guest for good. RAX: does not return. */
static inline int64_t hv2_poweroff(uint64_t code)
{
	struct hv2_ret r = hv2_call(HV2_POWEROFF, code, 0, 0, 0);

	return r.status;
}

/* Starts the calling guest again from its image, with fresh memory. RAX: does not return. */
static inline int64_t hv2_reboot(void)
{
	struct hv2_ret r = hv2_call(HV2_REBOOT, 0, 0, 0, 0);

	return r.status;
}

#endif
