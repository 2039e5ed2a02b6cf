/* The Linux boot protocol (core/load/linux.h). The bzImage is untrusted: each
 * header field is checked before it decides where a byte goes.
 *
 * Guest memory, low to high:
 *   0x10000    the zero page (struct boot_params), 4 KiB
 *   0x11000    the command line, up to 4 KiB
 *   kernel     the protected-mode kernel at its preferred address (or the
 *              first suitably aligned address from 16 MiB), with room for
 *              its init_size
 *   initrd     page-aligned, as high as it fits below the loader's area
 *   area       the loader's GDT and page tables (LOADER_AREA), reserved
 * and the ACPI tables (core/dev/vacpi.c) at 0xf0000, in the reserved BIOS area,
 * their RSDP also named in the zero page.
 * The e820 map says: RAM below 0x9f000, reserved to 1 MiB, RAM to the
 * loader's area, reserved to the end. */
#include "core/load/linux.h"
#include "core/lib/fmt.h"
#include "core/load/longmode.h"
#include "core/dev/vacpi.h"
#include "core/lib/string.h"
#include "mm/gmem.h"

/* Offsets in the image's first sector and in the zero page (the setup
 * header sits at the same place in both). */
enum {
	ZP_E820_ENTRIES = 0x1e8, HDR_SETUP_SECTS = 0x1f1, HDR_JUMP = 0x200,
	HDR_MAGIC = 0x202, HDR_VERSION = 0x206, HDR_TYPE_OF_LOADER = 0x210,
	HDR_LOADFLAGS = 0x211, HDR_RAMDISK_IMAGE = 0x218, HDR_RAMDISK_SIZE = 0x21c,
	HDR_CMD_LINE_PTR = 0x228, HDR_INITRD_ADDR_MAX = 0x22c, HDR_KERNEL_ALIGNMENT = 0x230,
	HDR_RELOCATABLE = 0x234, HDR_XLOADFLAGS = 0x236, HDR_CMDLINE_SIZE = 0x238,
	HDR_PREF_ADDRESS = 0x258, HDR_INIT_SIZE = 0x260, ZP_HDR_END = 0x290,
	ZP_E820_TABLE = 0x2d0, ZP_ACPI_RSDP = 0x070,
};

#define HDR_MAGIC_VALUE 0x53726448u   /* "HdrS" */
#define PROTOCOL_MIN 0x020c           /* 2.12: xloadflags, 64-bit entry */
#define LOADED_HIGH 0x01
#define XLF_KERNEL_64 0x01
#define ZERO_PAGE 0x10000ULL
#define CMDLINE 0x11000ULL
#define CMDLINE_ROOM 0x1000ULL
#define LOW_RAM_END 0x9f000ULL
#define E820_RAM 1
#define E820_RESERVED 2

struct linux_ctx {
	struct guest *g;
	const u8 *img;
	u64 size;
	u64 area;                  /* the loader's tables; nothing goes above */
	char *err;
	size_t len;
};

#define fail(c, ...) errformat((c)->err, (c)->len, __VA_ARGS__)

static u64 rd(const u8 *p, u32 bytes)
{
	u64 v = 0;

	memcpy(&v, p, bytes);
	return v;
}

static void wr(u8 *p, u64 v, u32 bytes)
{
	memcpy(p, &v, bytes);
}

bool linux_detect(const u8 *img, u64 size)
{
	return size >= 0x1000 && rd(img + HDR_MAGIC, 4) == HDR_MAGIC_VALUE && rd(img + 0x1fe, 2) == 0xaa55;
}

/* Where the protected-mode kernel starts in the file; 0 when the header
 * cannot be served. */
static u64 check_header(struct linux_ctx *c)
{
	u64 setup;
	u32 version;

	if (!linux_detect(c->img, c->size))   /* first: it checks the size */
		return fail(c, "not a Linux bzImage (no setup header)"), 0;
	setup = ((u64)(c->img[HDR_SETUP_SECTS] ? c->img[HDR_SETUP_SECTS] : 4) + 1) * 512;
	version = (u32)rd(c->img + HDR_VERSION, 2);
	if (version < PROTOCOL_MIN)
		return fail(c, "boot protocol %u.%02u is too old (64-bit entry needs 2.12)", version >> 8,
			    version & 0xff), 0;
	if (!(rd(c->img + HDR_XLOADFLAGS, 2) & XLF_KERNEL_64) || !(c->img[HDR_LOADFLAGS] & LOADED_HIGH))
		return fail(c, "the kernel has no 64-bit entry point"), 0;
	if (setup >= c->size)
		return fail(c, "setup sectors (%lu bytes) reach past the image's end", setup), 0;
	return setup;
}

/* The kernel's load address: its preferred one, else the first multiple of
 * its alignment from 16 MiB. 0 when it does not fit below `below`. */
static u64 place_kernel(struct linux_ctx *c, u64 init_size, u64 below)
{
	u64 pref = rd(c->img + HDR_PREF_ADDRESS, 8), align = rd(c->img + HDR_KERNEL_ALIGNMENT, 4);
	u64 at = pref;

	if (c->img[HDR_RELOCATABLE] && (pref < MiB(1) || pref > below || init_size > below - pref)) {
		if (!align || (align & (align - 1)) || align > GiB(1))
			return 0;
		at = ALIGN_UP(MiB(16), align);
	}
	return at >= MiB(1) && at <= below && init_size <= below - at ? at : 0;
}

/* Copies the modules one after the other as high as they fit; their
 * start, or 0 (with the size in *total) when there are none. -1: no room. */
static s64 place_initrd(struct linux_ctx *c, const struct guest_cfg *gc, u64 *total)
{
	u64 sum = 0, max = rd(c->img + HDR_INITRD_ADDR_MAX, 4), top = MIN(c->area, max + 1), at;

	for (u32 i = 0; i < gc->nmodules; i++)
		sum += c->g->mod_size[i];   /* boot modules: sizes of host memory, no overflow */
	*total = sum;
	if (!sum)
		return 0;
	if (top < MiB(1) || sum > top - MiB(1))         /* initrd_addr_max is the image's word */
		return -1;
	at = ALIGN_DOWN(top - sum, PAGE_SIZE);
	for (u64 i = 0, off = 0; i < gc->nmodules; off += c->g->mod_size[i], i++)
		copy_to_guest(&c->g->mem, at + off, c->g->mod_base[i], c->g->mod_size[i]);   /* low RAM */
	return (s64)at;
}

static void e820_add(u8 *zp, u64 base, u64 size, u32 type)
{
	u8 *e = zp + ZP_E820_TABLE + 20 * zp[ZP_E820_ENTRIES]++;

	wr(e, base, 8);
	wr(e + 8, size, 8);
	wr(e + 16, type, 4);
}

/* The zero page: the image's setup header, what the loader filled in, and
 * the memory map. */
static void write_zero_page(struct linux_ctx *c, const struct guest_cfg *gc, u64 initrd, u64 initrd_size)
{
	u8 *zp = gmem_ptr(&c->g->mem, ZERO_PAGE, PAGE_SIZE);
	u64 hdr_end = MIN(HDR_JUMP + 2 + (u64)c->img[HDR_JUMP + 1], ZP_HDR_END);
	u64 cmax = MIN(rd(c->img + HDR_CMDLINE_SIZE, 4), CMDLINE_ROOM - 1);

	memset(zp, 0, PAGE_SIZE);
	memcpy(zp + HDR_SETUP_SECTS, c->img + HDR_SETUP_SECTS, hdr_end - HDR_SETUP_SECTS);
	zp[HDR_TYPE_OF_LOADER] = 0xff;                     /* a loader without an ID */
	wr(zp + HDR_RAMDISK_IMAGE, initrd, 4);
	wr(zp + HDR_RAMDISK_SIZE, initrd_size, 4);
	wr(zp + HDR_CMD_LINE_PTR, CMDLINE, 4);
	strlcpy(gmem_ptr(&c->g->mem, CMDLINE, CMDLINE_ROOM), gc->cmdline, MIN(cmax, CMDLINE_ROOM - 1) + 1);
	wr(zp + ZP_ACPI_RSDP, vacpi_build(c->g), 8);
	e820_add(zp, 0, LOW_RAM_END, E820_RAM);
	e820_add(zp, LOW_RAM_END, MiB(1) - LOW_RAM_END, E820_RESERVED);
	e820_add(zp, MiB(1), c->area - MiB(1), E820_RAM);
	e820_add(zp, c->area, gmem_low_end(&c->g->mem) - c->area, E820_RESERVED);
	if (gmem_high_size(&c->g->mem))   /* the RAM above 4 GiB */
		e820_add(zp, GMEM_HIGH_BASE, gmem_high_size(&c->g->mem), E820_RAM);
}

int linux_load(struct guest *g, const u8 *img, u64 size, const struct guest_cfg *gc,
	       struct vcpu_state *s, char *err, size_t len)
{
	struct linux_ctx c = { g, img, size, 0, err, len };
	u64 setup, kernel, ksize, init_size, initrd_size;
	s64 initrd;

	if (g->mem.size < MiB(32))
		return fail(&c, "a Linux guest needs at least 32 MiB of memory");
	c.area = gmem_low_end(&g->mem) - LOADER_AREA;
	if (!(setup = check_header(&c)))
		return -1;
	ksize = size - setup;
	init_size = MAX(rd(img + HDR_INIT_SIZE, 4), ksize);
	if ((initrd = place_initrd(&c, gc, &initrd_size)) < 0)
		return fail(&c, "initrd of %lu bytes does not fit in guest memory", initrd_size);
	if (!(kernel = place_kernel(&c, init_size, initrd ? (u64)initrd : c.area)))
		return fail(&c, "the kernel (%lu bytes to decompress in) does not fit in %lu MiB of guest memory",
			    init_size, gmem_low_end(&g->mem) >> 20);
	copy_to_guest(&g->mem, kernel, img + setup, ksize);   /* low RAM, placed */
	write_zero_page(&c, gc, (u64)initrd, initrd_size);
	longmode_setup(g, c.area, kernel + 0x200, 0x10, s);
	s->rsi = ZERO_PAGE;
	s->rsp = ZERO_PAGE;
	g->free_base = kernel + init_size;
	g->free_end = initrd ? (u64)initrd : c.area;
	return 0;
}
