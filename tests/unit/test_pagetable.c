/* mm/pagetable.c: the 4-level page-table builder (x86, NPT and EPT). */
#include <stdlib.h>

#include "mm/pagetable.h"
#include "tests/unit/test.h"

#define MAX_TABLES 64
#define BIT(n) (1ULL << (n))
#define ADDR_MASK 0x000ffffffffff000ULL

/* Every table handed out, so each test frees them all (even after a failed
 * CHECK: the next test's start and the exit clean up). */
static void *tables[MAX_TABLES];
static int ntables;

struct tctx {
	int limit;      /* tables this allocator may still hand out; <0: no limit */
};

static void *tab_alloc(void *ctx, u64 *pa)
{
	struct tctx *t = ctx;
	void *p;

	if (!t->limit || ntables == MAX_TABLES)
		return NULL;
	p = aligned_alloc(4096, 4096);
	if (!p)
		return NULL;
	memset(p, 0, 4096);
	if (t->limit > 0)
		t->limit--;
	tables[ntables++] = p;
	*pa = (u64)(uintptr_t)p;
	return p;
}

static void tab_free_all(void)
{
	while (ntables)
		free(tables[--ntables]);
}

__attribute__((destructor)) static void tab_cleanup(void)
{
	tab_free_all();
}

static int setup(struct pagetable *pt, const struct pt_format *f, u8 max_leaf,
		 struct tctx *ctx)
{
	tab_free_all();
	return pt_init(pt, f, max_leaf, tab_alloc, ctx);
}

/* The raw entry that maps va (a leaf), or 0. */
static u64 raw_leaf(const struct pagetable *pt, u64 va)
{
	const u64 *t = (const u64 *)(uintptr_t)pt->root;

	for (int l = 4; l >= 1; l--) {
		u64 e = t[(va >> (12 + 9 * (l - 1))) & 511];

		if (!(e & pt->fmt->present))
			return 0;
		if (l == 1 || (e & pt->fmt->large))
			return e;
		t = (const u64 *)(uintptr_t)(e & ADDR_MASK);
	}
	return 0;
}

/* The raw entry of the root table for va. */
static u64 raw_root(const struct pagetable *pt, u64 va)
{
	return ((const u64 *)(uintptr_t)pt->root)[(va >> 39) & 511];
}

/* Looks va up and checks pa, prot and level. */
#define CHECK_MAP(pt, va, want_pa, want_prot, want_level)                    \
	do {                                                                 \
		u64 pa_ = 0;                                                 \
		u32 prot_ = 0;                                               \
		u8 level_ = 0;                                               \
		CHECK_EQ(pt_lookup((pt), (va), &pa_, &prot_, &level_), PT_OK); \
		CHECK_EQ(pa_, (want_pa));                                    \
		CHECK_EQ(prot_, (want_prot));                                \
		CHECK_EQ(level_, (want_level));                              \
	} while (0)

#define RW (PT_R | PT_W)
#define RX (PT_R | PT_X)
#define RWX (PT_R | PT_W | PT_X)

TEST(pt_init_and_empty_lookup)
{
	struct tctx ctx = { -1 }, none = { 0 };
	struct pagetable pt;
	u64 pa = 7;

	CHECK_EQ(setup(&pt, &pt_x86, 3, &ctx), PT_OK);
	CHECK_EQ(pt.tables, 1);
	CHECK(pt.root != 0);
	CHECK_EQ(pt.root, (u64)(uintptr_t)tables[0]);
	CHECK_EQ(pt_lookup(&pt, 0, &pa, NULL, NULL), PT_ENOENT);
	CHECK_EQ(pa, 7);
	CHECK_EQ(pt_lookup(&pt, GiB(1), NULL, NULL, NULL), PT_ENOENT);
	/* max_leaf is kept within 1..3. */
	CHECK_EQ(setup(&pt, &pt_x86, 0, &ctx), PT_OK);
	CHECK_EQ(pt.max_leaf, 1);
	CHECK_EQ(setup(&pt, &pt_ept, 9, &ctx), PT_OK);
	CHECK_EQ(pt.max_leaf, 3);
	CHECK_EQ(setup(&pt, &pt_npt, 2, &ctx), PT_OK);
	CHECK_EQ(pt.max_leaf, 2);
	/* No memory for the root. */
	CHECK_EQ(setup(&pt, &pt_x86, 3, &none), PT_ENOMEM);
	CHECK_EQ(pt.tables, 0);
	tab_free_all();
}

TEST(pt_map_4k_pages)
{
	struct tctx ctx = { -1 };
	struct pagetable pt;
	u64 va = MiB(2), pa = GiB(5);

	CHECK_EQ(setup(&pt, &pt_x86, 1, &ctx), PT_OK);
	/* 2 MiB, aligned for larger pages, but max_leaf allows 4K only. */
	CHECK_EQ(pt_map(&pt, va, pa, MiB(2), RW), PT_OK);
	CHECK_EQ(pt.tables, 4);
	for (u64 off = 0; off < MiB(2); off += 0x7000)
		CHECK_MAP(&pt, va + off, pa + off, RW, 1);
	CHECK_MAP(&pt, va + 0x123, pa + 0x123, RW, 1);
	CHECK_MAP(&pt, va + MiB(2) - 1, pa + MiB(2) - 1, RW, 1);
	CHECK_EQ(pt_lookup(&pt, va - 1, NULL, NULL, NULL), PT_ENOENT);
	CHECK_EQ(pt_lookup(&pt, va + MiB(2), NULL, NULL, NULL), PT_ENOENT);
	/* A second 4K page in the same last-level table needs no table. */
	CHECK_EQ(pt_map(&pt, MiB(4) + MiB(1), 0x1000, PAGE_SIZE, PT_R), PT_OK);
	CHECK_EQ(pt.tables, 5);
	CHECK_MAP(&pt, MiB(5) + 8, 0x1008, PT_R, 1);
	tab_free_all();
}

TEST(pt_map_2m_and_1g_pages)
{
	struct tctx ctx = { -1 };
	struct pagetable pt;

	CHECK_EQ(setup(&pt, &pt_x86, 2, &ctx), PT_OK);
	CHECK_EQ(pt_map(&pt, MiB(4), MiB(8), MiB(4), RWX), PT_OK);
	CHECK_EQ(pt.tables, 3);
	CHECK_MAP(&pt, MiB(4), MiB(8), RWX, 2);
	CHECK_MAP(&pt, MiB(8) - 1, MiB(12) - 1, RWX, 2);
	/* max_leaf 2 maps a 1 GiB stretch with 2 MiB pages. */
	CHECK_EQ(pt_map(&pt, GiB(1), GiB(1), GiB(1), RW), PT_OK);
	CHECK_EQ(pt.tables, 4);
	CHECK_MAP(&pt, GiB(1) + MiB(3), GiB(1) + MiB(3), RW, 2);

	CHECK_EQ(setup(&pt, &pt_x86, 3, &ctx), PT_OK);
	CHECK_EQ(pt_map(&pt, GiB(1), GiB(2), GiB(2), RW), PT_OK);
	CHECK_EQ(pt.tables, 2);
	CHECK_MAP(&pt, GiB(1), GiB(2), RW, 3);
	CHECK_MAP(&pt, GiB(3) - 1, GiB(4) - 1, RW, 3);
	CHECK_MAP(&pt, GiB(2) + 0x12345, GiB(3) + 0x12345, RW, 3);
	/* Above 512 GiB: another root entry, another level-3 table. */
	CHECK_EQ(pt_map(&pt, GiB(512), 0, GiB(1), PT_R), PT_OK);
	CHECK_EQ(pt.tables, 3);
	CHECK_MAP(&pt, GiB(512) + 5, 5, PT_R, 3);
	tab_free_all();
}

TEST(pt_mixed_alignment)
{
	struct tctx ctx = { -1 };
	struct pagetable pt;
	u64 va = MiB(2) - KiB(8), size = KiB(8) + MiB(4) + KiB(12), pa = GiB(3) + va;

	CHECK_EQ(setup(&pt, &pt_npt, 3, &ctx), PT_OK);
	/* 4K pages up to the first 2 MiB boundary, 2 MiB pages, 4K again. */
	CHECK_EQ(pt_map(&pt, va, pa, size, RW), PT_OK);
	CHECK_MAP(&pt, va, pa, RW, 1);
	CHECK_MAP(&pt, MiB(2) - 1, pa + KiB(8) - 1, RW, 1);
	CHECK_MAP(&pt, MiB(2), pa + KiB(8), RW, 2);
	CHECK_MAP(&pt, MiB(6) - 1, pa + KiB(8) + MiB(4) - 1, RW, 2);
	CHECK_MAP(&pt, MiB(6), pa + KiB(8) + MiB(4), RW, 1);
	CHECK_MAP(&pt, MiB(6) + KiB(8), pa + KiB(16) + MiB(4), RW, 1);
	CHECK_EQ(pt_lookup(&pt, MiB(6) + KiB(12), NULL, NULL, NULL), PT_ENOENT);
	CHECK_EQ(pt_lookup(&pt, va - 1, NULL, NULL, NULL), PT_ENOENT);
	/* Around a 1 GiB boundary: 2 MiB, 1 GiB, then 4K pages. */
	CHECK_EQ(pt_map(&pt, GiB(2) - MiB(2), GiB(8) - MiB(2), MiB(2) + GiB(1) + KiB(4), RX),
		 PT_OK);
	CHECK_MAP(&pt, GiB(2) - MiB(2), GiB(8) - MiB(2), RX, 2);
	CHECK_MAP(&pt, GiB(2), GiB(8), RX, 3);
	CHECK_MAP(&pt, GiB(3), GiB(9), RX, 1);
	/* va and pa aligned differently: 4K pages only. */
	CHECK_EQ(pt_map(&pt, GiB(4), GiB(4) + KiB(4), MiB(4), PT_R), PT_OK);
	CHECK_MAP(&pt, GiB(4), GiB(4) + KiB(4), PT_R, 1);
	CHECK_MAP(&pt, GiB(4) + MiB(3), GiB(4) + MiB(3) + KiB(4), PT_R, 1);
	tab_free_all();
}

TEST(pt_prot_x86)
{
	static const u32 prots[] = { PT_R, RW, RX, RWX };
	struct tctx ctx = { -1 };
	struct pagetable pt;
	u64 e;

	CHECK_EQ(setup(&pt, &pt_x86, 3, &ctx), PT_OK);
	for (u64 i = 0; i < 4; i++) {
		u64 va = i * PAGE_SIZE, pa = GiB(1) + i * PAGE_SIZE;

		CHECK_EQ(pt_map(&pt, va, pa, PAGE_SIZE, prots[i]), PT_OK);
		CHECK_MAP(&pt, va, pa, prots[i], 1);
		e = raw_leaf(&pt, va);
		CHECK_EQ(e & ADDR_MASK, pa);
		CHECK_EQ(e & BIT(0), BIT(0));                         /* present */
		CHECK_EQ(!!(e & BIT(1)), !!(prots[i] & PT_W));        /* writable */
		CHECK_EQ(!!(e & BIT(63)), !(prots[i] & PT_X));        /* NX */
		CHECK_EQ(e & BIT(2), 0);                              /* no user */
	}
	/* A 2 MiB leaf has the page-size bit; tables are present+writable. */
	CHECK_EQ(pt_map(&pt, MiB(2), MiB(2), MiB(2), RX), PT_OK);
	e = raw_leaf(&pt, MiB(2));
	CHECK_EQ(e, MiB(2) | BIT(7) | BIT(0));
	CHECK_EQ(raw_root(&pt, 0) & 0xfff, 0x3);
	CHECK_EQ(raw_root(&pt, 0) & BIT(63), 0);
	tab_free_all();
}

TEST(pt_prot_ept)
{
	static const u32 prots[] = { PT_R, RW, RX, RWX };
	struct tctx ctx = { -1 };
	struct pagetable pt;
	u64 e;

	CHECK_EQ(setup(&pt, &pt_ept, 3, &ctx), PT_OK);
	for (u64 i = 0; i < 4; i++) {
		u64 va = GiB(1) * 4 + i * MiB(2), pa = i * MiB(2);

		CHECK_EQ(pt_map(&pt, va, pa, MiB(2), prots[i]), PT_OK);
		CHECK_MAP(&pt, va + 4, pa + 4, prots[i], 2);
		e = raw_leaf(&pt, va);
		CHECK_EQ(e & ADDR_MASK, pa);
		CHECK_EQ(e & 7, prots[i]);                  /* R, W, X bits */
		CHECK_EQ((e >> 3) & 7, 6);                  /* write-back */
		CHECK_EQ(e & BIT(7), BIT(7));               /* 2 MiB page */
		CHECK_EQ(e & BIT(63), 0);                   /* no NX in EPT */
	}
	/* 4K leaves: memory type, no page-size bit. Tables: RWX, no type. */
	CHECK_EQ(pt_map(&pt, 0, GiB(7), PAGE_SIZE, RW), PT_OK);
	e = raw_leaf(&pt, 0);
	CHECK_EQ(e, GiB(7) | (6 << 3) | 3);
	CHECK_EQ(raw_root(&pt, 0) & 0xfff, 0x7);
	/* A 1 GiB leaf. */
	CHECK_EQ(pt_map(&pt, GiB(8), GiB(8), GiB(1), RX), PT_OK);
	CHECK_MAP(&pt, GiB(8), GiB(8), RX, 3);
	CHECK_EQ(raw_leaf(&pt, GiB(8)), GiB(8) | BIT(7) | (6 << 3) | 5);
	tab_free_all();
}

TEST(pt_npt_user_bit)
{
	struct tctx ctx = { -1 };
	struct pagetable pt;
	u64 e;

	CHECK_EQ(setup(&pt, &pt_npt, 3, &ctx), PT_OK);
	CHECK_EQ(pt_map(&pt, 0, MiB(16), PAGE_SIZE, PT_R), PT_OK);
	CHECK_EQ(pt_map(&pt, MiB(2), MiB(2), MiB(2), RWX), PT_OK);
	e = raw_leaf(&pt, 0);
	CHECK_EQ(e, MiB(16) | BIT(63) | BIT(2) | BIT(0));
	e = raw_leaf(&pt, MiB(2));
	CHECK_EQ(e, MiB(2) | BIT(7) | BIT(2) | BIT(1) | BIT(0));
	/* Tables carry the user bit too (present, writable, user). */
	CHECK_EQ(raw_root(&pt, 0) & 0xfff, 0x7);
	CHECK_MAP(&pt, 0x10, MiB(16) + 0x10, PT_R, 1);
	CHECK_MAP(&pt, MiB(3), MiB(3), RWX, 2);
	tab_free_all();
}

TEST(pt_remap_splits_1g_page)
{
	struct tctx ctx = { -1 };
	struct pagetable pt;
	u64 va = GiB(1), pa = GiB(2);

	CHECK_EQ(setup(&pt, &pt_x86, 3, &ctx), PT_OK);
	CHECK_EQ(pt_map(&pt, va, pa, GiB(1), RW), PT_OK);
	CHECK_EQ(pt.tables, 2);
	/* 2 MiB in the middle becomes read-only: the 1 GiB page is split. */
	CHECK_EQ(pt_map(&pt, va + MiB(10), pa + MiB(10), MiB(2), PT_R), PT_OK);
	CHECK_EQ(pt.tables, 3);
	CHECK_MAP(&pt, va + MiB(10), pa + MiB(10), PT_R, 2);
	CHECK_MAP(&pt, va + MiB(12) - 1, pa + MiB(12) - 1, PT_R, 2);
	CHECK_MAP(&pt, va, pa, RW, 2);
	CHECK_MAP(&pt, va + MiB(8), pa + MiB(8), RW, 2);
	CHECK_MAP(&pt, va + MiB(12), pa + MiB(12), RW, 2);
	CHECK_MAP(&pt, va + GiB(1) - 1, pa + GiB(1) - 1, RW, 2);
	/* One 4K page of a split 2 MiB page, executable: split again. */
	CHECK_EQ(pt_map(&pt, va + MiB(20) + KiB(4), GiB(9), PAGE_SIZE, RX), PT_OK);
	CHECK_EQ(pt.tables, 4);
	CHECK_MAP(&pt, va + MiB(20) + KiB(4), GiB(9), RX, 1);
	CHECK_MAP(&pt, va + MiB(20), pa + MiB(20), RW, 1);
	CHECK_MAP(&pt, va + MiB(20) + KiB(8), pa + MiB(20) + KiB(8), RW, 1);
	CHECK_MAP(&pt, va + MiB(22), pa + MiB(22), RW, 2);
	/* The split keeps the old entries' bits: NX on the RW pages. */
	CHECK_EQ(raw_leaf(&pt, va + MiB(20)), (pa + MiB(20)) | BIT(63) | 0x3);
	CHECK_EQ(raw_leaf(&pt, va), pa | BIT(63) | BIT(7) | 0x3);

	/* The same for EPT: the memory type survives the split. */
	CHECK_EQ(setup(&pt, &pt_ept, 3, &ctx), PT_OK);
	CHECK_EQ(pt_map(&pt, 0, 0, GiB(1), RWX), PT_OK);
	CHECK_EQ(pt_map(&pt, KiB(4), KiB(4), KiB(4), RW), PT_OK);
	CHECK_EQ(pt.tables, 4);
	CHECK_EQ(raw_leaf(&pt, 0), (6 << 3) | 7);
	CHECK_EQ(raw_leaf(&pt, KiB(4)), KiB(4) | (6 << 3) | 3);
	CHECK_MAP(&pt, MiB(2), MiB(2), RWX, 2);
	tab_free_all();
}

TEST(pt_remap_replaces)
{
	struct tctx ctx = { -1 };
	struct pagetable pt;
	u64 ntab;

	CHECK_EQ(setup(&pt, &pt_x86, 3, &ctx), PT_OK);
	CHECK_EQ(pt_map(&pt, 0, MiB(2), MiB(2), RW), PT_OK);
	CHECK_EQ(pt_map(&pt, KiB(4), MiB(64), KiB(4), RX), PT_OK);
	CHECK_MAP(&pt, KiB(4), MiB(64), RX, 1);
	CHECK_MAP(&pt, KiB(8), MiB(2) + KiB(8), RW, 1);
	/* Mapping the whole 2 MiB again replaces every page below it. */
	ntab = pt.tables;
	CHECK_EQ(pt_map(&pt, 0, GiB(1), MiB(2), PT_R), PT_OK);
	CHECK_EQ(pt.tables, ntab);
	for (u64 off = 0; off < MiB(2); off += KiB(4))
		CHECK_MAP(&pt, off, GiB(1) + off, PT_R, 1);
	/* A large page replaced by a large page allocates nothing. */
	CHECK_EQ(pt_map(&pt, MiB(4), 0, MiB(2), RW), PT_OK);
	ntab = pt.tables;
	CHECK_EQ(pt_map(&pt, MiB(4), MiB(8), MiB(2), RWX), PT_OK);
	CHECK_EQ(pt.tables, ntab);
	CHECK_MAP(&pt, MiB(5), MiB(9), RWX, 2);
	/* Size 0 maps nothing. */
	CHECK_EQ(pt_map(&pt, GiB(100), 0, 0, PT_R), PT_OK);
	CHECK_EQ(pt.tables, ntab);
	CHECK_EQ(pt_lookup(&pt, GiB(100), NULL, NULL, NULL), PT_ENOENT);
	tab_free_all();
}

TEST(pt_map_einval)
{
	struct tctx ctx = { -1 };
	struct pagetable pt;
	u64 top = 1ULL << 48;

	CHECK_EQ(setup(&pt, &pt_x86, 3, &ctx), PT_OK);
	CHECK_EQ(pt_map(&pt, 0x800, 0, PAGE_SIZE, PT_R), PT_EINVAL);
	CHECK_EQ(pt_map(&pt, 0, 0x10, PAGE_SIZE, PT_R), PT_EINVAL);
	CHECK_EQ(pt_map(&pt, 0, 0, 100, PT_R), PT_EINVAL);
	CHECK_EQ(pt_map(&pt, 0, 0, PAGE_SIZE, PT_W), PT_EINVAL);
	CHECK_EQ(pt_map(&pt, 0, 0, PAGE_SIZE, PT_W | PT_X), PT_EINVAL);
	CHECK_EQ(pt_map(&pt, 0, 0, PAGE_SIZE, 0), PT_EINVAL);
	CHECK_EQ(pt_map(&pt, top, 0, PAGE_SIZE, PT_R), PT_EINVAL);
	CHECK_EQ(pt_map(&pt, 0xffff800000000000ULL, 0, PAGE_SIZE, PT_R), PT_EINVAL);
	CHECK_EQ(pt_map(&pt, top - PAGE_SIZE, 0, 2 * PAGE_SIZE, PT_R), PT_EINVAL);
	CHECK_EQ(pt_map(&pt, 0, 0, ~0ULL & ~0xfffULL, PT_R), PT_EINVAL);
	/* pa must stay within 52 bits and must not wrap. */
	CHECK_EQ(pt_map(&pt, 0, ~0ULL & ~0xfffULL, PAGE_SIZE, PT_R), PT_EINVAL);
	CHECK_EQ(pt_map(&pt, 0, 1ULL << 52, PAGE_SIZE, PT_R), PT_EINVAL);
	CHECK_EQ(pt.tables, 1);
	CHECK_EQ(pt_lookup(&pt, 0, NULL, NULL, NULL), PT_ENOENT);
	/* The last page below 2^48 is fine; lookups above it find nothing. */
	CHECK_EQ(pt_map(&pt, top - PAGE_SIZE, (1ULL << 52) - PAGE_SIZE, PAGE_SIZE, RW),
		 PT_OK);
	CHECK_MAP(&pt, top - 1, (1ULL << 52) - 1, RW, 1);
	CHECK_EQ(pt_lookup(&pt, top, NULL, NULL, NULL), PT_ENOENT);
	CHECK_EQ(pt_lookup(&pt, ~0ULL, NULL, NULL, NULL), PT_ENOENT);
	tab_free_all();
}

TEST(pt_map_enomem)
{
	struct tctx ctx = { 1 };
	struct pagetable pt;

	/* Only the root: the first map needs more. */
	CHECK_EQ(setup(&pt, &pt_x86, 3, &ctx), PT_OK);
	CHECK_EQ(pt_map(&pt, 0, 0, PAGE_SIZE, PT_R), PT_ENOMEM);
	CHECK_EQ(pt.tables, 1);
	CHECK_EQ(pt_lookup(&pt, 0, NULL, NULL, NULL), PT_ENOENT);
	/* Enough for the 1 GiB page, not for splitting it: the split fails
	 * before anything changes, the 1 GiB page stays as it was. */
	ctx.limit = 1;
	CHECK_EQ(pt_map(&pt, GiB(1), GiB(1), GiB(1), RW), PT_OK);
	CHECK_EQ(pt.tables, 2);
	CHECK_EQ(pt_map(&pt, GiB(1) + MiB(2), 0, MiB(2), PT_R), PT_ENOMEM);
	CHECK_EQ(pt.tables, 2);
	CHECK_MAP(&pt, GiB(1) + MiB(2), GiB(1) + MiB(2), RW, 3);
	/* Runs out half-way: the first part is mapped. */
	ctx.limit = 2;
	CHECK_EQ(pt_map(&pt, 0, 0, MiB(4), RW), PT_OK);
	CHECK_EQ(pt_map(&pt, MiB(2) - KiB(4), 0, KiB(8), RW), PT_ENOMEM);
	ctx.limit = 1;
	CHECK_EQ(setup(&pt, &pt_ept, 1, &ctx), PT_OK);
	ctx.limit = 3;
	CHECK_EQ(pt_map(&pt, MiB(2) - KiB(4), 0, KiB(8), RW), PT_ENOMEM);
	CHECK_EQ(pt.tables, 4);
	CHECK_MAP(&pt, MiB(2) - KiB(4), 0, RW, 1);
	CHECK_EQ(pt_lookup(&pt, MiB(2), NULL, NULL, NULL), PT_ENOENT);
	tab_free_all();
}
