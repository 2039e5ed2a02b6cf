/* The start state of a guest that begins in 64-bit mode (ELF guests and
 * Linux's 64-bit entry), shared by the loaders. */
#ifndef CORE_LOAD_LONGMODE_H
#define CORE_LOAD_LONGMODE_H

#include "core/vm/vcpu.h"

#define LOADER_AREA KiB(64)   /* GDT + page tables at the top of guest RAM */

/* Writes, at area (LOADER_AREA bytes of g's RAM), a GDT with a 64-bit code
 * descriptor at selector cs and a flat data one at cs + 8, and page tables
 * identity-mapping the first 4 GiB; fills *s to start at entry in 64-bit
 * mode with CS = cs, the other segments cs + 8 and RSP = area. */
void longmode_setup(struct guest *g, u64 area, u64 entry, u16 cs, struct vcpu_state *s);

#endif
