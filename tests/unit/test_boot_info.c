/* core/config/boot_info.c: the boot doors' helpers for struct boot_info. */
#include "core/config/boot_info.h"
#include "tests/unit/test.h"

static struct boot_info *bi_new(void)
{
	static struct boot_info bi;

	memset(&bi, 0, sizeof(bi));
	return &bi;
}

#define CHECK_MEM(bi, i, b, s, t)                                            \
	do {                                                                 \
		CHECK_EQ((bi)->mem[i].base, (b));                            \
		CHECK_EQ((bi)->mem[i].size, (s));                            \
		CHECK_EQ((bi)->mem[i].type, (t));                            \
	} while (0)

TEST(boot_mem_merges_touching_same_type)
{
	struct boot_info *bi = bi_new();

	boot_add_mem(bi, 0, KiB(4), MEM_USABLE);
	boot_add_mem(bi, KiB(4), KiB(4), MEM_USABLE);
	boot_add_mem(bi, KiB(8), MiB(1), MEM_USABLE);
	CHECK_EQ(bi->nmem, 1);
	CHECK_MEM(bi, 0, 0, KiB(8) + MiB(1), MEM_USABLE);
	/* Zero-sized ranges are dropped and do not break a merge. */
	boot_add_mem(bi, MiB(5), 0, MEM_RESERVED);
	boot_add_mem(bi, KiB(8) + MiB(1), KiB(4), MEM_USABLE);
	CHECK_EQ(bi->nmem, 1);
	CHECK_MEM(bi, 0, 0, KiB(12) + MiB(1), MEM_USABLE);
	CHECK(!bi->mem_truncated);
}

TEST(boot_mem_no_merge)
{
	struct boot_info *bi = bi_new();

	boot_add_mem(bi, 0, KiB(4), MEM_USABLE);
	boot_add_mem(bi, KiB(4), KiB(4), MEM_RESERVED);     /* other type */
	boot_add_mem(bi, KiB(12), KiB(4), MEM_RESERVED);    /* a gap */
	boot_add_mem(bi, KiB(14), KiB(4), MEM_RESERVED);    /* overlaps */
	boot_add_mem(bi, 0, KiB(4), MEM_RESERVED);          /* before: no merge */
	/* Only the last range is a merge candidate. */
	boot_add_mem(bi, KiB(4), KiB(4), MEM_USABLE);
	CHECK_EQ(bi->nmem, 6);
	CHECK_MEM(bi, 0, 0, KiB(4), MEM_USABLE);
	CHECK_MEM(bi, 1, KiB(4), KiB(4), MEM_RESERVED);
	CHECK_MEM(bi, 2, KiB(12), KiB(4), MEM_RESERVED);
	CHECK_MEM(bi, 3, KiB(14), KiB(4), MEM_RESERVED);
	CHECK_MEM(bi, 4, 0, KiB(4), MEM_RESERVED);
	CHECK_MEM(bi, 5, KiB(4), KiB(4), MEM_USABLE);
	CHECK_EQ(bi->mem[5].pad, 0);
}

TEST(boot_mem_truncation)
{
	struct boot_info *bi = bi_new();

	for (u32 i = 0; i < BOOT_MAX_MEM; i++)
		boot_add_mem(bi, i * MiB(2), MiB(1), MEM_USABLE);
	CHECK_EQ(bi->nmem, BOOT_MAX_MEM);
	CHECK(!bi->mem_truncated);
	/* Full, but a range touching the last one still merges. */
	boot_add_mem(bi, (BOOT_MAX_MEM - 1) * MiB(2) + MiB(1), MiB(1), MEM_USABLE);
	CHECK_EQ(bi->nmem, BOOT_MAX_MEM);
	CHECK(!bi->mem_truncated);
	CHECK_EQ(bi->mem[BOOT_MAX_MEM - 1].size, MiB(2));
	/* Anything else is dropped and flagged. */
	boot_add_mem(bi, GiB(8), MiB(1), MEM_USABLE);
	CHECK_EQ(bi->nmem, BOOT_MAX_MEM);
	CHECK(bi->mem_truncated);
	CHECK_MEM(bi, BOOT_MAX_MEM - 1, (BOOT_MAX_MEM - 1) * MiB(2), MiB(2), MEM_USABLE);
	/* The flag stays set; merging into the last range still works. */
	boot_add_mem(bi, (BOOT_MAX_MEM - 1) * MiB(2) + MiB(2), MiB(1), MEM_USABLE);
	CHECK(bi->mem_truncated);
	CHECK_EQ(bi->mem[BOOT_MAX_MEM - 1].size, MiB(3));
}

TEST(boot_modules)
{
	struct boot_info *bi = bi_new();
	char name[100];

	CHECK(boot_add_module(bi, "linux.bin", MiB(16), 12345));
	CHECK_EQ(bi->nmodules, 1);
	CHECK_STR(bi->modules[0].name, "linux.bin");
	CHECK_EQ(bi->modules[0].base, MiB(16));
	CHECK_EQ(bi->modules[0].size, 12345);
	/* Names are cut to BOOT_NAME_MAX - 1 characters. */
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = 0;
	CHECK(boot_add_module(bi, name, 0, 0));
	CHECK_EQ(strlen(bi->modules[1].name), BOOT_NAME_MAX - 1);
	CHECK(!strncmp(bi->modules[1].name, name, BOOT_NAME_MAX - 1));
	name[BOOT_NAME_MAX - 1] = 0;
	CHECK(boot_add_module(bi, name, 0, 0));
	CHECK_STR(bi->modules[2].name, name);
	CHECK(boot_add_module(bi, "", 1, 2));
	CHECK_STR(bi->modules[3].name, "");
	for (u32 i = 4; i < BOOT_MAX_MODULES; i++)
		CHECK(boot_add_module(bi, "m", i, i));
	CHECK_EQ(bi->nmodules, BOOT_MAX_MODULES);
	CHECK(!boot_add_module(bi, "one-too-many", 7, 7));
	CHECK_EQ(bi->nmodules, BOOT_MAX_MODULES);
	CHECK_EQ(bi->modules[BOOT_MAX_MODULES - 1].base, BOOT_MAX_MODULES - 1);
}

TEST(boot_reserved)
{
	struct boot_info *bi = bi_new();

	for (u32 i = 0; i < BOOT_MAX_RESERVED; i++)
		CHECK(boot_add_reserved(bi, i * PAGE_SIZE, PAGE_SIZE));
	CHECK_EQ(bi->nreserved, BOOT_MAX_RESERVED);
	CHECK(!boot_add_reserved(bi, MiB(1), PAGE_SIZE));
	CHECK_EQ(bi->nreserved, BOOT_MAX_RESERVED);
	for (u32 i = 0; i < BOOT_MAX_RESERVED; i++) {
		CHECK_EQ(bi->reserved[i].base, i * PAGE_SIZE);
		CHECK_EQ(bi->reserved[i].size, PAGE_SIZE);
		CHECK_EQ(bi->reserved[i].type, MEM_LOADER);
	}
	/* Reserved ranges are independent of the memory map. */
	CHECK_EQ(bi->nmem, 0);
}
