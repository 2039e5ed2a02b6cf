/* core/insn/gwalk.c: guest page walks in every paging mode, large pages,
 * missing entries and tables outside guest memory. */
#include <stdlib.h>

#include "core/insn/gwalk.h"
#include "tests/unit/test.h"

#define MEM (8u << 20)
#define P 1ULL
#define RW 2ULL
#define PS 0x80ULL
#define CR0_PG (1ULL << 31)
#define CR4_PSE (1ULL << 4)
#define CR4_PAE (1ULL << 5)
#define EFER_LMA (1ULL << 10)

static struct gmem m;
static u8 *ram;

static void fresh(void)
{
	if (!ram)
		ram = malloc(MEM);
	memset(ram, 0, MEM);
	gmem_init(&m, (u64)(uintptr_t)ram, MEM);
}

static void put64(u64 gpa, u64 v) { memcpy(ram + gpa, &v, 8); }
static void put32(u64 gpa, u32 v) { memcpy(ram + gpa, &v, 4); }

static u64 walk(const struct guest_paging *p, u64 va)
{
	u64 gpa = 0;

	return gwalk(&m, p, va, &gpa) ? ~0ULL : gpa;
}

static const struct guest_paging long_mode = { CR0_PG, 0x1000, CR4_PAE, EFER_LMA };

TEST(gwalk_paging_off)
{
	struct guest_paging off = { 0, 0, 0, 0 };

	fresh();
	CHECK_EQ(walk(&off, 0x123456789aULL), 0x3456789a);   /* linear = physical, 32 bits */
}

/* PML4 0x1000, PDPT 0x2000, PD 0x3000, PT 0x4000: va 0x40201234 (PML4 0,
 * PDPT 1, PD 1, PT 1). */
static void four_level(void)
{
	put64(0x1000, 0x2000 | P | RW);
	put64(0x2000 + 1 * 8, 0x3000 | P | RW);
	put64(0x3000 + 1 * 8, 0x4000 | P | RW);
	put64(0x4000 + 1 * 8, 0x567000 | P | RW);
}

TEST(gwalk_four_levels_4k)
{
	fresh();
	four_level();
	CHECK_EQ(walk(&long_mode, 0x40201234), 0x567234);
	CHECK_EQ(walk(&long_mode, 0x40202234), ~0ULL);       /* PTE 2 not present */
	CHECK_EQ(walk(&long_mode, 0x8000000000ULL), ~0ULL);  /* PML4 entry 1 not present */
}

TEST(gwalk_four_levels_large_pages)
{
	fresh();
	four_level();
	put64(0x3000 + 2 * 8, 0x600000 | P | PS);            /* a 2 MiB page */
	put64(0x2000 + 2 * 8, 0xc0000000ULL | P | PS);       /* a 1 GiB page */
	CHECK_EQ(walk(&long_mode, 0x40412345), 0x612345);
	CHECK_EQ(walk(&long_mode, 0x80012345), 0xc0012345);
}

TEST(gwalk_tables_outside_memory)
{
	fresh();
	put64(0x1000, 0x40000000ULL | P);                    /* the PDPT lies beyond 8 MiB */
	CHECK_EQ(walk(&long_mode, 0x1000), ~0ULL);
	fresh();
	put64(0x1000, 0x2000 | P);
	put64(0x2000, 0x3000 | P);
	put64(0x3000, 0x7ff000 | P);
	put64(0x7ff000, 0x1000 | P);                         /* the last page: still inside */
	CHECK_EQ(walk(&long_mode, 0x10), 0x1010);
}

TEST(gwalk_pae)
{
	struct guest_paging pae = { CR0_PG, 0x1020, CR4_PAE, 0 };   /* a 32-byte aligned PDPT */

	fresh();
	put64(0x1020 + 1 * 8, 0x3000 | P);                   /* PDPTE 1: 1-2 GiB */
	put64(0x3000 + 3 * 8, 0x5000 | P);
	put64(0x5000 + 4 * 8, 0x9000 | P);
	put64(0x3000 + 5 * 8, 0x200000 | P | PS);            /* 2 MiB */
	put64(0x1020 + 2 * 8, 0x80000000ULL | P | PS);       /* PS means nothing in a PDPTE */
	CHECK_EQ(walk(&pae, 0x40604abc), 0x9abc);
	CHECK_EQ(walk(&pae, 0x40a00123), 0x200123);
	CHECK_EQ(walk(&pae, 0x80000000), ~0ULL);             /* PDPT entry 2 names a table outside */
}

TEST(gwalk_32bit)
{
	struct guest_paging pse = { CR0_PG, 0x1000, CR4_PSE, 0 }, plain = { CR0_PG, 0x1000, 0, 0 };

	fresh();
	put32(0x1000 + 1 * 4, 0x2000 | P);
	put32(0x2000 + 3 * 4, 0x7000 | P);
	put32(0x1000 + 2 * 4, 0x400000 | P | PS);            /* 4 MiB with PSE */
	CHECK_EQ(walk(&pse, 0x403123), 0x7123);
	CHECK_EQ(walk(&pse, 0x812345), 0x412345);
	CHECK_EQ(walk(&plain, 0x812345), ~0ULL);             /* without PSE: a table at 4 MiB, empty */
}

TEST(gwalk_read_across_pages)
{
	u8 buf[6];

	fresh();
	four_level();
	put64(0x4000 + 2 * 8, 0x123000 | P);                 /* va page 0x40202000 -> 0x123000 */
	memcpy(ram + 0x567ffd, "abc", 3);
	memcpy(ram + 0x123000, "def", 3);
	CHECK_EQ(gwalk_read(&m, &long_mode, 0x40201ffd, buf, 6), 0);
	CHECK(!memcmp(buf, "abcdef", 6));
	CHECK_EQ(gwalk_read(&m, &long_mode, 0x40202ffd, buf, 6), -1);   /* the next page is missing */
}
