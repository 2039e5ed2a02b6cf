/* Checked access to a guest's physical memory. Guest RAM is one contiguous
 * host range [mem_hpa, mem_hpa + mem_size) seen by the guest at [0,
 * mem_size); every guest-supplied address and length is checked against it,
 * overflow included, before anything is touched. */
#ifndef MM_GMEM_H
#define MM_GMEM_H

#include "core/vcpu.h"

/* Host pointer to [gpa, gpa+len) when it lies wholly in guest RAM, or NULL. */
void *gmem_ptr(const struct guest *g, u64 gpa, u64 len);

/* Copy between guest RAM and the hypervisor: 0, or -1 (nothing copied). */
int copy_from_guest(const struct guest *g, void *dst, u64 gpa, u64 len);
int copy_to_guest(const struct guest *g, u64 gpa, const void *src, u64 len);

#endif
