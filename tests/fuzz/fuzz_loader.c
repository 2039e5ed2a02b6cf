/* libFuzzer target: the guest image loader (core/load/loader.c) on any image,
 * as every kind, into 2 MiB of guest memory that AddressSanitizer watches
 * (and as a Linux bzImage into 40 MiB, its minimum being 32): nothing may
 * be written outside it. */
#include "core/load/loader.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static u8 *mem, *big;
	struct guest g = { 0 };
	struct guest_cfg gc = { .load = 0x7c00 };
	struct vcpu_state s;
	char err[160];

	if ((!mem && !(mem = malloc(MiB(2)))) || (!big && !(big = malloc(MiB(40)))))
		abort();
	for (u8 kind = IMAGE_AUTO; kind <= IMAGE_LINUX; kind++) {
		gc.kind = kind;
		gmem_init(&g.mem, (u64)(uintptr_t)mem, MiB(2));
		if (kind == IMAGE_LINUX) {             /* the input is its own initrd too */
			gmem_init(&g.mem, (u64)(uintptr_t)big, MiB(40));
			gc.nmodules = 1, g.mod_base[0] = data, g.mod_size[0] = size;
		}
		if (!loader_load(&g, data, size, &gc, &s, err, sizeof(err)) &&
		    (s.rip >= g.mem.size || g.free_base > g.free_end || g.free_end > g.mem.size))
			abort();
	}
	return 0;
}
