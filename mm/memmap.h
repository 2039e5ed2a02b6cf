/* Memory-map normalization: turns the firmware's list of ranges (unsorted,
 * overlapping, unaligned) into one sorted list without overlaps. */
#ifndef MM_MEMMAP_H
#define MM_MEMMAP_H

#include "core/config/boot_info.h"

enum memmap_err {
	MEMMAP_OK = 0,
	MEMMAP_EMPTY,        /* no ranges at all */
	MEMMAP_NO_RAM,       /* no usable RAM left after the overlays */
	MEMMAP_TOO_MANY,     /* the result does not fit in the output array */
};

/* Writes to out (capacity cap) the ranges of in[] with over[] laid on top as
 * MEM_LOADER, sorted by address, without overlaps, neighbours of one type
 * merged. Where ranges overlap the higher enum mem_type wins; unknown types
 * count as MEM_RESERVED; zero-sized ranges are ignored.
 * Returns an enum memmap_err; *nout is set in every case. */
int memmap_normalize(const struct mem_range *in, u32 nin,
		     const struct mem_range *over, u32 nover,
		     struct mem_range *out, u32 cap, u32 *nout);

const char *memmap_strerror(int err);
const char *mem_type_name(u32 type);

/* Bytes of type `type` in a normalized map. */
u64 memmap_total(const struct mem_range *m, u32 n, u32 type);

/* End of the highest range in a normalized map (0 when empty). */
u64 memmap_top(const struct mem_range *m, u32 n);

#endif
