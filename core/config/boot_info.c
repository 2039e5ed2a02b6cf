/* Filling struct boot_info: shared by both boot doors. */
#include "core/config/boot_info.h"
#include "core/lib/string.h"

/* Appends a range, merging it with the previous one when they touch and have
 * the same type (firmware maps are long; this keeps them within the array). */
void boot_add_mem(struct boot_info *bi, u64 base, u64 size, u32 type)
{
	struct mem_range *last = bi->nmem ? &bi->mem[bi->nmem - 1] : NULL;

	if (!size)
		return;
	if (last && last->type == type && last->base + last->size == base) {
		last->size += size;
		return;
	}
	if (bi->nmem == BOOT_MAX_MEM) {
		bi->mem_truncated = true;
		return;
	}
	bi->mem[bi->nmem++] = (struct mem_range){ base, size, type, 0 };
}

bool boot_add_reserved(struct boot_info *bi, u64 base, u64 size)
{
	if (bi->nreserved == BOOT_MAX_RESERVED)
		return false;
	bi->reserved[bi->nreserved++] = (struct mem_range){ base, size, MEM_LOADER, 0 };
	return true;
}

bool boot_add_module(struct boot_info *bi, const char *name, u64 base, u64 size)
{
	struct boot_module *m;

	if (bi->nmodules == BOOT_MAX_MODULES)
		return false;
	m = &bi->modules[bi->nmodules++];
	m->base = base;
	m->size = size;
	strlcpy(m->name, name, sizeof(m->name));
	return true;
}

const struct boot_module *boot_find_module(const struct boot_info *bi, const char *name)
{
	for (u32 i = 0; i < bi->nmodules; i++)
		if (!strcmp(bi->modules[i].name, name))
			return &bi->modules[i];
	return NULL;
}
