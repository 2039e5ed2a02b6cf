/* libFuzzer target: the instruction-length decoder (core/insn.c). A decoded
 * instruction must fit the bytes given and the architectural limit. */
#include "core/insn.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct insn in;

	if (!size)
		return 0;
	for (int code64 = 0; code64 < 2; code64++)
		if (!insn_decode(data + 1, (u32)(size - 1), code64, &in) &&
		    (in.len > size - 1 || in.len > INSN_MAX || !in.op || in.prefixes >= in.len))
			abort();
	return 0;
}
