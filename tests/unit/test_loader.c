/* core/load/loader.c: 64-bit ELF images (segments, BSS, the long-mode tables
 * and start state) and flat real-mode images, and each refusal. */
#include "core/load/loader.h"
#include "core/config/config.h"
#include "tests/unit/test.h"

#include <stdlib.h>
#include <string.h>

#define MEM (2u << 20)

static struct guest g;
static struct guest_cfg gc;
static u8 img[0x3000];

static void put(u32 at, u64 v, u32 bytes)
{
	for (u32 k = 0; k < bytes; k++)
		img[at + k] = (u8)(v >> 8 * k);
}

/* An ELF64 executable: one PT_LOAD of 0x100 file bytes at 1 MiB, 0x1000 in
 * memory (the rest BSS), entry 1 MiB + 0x10; then a non-LOAD header. */
static void elf(void)
{
	memset(img, 0, sizeof(img));
	memcpy(img, "\x7f" "ELF", 4);
	img[4] = 2;                                     /* 64-bit */
	img[5] = 1;                                     /* little-endian */
	put(16, 2, 2);                                  /* ET_EXEC */
	put(18, 62, 2);                                 /* x86-64 */
	put(24, 0x100010, 8);                           /* entry */
	put(32, 64, 8);                                 /* phoff */
	put(54, 56, 2);                                 /* phentsize */
	put(56, 2, 2);                                  /* phnum */
	put(64, 1, 4);                                  /* PT_LOAD */
	put(64 + 8, 0x1000, 8);                         /* offset */
	put(64 + 24, 0x100000, 8);                      /* paddr */
	put(64 + 32, 0x100, 8);                         /* filesz */
	put(64 + 40, 0x1000, 8);                        /* memsz */
	put(120, 4, 4);                                 /* PT_NOTE: skipped */
	for (u32 i = 0; i < 0x100; i++)
		img[0x1000 + i] = (u8)(i + 1);
}

static void fresh(u8 kind)
{
	static u8 *ram;

	if (!ram)
		ram = malloc(MEM);
	memset(ram, 0xcc, MEM);                         /* not zero: the loader must write what it means */
	memset(&g, 0, sizeof(g));
	memset(&gc, 0, sizeof(gc));
	gmem_init(&g.mem, (u64)(uintptr_t)ram, MEM);
	gc.kind = kind;
	gc.load = 0x7c00;
	elf();
}

static const u8 *gpa(u64 a)
{
	return (const u8 *)(uintptr_t)(g.mem.r[0].hpa + a);
}

static u64 get8(const u8 *p)
{
	u64 v;

	memcpy(&v, p, 8);
	return v;
}

TEST(loader_elf_segments_and_long_mode)
{
	struct vcpu_state s;
	char err[160] = "";
	u64 area = MEM - LOADER_AREA;

	fresh(IMAGE_AUTO);
	CHECK_EQ(loader_load(&g, img, sizeof(img), &gc, &s, err, sizeof(err)), 0);
	CHECK(!memcmp(gpa(0x100000), img + 0x1000, 0x100));
	CHECK_EQ(gpa(0x100100)[0], 0xcc);               /* the BSS: the zeroed RAM's, not written */
	CHECK_EQ(gpa(0x100fff)[0], 0xcc);
	CHECK_EQ(g.free_base, 0x101000);
	CHECK_EQ(g.free_end, area);
	CHECK_EQ(s.rip, 0x100010);
	CHECK_EQ(s.rsp, area);
	CHECK_EQ(s.cr3, area + 0x1000);
	CHECK_EQ(s.efer, 0x500);
	CHECK_EQ(s.seg[SEG_CS].sel, 0x08);
	CHECK_EQ(s.seg[SEG_DS].sel, 0x10);
	CHECK_EQ(get8(gpa(area + 8)), 0x00209a0000000000ULL);              /* 64-bit code */
	CHECK_EQ(get8(gpa(area + 0x1000)), (area + 0x2000) | 3);          /* PML4 -> PDPT */
	CHECK_EQ(get8(gpa(area + 0x3000 + 8 * 2047)), (2047ULL << 21) | 0x83);   /* the last 2 MiB page */
	CHECK(g.image_scanned);
	gc.kind = IMAGE_ELF;                            /* again, kind given: the same */
	CHECK_EQ(loader_load(&g, img, sizeof(img), &gc, &s, err, sizeof(err)), 0);
}

static const char *refused(u32 at, u64 v, u32 bytes, u32 size)
{
	static char err[160];
	struct vcpu_state s;

	fresh(IMAGE_ELF);
	put(at, v, bytes);
	err[0] = 0;
	return loader_load(&g, img, size, &gc, &s, err, sizeof(err)) ? err : "";
}

TEST(loader_elf_refusals)
{
	CHECK_STR(refused(4, 1, 1, sizeof(img)), "not a 64-bit little-endian ELF image");
	CHECK_STR(refused(18, 3, 2, sizeof(img)), "not an x86-64 executable ELF image (machine 3, type 2)");
	CHECK_STR(refused(56, 0, 2, sizeof(img)), "ELF program headers lie outside the image");
	CHECK_STR(refused(32, 0x10000, 8, sizeof(img)), "ELF program headers lie outside the image");
	CHECK_STR(refused(0, 0, 1, 40), "kind=elf but the image is not ELF");
	CHECK_STR(refused(4, 2, 1, 40), "ELF image too short for its header");
	CHECK_STR(refused(64 + 32, 0x2000, 8, sizeof(img)), "ELF segment 0: file range outside the image");
	CHECK_STR(refused(64 + 24, 0x1ff000, 8, sizeof(img)),
		  "ELF segment 0 at 1ff000+1000 does not fit in guest memory below 1f0000");
	CHECK_STR(refused(24, 0x1f0000, 8, sizeof(img)), "ELF entry point 1f0000 lies outside guest memory");
	fresh(IMAGE_ELF);
	gmem_init(&g.mem, g.mem.r[0].hpa, 1u << 20);
	CHECK_EQ(loader_load(&g, img, sizeof(img), &gc, &(struct vcpu_state){ 0 }, (char[160]){ 0 }, 160), -1);
}

TEST(loader_flat_real_mode)
{
	struct vcpu_state s;
	char err[160] = "";
	static const u8 boot[4] = { 0xeb, 0xfe, 0x55, 0xaa };

	fresh(IMAGE_AUTO);
	CHECK_EQ(loader_load(&g, boot, sizeof(boot), &gc, &s, err, sizeof(err)), 0);   /* auto: flat */
	CHECK(!memcmp(gpa(0x7c00), boot, sizeof(boot)));
	CHECK_EQ(s.rip, 0x7c00);
	CHECK_EQ(s.seg[SEG_CS].base, 0);
	CHECK_EQ(s.cr0, 0x10);
	CHECK_EQ(g.free_base, 0x8000);
	CHECK_EQ(g.free_end, MEM);
	gc.load = 0x12345;                              /* CS:IP = 1000:2345 */
	CHECK_EQ(loader_load(&g, boot, sizeof(boot), &gc, &s, err, sizeof(err)), 0);
	CHECK_EQ(s.seg[SEG_CS].sel, 0x1000);
	CHECK_EQ(s.rip, 0x2345);
	gc.load = 0xffffe;
	CHECK_EQ(loader_load(&g, boot, sizeof(boot), &gc, &s, err, sizeof(err)), -1);
	CHECK_STR(err, "flat image of 4 bytes at ffffe does not fit below 1 MiB in guest memory");
	gc.kind = IMAGE_MULTIBOOT;
	CHECK_EQ(loader_load(&g, boot, sizeof(boot), &gc, &s, err, sizeof(err)), -1);
	CHECK_STR(err, "kind=multiboot but the image has no Multiboot 1 or 2 header");
}
