/* libFuzzer target: the configuration parser (core/config/config.c) on any text.
 * Every error must be recorded, never overflow; a config stays consistent. */
#include "core/config/config.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct config c;

	config_init(&c);
	config_parse(&c, "fuzz", (const char *)data, size);
	if (c.nguests > CFG_MAX_GUESTS || c.slice_ns < CFG_SLICE_MIN || c.slice_ns > CFG_SLICE_MAX)
		abort();
	for (u32 i = 0; i < c.nguests; i++)
		if (!c.guests[i].image[0] || !c.guests[i].weight || c.guests[i].budget_ns > c.guests[i].period_ns)
			abort();
	return 0;
}
