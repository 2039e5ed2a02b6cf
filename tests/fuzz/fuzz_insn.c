/* libFuzzer target: the instruction decoders (core/insn/insn.c, core/insn/insn_mem.c).
 * A decoded instruction must fit the bytes given and the architectural
 * limit; an MMIO access has a width of 1, 2, 4 or 8 and names a GPR. */
#include "core/insn/insn.h"
#include "core/insn/insn_mem.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

static bool bad_mem(const struct insn_mem *m, size_t n)
{
	bool width = m->size == 1 || m->size == 2 || m->size == 4 || m->size == 8;

	return m->len > n || m->len > INSN_MAX || !width || m->reg > 15 || m->reg_size < m->size;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct insn in;
	struct insn_mem m;

	if (!size)
		return 0;
	for (int code64 = 0; code64 < 2; code64++)
		if (!insn_decode(data + 1, (u32)(size - 1), code64, &in) &&
		    (in.len > size - 1 || in.len > INSN_MAX || !in.op || in.prefixes >= in.len))
			abort();
	for (int mode = CODE16; mode <= CODE64; mode++)
		if (!insn_decode_mem(data + 1, (u32)(size - 1), mode, &m) && bad_mem(&m, size - 1))
			abort();
	return 0;
}
