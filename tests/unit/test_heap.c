/* mm/heap.c: the first-fit heap. */
#include <sanitizer/asan_interface.h>

#include "mm/heap.h"
#include "tests/unit/test.h"

#define HDR 16          /* block header, as in heap.c */
#define ARENA 8192

static u8 arena[ARENA] __attribute__((aligned(64)));

/* The first size bytes of the arena, zeroed; the rest is poisoned so that
 * ASan reports any access past the donated memory. */
static u8 *region(size_t size)
{
	ASAN_UNPOISON_MEMORY_REGION(arena, ARENA);
	memset(arena, 0, ARENA);
	ASAN_POISON_MEMORY_REGION(arena + size, ARENA - size);
	return arena;
}

__attribute__((destructor)) static void arena_unpoison(void)
{
	ASAN_UNPOISON_MEMORY_REGION(arena, ARENA);
}

static bool inside(const void *p, size_t n, const u8 *mem, size_t size)
{
	const u8 *b = p;

	return b >= mem && b + n <= mem + size;
}

TEST(heap_alignment_and_bounds)
{
	u8 *mem = region(ARENA);
	struct heap h;

	heap_init(&h);
	heap_add(&h, mem, ARENA);
	CHECK_EQ(h.total, ARENA);
	for (size_t sz = 1; sz <= 160; sz += 5) {
		u8 *p = heap_alloc(&h, sz);

		CHECK(p);
		CHECK(IS_ALIGNED((uintptr_t)p, 16));
		CHECK(inside(p, sz, mem, ARENA));
		memset(p, 0xee, sz);
	}
}

TEST(heap_blocks_are_distinct)
{
	static const size_t sizes[] = { 1, 15, 16, 17, 31, 32, 33, 100, 500, 7, 64, 256 };
	u8 *mem = region(ARENA);
	u8 *p[ARRAY_SIZE(sizes)];
	struct heap h;

	heap_init(&h);
	heap_add(&h, mem, ARENA);
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		p[i] = heap_alloc(&h, sizes[i]);
		CHECK(p[i]);
		CHECK(inside(p[i], sizes[i], mem, ARENA));
		memset(p[i], 0x40 + (int)i, sizes[i]);
	}
	/* Every block still holds its own pattern, and no two overlap. */
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		for (size_t k = 0; k < sizes[i]; k++)
			CHECK_EQ(p[i][k], 0x40 + i);
		for (size_t j = 0; j < ARRAY_SIZE(sizes); j++)
			CHECK(i == j || p[i] + sizes[i] <= p[j] || p[j] + sizes[j] <= p[i]);
	}
	/* Freeing every other block leaves the others' contents alone. */
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i += 2)
		CHECK_EQ(heap_free(&h, p[i]), 0);
	for (size_t i = 1; i < ARRAY_SIZE(sizes); i += 2)
		for (size_t k = 0; k < sizes[i]; k++)
			CHECK_EQ(p[i][k], 0x40 + i);
}

TEST(heap_accounting_and_reuse)
{
	u8 *mem = region(ARENA);
	struct heap h;
	void *a, *b, *c, *d;

	heap_init(&h);
	CHECK_EQ(h.total, 0);
	CHECK_EQ(h.used, 0);
	heap_add(&h, mem, ARENA);
	CHECK_EQ(h.total, ARENA);
	/* Headers count; a block is at least 32 bytes, a multiple of 16. */
	a = heap_alloc(&h, 1);
	CHECK_EQ(h.used, 32);
	b = heap_alloc(&h, 17);
	CHECK_EQ(h.used, 32 + 48);
	c = heap_alloc(&h, 16);
	CHECK_EQ(h.used, 32 + 48 + 32);
	CHECK(a == mem + HDR);
	CHECK((u8 *)b == mem + 32 + HDR);
	CHECK_EQ(heap_free(&h, b), 0);
	CHECK_EQ(h.used, 32 + 32);
	/* First fit: the hole left by b is used again. */
	d = heap_alloc(&h, 20);
	CHECK(d == b);
	CHECK_EQ(heap_free(&h, a), 0);
	CHECK_EQ(heap_free(&h, c), 0);
	CHECK_EQ(heap_free(&h, d), 0);
	CHECK_EQ(h.used, 0);
	CHECK_EQ(h.total, ARENA);
}

TEST(heap_coalescing)
{
	u8 *mem = region(4096);
	struct heap h;
	void *a, *b, *c, *big;

	heap_init(&h);
	heap_add(&h, mem, 4096);
	a = heap_alloc(&h, 1000);
	b = heap_alloc(&h, 1000);
	c = heap_alloc(&h, 1000);
	CHECK(a && b && c);
	/* Freed alone, no piece is big enough for 3000 bytes. */
	CHECK_EQ(heap_free(&h, a), 0);
	CHECK_EQ(heap_free(&h, c), 0);
	CHECK(heap_alloc(&h, 3000) == NULL);
	/* With the middle block back, all merge (with the tail too). */
	CHECK_EQ(heap_free(&h, b), 0);
	big = heap_alloc(&h, 4096 - HDR);
	CHECK(big == mem + HDR);
	CHECK_EQ(h.used, 4096);
	CHECK_EQ(heap_free(&h, big), 0);
	/* Freed in another order (middle first), the same. */
	a = heap_alloc(&h, 1000);
	b = heap_alloc(&h, 1000);
	c = heap_alloc(&h, 1000);
	CHECK_EQ(heap_free(&h, b), 0);
	CHECK_EQ(heap_free(&h, a), 0);
	CHECK_EQ(heap_free(&h, c), 0);
	CHECK_EQ(h.used, 0);
	CHECK(heap_alloc(&h, 4096 - HDR) == mem + HDR);
	CHECK(heap_alloc(&h, 1) == NULL);
}

TEST(heap_bad_frees)
{
	u8 *mem = region(ARENA);
	struct heap h;
	u8 *a, *b;
	u64 used;

	heap_init(&h);
	heap_add(&h, mem, ARENA);
	a = heap_alloc(&h, 64);
	b = heap_alloc(&h, 64);
	CHECK(a && b);
	used = h.used;
	CHECK_EQ(heap_free(&h, a + 16), -1);   /* inside a block, aligned */
	CHECK_EQ(heap_free(&h, a + 48), -1);
	CHECK_EQ(heap_free(&h, a + 1), -1);    /* misaligned */
	CHECK_EQ(heap_free(&h, a + 8), -1);
	CHECK_EQ(heap_free(&h, mem + ARENA - 16), -1); /* in the free tail */
	CHECK_EQ(h.used, used);
	CHECK_EQ(heap_free(&h, NULL), 0);      /* accepted */
	CHECK_EQ(heap_free(&h, b), 0);
	CHECK_EQ(heap_free(&h, b), -1);        /* double free */
	CHECK_EQ(h.used, used - 80);
	/* The heap still works: b's block comes back, a was not disturbed. */
	CHECK(heap_alloc(&h, 64) == b);
	CHECK_EQ(heap_free(&h, a), 0);
	CHECK_EQ(heap_free(&h, b), 0);
	CHECK_EQ(h.used, 0);
}

TEST(heap_double_free_after_merge)
{
	u8 *mem = region(1024);
	struct heap h;
	void *a, *b;

	heap_init(&h);
	heap_add(&h, mem, 1024);
	a = heap_alloc(&h, 100);
	b = heap_alloc(&h, 100);
	/* b merges into a's free block: its header is no longer a block. */
	CHECK_EQ(heap_free(&h, a), 0);
	CHECK_EQ(heap_free(&h, b), 0);
	CHECK_EQ(h.used, 0);
	CHECK_EQ(heap_free(&h, b), -1);
	CHECK_EQ(heap_free(&h, a), -1);
	CHECK_EQ(h.used, 0);
	CHECK(heap_alloc(&h, 1024 - HDR) == mem + HDR);
}

TEST(heap_zero_huge_and_exhaustion)
{
	u8 *mem = region(4096);
	struct heap h;
	void *p[128];
	int n = 0, n2 = 0;

	heap_init(&h);
	CHECK(heap_alloc(&h, 16) == NULL);     /* nothing donated yet */
	heap_add(&h, mem, 4096);
	CHECK(heap_alloc(&h, 0) == NULL);
	CHECK(heap_alloc(&h, (size_t)1 << 41) == NULL);
	CHECK(heap_alloc(&h, ~(size_t)0) == NULL);
	CHECK(heap_alloc(&h, ~(size_t)0 - 8) == NULL);
	CHECK(heap_alloc(&h, 4096) == NULL);   /* the header does not fit */
	CHECK_EQ(h.used, 0);
	/* 64-byte blocks (80 with the header) until nothing is left. */
	while (n < 128 && (p[n] = heap_alloc(&h, 64)) != NULL)
		n++;
	CHECK_EQ(n, 4096 / 80);
	CHECK(h.used <= h.total);
	for (int i = 0; i < n; i++)
		CHECK_EQ(heap_free(&h, p[i]), 0);
	CHECK_EQ(h.used, 0);
	while (n2 < 128 && (p[n2] = heap_alloc(&h, 64)) != NULL)
		n2++;
	CHECK_EQ(n2, n);
}

TEST(heap_add_regions)
{
	u8 *mem = region(4096);
	struct heap h;

	heap_init(&h);
	/* Too small to hold a block (31 bytes, or less once aligned). */
	heap_add(&h, mem, 31);
	heap_add(&h, mem + 1, 40);
	heap_add(&h, mem, 0);
	CHECK_EQ(h.total, 0);
	CHECK(heap_alloc(&h, 1) == NULL);
	/* Unaligned edges are trimmed to 16 bytes: [16, 96) of [3, 103). */
	heap_add(&h, mem + 3, 100);
	CHECK_EQ(h.total, 80);
	CHECK(heap_alloc(&h, 64) == mem + 16 + HDR);
	/* Two touching regions merge into one free block. */
	heap_init(&h);
	heap_add(&h, mem + 2048, 2048);
	heap_add(&h, mem, 2048);
	CHECK_EQ(h.total, 4096);
	CHECK(heap_alloc(&h, 4096 - HDR) == mem + HDR);
	/* A request larger than the first region comes from the second. */
	heap_init(&h);
	heap_add(&h, mem, 256);
	heap_add(&h, mem + 1024, 2048);
	CHECK(heap_alloc(&h, 1000) == mem + 1024 + HDR);
	CHECK(heap_alloc(&h, 200) == mem + HDR);
}

TEST(heap_small_remainder_not_split)
{
	u8 *mem = region(64);
	struct heap h;
	void *a;

	heap_init(&h);
	heap_add(&h, mem, 64);
	/* 24 bytes need 48; the 16 left over cannot be a block. */
	a = heap_alloc(&h, 24);
	CHECK(a == mem + HDR);
	CHECK_EQ(h.used, 64);
	CHECK(heap_alloc(&h, 1) == NULL);
	CHECK_EQ(heap_free(&h, a), 0);
	/* 1 byte needs 32: the other 32 stay a block of their own. */
	CHECK(heap_alloc(&h, 1) == mem + HDR);
	CHECK_EQ(h.used, 32);
	CHECK(heap_alloc(&h, 1) == mem + 32 + HDR);
	CHECK_EQ(h.used, 64);
}
