/* The hypercall ABI, version 1: the public header for guests.
 * Generated from compat/abi/v1.abi by compat/abigen.py: do not edit.
 * Released: this file never changes (compat/abi/LOCK). */
#ifndef HV_ABI_V1_H
#define HV_ABI_V1_H

#include <stddef.h>
#include <stdint.h>

#define HV1_VERSION 1
/* EAX of a call: version << 16 | function. */
#define HV1_NR(fn) ((uint32_t)1 << 16 | (uint32_t)(fn))

/* Functions */
#define HV1_GET_VERSION 0
#define HV1_CONSOLE_WRITE 1
#define HV1_GET_TIME 2
#define HV1_YIELD 3
#define HV1_SLEEP_UNTIL 4
#define HV1_GUEST_INFO 5
#define HV1_SHUTDOWN 6
/* One past the highest function number. */
#define HV1_CALLS 7

/* Status in RAX */
#define HV1_OK (0) /* success */
#define HV1_ENOSYS (-1) /* no such function in this version */
#define HV1_EINVAL (-2) /* an argument is out of range or misaligned */
#define HV1_EFAULT (-3) /* a buffer is not wholly inside the caller's memory */
#define HV1_EPERM (-4) /* the caller is not at CPL 0 */
#define HV1_EVERSION (-5) /* this hypervisor does not serve that version */

/* Feature bits (get_version RDX, CPUID 0x40000001 ECX) */
#define HV1_F_INVARIANT_TSC (1u << 0) /* the TSC ticks at tsc_hz at all times, so the guest may time itself with RDTSC */
#define HV1_FEATURES_DEFINED 0x1u

/* Limits */
#define HV1_CONSOLE_MAX 4096ULL /* the longest console_write, in bytes */
#define HV1_SLEEP_MAX_NS 60000000000ULL /* the farthest a sleep_until deadline may lie ahead of now, in ns */
#define HV1_SHUTDOWN_POWEROFF 0ULL /* shutdown mode: stop the guest for good */
#define HV1_SHUTDOWN_REBOOT 1ULL /* shutdown mode: start the guest again from its image */

/* What a guest knows of its memory and itself */
struct hv1_guest_info {
	uint64_t ram_size; /* bytes of RAM, from guest-physical 0 */
	uint64_t free_base; /* first byte after the loaded image, 4 KiB aligned */
	uint64_t free_end; /* end of RAM the guest may use freely; above it lie the loader's tables and stack */
	uint32_t guest_id; /* this guest's number, from 0 in configuration order */
	uint32_t boot_count; /* 1 on the first start, one more after each reboot */
};
_Static_assert(sizeof(struct hv1_guest_info) == 32, "struct hv1_guest_info is 32 bytes");
_Static_assert(offsetof(struct hv1_guest_info, ram_size) == 0, "struct hv1_guest_info.ram_size");
_Static_assert(offsetof(struct hv1_guest_info, free_base) == 8, "struct hv1_guest_info.free_base");
_Static_assert(offsetof(struct hv1_guest_info, free_end) == 16, "struct hv1_guest_info.free_end");
_Static_assert(offsetof(struct hv1_guest_info, guest_id) == 24, "struct hv1_guest_info.guest_id");
_Static_assert(offsetof(struct hv1_guest_info, boot_count) == 28, "struct hv1_guest_info.boot_count");

/* One call: status in RAX, results in RBX, RCX, RDX (docs/abi/README.md).
 * VMCALL by default; define HV_USE_VMMCALL for AMD's VMMCALL. */
struct hv1_ret {
	int64_t status;
	uint64_t rbx, rcx, rdx;
};

static inline struct hv1_ret hv1_call(uint32_t fn, uint64_t rbx, uint64_t rcx, uint64_t rdx, uint64_t rsi)
{
	uint64_t rax = HV1_NR(fn);

#ifdef HV_USE_VMMCALL
	__asm__ volatile("vmmcall" : "+a"(rax), "+b"(rbx), "+c"(rcx), "+d"(rdx), "+S"(rsi) : : "memory");
#else
	__asm__ volatile("vmcall" : "+a"(rax), "+b"(rbx), "+c"(rcx), "+d"(rdx), "+S"(rsi) : : "memory");
#endif
	return (struct hv1_ret){ (int64_t)rax, rbx, rcx, rdx };
}

/* Which ABI versions this hypervisor serves, and its features. RAX: 0. */
static inline int64_t hv1_get_version(uint64_t *oldest, uint64_t *newest, uint64_t *features)
{
	struct hv1_ret r = hv1_call(HV1_GET_VERSION, 0, 0, 0, 0);

	*oldest = r.rbx;
	*newest = r.rcx;
	*features = r.rdx;
	return r.status;
}

/* Writes text to the guest's console. RAX: bytes written (len). */
static inline int64_t hv1_console_write(uint64_t buf, uint64_t len)
{
	struct hv1_ret r = hv1_call(HV1_CONSOLE_WRITE, buf, len, 0, 0);

	return r.status;
}

/* Reads the TSC frequency and the monotonic clock. RAX: 0. */
static inline int64_t hv1_get_time(uint64_t *tsc_hz, uint64_t *now_ns)
{
	struct hv1_ret r = hv1_call(HV1_GET_TIME, 0, 0, 0, 0);

	*tsc_hz = r.rbx;
	*now_ns = r.rcx;
	return r.status;
}

/* Gives up the rest of the time slice to other guests. RAX: 0. */
static inline int64_t hv1_yield(void)
{
	struct hv1_ret r = hv1_call(HV1_YIELD, 0, 0, 0, 0);

	return r.status;
}

/* Waits until the monotonic clock reaches a deadline. RAX: 0, with the clock at or past the deadline. */
static inline int64_t hv1_sleep_until(uint64_t deadline_ns)
{
	struct hv1_ret r = hv1_call(HV1_SLEEP_UNTIL, deadline_ns, 0, 0, 0);

	return r.status;
}

/* Writes struct guest_info. RAX: 0. */
static inline int64_t hv1_guest_info(uint64_t info)
{
	struct hv1_ret r = hv1_call(HV1_GUEST_INFO, info, 0, 0, 0);

	return r.status;
}

/* Stops or restarts the calling guest. RAX: does not return on success. */
static inline int64_t hv1_shutdown(uint64_t mode, uint64_t code)
{
	struct hv1_ret r = hv1_call(HV1_SHUTDOWN, mode, code, 0, 0);

	return r.status;
}

#endif
