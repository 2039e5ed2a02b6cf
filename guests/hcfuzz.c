/* hcfuzz: seeded, reproducible random hypercalls over every ABI version
 * and function, with random and boundary arguments. The hypervisor must
 * answer each with a success or a defined error and go on. Calls that
 * would end this guest (shutdown, poweroff, reboot) are skipped; address
 * arguments that would let the hypervisor write this guest's own code or
 * stack point at a scratch page instead, and sleeps stay short.
 *
 * FUZZ_CALLS and FUZZ_SEED may be given at build time (make fuzz). */
#include "compat/abi/hv_v1.h"
#include "guests/rt/rt.h"

#ifndef FUZZ_CALLS
#define FUZZ_CALLS 1000000
#endif
#ifndef FUZZ_SEED
#define FUZZ_SEED 0x5eed5eed12345678ULL
#endif

#define ERRORS 8   /* statuses -1 .. -7 are defined (ENOSYS .. EREFUSED) */

static uint8_t scratch[3 * 4096] __attribute__((aligned(4096)));
static uint64_t rng = FUZZ_SEED, ram;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* An address argument: mostly where damage is impossible or an error. */
static uint64_t address(void)
{
	static const uint64_t far[] = { 0xfffffffffffffff8ULL, 0x100000000ULL, 0x8000000000000000ULL };
	uint64_t r = next();

	switch (r % 6) {
	case 0: case 1: return (uint64_t)(uintptr_t)scratch + (r >> 8) % 4096;   /* maybe misaligned */
	case 2: return ram - 1 - (r >> 8) % 8;                                    /* across the end */
	case 3: return ram + (r >> 8) % 0x100000;                                 /* past the end */
	case 4: return far[(r >> 8) % 3];
	default: return next() | 1ULL << 63;                                      /* anywhere high */
	}
}

/* A length: 0, small, the limit's edges, or huge. */
static uint64_t length(void)
{
	static const uint64_t edge[] = { 0, 4096, 4097, ~0ULL, ~0ULL - 7, 1ULL << 32 };
	uint64_t r = next();

	return r & 1 ? edge[(r >> 1) % 6] : next();
}

static bool ends_guest(uint32_t version, uint32_t fn)
{
	return (version == 1 && fn == HV1_SHUTDOWN) || (version >= 2 && version <= 4 && (fn == 6 || fn == 7));
}

/* Arguments for one call; the first is what function fn's contract makes
 * dangerous to this guest, if anything. */
static void arguments(uint32_t version, uint32_t fn, uint64_t a[4])
{
	uint64_t hz, now;

	for (int i = 0; i < 4; i++)
		a[i] = next() % 3 ? next() : length();
	if (version < 1 || version > 4)
		return;
	if (fn == HV1_CONSOLE_WRITE) {   /* text only from far away: no junk on the console */
		a[0] = next() & 1 ? address() | 1ULL << 40 : (uint64_t)(uintptr_t)scratch;
		a[1] = a[0] == (uint64_t)(uintptr_t)scratch ? (next() & 1 ? 0 : 4097 + next() % 100) : length();
	} else if (fn == HV1_SLEEP_UNTIL) {
		hv1_get_time(&hz, &now);
		a[0] = next() & 1 ? now + next() % 20000 : (next() & 1 ? now - next() % now : ~0ULL - next() % 1000);
	} else if (fn == HV1_GUEST_INFO || fn == 9 || fn == 12 || fn == 13) {
		a[0] = address();
		a[1] = length();
	}
}

static void report(uint64_t calls, const uint64_t *seen, uint64_t user, uint64_t user_eperm, int bad)
{
	rt_printf("hcfuzz: %lu calls, seed %lx: ok %lu", calls, (uint64_t)FUZZ_SEED, seen[0]);
	for (int e = 1; e < ERRORS; e++)
		rt_printf(", %d: %lu", -e, seen[e]);
	rt_printf("; CPL 3: %lu of %lu EPERM; %d undefined statuses\n", user_eperm, user, bad);
}

int main(void)
{
	static struct hv1_guest_info gi;
	uint64_t seen[ERRORS] = { 0 }, user = 0, user_eperm = 0;
	int bad = 0;

	hv1_guest_info((uintptr_t)&gi);
	ram = gi.ram_size;
	for (uint64_t i = 0; i < FUZZ_CALLS; i++) {
		uint64_t r = next(), a[4];
		uint32_t version = r % 8 < 6 ? 1 + r % 4 : (uint32_t)(r >> 16) & 0xffff;
		uint32_t fn = r % 16 < 14 ? (r >> 32) % 16 : (uint32_t)(r >> 40) & 0xffff;
		struct hc_result res;

		if (ends_guest(version, fn))
			continue;
		arguments(version, fn, a);
		if (i % 1000 == 999) {
			user++;
			user_eperm += rt_user_hypercall(version << 16 | fn, a[0], a[1], (int)(r & 1)) == HV1_EPERM;
			continue;
		}
		res = r & 0x100 ? hv_vmmcall(version << 16 | fn, a[0], a[1], a[2], a[3])
				: hv_vmcall(version << 16 | fn, a[0], a[1], a[2], a[3]);
		if (res.status >= 0) {
			seen[0]++;
		} else if (res.status > -ERRORS) {
			seen[-res.status]++;
		} else if (bad++ < 10) {
			rt_printf("call %lu (v%u fn %u): undefined status %ld\n", i, version, fn, res.status);
		}
	}
	report(FUZZ_CALLS, seen, user, user_eperm, bad);
	return bad + (user_eperm != user);
}
