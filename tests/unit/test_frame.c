/* mm/frame.c: the bitmap frame allocator. */
#include <stdlib.h>

#include "mm/frame.h"
#include "tests/unit/test.h"

#define BASE MiB(1)
#define NF 256                    /* frames in the standard span */

/* The bitmap lives in a heap block of exactly the needed size (ASan). */
static struct frame_alloc *fa_new(u64 base, u64 end)
{
	static struct frame_alloc fa;
	u64 bytes = frame_bitmap_bytes(base, end);

	frame_init(&fa, base, end, malloc(bytes ? bytes : 1));
	return &fa;
}

static void fa_done(struct frame_alloc *fa)
{
	free(fa->bits);
	fa->bits = NULL;
}

static u64 frame_pa(u64 i)
{
	return BASE + i * PAGE_SIZE;
}

/* Number of frames in use among [first, first+count) of the span. */
static u64 used_in(const struct frame_alloc *fa, u64 first, u64 count)
{
	u64 n = 0;

	for (u64 i = first; i < first + count; i++)
		n += frame_in_use(fa, fa->base + i * PAGE_SIZE);
	return n;
}

TEST(frame_bitmap_size_and_init)
{
	struct frame_alloc *fa;

	CHECK_EQ(frame_bitmap_bytes(0, PAGE_SIZE), 8);
	CHECK_EQ(frame_bitmap_bytes(0, 64 * PAGE_SIZE), 8);
	CHECK_EQ(frame_bitmap_bytes(0, 65 * PAGE_SIZE), 16);
	CHECK_EQ(frame_bitmap_bytes(0, PAGE_SIZE + 100), 8);
	CHECK_EQ(frame_bitmap_bytes(0, 100), 0);
	CHECK_EQ(frame_bitmap_bytes(MiB(2), MiB(1)), 0);
	CHECK_EQ(frame_bitmap_bytes(0, GiB(4)), GiB(4) / PAGE_SIZE / 8);

	fa = fa_new(BASE, BASE + 100 * PAGE_SIZE);
	CHECK_EQ(fa->nframes, 100);
	CHECK_EQ(fa->nfree, 0);
	CHECK_EQ(used_in(fa, 0, 100), 100);
	CHECK_EQ(frame_alloc(fa, 1, PAGE_SIZE), 0);
	/* Outside the span counts as in use. */
	CHECK(frame_in_use(fa, 0));
	CHECK(frame_in_use(fa, BASE + 100 * PAGE_SIZE));
	CHECK(frame_in_use(fa, ~0ULL));
	fa_done(fa);
}

TEST(frame_release_rounds_inward)
{
	struct frame_alloc *fa = fa_new(BASE, BASE + NF * PAGE_SIZE);

	frame_release(fa, frame_pa(0) + 100, 3 * PAGE_SIZE);
	CHECK_EQ(fa->nfree, 2);
	CHECK(frame_in_use(fa, frame_pa(0)));
	CHECK(!frame_in_use(fa, frame_pa(1)));
	CHECK(!frame_in_use(fa, frame_pa(2) + 4095));
	CHECK(frame_in_use(fa, frame_pa(3)));
	/* Less than a whole frame: nothing. Twice: counted once. */
	frame_release(fa, frame_pa(10) + 1, PAGE_SIZE);
	frame_release(fa, frame_pa(1), 2 * PAGE_SIZE);
	frame_release(fa, frame_pa(20), 0);
	CHECK_EQ(fa->nfree, 2);
	/* Parts outside the span are ignored. */
	frame_release(fa, 0, BASE + 2 * PAGE_SIZE + 1);
	CHECK_EQ(fa->nfree, 3);
	CHECK(!frame_in_use(fa, frame_pa(0)));
	frame_release(fa, frame_pa(NF - 2), MiB(64));
	CHECK_EQ(fa->nfree, 5);
	frame_release(fa, frame_pa(NF), MiB(64));
	frame_release(fa, 0, BASE);
	CHECK_EQ(fa->nfree, 5);
	/* A size that runs past 2^64 stops at the end of the span. */
	frame_release(fa, frame_pa(100), ~0ULL);
	CHECK_EQ(fa->nfree, 3 + (NF - 100));
	fa_done(fa);
}

TEST(frame_release_near_top_of_address_space)
{
	struct frame_alloc *fa = fa_new(BASE, BASE + NF * PAGE_SIZE);

	/* Rounding the start up must not wrap to 0 and free the whole span. */
	frame_release(fa, ~0ULL - PAGE_SIZE + 2, 0x10);
	frame_release(fa, ~0ULL - 10, 5);
	CHECK_EQ(fa->nfree, 0);
	CHECK_EQ(used_in(fa, 0, NF), NF);
	fa_done(fa);
}

TEST(frame_claim_rounds_outward)
{
	struct frame_alloc *fa = fa_new(BASE, BASE + NF * PAGE_SIZE);

	frame_release(fa, BASE, NF * PAGE_SIZE);
	CHECK_EQ(fa->nfree, NF);
	frame_claim(fa, frame_pa(1) + 1, 10);
	CHECK_EQ(fa->nfree, NF - 1);
	CHECK(frame_in_use(fa, frame_pa(1)));
	/* Two bytes across a frame boundary claim both frames. */
	frame_claim(fa, frame_pa(3) - 1, 2);
	CHECK_EQ(fa->nfree, NF - 3);
	CHECK_EQ(used_in(fa, 0, 5), 3);
	CHECK(!frame_in_use(fa, frame_pa(0)));
	CHECK(!frame_in_use(fa, frame_pa(4)));
	/* Claiming again changes nothing; outside the span is ignored. */
	frame_claim(fa, frame_pa(1), 3 * PAGE_SIZE);
	frame_claim(fa, 0, BASE);
	frame_claim(fa, frame_pa(NF), MiB(1));
	frame_claim(fa, frame_pa(10), 0);
	CHECK_EQ(fa->nfree, NF - 3);
	/* Past 2^64: up to the end of the span. */
	frame_claim(fa, frame_pa(NF - 3), ~0ULL);
	CHECK_EQ(fa->nfree, NF - 6);
	CHECK(frame_in_use(fa, frame_pa(NF - 1)));
	fa_done(fa);
}

TEST(frame_alloc_basic_and_contiguous)
{
	struct frame_alloc *fa = fa_new(BASE, BASE + NF * PAGE_SIZE);
	u64 a, b, c;

	frame_release(fa, BASE, NF * PAGE_SIZE);
	frame_claim(fa, frame_pa(3), PAGE_SIZE);
	frame_claim(fa, frame_pa(10), PAGE_SIZE);
	/* Five frames do not fit before frame 3: the run starts at 4. */
	a = frame_alloc(fa, 5, PAGE_SIZE);
	CHECK_EQ(a, frame_pa(4));
	CHECK_EQ(used_in(fa, 4, 5), 5);
	CHECK(!frame_in_use(fa, frame_pa(9)));
	CHECK_EQ(fa->nfree, NF - 7);
	/* Next fit: from the hint on, past the used frame 10. */
	b = frame_alloc(fa, 2, PAGE_SIZE);
	CHECK_EQ(b, frame_pa(11));
	c = frame_alloc(fa, 1, PAGE_SIZE);
	CHECK_EQ(c, frame_pa(13));
	CHECK_EQ(fa->nfree, NF - 10);
	/* Bad requests. */
	CHECK_EQ(frame_alloc(fa, 0, PAGE_SIZE), 0);
	CHECK_EQ(frame_alloc(fa, NF, PAGE_SIZE), 0);
	CHECK_EQ(frame_alloc(fa, 1, 0), 0);
	CHECK_EQ(frame_alloc(fa, 1, 2048), 0);
	CHECK_EQ(frame_alloc(fa, 1, 3 * PAGE_SIZE), 0);
	CHECK_EQ(frame_alloc(fa, ~0ULL, PAGE_SIZE), 0);
	CHECK_EQ(fa->nfree, NF - 10);
	/* Free frames exist but no run of that length does. */
	frame_claim(fa, BASE, NF * PAGE_SIZE);
	for (u64 i = 0; i < NF; i += 2)
		frame_release(fa, frame_pa(i), PAGE_SIZE);
	CHECK_EQ(fa->nfree, NF / 2);
	CHECK_EQ(frame_alloc(fa, 2, PAGE_SIZE), 0);
	CHECK_EQ(fa->nfree, NF / 2);
	fa_done(fa);
}

TEST(frame_alloc_aligned)
{
	/* A span that starts 4K below a 2 MiB boundary. */
	u64 base = MiB(2) - PAGE_SIZE;
	struct frame_alloc *fa = fa_new(base, base + MiB(8));
	u64 a, b;

	frame_release(fa, base, MiB(8));
	a = frame_alloc(fa, 512, MiB(2));
	CHECK_EQ(a, MiB(2));
	CHECK(frame_in_use(fa, MiB(4) - PAGE_SIZE));
	CHECK(!frame_in_use(fa, base));
	CHECK(!frame_in_use(fa, MiB(4)));
	/* A used frame inside the next aligned run moves to the one after. */
	frame_claim(fa, MiB(5), PAGE_SIZE);
	b = frame_alloc(fa, 512, MiB(2));
	CHECK_EQ(b, MiB(6));
	/* [8M, 10M) does not fit in the span: no aligned run is left. */
	CHECK_EQ(frame_alloc(fa, 512, MiB(2)), 0);
	CHECK_EQ(frame_alloc(fa, 1, MiB(2)), MiB(8));
	CHECK_EQ(frame_alloc(fa, 2, KiB(16)), MiB(8) + KiB(16));
	CHECK_EQ(frame_alloc(fa, 1, PAGE_SIZE), MiB(8) + KiB(24));
	CHECK_EQ(fa->nfree, 2048 - 512 - 1 - 512 - 1 - 2 - 1);
	fa_done(fa);
}

TEST(frame_never_returns_frame_zero)
{
	struct frame_alloc *fa = fa_new(0, 64 * PAGE_SIZE);
	u64 pa;
	int n = 0;

	frame_release(fa, 0, 64 * PAGE_SIZE);
	CHECK_EQ(fa->nfree, 63);
	CHECK(frame_in_use(fa, 0));
	while ((pa = frame_alloc(fa, 1, PAGE_SIZE)) != 0) {
		CHECK(pa >= PAGE_SIZE && pa < 64 * PAGE_SIZE);
		n++;
	}
	CHECK_EQ(n, 63);
	CHECK_EQ(fa->nfree, 0);
	/* Frame 0 was never handed out, so it cannot be freed either. */
	CHECK_EQ(frame_free(fa, 0, 1), -1);
	CHECK_EQ(frame_free(fa, 0, 2), -1);
	CHECK_EQ(fa->nfree, 0);
	CHECK(frame_in_use(fa, PAGE_SIZE));
	CHECK_EQ(frame_free(fa, PAGE_SIZE, 1), 0);
	CHECK_EQ(frame_alloc(fa, 1, PAGE_SIZE), PAGE_SIZE);
	CHECK_EQ(frame_alloc(fa, 1, PAGE_SIZE), 0);
	fa_done(fa);
}

TEST(frame_free_errors_change_nothing)
{
	struct frame_alloc *fa = fa_new(BASE, BASE + NF * PAGE_SIZE);
	u64 saved[NF / 64], nfree;
	u64 a;

	frame_release(fa, BASE, NF * PAGE_SIZE);
	a = frame_alloc(fa, 4, PAGE_SIZE);
	CHECK_EQ(a, BASE);
	frame_claim(fa, frame_pa(NF - 2), 2 * PAGE_SIZE);
	memcpy(saved, fa->bits, sizeof(saved));
	nfree = fa->nfree;
	CHECK_EQ(frame_free(fa, a + 1, 1), -1);            /* misaligned */
	CHECK_EQ(frame_free(fa, a + 2048, 1), -1);
	CHECK_EQ(frame_free(fa, BASE - PAGE_SIZE, 2), -1); /* below the span */
	CHECK_EQ(frame_free(fa, 0, 1), -1);
	CHECK_EQ(frame_free(fa, frame_pa(NF), 1), -1);     /* above */
	CHECK_EQ(frame_free(fa, frame_pa(NF - 2), 3), -1); /* runs past the end */
	CHECK_EQ(frame_free(fa, frame_pa(NF - 2), ~0ULL), -1);
	CHECK_EQ(frame_free(fa, a, 0), -1);
	CHECK_EQ(frame_free(fa, a, 5), -1);                /* frame 4 is free */
	CHECK_EQ(frame_free(fa, frame_pa(100), 1), -1);    /* never allocated */
	CHECK_EQ(fa->nfree, nfree);
	CHECK(!memcmp(saved, fa->bits, sizeof(saved)));
	/* A good free, then the same again is a double free. */
	CHECK_EQ(frame_free(fa, a + PAGE_SIZE, 2), 0);
	CHECK_EQ(fa->nfree, nfree + 2);
	CHECK_EQ(frame_free(fa, a + PAGE_SIZE, 2), -1);
	CHECK_EQ(frame_free(fa, a, 2), -1);                /* half of it */
	CHECK_EQ(fa->nfree, nfree + 2);
	CHECK(frame_in_use(fa, a));
	CHECK(frame_in_use(fa, a + 3 * PAGE_SIZE));
	CHECK_EQ(frame_free(fa, frame_pa(NF - 2), 2), 0);
	CHECK_EQ(fa->nfree, nfree + 4);
	fa_done(fa);
}

TEST(frame_exhaust_free_reuse_and_wrap)
{
	struct frame_alloc *fa = fa_new(BASE, BASE + 64 * PAGE_SIZE);
	u64 pa[64];

	frame_release(fa, BASE, 64 * PAGE_SIZE);
	for (int i = 0; i < 64; i++) {
		pa[i] = frame_alloc(fa, 1, PAGE_SIZE);
		CHECK_EQ(pa[i], frame_pa(i));
	}
	CHECK_EQ(frame_alloc(fa, 1, PAGE_SIZE), 0);
	CHECK_EQ(fa->nfree, 0);
	/* The hint is at the end: freed frames before it are found. */
	CHECK_EQ(frame_free(fa, pa[17], 1), 0);
	CHECK_EQ(frame_alloc(fa, 1, PAGE_SIZE), pa[17]);
	CHECK_EQ(frame_alloc(fa, 1, PAGE_SIZE), 0);
	/* Two frames free after the hint, four before it: a run of four
	 * needs the wrap-around. */
	CHECK_EQ(frame_free(fa, frame_pa(62), 2), 0);
	CHECK_EQ(frame_free(fa, frame_pa(5), 4), 0);
	fa->hint = 60;
	CHECK_EQ(frame_alloc(fa, 4, PAGE_SIZE), frame_pa(5));
	CHECK_EQ(frame_alloc(fa, 2, PAGE_SIZE), frame_pa(62));
	CHECK_EQ(fa->nfree, 0);
	/* Free everything, then all of it is usable again as one run. */
	CHECK_EQ(frame_free(fa, BASE, 64), 0);
	CHECK_EQ(fa->nfree, 64);
	CHECK_EQ(frame_alloc(fa, 64, PAGE_SIZE), BASE);
	fa_done(fa);
}
