/* Bitmap frame allocator with a next-fit hint. */
#include "mm/frame.h"
#include "core/lib/string.h"

static bool test(const struct frame_alloc *fa, u64 i)
{
	return fa->bits[i / 64] >> (i % 64) & 1;
}

/* Bits set in x (no popcnt instruction assumed, no libgcc). */
static u64 bits_set(u64 x)
{
	x -= x >> 1 & 0x5555555555555555ULL;
	x = (x & 0x3333333333333333ULL) + (x >> 2 & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return x * 0x0101010101010101ULL >> 56;
}

/* Marks frames [first, last) used or free, a bitmap word at a time where
 * whole words are covered (the boot releases all of RAM through here). */
static void set_range(struct frame_alloc *fa, u64 first, u64 last, bool used)
{
	while (first < last) {
		u64 w = first / 64, lo = first % 64, n = MIN(64 - lo, last - first);
		u64 m = (n == 64 ? ~0ULL : ((1ULL << n) - 1)) << lo;
		u64 changed = used ? m & ~fa->bits[w] : m & fa->bits[w];
		u64 k = bits_set(changed);

		fa->bits[w] = used ? fa->bits[w] | m : fa->bits[w] & ~m;
		fa->nfree = used ? fa->nfree - k : fa->nfree + k;
		first += n;
	}
}

u64 frame_bitmap_bytes(u64 base, u64 end)
{
	u64 n = end > base ? (end - base) / PAGE_SIZE : 0;

	return (n + 63) / 64 * 8;
}

void frame_init(struct frame_alloc *fa, u64 base, u64 end, u64 *bits)
{
	fa->base = base;
	fa->nframes = end > base ? (end - base) / PAGE_SIZE : 0;
	fa->bits = bits;
	fa->nfree = 0;
	fa->hint = 0;
	memset(bits, 0xff, frame_bitmap_bytes(base, end));
}

/* Clips [lo, hi) to the span and converts it to frame indexes. */
static bool to_index(const struct frame_alloc *fa, u64 lo, u64 hi, u64 *first, u64 *last)
{
	u64 span_end = fa->base + fa->nframes * PAGE_SIZE;

	lo = MAX(lo, fa->base);
	hi = MIN(hi, span_end);
	if (lo >= hi)
		return false;
	*first = (lo - fa->base) / PAGE_SIZE;
	*last = (hi - fa->base) / PAGE_SIZE;
	return *first < *last;
}

void frame_release(struct frame_alloc *fa, u64 pa, u64 size)
{
	u64 end = pa + size < pa ? ~0ULL : pa + size;
	u64 start = ALIGN_UP(pa, PAGE_SIZE);
	u64 first, last;

	if (start < pa ||	/* rounding up wrapped: no whole frame */
	    !to_index(fa, start, ALIGN_DOWN(end, PAGE_SIZE), &first, &last))
		return;
	if (fa->base == 0 && first == 0)
		first = 1;	/* frame 0 is never handed out */
	set_range(fa, first, last, false);
}

void frame_claim(struct frame_alloc *fa, u64 pa, u64 size)
{
	u64 end = pa + size < pa ? ~0ULL : ALIGN_UP(pa + size, PAGE_SIZE);
	u64 first, last;

	if (!to_index(fa, ALIGN_DOWN(pa, PAGE_SIZE), end, &first, &last))
		return;
	set_range(fa, first, last, true);
}

/* Length of the free run starting at i, at most count. */
static u64 free_run(const struct frame_alloc *fa, u64 i, u64 count)
{
	u64 n = 0;

	while (n < count && i + n < fa->nframes && !test(fa, i + n))
		n++;
	return n;
}

/* First index >= i whose address is a multiple of align. */
static u64 aligned_index(const struct frame_alloc *fa, u64 i, u64 align)
{
	u64 pa = fa->base + i * PAGE_SIZE;

	return (ALIGN_UP(pa, align) - fa->base) / PAGE_SIZE;
}

static u64 search(struct frame_alloc *fa, u64 from, u64 to, u64 count, u64 align)
{
	for (u64 i = aligned_index(fa, from, align); i + count <= to;) {
		u64 run;

		if (fa->bits[i / 64] == ~0ULL && align == PAGE_SIZE) {
			i = (i / 64 + 1) * 64;
			continue;
		}
		run = free_run(fa, i, count);
		if (run == count)
			return i;
		i = aligned_index(fa, i + run + 1, align);
	}
	return ~0ULL;
}

u64 frame_alloc(struct frame_alloc *fa, u64 count, u64 align)
{
	u64 i;

	if (!count || count > fa->nfree || align < PAGE_SIZE || (align & (align - 1)))
		return 0;
	i = search(fa, fa->hint, fa->nframes, count, align);
	if (i == ~0ULL)
		i = search(fa, 0, MIN(fa->hint + count, fa->nframes), count, align);
	if (i == ~0ULL)
		return 0;
	set_range(fa, i, i + count, true);
	fa->hint = i + count;
	return fa->base + i * PAGE_SIZE;
}

int frame_free(struct frame_alloc *fa, u64 pa, u64 count)
{
	u64 i;

	if (!IS_ALIGNED(pa, PAGE_SIZE) || !pa || pa < fa->base || !count)
		return -1;	/* frame 0 is never handed out, so never freed */
	i = (pa - fa->base) / PAGE_SIZE;
	if (i >= fa->nframes || count > fa->nframes - i)
		return -1;
	for (u64 k = 0; k < count; k++)
		if (!test(fa, i + k))
			return -1;
	set_range(fa, i, i + count, false);
	return 0;
}

bool frame_in_use(const struct frame_alloc *fa, u64 pa)
{
	u64 i;

	if (pa < fa->base)
		return true;
	i = (pa - fa->base) / PAGE_SIZE;
	return i >= fa->nframes || test(fa, i);
}
