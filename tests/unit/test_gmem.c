/* mm/gmem.c: guest RAM's ranges, the hole below 4 GiB, checked access. No
 * memory is touched: the host addresses are only computed. */
#include "mm/gmem.h"
#include "tests/unit/test.h"

#define H 0x40000000ULL   /* a made-up host address */

TEST(gmem_small_guest_is_one_range)
{
	struct gmem m;
	u64 n;

	gmem_init(&m, H, MiB(64));
	CHECK_EQ(m.n, 1);
	CHECK_EQ(gmem_low_end(&m), MiB(64));
	CHECK(gmem_ptr(&m, 0, MiB(64)) == (void *)(uintptr_t)H);
	CHECK(gmem_ptr(&m, MiB(64), 0) != NULL);       /* an empty range at the end */
	CHECK(!gmem_ptr(&m, MiB(64) - 4, 8));
	CHECK(!gmem_ptr(&m, ~0ULL, 2));                /* wraps */
	CHECK(!gmem_ptr(&m, GiB(4), 0));               /* no RAM above 4 GiB, not even empty */
	CHECK(!gmem_ptr(&m, GiB(4) + 4096, 8));
	CHECK(gmem_at(&m, MiB(64) - 1, 4096, &n) == (void *)(uintptr_t)(H + MiB(64) - 1));
	CHECK_EQ(n, 1);
	CHECK(!gmem_at(&m, MiB(64), 4096, &n));
}

TEST(gmem_large_guest_leaves_the_hole)
{
	struct gmem m;
	u64 n;

	gmem_init(&m, H, GiB(4));
	CHECK_EQ(m.n, 2);
	CHECK_EQ(m.size, GiB(4));
	CHECK_EQ(gmem_low_end(&m), GiB(3));
	CHECK_EQ(m.r[1].gpa, GiB(4));
	CHECK_EQ(m.r[1].hpa, H + GiB(3));
	CHECK_EQ(m.r[1].size, GiB(1));
	CHECK(gmem_ptr(&m, GiB(3) - 4, 4) == (void *)(uintptr_t)(H + GiB(3) - 4));
	CHECK(!gmem_ptr(&m, GiB(3) - 4, 8));           /* into the hole */
	CHECK(!gmem_ptr(&m, 0xfec00000, 4));           /* the IOAPIC's page */
	CHECK(!gmem_ptr(&m, 0xfee00000, 4));           /* the local APIC's */
	CHECK(gmem_ptr(&m, GiB(4), 16) == (void *)(uintptr_t)(H + GiB(3)));
	CHECK(gmem_ptr(&m, GiB(5) - 1, 1) == (void *)(uintptr_t)(H + GiB(4) - 1));
	CHECK(!gmem_ptr(&m, GiB(5) - 1, 2));
	CHECK(!gmem_ptr(&m, GiB(5), 1));
	CHECK(gmem_at(&m, GiB(3) - 8, 4096, &n) == (void *)(uintptr_t)(H + GiB(3) - 8));
	CHECK_EQ(n, 8);                                 /* stops at the range's end */
	CHECK(gmem_at(&m, GiB(3), 4096, &n) == (void *)(uintptr_t)(H + GiB(3)));
	CHECK_EQ(n, 4096);
	CHECK(!gmem_at(&m, GiB(4), 1, &n));
}

/* RAM in host pieces (a guest the allocator had no one block for): the
 * ranges follow in guest-physical order, split at 3 GiB, adjacent runs
 * joined; copies and checks cross the boundaries, gmem_ptr does not. */
TEST(gmem_pieces_cross_in_copies)
{
	static u8 mem[MiB(5)];
	u8 *a = mem, *b = mem + MiB(3);   /* apart: not joined */
	struct gmem m;
	u8 buf[8] = "abcdefg", out[8];
	u64 n;

	gmem_init_empty(&m);
	CHECK_EQ(gmem_add(&m, (u64)(uintptr_t)a, MiB(2)), 0);
	CHECK_EQ(gmem_add(&m, (u64)(uintptr_t)b, MiB(2)), 0);
	CHECK_EQ(m.n, 2);
	CHECK_EQ(m.size, MiB(4));
	CHECK_EQ(m.r[1].gpa, MiB(2));
	CHECK_EQ(gmem_low_end(&m), MiB(4));
	CHECK(!gmem_ptr(&m, MiB(2) - 4, 8));           /* across a boundary: no one pointer */
	CHECK(gmem_ptr(&m, MiB(2), 8) == b);
	CHECK(gmem_contains(&m, MiB(2) - 4, 8));
	CHECK(!gmem_contains(&m, MiB(4) - 4, 8));
	CHECK_EQ(copy_to_guest(&m, MiB(2) - 4, buf, 8), 0);
	CHECK(!memcmp(a + MiB(2) - 4, "abcd", 4) && !memcmp(b, "efg", 4));
	CHECK_EQ(copy_from_guest(&m, out, MiB(2) - 4, 8), 0);
	CHECK(!memcmp(out, buf, 8));
	CHECK_EQ(gmem_zero(&m, MiB(2) - 2, 4), 0);
	CHECK(a[MiB(2) - 3] == 'b' && a[MiB(2) - 2] == 0 && b[1] == 0 && b[2] == 'g');
	CHECK_EQ(copy_to_guest(&m, MiB(4) - 4, buf, 8), -1);   /* past the end: nothing written */
	CHECK(b[MiB(2) - 4] == 0);
	CHECK(gmem_piece(&m, MiB(2) - 4, 100, &n) == a + MiB(2) - 4);
	CHECK_EQ(n, 4);
	CHECK(!gmem_piece(&m, MiB(4), 1, &n));
	CHECK_EQ(copy_from_guest(&m, out, ~0ULL, 0), -1);       /* empty, but not at RAM */
}

TEST(gmem_pieces_split_at_3g_and_join)
{
	struct gmem m;

	gmem_init_empty(&m);
	CHECK_EQ(gmem_add(&m, H, GiB(2)), 0);
	CHECK_EQ(gmem_add(&m, H + GiB(2), GiB(1)), 0);   /* continues the last run: joined */
	CHECK_EQ(m.n, 1);
	CHECK_EQ(gmem_add(&m, GiB(16), GiB(1)), 0);      /* all above 4 GiB */
	CHECK_EQ(m.n, 2);
	CHECK_EQ(m.r[1].gpa, GiB(4));
	CHECK_EQ(gmem_high_size(&m), GiB(1));
	gmem_init_empty(&m);
	CHECK_EQ(gmem_add(&m, H, GiB(2)), 0);
	CHECK_EQ(gmem_add(&m, GiB(16), GiB(2)), 0);      /* split: 1 GiB below 3 GiB, 1 above 4 */
	CHECK_EQ(m.n, 3);
	CHECK_EQ(m.r[1].gpa, GiB(2));
	CHECK_EQ(m.r[1].size, GiB(1));
	CHECK_EQ(m.r[2].gpa, GiB(4));
	CHECK_EQ(m.r[2].hpa, GiB(17));
	CHECK(gmem_ptr(&m, GiB(4) + 8, 8) == (void *)(uintptr_t)(GiB(17) + 8));
	gmem_init_empty(&m);
	for (u32 i = 0; i < GMEM_RANGES; i++)
		CHECK_EQ(gmem_add(&m, GiB(100) + i * MiB(4), MiB(2)), 0);
	CHECK_EQ(gmem_add(&m, GiB(200), MiB(2)), -1);   /* no range left: m as it was */
	CHECK_EQ(m.size, GMEM_RANGES * MiB(2));
}
