/* mm/memmap.c: memory-map normalization. */
#include "mm/memmap.h"
#include "tests/unit/test.h"

#define R(b, s, t) ((struct mem_range){ (b), (s), (t), 0 })

/* Checks out[i] against base, size and type. */
#define CHECK_RANGE(m, b, s, t)                                              \
	do {                                                                 \
		CHECK_EQ((m).base, (b));                                     \
		CHECK_EQ((m).size, (s));                                     \
		CHECK_EQ((m).type, (t));                                     \
	} while (0)

TEST(memmap_empty_and_messages)
{
	struct mem_range out[4];
	u32 n = 99;

	CHECK_EQ(memmap_normalize(NULL, 0, NULL, 0, out, 4, &n), MEMMAP_EMPTY);
	CHECK_EQ(n, 0);
	/* Overlays alone do not make a map. */
	n = 99;
	CHECK_EQ(memmap_normalize(NULL, 0, &R(0, 4096, MEM_LOADER), 1, out, 4, &n),
		 MEMMAP_EMPTY);
	CHECK_EQ(n, 0);
	CHECK_STR(memmap_strerror(MEMMAP_EMPTY), "the memory map is empty");
	CHECK_STR(memmap_strerror(MEMMAP_OK), "ok");
	CHECK_STR(memmap_strerror(MEMMAP_NO_RAM), "the memory map has no usable RAM");
	CHECK_STR(memmap_strerror(MEMMAP_TOO_MANY), "the memory map has too many ranges");
	CHECK_STR(memmap_strerror(-1), "unknown error");
	CHECK_STR(memmap_strerror(4), "unknown error");
	CHECK_STR(mem_type_name(MEM_USABLE), "usable");
	CHECK_STR(mem_type_name(MEM_LOADER), "hypervisor");
	CHECK_STR(mem_type_name(MEM_BAD), "bad");
	CHECK_STR(mem_type_name(0), "?");
	CHECK_STR(mem_type_name(MEM_TYPE_COUNT), "?");
}

TEST(memmap_no_ram)
{
	const struct mem_range in[] = {
		R(0, MiB(1), MEM_RESERVED), R(MiB(1), MiB(1), MEM_ACPI_RECLAIM),
		R(GiB(4) - MiB(16), MiB(16), MEM_MMIO),
	};
	struct mem_range out[8];
	u32 n;

	CHECK_EQ(memmap_normalize(in, 3, NULL, 0, out, 8, &n), MEMMAP_NO_RAM);
	/* The map is still written out. */
	CHECK_EQ(n, 3);
	CHECK_RANGE(out[2], GiB(4) - MiB(16), MiB(16), MEM_MMIO);
	/* RAM that the overlays cover whole is no RAM either. */
	CHECK_EQ(memmap_normalize(&R(MiB(1), MiB(2), MEM_USABLE), 1,
				  &R(0, MiB(4), MEM_USABLE), 1, out, 8, &n), MEMMAP_NO_RAM);
	CHECK_EQ(n, 1);
	CHECK_RANGE(out[0], 0, MiB(4), MEM_LOADER);
	/* Boot-reclaim memory counts as RAM. */
	CHECK_EQ(memmap_normalize(&R(MiB(1), MiB(1), MEM_BOOT_RECLAIM), 1, NULL, 0,
				  out, 8, &n), MEMMAP_OK);
}

TEST(memmap_sorts_and_merges)
{
	const struct mem_range in[] = {
		R(MiB(8), MiB(8), MEM_USABLE),
		R(0x1001, 0x1000, MEM_ACPI_NVS),          /* unaligned: kept as is */
		R(MiB(1), MiB(3), MEM_USABLE),
		R(MiB(4), MiB(4), MEM_USABLE),            /* touches the one above */
		R(MiB(20), MiB(1), MEM_USABLE),           /* a gap before it */
		R(MiB(21), MiB(1), MEM_BOOT_RECLAIM),     /* touches, other type */
		R(MiB(12), MiB(6), MEM_USABLE),           /* overlaps, same type */
	};
	struct mem_range out[8];
	u32 n;

	CHECK_EQ(memmap_normalize(in, ARRAY_SIZE(in), NULL, 0, out, 8, &n), MEMMAP_OK);
	CHECK_EQ(n, 4);
	CHECK_RANGE(out[0], 0x1001, 0x1000, MEM_ACPI_NVS);
	CHECK_RANGE(out[1], MiB(1), MiB(17), MEM_USABLE);
	CHECK_RANGE(out[2], MiB(20), MiB(1), MEM_USABLE);
	CHECK_RANGE(out[3], MiB(21), MiB(1), MEM_BOOT_RECLAIM);
}

TEST(memmap_overlap_priority)
{
	const struct mem_range in[] = {
		R(0, MiB(16), MEM_USABLE),
		R(MiB(4), MiB(4), MEM_RESERVED),
		R(MiB(6), MiB(4), MEM_ACPI_RECLAIM),   /* under RESERVED, over USABLE */
		R(MiB(12), MiB(8), MEM_BAD),           /* sticks out past the RAM */
		R(MiB(13), MiB(1), MEM_FW_CODE),       /* inside BAD: loses */
	};
	struct mem_range out[8], rev[ARRAY_SIZE(in)], out2[8];
	u32 n, n2;

	CHECK_EQ(memmap_normalize(in, ARRAY_SIZE(in), NULL, 0, out, 8, &n), MEMMAP_OK);
	CHECK_EQ(n, 5);
	CHECK_RANGE(out[0], 0, MiB(4), MEM_USABLE);
	CHECK_RANGE(out[1], MiB(4), MiB(4), MEM_RESERVED);
	CHECK_RANGE(out[2], MiB(8), MiB(2), MEM_ACPI_RECLAIM);
	CHECK_RANGE(out[3], MiB(10), MiB(2), MEM_USABLE);
	CHECK_RANGE(out[4], MiB(12), MiB(8), MEM_BAD);
	/* The input order does not matter. */
	for (size_t i = 0; i < ARRAY_SIZE(in); i++)
		rev[i] = in[ARRAY_SIZE(in) - 1 - i];
	CHECK_EQ(memmap_normalize(rev, ARRAY_SIZE(rev), NULL, 0, out2, 8, &n2), MEMMAP_OK);
	CHECK_EQ(n2, n);
	CHECK(!memcmp(out, out2, n * sizeof(out[0])));
}

TEST(memmap_overlay_carves_loader)
{
	const struct mem_range in[] = {
		R(MiB(1), MiB(63), MEM_USABLE), R(MiB(64), MiB(1), MEM_FW_CODE),
	};
	/* The overlays' own type fields are ignored: they are MEM_LOADER. */
	const struct mem_range over[] = {
		R(MiB(2), MiB(1), MEM_USABLE), R(MiB(10), KiB(4), MEM_BAD),
		R(MiB(10) + KiB(4), KiB(4), 0), R(MiB(64), KiB(4), MEM_USABLE),
	};
	struct mem_range out[8];
	u32 n;

	CHECK_EQ(memmap_normalize(in, 2, over, 4, out, 8, &n), MEMMAP_OK);
	CHECK_EQ(n, 6);
	CHECK_RANGE(out[0], MiB(1), MiB(1), MEM_USABLE);
	CHECK_RANGE(out[1], MiB(2), MiB(1), MEM_LOADER);
	CHECK_RANGE(out[2], MiB(3), MiB(7), MEM_USABLE);
	CHECK_RANGE(out[3], MiB(10), KiB(8), MEM_LOADER);
	CHECK_RANGE(out[4], MiB(10) + KiB(8), MiB(54) - KiB(8), MEM_USABLE);
	/* Firmware code outranks the loader. */
	CHECK_RANGE(out[5], MiB(64), MiB(1), MEM_FW_CODE);
	CHECK_EQ(memmap_total(out, n, MEM_LOADER), MiB(1) + KiB(8));
}

TEST(memmap_unknown_type_is_reserved)
{
	const struct mem_range in[] = {
		R(0, MiB(8), MEM_USABLE), R(MiB(1), MiB(1), 0),
		R(MiB(3), MiB(1), 99), R(MiB(4), MiB(1), MEM_TYPE_COUNT),
		R(MiB(4) + KiB(4), KiB(4), MEM_BAD), R(MiB(7), MiB(1), 0xffffffff),
	};
	struct mem_range out[16];
	u32 n;

	CHECK_EQ(memmap_normalize(in, ARRAY_SIZE(in), NULL, 0, out, 16, &n), MEMMAP_OK);
	CHECK_EQ(n, 8);
	CHECK_RANGE(out[0], 0, MiB(1), MEM_USABLE);
	CHECK_RANGE(out[1], MiB(1), MiB(1), MEM_RESERVED);
	CHECK_RANGE(out[2], MiB(2), MiB(1), MEM_USABLE);
	CHECK_RANGE(out[3], MiB(3), MiB(1) + KiB(4), MEM_RESERVED);
	CHECK_RANGE(out[4], MiB(4) + KiB(4), KiB(4), MEM_BAD);
	CHECK_RANGE(out[5], MiB(4) + KiB(8), MiB(1) - KiB(8), MEM_RESERVED);
	CHECK_RANGE(out[6], MiB(5), MiB(2), MEM_USABLE);
	CHECK_RANGE(out[7], MiB(7), MiB(1), MEM_RESERVED);
}

TEST(memmap_zero_size_ignored)
{
	const struct mem_range in[] = {
		R(MiB(1), 0, MEM_BAD), R(0, MiB(4), MEM_USABLE), R(MiB(2), 0, MEM_RESERVED),
		R(MiB(8), 0, MEM_USABLE),
	};
	struct mem_range out[4];
	u32 n;

	CHECK_EQ(memmap_normalize(in, ARRAY_SIZE(in), &R(MiB(3), 0, 0), 1, out, 4, &n),
		 MEMMAP_OK);
	CHECK_EQ(n, 1);
	CHECK_RANGE(out[0], 0, MiB(4), MEM_USABLE);
	/* Nothing but empty ranges: no RAM, nothing written. */
	CHECK_EQ(memmap_normalize(in, 1, NULL, 0, out, 4, &n), MEMMAP_NO_RAM);
	CHECK_EQ(n, 0);
}

TEST(memmap_wrap_is_clipped)
{
	const struct mem_range in[] = {
		R(~0ULL - MiB(1) + 1, MiB(2), MEM_MMIO),
		R(0, MiB(1), MEM_USABLE),
		R(~0ULL, ~0ULL, MEM_BAD),              /* one byte, clipped to none */
	};
	struct mem_range out[4];
	u32 n;

	CHECK_EQ(memmap_normalize(in, ARRAY_SIZE(in), NULL, 0, out, 4, &n), MEMMAP_OK);
	CHECK_EQ(n, 2);
	CHECK_RANGE(out[0], 0, MiB(1), MEM_USABLE);
	/* [2^64 - 1M, 2^64 - 1): the end is clipped at the last address. */
	CHECK_RANGE(out[1], ~0ULL - MiB(1) + 1, MiB(1) - 1, MEM_MMIO);
	CHECK_EQ(memmap_top(out, n), ~0ULL);
}

TEST(memmap_too_many)
{
	const struct mem_range in[] = {
		R(0, MiB(1), MEM_USABLE), R(MiB(2), MiB(1), MEM_USABLE),
		R(MiB(4), MiB(1), MEM_USABLE),
	};
	const struct mem_range touching[] = {
		R(MiB(3), MiB(1), MEM_USABLE), R(0, MiB(1), MEM_USABLE),
		R(MiB(2), MiB(1), MEM_USABLE), R(MiB(1), MiB(1), MEM_USABLE),
	};
	struct mem_range out[4];
	u32 n;

	CHECK_EQ(memmap_normalize(in, 3, NULL, 0, out, 2, &n), MEMMAP_TOO_MANY);
	CHECK_EQ(n, 2);
	CHECK_EQ(memmap_normalize(in, 3, NULL, 0, out, 0, &n), MEMMAP_TOO_MANY);
	CHECK_EQ(n, 0);
	/* An overlay that splits a range needs room too. */
	CHECK_EQ(memmap_normalize(in, 1, &R(KiB(4), KiB(4), 0), 1, out, 2, &n),
		 MEMMAP_TOO_MANY);
	CHECK_EQ(memmap_normalize(in, 3, NULL, 0, out, 3, &n), MEMMAP_OK);
	CHECK_EQ(n, 3);
	/* Ranges that merge need one slot only. */
	CHECK_EQ(memmap_normalize(touching, 4, NULL, 0, out, 1, &n), MEMMAP_OK);
	CHECK_EQ(n, 1);
	CHECK_RANGE(out[0], 0, MiB(4), MEM_USABLE);
}

TEST(memmap_total_and_top)
{
	const struct mem_range in[] = {
		R(0, KiB(640), MEM_USABLE), R(KiB(640), KiB(384), MEM_RESERVED),
		R(MiB(1), MiB(511), MEM_USABLE), R(MiB(512), MiB(2), MEM_ACPI_RECLAIM),
		R(GiB(4), GiB(2), MEM_USABLE), R(GiB(3), MiB(256), MEM_MMIO),
	};
	struct mem_range out[8];
	u32 n;

	CHECK_EQ(memmap_normalize(in, ARRAY_SIZE(in), NULL, 0, out, 8, &n), MEMMAP_OK);
	CHECK_EQ(n, 6);
	CHECK_EQ(memmap_total(out, n, MEM_USABLE), KiB(640) + MiB(511) + GiB(2));
	CHECK_EQ(memmap_total(out, n, MEM_ACPI_RECLAIM), MiB(2));
	CHECK_EQ(memmap_total(out, n, MEM_BAD), 0);
	CHECK_EQ(memmap_top(out, n), GiB(6));
	CHECK_EQ(memmap_top(out, 0), 0);
	CHECK_EQ(memmap_total(out, 0, MEM_USABLE), 0);
	/* A map that does not start at 0 has nothing at 0. */
	CHECK_EQ(memmap_normalize(in + 2, 1, NULL, 0, out, 8, &n), MEMMAP_OK);
	CHECK_EQ(n, 1);
	CHECK_RANGE(out[0], MiB(1), MiB(511), MEM_USABLE);
}
