/* Multiboot 1 and 2 (core/load/multiboot.h). The image is untrusted: every
 * header field and segment is checked before a byte is copied. Layout in
 * guest memory: the kernel where its ELF segments say (or, when its header
 * carries the address fields, the a.out kludge: where those say), then,
 * page-aligned above its end, each module, the strings, and the boot
 * information. */
#include "core/load/multiboot.h"
#include "core/lib/fmt.h"
#include "core/lib/string.h"
#include "core/dev/vacpi.h"
#include "core/hw/acpi.h"
#include "mm/gmem.h"

#define MB1_MAGIC 0x1badb002u
#define MB1_BOOT_MAGIC 0x2badb002u
#define MB1_AOUT_KLUDGE (1u << 16)
#define MB2_MAGIC 0xe85250d6u
#define MB2_BOOT_MAGIC 0x36d76289u
#define MB2_TAG_ADDRESS 2
#define MB2_TAG_ENTRY 3
#define MB2_INFO_ACPI_NEW 15   /* the boot information's copy of an ACPI 2.0 RSDP */

struct mb_ctx {
	struct guest *g;
	const struct guest_cfg *gc;
	const u8 *img;
	u64 size;
	u64 top;                   /* first free guest-physical byte */
	u64 low;                   /* the lowest byte a segment took */
	u64 rsdp;                  /* the ACPI tables' RSDP, or 0 (none) */
	u32 entry;
	bool by_address;           /* the header's address fields say where the image goes */
	u32 header_addr, load_addr, load_end, bss_end;   /* and those fields */
	char *err;
	size_t len;
};

#define fail(c, ...) errformat((c)->err, (c)->len, __VA_ARGS__)

static u32 rd32(const u8 *p)
{
	u32 v;

	memcpy(&v, p, 4);
	return v;
}

/* Offset of a valid Multiboot 2 header, or -1. */
static s64 find_mb2(const u8 *img, u64 size)
{
	for (u64 off = 0; off + 16 <= size && off < 32768; off += 8) {
		u32 len = rd32(img + off + 8);

		if (rd32(img + off) == MB2_MAGIC && rd32(img + off + 4) == 0 &&
		    (u32)(MB2_MAGIC + len + rd32(img + off + 12)) == 0 && len >= 16 && len <= size - off)
			return (s64)off;
	}
	return -1;
}

static s64 find_mb1(const u8 *img, u64 size)
{
	for (u64 off = 0; off + 12 <= size && off < 8192; off += 4)
		if (rd32(img + off) == MB1_MAGIC && (u32)(MB1_MAGIC + rd32(img + off + 4) + rd32(img + off + 8)) == 0)
			return (s64)off;
	return -1;
}

int multiboot_version(const u8 *img, u64 size)
{
	return find_mb2(img, size) >= 0 ? 2 : find_mb1(img, size) >= 0 ? 1 : 0;
}

/* ---- the kernel: ELF32 or ELF64 program headers, physical addresses */

struct elf_seg {
	u64 offset, paddr, filesz, memsz;
};

/* Reads program header i into *sg; 1 for a PT_LOAD, 0 for others, -1 bad. */
static int phdr(struct mb_ctx *c, bool is64, u64 phoff, u32 phentsize, u32 i, struct elf_seg *sg)
{
	u64 rel = (u64)i * phentsize, at = phoff + rel;
	const u8 *p;

	if (phentsize < (is64 ? 56u : 32u) || phoff > c->size || rel > c->size - phoff ||
	    phentsize > c->size - at)
		return fail(c, "ELF program header %u lies outside the image", i);
	p = c->img + at;
	if (rd32(p) != 1)
		return 0;
	if (is64) {
		memcpy(&sg->offset, p + 8, 8);
		memcpy(&sg->paddr, p + 24, 8);
		memcpy(&sg->filesz, p + 32, 8);
		memcpy(&sg->memsz, p + 40, 8);
	} else {
		*sg = (struct elf_seg){ rd32(p + 4), rd32(p + 12), rd32(p + 16), rd32(p + 20) };
	}
	return 1;
}

static int load_segment(struct mb_ctx *c, const struct elf_seg *sg, u32 i)
{
	if (sg->filesz > sg->memsz || sg->offset > c->size || sg->filesz > c->size - sg->offset)
		return fail(c, "%s %u: file range outside the image", c->by_address ? "segment" : "ELF segment", i);
	if (!gmem_contains(&c->g->mem, sg->paddr, sg->memsz) || sg->paddr + sg->memsz > 0xffffffffULL)
		return fail(c, "%s %u at %lx+%lx does not fit in guest memory below 4 GiB",
			    c->by_address ? "segment" : "ELF segment", i, sg->paddr, sg->memsz);
	copy_to_guest(&c->g->mem, sg->paddr, c->img + sg->offset, sg->filesz);   /* RAM, checked above */
	gmem_zero(&c->g->mem, sg->paddr + sg->filesz, sg->memsz - sg->filesz);
	c->top = MAX(c->top, ALIGN_UP(sg->paddr + sg->memsz, PAGE_SIZE));
	c->low = MIN(c->low, sg->paddr);
	return 0;
}

/* The a.out kludge: the file from the header's offset less (header_addr -
 * load_addr) goes to load_addr, up to load_end (0: the file's end), zeros
 * up to bss_end (0: none). Multiboot 2's load_addr of -1 loads the whole
 * file, the header landing at header_addr. The entry is the header's. */
static int load_by_address(struct mb_ctx *c, u64 hdr)
{
	struct elf_seg sg;

	if (c->load_addr == 0xffffffffu)
		c->load_addr = c->header_addr - (u32)hdr;
	if (c->load_addr > c->header_addr || c->header_addr - c->load_addr > hdr)
		return fail(c, "the Multiboot header's load address %x does not precede it (header at %x)",
			    c->load_addr, c->header_addr);
	sg.offset = hdr - (c->header_addr - c->load_addr);
	sg.paddr = c->load_addr;
	if (c->load_end && c->load_end < c->load_addr)
		return fail(c, "the Multiboot load end %x is below its load address %x", c->load_end, c->load_addr);
	sg.filesz = c->load_end ? c->load_end - c->load_addr : c->size - sg.offset;
	if (c->bss_end && c->bss_end < sg.paddr + sg.filesz)
		return fail(c, "the Multiboot bss end %x is below the load end %lx", c->bss_end,
			    sg.paddr + sg.filesz);
	sg.memsz = c->bss_end ? c->bss_end - sg.paddr : sg.filesz;
	if (!c->entry)
		return fail(c, "a Multiboot 2 kernel loaded by its address tag needs an entry address tag");
	return load_segment(c, &sg, 0);
}

static int load_kernel(struct mb_ctx *c)
{
	const u8 *e = c->img;
	bool is64;
	u64 phoff, entry;
	u32 phentsize, phnum;

	if (c->size < 64 || e[0] != 0x7f || e[1] != 'E' || e[2] != 'L' || e[3] != 'F' || e[5] != 1)
		return fail(c, "a Multiboot kernel must be a little-endian ELF image (no a.out kludge)");
	is64 = e[4] == 2;
	if (is64) {
		memcpy(&entry, e + 24, 8);
		memcpy(&phoff, e + 32, 8);
		phentsize = (u32)(e[54] | e[55] << 8);
		phnum = (u32)(e[56] | e[57] << 8);
	} else {
		entry = rd32(e + 24);
		phoff = rd32(e + 28);
		phentsize = (u32)(e[42] | e[43] << 8);
		phnum = (u32)(e[44] | e[45] << 8);
	}
	for (u32 i = 0; i < phnum; i++) {
		struct elf_seg sg;
		int r = phdr(c, is64, phoff, phentsize, i, &sg);

		if (r < 0 || (r == 1 && load_segment(c, &sg, i)))
			return -1;
	}
	if (!c->top)
		return fail(c, "the ELF kernel has no loadable segment");
	if (!c->entry && entry > 0xffffffffULL)
		return fail(c, "ELF entry point %lx is above 4 GiB: Multiboot enters in 32-bit mode", entry);
	c->entry = c->entry ? c->entry : (u32)entry;
	return 0;
}

/* MB2 header tags: the entry address tag overrides ELF's; the address tag
 * (an a.out-style layout) replaces the ELF headers. */
static int mb2_tags(struct mb_ctx *c, u64 hdr)
{
	u64 end = hdr + rd32(c->img + hdr + 8);

	for (u64 t = hdr + 16; t + 8 <= end;) {
		u16 type = (u16)(c->img[t] | c->img[t + 1] << 8);
		u32 size = rd32(c->img + t + 4);

		if (!type)
			return 0;
		if (size < 8 || size > end - t)
			return fail(c, "Multiboot 2 header tag at %lx has a bad size", t);
		if (type == MB2_TAG_ADDRESS) {
			if (size < 24)
				return fail(c, "Multiboot 2 address tag at %lx is too short", t);
			c->by_address = true;
			c->header_addr = rd32(c->img + t + 8), c->load_addr = rd32(c->img + t + 12);
			c->load_end = rd32(c->img + t + 16), c->bss_end = rd32(c->img + t + 20);
		}
		if (type == MB2_TAG_ENTRY && size >= 12)
			c->entry = rd32(c->img + t + 8);
		t += ALIGN_UP(size, 8);
	}
	return 0;
}

/* ---- the boot information, above the kernel */

/* Reserves n bytes at c->top (aligned), returning the guest address, or 0. */
static u64 take(struct mb_ctx *c, u64 n, u64 align)
{
	u64 at = ALIGN_UP(c->top, align);

	if (at >= c->g->free_end || n > c->g->free_end - at)
		return 0;
	c->top = at + n;
	return at;
}

static u64 put(struct mb_ctx *c, const void *src, u64 n, u64 align)
{
	u64 at = take(c, n, align);

	return at && !copy_to_guest(&c->g->mem, at, src, n) ? at : 0;
}

struct placed {
	u64 cmdline;
	u64 start[CFG_MAX_MODULES], end[CFG_MAX_MODULES], name[CFG_MAX_MODULES];
};

/* Copies the modules and strings; 0, or -1 when they do not fit. */
static int place_modules(struct mb_ctx *c, struct placed *pl)
{
	const struct guest_cfg *gc = c->gc;

	for (u32 i = 0; i < gc->nmodules; i++) {
		u64 n = c->g->mod_size[i];

		pl->start[i] = put(c, c->g->mod_base[i], n ? n : 1, PAGE_SIZE);
		pl->end[i] = pl->start[i] + n;
		pl->name[i] = put(c, gc->modules[i], strlen(gc->modules[i]) + 1, 1);
		if (!pl->start[i] || !pl->name[i] || pl->end[i] > 0xffffffffULL)
			return fail(c, "module '%s' does not fit in guest memory below 4 GiB", gc->modules[i]);
	}
	pl->cmdline = put(c, gc->cmdline, strlen(gc->cmdline) + 1, 1);
	return pl->cmdline ? 0 : fail(c, "no room for the command line");
}

/* Usable RAM for the memory map: below 640 KiB, from 1 MiB to the end of
 * low RAM (mem_upper: that much, contiguous), and above 4 GiB if any. */
static u64 mem_upper_kib(const struct guest *g)
{
	return (gmem_low_end(&g->mem) - MiB(1)) >> 10;
}

/* How many entries the memory map has: 2, or 3 with RAM above 4 GiB. */
static u32 map_entries(const struct guest *g)
{
	return 2 + (gmem_high_size(&g->mem) != 0);
}

static u64 high_base(const struct guest *g)
{
	return gmem_high_size(&g->mem) ? GMEM_HIGH_BASE : 0;
}

static u64 high_size(const struct guest *g)
{
	return gmem_high_size(&g->mem);
}

static u64 mb1_info(struct mb_ctx *c, const struct placed *pl)
{
	const struct guest_cfg *gc = c->gc;
	u32 mods[CFG_MAX_MODULES][4] = { 0 };
	struct __attribute__((packed)) { u32 size; u64 base, len; u32 type; } map[3] = {
		{ 20, 0, KiB(640), 1 }, { 20, MiB(1), gmem_low_end(&c->g->mem) - MiB(1), 1 },
		{ 20, high_base(c->g), high_size(c->g), 1 },
	};
	u32 map_size = map_entries(c->g) * sizeof(map[0]);
	u32 info[22] = { 0 };
	u64 mods_at, map_at;

	for (u32 i = 0; i < gc->nmodules; i++) {
		mods[i][0] = (u32)pl->start[i];
		mods[i][1] = (u32)pl->end[i];
		mods[i][2] = (u32)pl->name[i];
	}
	mods_at = put(c, mods, sizeof(mods), 16);
	map_at = put(c, map, map_size, 8);
	info[0] = 1 | 1u << 2 | 1u << 3 | 1u << 6;   /* mem, cmdline, mods, mmap */
	info[1] = 640;
	info[2] = (u32)mem_upper_kib(c->g);
	info[4] = (u32)pl->cmdline;
	info[5] = gc->nmodules;
	info[6] = (u32)mods_at;
	info[11] = map_size;
	info[12] = (u32)map_at;
	return mods_at && map_at ? put(c, info, sizeof(info), 16) : 0;
}

/* Appends one MB2 tag (header, then body) at c->top, 8-aligned. */
static bool mb2_tag(struct mb_ctx *c, u32 type, const void *body, u32 n, const char *str)
{
	u32 slen = str ? (u32)strlen(str) + 1 : 0, hdr[2] = { type, 8 + n + slen };
	u64 at = take(c, ALIGN_UP(hdr[1], 8), 8);

	return at && !copy_to_guest(&c->g->mem, at, hdr, 8) && !copy_to_guest(&c->g->mem, at + 8, body, n) &&
	       !copy_to_guest(&c->g->mem, at + 8 + n, str, slen);
}

static u64 mb2_info(struct mb_ctx *c, const struct placed *pl)
{
	const struct guest_cfg *gc = c->gc;
	u32 mem[2] = { 640, (u32)mem_upper_kib(c->g) };
	struct { u32 entry_size, version; struct { u64 base, len; u32 type, zero; } e[3]; } map = {
		24, 0, { { 0, KiB(640), 1, 0 }, { MiB(1), gmem_low_end(&c->g->mem) - MiB(1), 1, 0 },
			 { high_base(c->g), high_size(c->g), 1, 0 } },
	};
	u32 map_size = 8 + map_entries(c->g) * sizeof(map.e[0]);
	u64 start = take(c, 8, 8);
	bool ok = start && mb2_tag(c, 1, NULL, 0, gc->cmdline) && mb2_tag(c, 4, mem, sizeof(mem), NULL) &&
		  mb2_tag(c, 6, &map, map_size, NULL) &&
		  (!c->rsdp || mb2_tag(c, MB2_INFO_ACPI_NEW, gmem_ptr(&c->g->mem, c->rsdp, sizeof(struct acpi_rsdp)),
				       sizeof(struct acpi_rsdp), NULL));
	u32 fixed[2];

	for (u32 i = 0; ok && i < gc->nmodules; i++) {
		u32 m[2] = { (u32)pl->start[i], (u32)pl->end[i] };

		ok = mb2_tag(c, 3, m, sizeof(m), gc->modules[i]);
	}
	if (!ok || !mb2_tag(c, 0, NULL, 0, NULL))
		return 0;
	fixed[0] = (u32)(c->top - start);
	fixed[1] = 0;
	memcpy(gmem_ptr(&c->g->mem, start, 8), fixed, 8);
	return start;
}

/* ---- the entry state */

static void set_seg(struct vcpu_state *s, int id, u16 sel, u32 ar)
{
	s->seg[id] = (struct seg){ .sel = sel, .base = 0, .limit = 0xffffffff, .ar = ar };
}

static void protected_mode(struct vcpu_state *s, u32 entry, u32 magic, u64 info)
{
	memset(s, 0, sizeof(*s));
	s->rip = entry;
	s->rflags = 0x2;
	s->cr0 = 0x11;             /* PE ET */
	for (int i = SEG_ES; i <= SEG_GS; i++)
		set_seg(s, i, 0x10, 0xc093);
	set_seg(s, SEG_CS, 0x08, 0xc09b);
	s->seg[SEG_TR] = (struct seg){ .limit = 0x67, .ar = 0x8b };
	s->seg[SEG_LDTR] = (struct seg){ .ar = AR_UNUSABLE };
	s->gdtr_limit = 0xffff;
	s->idtr_limit = 0x3ff;
	s->rax = magic;
	s->rbx = info;
}

int multiboot_load(struct guest *g, const u8 *img, u64 size, const struct guest_cfg *gc, int version,
		   struct vcpu_state *s, char *err, size_t len)
{
	struct mb_ctx c = { .g = g, .gc = gc, .img = img, .size = size, .low = ~0ULL, .err = err, .len = len };
	struct placed pl = { 0 };
	u64 info, hdr;

	g->free_base = 0;
	g->free_end = gmem_low_end(&g->mem);
	hdr = (u64)(version == 2 ? find_mb2(img, size) : find_mb1(img, size));
	if (version == 2 && mb2_tags(&c, hdr))
		return -1;
	if (version == 1 && rd32(img + hdr + 4) & MB1_AOUT_KLUDGE) {
		if (hdr + 32 > size)
			return fail(&c, "the Multiboot header's address fields are cut off");
		c.by_address = true;
		c.header_addr = rd32(img + hdr + 12), c.load_addr = rd32(img + hdr + 16);
		c.load_end = rd32(img + hdr + 20), c.bss_end = rd32(img + hdr + 24);
		c.entry = rd32(img + hdr + 28);
		if (!c.entry)
			return fail(&c, "the Multiboot header's entry address is 0");
	}
	if ((c.by_address ? load_by_address(&c, hdr) : load_kernel(&c)) || place_modules(&c, &pl))
		return -1;
	if (c.entry >= gmem_low_end(&g->mem))
		return fail(&c, "the entry point %x lies outside guest memory", c.entry);
	/* the ACPI tables where an OS scans for them, unless the kernel
	 * itself was loaded below 1 MiB */
	if (c.low >= MiB(1))
		c.rsdp = vacpi_build(g);
	info = version == 2 ? mb2_info(&c, &pl) : mb1_info(&c, &pl);
	if (!info)
		return fail(&c, "no room for the Multiboot information above the kernel");
	g->free_base = ALIGN_UP(c.top, PAGE_SIZE);
	protected_mode(s, c.entry, version == 2 ? MB2_BOOT_MAGIC : MB1_BOOT_MAGIC, info);
	return 0;
}
