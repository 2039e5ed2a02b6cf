/* Memory-map normalization by an address sweep: between two consecutive
 * range boundaries the type is the highest of the ranges covering that
 * stretch. Quadratic in the number of ranges (a few hundred at most) and
 * needs no scratch memory, which suits an early boot stack. */
#include "mm/memmap.h"

static const char *const type_names[MEM_TYPE_COUNT] = {
	[MEM_USABLE] = "usable",
	[MEM_BOOT_RECLAIM] = "boot-reclaim",
	[MEM_ACPI_RECLAIM] = "acpi-reclaim",
	[MEM_LOADER] = "hypervisor",
	[MEM_FW_DATA] = "fw-runtime-data",
	[MEM_FW_CODE] = "fw-runtime-code",
	[MEM_ACPI_NVS] = "acpi-nvs",
	[MEM_MMIO] = "mmio",
	[MEM_RESERVED] = "reserved",
	[MEM_BAD] = "bad",
};

const char *mem_type_name(u32 type)
{
	return type > 0 && type < MEM_TYPE_COUNT ? type_names[type] : "?";
}

const char *memmap_strerror(int err)
{
	static const char *const msg[] = {
		[MEMMAP_OK] = "ok",
		[MEMMAP_EMPTY] = "the memory map is empty",
		[MEMMAP_NO_RAM] = "the memory map has no usable RAM",
		[MEMMAP_TOO_MANY] = "the memory map has too many ranges",
	};

	return err >= 0 && (size_t)err < ARRAY_SIZE(msg) ? msg[err] : "unknown error";
}

/* A range seen through the sweep: [base, end), end clipped at 2^64 - 1. */
struct span {
	u64 base, end;
	u32 type;
};

static struct span span_of(const struct mem_range *r, u32 forced_type)
{
	u64 end = r->base + r->size < r->base ? ~0ULL : r->base + r->size;
	u32 t = forced_type ? forced_type : r->type;

	if (t == 0 || t >= MEM_TYPE_COUNT)
		t = MEM_RESERVED;
	return (struct span){ r->base, end, t };
}

struct sweep {
	const struct mem_range *in, *over;
	u32 nin, nover;
};

static struct span sweep_get(const struct sweep *s, u32 i)
{
	return i < s->nin ? span_of(&s->in[i], 0) : span_of(&s->over[i - s->nin], MEM_LOADER);
}

/* The smallest boundary strictly above `at`, or ~0 when there is none. */
static u64 next_boundary(const struct sweep *s, u64 at)
{
	u64 best = ~0ULL;

	for (u32 i = 0; i < s->nin + s->nover; i++) {
		struct span sp = sweep_get(s, i);

		if (sp.base == sp.end)
			continue;
		if (sp.base > at && sp.base < best)
			best = sp.base;
		if (sp.end > at && sp.end < best)
			best = sp.end;
	}
	return best;
}

/* The winning type at address `at` (0 when nothing covers it). */
static u32 type_at(const struct sweep *s, u64 at)
{
	u32 t = 0;

	for (u32 i = 0; i < s->nin + s->nover; i++) {
		struct span sp = sweep_get(s, i);

		if (sp.base <= at && at < sp.end && sp.type > t)
			t = sp.type;
	}
	return t;
}

static bool emit(struct mem_range *out, u32 cap, u32 *n, u64 base, u64 end, u32 t)
{
	struct mem_range *last = *n ? &out[*n - 1] : NULL;

	if (last && last->type == t && last->base + last->size == base) {
		last->size += end - base;
		return true;
	}
	if (*n == cap)
		return false;
	out[(*n)++] = (struct mem_range){ base, end - base, t, 0 };
	return true;
}

int memmap_normalize(const struct mem_range *in, u32 nin,
		     const struct mem_range *over, u32 nover,
		     struct mem_range *out, u32 cap, u32 *nout)
{
	struct sweep s = { in, over, nin, nover };
	u64 at = 0;
	bool ram = false;

	*nout = 0;
	if (nin == 0)
		return MEMMAP_EMPTY;
	if (type_at(&s, 0) == 0)
		at = next_boundary(&s, 0);
	while (at != ~0ULL) {
		u64 next = next_boundary(&s, at);
		u32 t = type_at(&s, at);

		if (t && !emit(out, cap, nout, at, next, t))
			return MEMMAP_TOO_MANY;
		ram |= t == MEM_USABLE || t == MEM_BOOT_RECLAIM;
		at = next;
	}
	return ram ? MEMMAP_OK : MEMMAP_NO_RAM;
}

u64 memmap_total(const struct mem_range *m, u32 n, u32 type)
{
	u64 sum = 0;

	for (u32 i = 0; i < n; i++)
		if (m[i].type == type)
			sum += m[i].size;
	return sum;
}

u64 memmap_top(const struct mem_range *m, u32 n)
{
	return n ? m[n - 1].base + m[n - 1].size : 0;
}
