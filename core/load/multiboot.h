/* Multiboot 1 and 2 kernels: the boot protocols GRUB speaks, here spoken
 * by the hypervisor to a guest. */
#ifndef CORE_MULTIBOOT_H
#define CORE_MULTIBOOT_H

#include "core/vm/vcpu.h"

/* 2 or 1 when img carries a valid Multiboot 2 or 1 header (2 wins), else 0. */
int multiboot_version(const u8 *img, u64 size);

/* Loads an ELF32 or ELF64 kernel's segments at their physical addresses,
 * copies the command line and modules gc names (their bytes in g->mod_base)
 * above the kernel, writes the
 * boot information there, and fills *s for the protocols' entry state:
 * 32-bit protected mode, paging off, EAX = the boot magic, EBX = the
 * information's address. 0, or -1 with the reason in err. */
int multiboot_load(struct guest *g, const u8 *img, u64 size, const struct guest_cfg *gc, int version,
		   struct vcpu_state *s, char *err, size_t len);

#endif
