/* ABI conformance checks every version shares, written once against the
 * names of version ABI (define it to N and include compat/abi/hv_vN.h
 * first): HVF(x) is hvN_x, HVK(X) is HVN_X. Each vN.c adds the checks of
 * what its own version defines. Only what the version promised is checked,
 * so the same binary must pass on every later hypervisor. */
#ifndef GUESTS_CONFORMANCE_H
#define GUESTS_CONFORMANCE_H

#include "guests/rt/rt.h"

#define CAT3(a, b, c) a##b##c
#define XCAT3(a, b, c) CAT3(a, b, c)
#define HVF(x) XCAT3(hv, ABI, _##x)
#define HVK(x) XCAT3(HV, ABI, _##x)

extern char _end[];

/* A page of scratch for structures, with canaries after them. */
static uint8_t scratch[4096] __attribute__((aligned(4096)));

static uint64_t gpa(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static bool untouched(const uint8_t *p, size_t n, uint8_t fill)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != fill)
			return false;
	return true;
}

static void fill(uint8_t *p, size_t n, uint8_t v)
{
	for (size_t i = 0; i < n; i++)
		p[i] = v;
}

/* CPUID discovery and get_version agree, and serve this version. */
static void check_discovery(void)
{
	struct cpuid h0 = rt_cpuid(0x40000000, 0), h1 = rt_cpuid(0x40000001, 0);
	uint64_t oldest, newest, features;
	int64_t st = HVF(get_version)(&oldest, &newest, &features);

	EXPECT(h0.b == 0x59485648 && h0.c == 0x56524550 && h0.d == 0x524f5349 && h0.a >= 0x40000001,
	       "CPUID 0x40000000: signature HVHYPERVISOR, leaves to %x", h0.a);
	EXPECT(h1.a <= ABI && ABI <= h1.b, "CPUID 0x40000001: versions %u to %u serve v%d", h1.a, h1.b, ABI);
	EXPECT(st == HVK(OK) && oldest == h1.a && newest == h1.b, "get_version: %ld, versions %lu to %lu",
	       st, oldest, newest);
	EXPECT((features & ~(uint64_t)HVK(FEATURES_DEFINED)) == 0, "get_version: features %lx all defined by v%d",
	       features, ABI);
	EXPECT(hv_vmmcall(HVK(NR)(HVK(GET_VERSION)), 0, 0, 0, 0).status == HVK(OK), "VMMCALL works too");
}

/* Calls outside the tables, and callers outside CPL 0. */
static void check_dispatch(void)
{
	uint64_t oldest, newest, features;

	HVF(get_version)(&oldest, &newest, &features);
	EXPECT(HVF(call)(HVK(CALLS), 0, 0, 0, 0).status == HVK(ENOSYS), "function %d: ENOSYS", HVK(CALLS));
	EXPECT(HVF(call)(0xffff, 0, 0, 0, 0).status == HVK(ENOSYS), "function 0xffff: ENOSYS");
	EXPECT(hv_vmcall(0 << 16, 0, 0, 0, 0).status == HVK(EVERSION), "version 0: EVERSION");
	EXPECT(hv_vmcall((uint32_t)(newest + 1) << 16, 0, 0, 0, 0).status == HVK(EVERSION),
	       "version %lu (newer than served): EVERSION", newest + 1);
	EXPECT(rt_user_hypercall(HVK(NR)(HVK(GET_VERSION)), 0, 0, 0) == HVK(EPERM), "CPL 3 VMCALL: EPERM");
	EXPECT(rt_user_hypercall(HVK(NR)(HVK(GET_VERSION)), 0, 0, 1) == HVK(EPERM), "CPL 3 VMMCALL: EPERM");
}

static void check_console(uint64_t ram)
{
	static const char msg[] = "console_write reaches the console\n";

	EXPECT(HVF(console_write)(gpa(msg), sizeof(msg) - 1) == (int64_t)sizeof(msg) - 1, "console_write: length");
	EXPECT(HVF(console_write)(gpa(msg), 0) == 0, "console_write of 0 bytes");
	EXPECT(HVF(console_write)(gpa(scratch), HVK(CONSOLE_MAX) + 1) == HVK(EINVAL), "console_write over the limit: EINVAL");
	EXPECT(HVF(console_write)(ram - 4, 8) == HVK(EFAULT), "console_write across the end of RAM: EFAULT");
	EXPECT(HVF(console_write)(ram, 1) == HVK(EFAULT), "console_write past RAM: EFAULT");
	EXPECT(HVF(console_write)(~0ULL - 2, 8) == HVK(EFAULT), "console_write wrapping the address space: EFAULT");
}

static void check_time(uint64_t features)
{
	uint64_t hz, t0, t1, r0, r1, expect_ns;
	volatile uint64_t spin = 0;

	EXPECT(HVF(get_time)(&hz, &t0) == HVK(OK) && hz >= 1000000, "get_time: TSC at %lu kHz", hz / 1000);
	r0 = rt_rdtsc();
	for (int i = 0; i < 200000; i++)
		spin += i;
	r1 = rt_rdtsc();
	HVF(get_time)(&hz, &t1);
	EXPECT(t1 > t0, "the clock moves forward (%lu ns)", t1 - t0);
	expect_ns = (r1 - r0) / hz * 1000000000 + (r1 - r0) % hz * 1000000000 / hz;
	if (features & HVK(F_INVARIANT_TSC))
		EXPECT(t1 - t0 >= expect_ns, "RDTSC and the clock agree: %lu ns by RDTSC within %lu ns",
		       expect_ns, t1 - t0);
}

static void check_sleep(void)
{
	uint64_t hz, now, after;

	HVF(get_time)(&hz, &now);
	EXPECT(HVF(sleep_until)(now + 1000000) == HVK(OK), "sleep_until 1 ms ahead");
	HVF(get_time)(&hz, &after);
	EXPECT(after >= now + 1000000, "woke after the deadline (%lu ns later)", after - now);
	EXPECT(HVF(sleep_until)(0) == HVK(OK), "sleep_until a past deadline returns at once");
	EXPECT(HVF(sleep_until)(after + HVK(SLEEP_MAX_NS) + 1000000000) == HVK(EINVAL), "sleep_until too far: EINVAL");
	EXPECT(HVF(sleep_until)(~0ULL) == HVK(EINVAL), "sleep_until the end of time: EINVAL");
	EXPECT(HVF(yield)() == HVK(OK), "yield");
}

/* What every version's guest_info reports, whatever its layout. */
static void check_memory(uint64_t ram, uint64_t free_base, uint64_t free_end)
{
	EXPECT(ram >= 2 << 20 && free_base >= gpa(_end) && free_base % 4096 == 0 && free_base < free_end &&
	       free_end <= ram, "memory: %lu KiB, free %lx-%lx after the image (ends %lx)", ram >> 10,
	       free_base, free_end, gpa(_end));
}

#if ABI >= 2
/* The sized-structure calls (v2 on): call(address, room, &needed) writes
 * exactly size bytes, and only when they fit. */
static void check_sized(const char *name, int64_t (*call)(uint64_t, uint64_t, uint64_t *), uint64_t size,
			uint64_t ram)
{
	uint64_t needed = 0;
	int64_t st;

	fill(scratch, sizeof(scratch), 0xa5);
	st = call(gpa(scratch), 0, &needed);
	EXPECT(st == HVK(ETOOSMALL) && needed == size && untouched(scratch, size + 8, 0xa5),
	       "%s with no room: ETOOSMALL, needs %lu, nothing written", name, needed);
	EXPECT(call(gpa(scratch), size - 1, &needed) == HVK(ETOOSMALL), "%s one byte short: ETOOSMALL", name);
	EXPECT(call(gpa(scratch) + 4, size, &needed) == HVK(EINVAL), "%s misaligned: EINVAL", name);
	EXPECT(call(ram - 8, size, &needed) == HVK(EFAULT), "%s across the end of RAM: EFAULT", name);
	st = call(gpa(scratch), size + 64, &needed);
	EXPECT(st == (int64_t)size && untouched(scratch + size, 64, 0xa5),
	       "%s with room to spare: writes exactly %lu bytes", name, size);
}
#endif

#if ABI >= 3
static void check_vcpu_sched(uint64_t ram)
{
	static struct HVF(sched_info) si;
	uint64_t id = ~0ULL, count = 0, needed;
	size_t len = 0;

	EXPECT(HVF(vcpu_info)(&id, &count) == HVK(OK) && id < count, "vcpu_info: vCPU %lu of %lu", id, count);
	EXPECT(HVF(sched_info)(gpa(&si), sizeof(si), &needed) == sizeof(si), "sched_info");
	while (len < sizeof(si.policy) && si.policy[len])
		len++;
	EXPECT(si.size == sizeof(si) && si.weight >= 1 && si.slice_ns > 0 && len > 0 && len < sizeof(si.policy),
	       "sched_info: policy %s, weight %u, slice %lu ns", len < sizeof(si.policy) ? si.policy : "?",
	       si.weight, si.slice_ns);
	check_sized("sched_info", HVF(sched_info), sizeof(si), ram);
}

static void check_notify(uint32_t self)
{
	uint64_t bits = 1;

	HVF(notify_poll)(&bits);
	EXPECT(HVF(notify)(self, 0x5) == HVK(OK) && HVF(notify)(self, 0x8) == HVK(OK), "notify itself twice");
	EXPECT(HVF(notify_poll)(&bits) == HVK(OK) && bits == 0xd, "notify_poll: bits %lx (OR of both)", bits);
	EXPECT(HVF(notify_poll)(&bits) == HVK(OK) && bits == 0, "notify_poll again: 0");
	EXPECT(HVF(notify)(self, 0) == HVK(EINVAL), "notify with no bits: EINVAL");
	EXPECT(HVF(notify)(0xffffffffULL, 1) == HVK(EINVAL), "notify guest 0xffffffff: EINVAL");
	EXPECT(HVF(notify)(1ULL << 32 | self, 1) == HVK(EINVAL), "notify a 64-bit guest id: EINVAL");
}
#endif

/* Shared by every version: run once per boot, before its own checks. */
static void check_common(uint64_t ram)
{
	uint64_t oldest, newest, features;

	HVF(get_version)(&oldest, &newest, &features);
	check_discovery();
	check_dispatch();
	check_console(ram);
	check_time(features);
	check_sleep();
}

#endif
