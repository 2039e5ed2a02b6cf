/* The images of the built-in default scenario (core/config/builtin.h). */
#include "core/config/builtin.h"
#include "core/lib/string.h"

extern const u8 builtin_hello[], builtin_hello_end[], builtin_burn[], builtin_burn_end[];

static const struct {
	const char *name;
	const u8 *start, *end;
} images[] = {
	{ "hello.elf", builtin_hello, builtin_hello_end },
	{ "burn.elf", builtin_burn, builtin_burn_end },
};

void builtin_add_modules(struct boot_info *bi)
{
	for (size_t i = 0; i < ARRAY_SIZE(images) && bi->nmodules < BOOT_MAX_MODULES; i++) {
		struct boot_module *m = &bi->modules[bi->nmodules++];

		m->base = (u64)(uintptr_t)images[i].start;
		m->size = (u64)(images[i].end - images[i].start);
		strlcpy(m->name, images[i].name, sizeof(m->name));
	}
}
