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
