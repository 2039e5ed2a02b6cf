/* core/load/multiboot.c: detecting and loading Multiboot kernels into watched
 * guest memory. */
#include <stdlib.h>
#include <sys/mman.h>

#include "core/load/multiboot.h"
#include "tests/unit/test.h"

#define MEM (4u << 20)

static struct guest g;
static struct guest_cfg gc;

static void fresh(void)
{
	static u8 *mem;

	if (!mem)
		mem = malloc(MEM);
	memset(mem, 0, MEM);
	memset(&g, 0, sizeof(g));
	memset(&gc, 0, sizeof(gc));
	gmem_init(&g.mem, (u64)(uintptr_t)mem, MEM);
}

/* A minimal ELF32 Multiboot kernel: one 16-byte segment at 1 MiB holding
 * the header for version mb (1 or 2), entry 1 MiB + 4. */
static size_t kernel(u8 *img, int mb)
{
	u32 *w;

	memset(img, 0, 256);
	memcpy(img, "\x7f" "ELF", 4);
	img[4] = 1, img[5] = 1, img[6] = 1;
	img[16] = 2, img[18] = 3;                       /* ET_EXEC, EM_386 */
	w = (u32 *)(img + 24);
	w[0] = 0x100004, w[1] = 52;                     /* entry, phoff */
	img[42] = 32, img[44] = 1;                      /* phentsize, phnum */
	w = (u32 *)(img + 52);
	w[0] = 1, w[1] = 128, w[2] = 0x100000, w[3] = 0x100000, w[4] = 24, w[5] = 24;
	w = (u32 *)(img + 128);
	if (mb == 1) {
		w[0] = 0x1badb002, w[1] = 0, w[2] = -0x1badb002u;
	} else {
		w[0] = 0xe85250d6, w[1] = 0, w[2] = 24, w[3] = -(0xe85250d6u + 24), w[4] = 0, w[5] = 8;
	}
	return 152;
}

TEST(multiboot_detect_and_load_v1)
{
	u8 img[256];
	size_t n = kernel(img, 1);
	struct vcpu_state s;
	char err[160] = "";
	const u32 *info;

	fresh();
	strcpy(gc.cmdline, "quiet");
	CHECK_EQ(multiboot_version(img, n), 1);
	CHECK_EQ(multiboot_load(&g, img, n, &gc, 1, &s, err, sizeof(err)), 0);
	CHECK_EQ(s.rip, 0x100004);
	CHECK_EQ(s.rax, 0x2badb002);
	CHECK_EQ(s.cr0 & 1, 1);
	info = (const u32 *)(uintptr_t)(g.mem.r[0].hpa + s.rbx);
	CHECK_EQ(info[0] & 0x4d, 0x4d);                 /* mem, cmdline, mods, mmap */
	CHECK_EQ(info[2], (MEM - (1u << 20)) >> 10);
	CHECK_STR((const char *)(uintptr_t)(g.mem.r[0].hpa + info[4]), "quiet");
	CHECK(!memcmp((const void *)(uintptr_t)(g.mem.r[0].hpa + 0x100000), img + 128, 24));
	CHECK(!memcmp((const void *)(uintptr_t)(g.mem.r[0].hpa + 0xf0000), "RSD PTR ", 8));   /* ACPI, where scanned */
}

static u64 rd64(const u8 *p)
{
	u64 v;

	memcpy(&v, p, 8);
	return v;
}

/* A 4.5 GiB guest: mem_upper counts the RAM below 3 GiB, the map has a
 * third entry for the rest, from 4 GiB. The host block is reserved, not
 * touched. */
TEST(multiboot_map_with_ram_above_4g)
{
	u64 size = GiB(4) + MiB(512);
	u8 *big = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	u8 img[256];
	size_t n = kernel(img, 1);
	struct vcpu_state s;
	char err[160] = "";
	const u32 *info;
	const u8 *map;

	CHECK(big != MAP_FAILED);
	fresh();
	gmem_init(&g.mem, (u64)(uintptr_t)big, size);
	CHECK_EQ(multiboot_load(&g, img, n, &gc, 1, &s, err, sizeof(err)), 0);
	info = (const u32 *)(big + s.rbx);
	CHECK_EQ(info[2], (GiB(3) - MiB(1)) >> 10);   /* mem_upper */
	CHECK_EQ(info[11], 3 * 24);                    /* three map entries */
	map = big + info[12];
	CHECK_EQ(rd64(map + 24 + 4 + 8), GiB(3) - MiB(1));
	CHECK_EQ(rd64(map + 48 + 4), GiB(4));
	CHECK_EQ(rd64(map + 48 + 12), GiB(1) + MiB(512));
	CHECK_EQ(rd64(map + 48 + 20) & 0xffffffff, 1);
	munmap(big, size);
}

TEST(multiboot_detect_and_load_v2)
{
	u8 img[256];
	size_t n = kernel(img, 2);
	struct vcpu_state s;
	char err[160] = "";
	const u32 *info;

	fresh();
	CHECK_EQ(multiboot_version(img, n), 2);
	CHECK_EQ(multiboot_load(&g, img, n, &gc, 2, &s, err, sizeof(err)), 0);
	CHECK_EQ(s.rax, 0x36d76289);
	info = (const u32 *)(uintptr_t)(g.mem.r[0].hpa + s.rbx);
	CHECK(info[0] >= 8 + 16 && info[0] % 8 == 0);  /* total size */
	CHECK_EQ(info[2], 1);                           /* the first tag: cmdline */
}

TEST(multiboot_refuses_bad_kernels)
{
	u8 img[256];
	size_t n = kernel(img, 1);
	struct vcpu_state s;
	char err[160];

	fresh();
	CHECK_EQ(multiboot_version(img, 100), 0);       /* header cut off */
	((u32 *)(img + 52))[3] = 0xfffff000;            /* segment above RAM */
	CHECK_EQ(multiboot_load(&g, img, n, &gc, 1, &s, err, sizeof(err)), -1);
	CHECK(strstr(err, "does not fit"));
	kernel(img, 1);
	((u32 *)(img + 24))[0] = 0x7ffff000;            /* entry far above RAM (found by fuzzing) */
	CHECK_EQ(multiboot_load(&g, img, n, &gc, 1, &s, err, sizeof(err)), -1);
	CHECK(strstr(err, "entry point"));
}

/* An a.out-kludge kernel as grub-invaders is: not ELF at all (or ELF
 * headers the loader must ignore), a Multiboot 1 header at offset 16 whose
 * address fields say: the file from offset 0 to 1 MiB, 64 bytes of it,
 * zeros to 1 MiB + 4 KiB, entry at 1 MiB + 0x30. */
static size_t aout_kernel(u8 *img)
{
	u32 *w = (u32 *)(img + 16);

	for (int i = 0; i < 64; i++)
		img[i] = (u8)(0x80 + i);
	w[0] = 0x1badb002, w[1] = 1u << 16, w[2] = -(0x1badb002u + (1u << 16));
	w[3] = 0x100010, w[4] = 0x100000, w[5] = 0x100040, w[6] = 0x101000, w[7] = 0x100030;
	memset(img + 64, 0xcc, 64);                     /* past load_end: not loaded */
	return 128;
}

TEST(multiboot_aout_kludge_loads_by_its_address_fields)
{
	u8 img[128];
	size_t n = aout_kernel(img);
	struct vcpu_state s;
	char err[160] = "";
	const u8 *ram;

	fresh();
	ram = (const u8 *)(uintptr_t)g.mem.r[0].hpa;
	memset((void *)(uintptr_t)(g.mem.r[0].hpa + 0x100000), 0xaa, 0x2000);
	CHECK_EQ(multiboot_version(img, n), 1);
	CHECK_EQ(multiboot_load(&g, img, n, &gc, 1, &s, err, sizeof(err)), 0);
	CHECK_STR(err, "");
	CHECK(!memcmp(ram + 0x100000, img, 64));
	CHECK_EQ(ram[0x100040], 0);                     /* the bss, zeroed */
	CHECK_EQ(ram[0x100fff], 0);
	CHECK_EQ(s.rip, 0x100030);
	CHECK(s.rbx >= 0x101000);                       /* the boot information above the bss */
	((u32 *)(img + 16))[4] = 0x100020;              /* load address above the header */
	CHECK_EQ(multiboot_load(&g, img, n, &gc, 1, &s, err, sizeof(err)), -1);
	CHECK(strstr(err, "does not precede"));
	n = aout_kernel(img);
	((u32 *)(img + 16))[3] = 0x100100;              /* header 256 bytes in: before the file */
	((u32 *)(img + 16))[5] = 0x100200;
	((u32 *)(img + 16))[6] = 0x101000;
	CHECK_EQ(multiboot_load(&g, img, n, &gc, 1, &s, err, sizeof(err)), -1);
	CHECK(strstr(err, "does not precede"));
	n = aout_kernel(img);
	((u32 *)(img + 16))[5] = 0x100200;              /* load end past the file */
	CHECK_EQ(multiboot_load(&g, img, n, &gc, 1, &s, err, sizeof(err)), -1);
	CHECK(strstr(err, "outside the image"));
	n = aout_kernel(img);
	((u32 *)(img + 16))[6] = 0x100020;              /* bss end below the load end */
	CHECK_EQ(multiboot_load(&g, img, n, &gc, 1, &s, err, sizeof(err)), -1);
	CHECK(strstr(err, "bss end"));
	n = aout_kernel(img);
	CHECK_EQ(multiboot_version(img, 40), 1);        /* the header found, its fields cut off */
	CHECK_EQ(multiboot_load(&g, img, 40, &gc, 1, &s, err, sizeof(err)), -1);
	CHECK(strstr(err, "cut off"));
}

/* Multiboot 2's address tag (with the entry tag it needs) does the same;
 * a load address of -1 loads the file from its start. */
TEST(multiboot2_address_tag)
{
	u8 img[128];
	u32 *w = (u32 *)(img + 8);
	struct vcpu_state s;
	char err[160] = "";
	const u8 *ram;

	fresh();
	ram = (const u8 *)(uintptr_t)g.mem.r[0].hpa;
	memset(img, 0x90, sizeof(img));
	w[0] = 0xe85250d6, w[1] = 0, w[2] = 64, w[3] = -(0xe85250d6u + 64);
	w[4] = 2, w[5] = 24, w[6] = 0x200008, w[7] = 0xffffffff, w[8] = 0x200080, w[9] = 0x202000;
	w[10] = 3, w[11] = 12, w[12] = 0x200050, w[13] = 0;   /* entry tag, padded */
	w[14] = 0, w[15] = 8;                           /* end tag */
	CHECK_EQ(multiboot_version(img, sizeof(img)), 2);
	CHECK_EQ(multiboot_load(&g, img, sizeof(img), &gc, 2, &s, err, sizeof(err)), 0);
	CHECK_STR(err, "");
	CHECK(!memcmp(ram + 0x200000, img, 128));
	CHECK_EQ(s.rip, 0x200050);
	w[10] = 0;                                      /* no entry tag: refused */
	w[11] = 8;
	CHECK_EQ(multiboot_load(&g, img, sizeof(img), &gc, 2, &s, err, sizeof(err)), -1);
	CHECK(strstr(err, "entry address tag"));
}

/* Found by make fuzz-host: program headers whose offset overflows. */
static const u8 fuzz_phoff_overflow[] = {
	0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x3e, 0x00, 0x2a, 0x00, 0x00, 0x00,
	0x10, 0xbb, 0xdb, 0xf7, 0x60, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xd6, 0xe8, 0xff, 0xff, 0xff, 0xff, 0xd6, 0x50, 0x52, 0xe8, 0x76, 0xe7,
	0x48, 0x83, 0xd6, 0x50, 0x52, 0xe8, 0xff, 0xff, 0x46, 0x46, 0xd6, 0x50,
	0x52, 0xe8, 0xff, 0xff, 0x46, 0x46, 0xd6, 0x50, 0x52, 0xe8, 0x46, 0x50,
	0x52, 0xe8, 0x76, 0xe7, 0x48, 0x83, 0xd6, 0x50, 0x52, 0xe8, 0xff, 0xff,
	0xff, 0xff, 0xd6, 0x50, 0x52, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x02, 0xb0, 0xad, 0x1b, 0x00, 0x00, 0x00, 0x00,
	0xfe, 0x4f, 0x52, 0xe4, 0x66, 0x90, 0x66, 0x90, 0xbc, 0x31, 0x23, 0x10,
	0x00, 0x53, 0x50, 0xe8, 0x84, 0x00, 0x00, 0x00, 0xfa, 0x10, 0xc6, 0x44,
	0x24, 0x00, 0x00, 0x00, 0x00, 0x00, 0x98, 0x25, 0xfe, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x40, 0x00, 0x36, 0x74, 0x00, 0x01,
	0x00, 0x00, 0x10, 0x03, 0x10, 0x00, 0xff,
};

TEST(multiboot_fuzz_phoff_overflow)
{
	struct vcpu_state s;
	char err[160];

	fresh();
	CHECK_EQ(multiboot_version(fuzz_phoff_overflow, sizeof(fuzz_phoff_overflow)), 1);
	CHECK_EQ(multiboot_load(&g, fuzz_phoff_overflow, sizeof(fuzz_phoff_overflow), &gc, 1, &s, err,
				sizeof(err)), -1);
}
