/* Where the hypervisor image lies in memory, from symbols that both boot
 * doors' linker scripts define (boot/efi/hv-efi.lds, boot/multiboot2/hv-mb2.lds). */
#ifndef CORE_IMAGE_H
#define CORE_IMAGE_H

#include "core/lib/types.h"

extern const u8 __image_start[], __image_end[];
extern const u8 __text_start[], __text_end[];
extern const u8 __rodata_start[], __rodata_end[];
extern const u8 __build_id_start[], __build_id_end[];

static inline u64 image_base(void) { return (u64)(uintptr_t)__image_start; }
static inline u64 image_end(void) { return (u64)(uintptr_t)__image_end; }

static inline bool image_contains(u64 a, u64 len)
{
	return a >= image_base() && a <= image_end() && len <= image_end() - a;
}

#endif
