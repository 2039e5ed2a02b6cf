/* Physical frame allocator: one bit per 4 KiB frame over [base, end), set
 * when the frame is in use. Starts with every frame in use; the owner
 * releases the usable RAM. Frame 0 is never handed out, so 0 means failure.
 * Not thread-safe: the caller serializes. */
#ifndef MM_FRAME_H
#define MM_FRAME_H

#include "core/lib/types.h"

struct frame_alloc {
	u64 base;         /* physical address of frame index 0 */
	u64 nframes;
	u64 *bits;        /* nframes bits, 1 = in use */
	u64 nfree;
	u64 hint;         /* index where the next search starts */
};

/* Bytes of bitmap needed for [base, end) (base page-aligned). */
u64 frame_bitmap_bytes(u64 base, u64 end);

/* bits must hold frame_bitmap_bytes(base, end) bytes. All frames in use. */
void frame_init(struct frame_alloc *fa, u64 base, u64 end, u64 *bits);

/* Marks the whole frames inside [pa, pa+size) free (rounded inward);
 * parts outside the allocator's span are ignored. */
void frame_release(struct frame_alloc *fa, u64 pa, u64 size);

/* Marks every frame touching [pa, pa+size) in use (rounded outward). */
void frame_claim(struct frame_alloc *fa, u64 pa, u64 size);

/* Allocates count contiguous frames whose first address is a multiple of
 * align (a power of two, at least 4 KiB). Returns the physical address, or
 * 0 when no such run is free. The memory is not cleared. */
u64 frame_alloc(struct frame_alloc *fa, u64 count, u64 align);

/* Frees count frames at pa. Returns 0, or -1 without changing anything when
 * pa is not page-aligned or 0, the run is outside the span, or any frame of
 * it is already free. */
int frame_free(struct frame_alloc *fa, u64 pa, u64 count);

bool frame_in_use(const struct frame_alloc *fa, u64 pa);

#endif
