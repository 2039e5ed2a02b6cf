/* Checked access to a guest's physical memory. A guest's RAM is a few
 * ranges of guest-physical addresses, each backed by one contiguous host
 * range: from 0 up to at most GMEM_LOW_MAX, and what is left of it from
 * GMEM_HIGH_BASE (4 GiB) up, leaving the hole below 4 GiB where a PC has
 * its APICs and firmware. Every guest-supplied address and length is
 * checked against them, overflow included, before anything is touched; an
 * access must lie wholly in one range. */
#ifndef MM_GMEM_H
#define MM_GMEM_H

#include "core/lib/types.h"

#define GMEM_LOW_MAX 0xc0000000ULL      /* RAM below 4 GiB ends here at most (3 GiB) */
#define GMEM_HIGH_BASE 0x100000000ULL   /* the rest of it starts here */
#define GMEM_RANGES 2

struct gmem_range {
	u64 gpa, hpa, size;        /* guest-physical [gpa, gpa + size) at host [hpa, ...) */
};

/* A guest's RAM (struct guest's mem): fixed from creation to the end.
 * r[0] starts at guest-physical 0, r[1] at GMEM_HIGH_BASE (0 bytes when
 * n is 1). */
struct gmem {
	struct gmem_range r[GMEM_RANGES];
	u32 n;
	u64 size;                  /* all of it, in bytes */
};

/* m as size bytes of guest RAM backed by the host block at hpa: what fits
 * below GMEM_LOW_MAX from guest-physical 0, the rest from GMEM_HIGH_BASE. */
void gmem_init(struct gmem *m, u64 hpa, u64 size);

/* The end of the RAM that starts at guest-physical 0: all of it but what
 * lies above 4 GiB. */
static inline u64 gmem_low_end(const struct gmem *m)
{
	return m->r[0].size;
}

/* Host pointer to [gpa, gpa+len) when it lies wholly in one range of guest
 * RAM, or NULL. No loop and no call: a page walk comes here five times
 * (the AMD-V VMCALL's #UD cost 294 instructions so, 353 with a loop over
 * the ranges), and the range from 0 is tried first. */
static inline void *gmem_ptr(const struct gmem *m, u64 gpa, u64 len)
{
	const struct gmem_range *r = &m->r[0];
	u64 off;

	if (__builtin_expect(gpa <= r->size && len <= r->size - gpa, 1))
		return (void *)(uintptr_t)(r->hpa + gpa);
	r = &m->r[1];
	off = gpa - r->gpa;
	if (gpa < r->gpa || off > r->size || len > r->size - off || !r->size)
		return NULL;
	return (void *)(uintptr_t)(r->hpa + off);
}

/* Host pointer to byte off of guest RAM counted in range order (0 to
 * size), and in *len how many bytes from there are contiguous, at most
 * max: for walking all of it (a wipe). NULL past the end. */
void *gmem_at(const struct gmem *m, u64 off, u64 max, u64 *len);

/* Copy between guest RAM and the hypervisor: 0, or -1 (nothing copied). */
int copy_from_guest(const struct gmem *m, void *dst, u64 gpa, u64 len);
int copy_to_guest(const struct gmem *m, u64 gpa, const void *src, u64 len);

#endif
