/* Checked access to a guest's physical memory. A guest's RAM is
 * guest-physical [0, low end) and, when it has more than GMEM_LOW_MAX,
 * [GMEM_HIGH_BASE, + the rest), leaving the hole below 4 GiB where a PC
 * has its APICs and firmware. The host backs it with one block where it
 * can, else with a few pieces (guest_create): each range of struct gmem
 * is one guest-physical run backed by one contiguous host run, and every
 * boundary between ranges but the last lies on a 2 MiB multiple. Every
 * guest-supplied address and length is checked against them, overflow
 * included, before anything is touched. gmem_ptr gives a pointer only to
 * what lies wholly in one range; copy_from_guest, copy_to_guest and
 * gmem_zero cross ranges. */
#ifndef MM_GMEM_H
#define MM_GMEM_H

#include "core/lib/types.h"

#define GMEM_LOW_MAX 0xc0000000ULL      /* RAM below 4 GiB ends here at most (3 GiB) */
#define GMEM_HIGH_BASE 0x100000000ULL   /* the rest of it starts here */
#define GMEM_RANGES 16

struct gmem_range {
	u64 gpa, hpa, size;        /* guest-physical [gpa, gpa + size) at host [hpa, ...) */
};

/* A guest's RAM (struct guest's mem): fixed from creation to the end.
 * r[0] starts at guest-physical 0; the ranges follow in address order. */
struct gmem {
	struct gmem_range r[GMEM_RANGES];
	u32 n;
	u64 size;                  /* all of it, in bytes */
};

/* m empty; then size more bytes of RAM backed by the host run at hpa,
 * placed after what m has (below GMEM_LOW_MAX while there is room, the
 * rest from GMEM_HIGH_BASE): 0, or -1 when m has no range left for it. */
void gmem_init_empty(struct gmem *m);
int gmem_add(struct gmem *m, u64 hpa, u64 size);

/* m as size bytes backed by the one host block at hpa. */
void gmem_init(struct gmem *m, u64 hpa, u64 size);

/* The end of the RAM that starts at guest-physical 0, and how much lies
 * from GMEM_HIGH_BASE up. */
static inline u64 gmem_low_end(const struct gmem *m)
{
	return MIN(m->size, GMEM_LOW_MAX);
}

static inline u64 gmem_high_size(const struct gmem *m)
{
	return m->size - gmem_low_end(m);
}

/* The ranges after the first, for gmem_ptr. */
void *gmem_ptr_rest(const struct gmem *m, u64 gpa, u64 len);

/* Host pointer to [gpa, gpa+len) when it lies wholly in one range of guest
 * RAM, or NULL. The range from 0 is tried inline first: a page walk comes
 * here five times (the AMD-V VMCALL's #UD cost 294 instructions with one
 * range, 326 so, 353 with a loop over all of them). */
static inline void *gmem_ptr(const struct gmem *m, u64 gpa, u64 len)
{
	const struct gmem_range *r = &m->r[0];

	if (__builtin_expect(gpa <= r->size && len <= r->size - gpa, 1))
		return (void *)(uintptr_t)(r->hpa + gpa);
	return gmem_ptr_rest(m, gpa, len);
}

/* Host pointer to byte off of guest RAM counted in range order (0 to
 * size), and in *len how many bytes from there are contiguous, at most
 * max: for walking all of it (a wipe). NULL past the end. */
void *gmem_at(const struct gmem *m, u64 off, u64 max, u64 *len);

/* Host pointer to byte gpa of guest RAM, and in *n how many bytes from
 * there (at most len) lie in its range; NULL when gpa is not RAM. */
void *gmem_piece(const struct gmem *m, u64 gpa, u64 len, u64 *n);

/* Whether [gpa, gpa+len) is all guest RAM (across ranges). */
bool gmem_contains(const struct gmem *m, u64 gpa, u64 len);

/* Copy between guest RAM and the hypervisor, or zero guest RAM, across
 * ranges: 0, or -1 (nothing touched) when any byte is not guest RAM. */
int copy_from_guest(const struct gmem *m, void *dst, u64 gpa, u64 len);
int copy_to_guest(const struct gmem *m, u64 gpa, const void *src, u64 len);
int gmem_zero(const struct gmem *m, u64 gpa, u64 len);

#endif
