/* Checked access to a guest's physical memory. Guest RAM is one contiguous
 * host range [hpa, hpa + size) seen by the guest at [0, size); every
 * guest-supplied address and length is checked against it, overflow
 * included, before anything is touched. */
#ifndef MM_GMEM_H
#define MM_GMEM_H

#include "core/lib/types.h"

/* A guest's RAM (struct guest's mem): fixed from creation to the end. */
struct gmem {
	u64 hpa;                   /* host-physical (identity-mapped) backing */
	u64 size;                  /* guest-physical RAM is [0, size) */
};

/* Host pointer to [gpa, gpa+len) when it lies wholly in guest RAM, or NULL. */
static inline void *gmem_ptr(const struct gmem *m, u64 gpa, u64 len)
{
	if (gpa > m->size || len > m->size - gpa)
		return NULL;
	return (void *)(uintptr_t)(m->hpa + gpa);
}

/* Copy between guest RAM and the hypervisor: 0, or -1 (nothing copied). */
int copy_from_guest(const struct gmem *m, void *dst, u64 gpa, u64 len);
int copy_to_guest(const struct gmem *m, u64 gpa, const void *src, u64 len);

#endif
