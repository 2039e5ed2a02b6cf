/* Loading a guest image into guest memory and choosing its start state.
 *
 * ELF64 (kind=elf): PT_LOAD segments at their physical addresses; the guest
 * starts in 64-bit mode at e_entry with the loader's GDT and page tables
 * (the first 4 GiB identity-mapped with 2 MiB pages), all in the top 64 KiB
 * of guest memory, and the stack just below them.
 *
 * Linux bzImage (kind=linux): core/load/linux.h. The 64-bit start state:
 * core/load/longmode.h.
 *
 * Flat binary (kind=flat): copied to the load address (below 1 MiB); the
 * guest starts in real mode there with CS:IP = (load >> 4 & 0xf000):(rest). */
#ifndef CORE_LOADER_H
#define CORE_LOADER_H

#include "core/load/longmode.h"

/* Loads img into g's memory per gc and fills *s. The memory must be zeroed
 * (a new guest's is; a reboot wipes it): an ELF segment's BSS is not
 * written again, which keeps a reboot's reload short. Returns 0, or -1
 * with the reason in err. Nothing outside guest memory is written. Sets
 * g->free_base and g->free_end: the RAM the image and the loader's own
 * tables leave free. */
int loader_load(struct guest *g, const u8 *img, u64 size, const struct guest_cfg *gc,
		struct vcpu_state *s, char *err, size_t errlen);

#endif
