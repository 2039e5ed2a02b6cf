/* Guest image loader: ELF64 into 64-bit mode, flat binaries into real mode,
 * Multiboot kernels through core/load/multiboot.c, Linux bzImages through
 * core/linux.c.
 * The image is untrusted input: every offset and size is checked, overflow
 * included, before a byte is copied. */
#include "core/load/loader.h"
#include "core/load/longmode.h"
#include "core/lib/fmt.h"
#include "core/load/linux.h"
#include "core/load/multiboot.h"
#include "core/lib/string.h"
#include "mm/gmem.h"

struct elf64_ehdr {
	u8 ident[16];
	u16 type, machine;
	u32 version;
	u64 entry, phoff, shoff;
	u32 flags;
	u16 ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	u32 type, flags;
	u64 offset, vaddr, paddr, filesz, memsz, align;
};

#define PT_LOAD 1
#define EM_X86_64 62
#define ET_EXEC 2

struct load_ctx {
	struct guest *g;
	const u8 *img;
	u64 size;
	u64 limit;          /* guest RAM the image may use */
	char *err;
	size_t errlen;
};

#define fail(c, ...) errformat((c)->err, (c)->errlen, __VA_ARGS__)

static bool is_elf(const u8 *img, u64 size)
{
	return size >= 4 && img[0] == 0x7f && img[1] == 'E' && img[2] == 'L' && img[3] == 'F';
}

static int check_ehdr(struct load_ctx *c, const struct elf64_ehdr *eh)
{
	if (c->size < sizeof(*eh))
		return fail(c, "ELF image too short for its header");
	if (eh->ident[4] != 2 || eh->ident[5] != 1)
		return fail(c, "not a 64-bit little-endian ELF image");
	if (eh->machine != EM_X86_64 || eh->type != ET_EXEC)
		return fail(c, "not an x86-64 executable ELF image (machine %u, type %u)",
			    eh->machine, eh->type);
	if (eh->phentsize < sizeof(struct elf64_phdr) || eh->phnum == 0 ||
	    eh->phoff > c->size || (u64)eh->phnum * eh->phentsize > c->size - eh->phoff)
		return fail(c, "ELF program headers lie outside the image");
	return 0;
}

static int load_segment(struct load_ctx *c, const struct elf64_phdr *ph, u32 i)
{
	if (ph->filesz > ph->memsz || ph->offset > c->size || ph->filesz > c->size - ph->offset)
		return fail(c, "ELF segment %u: file range outside the image", i);
	if (ph->paddr > c->limit || ph->memsz > c->limit - ph->paddr)
		return fail(c, "ELF segment %u at %lx+%lx does not fit in guest memory below %lx",
			    i, ph->paddr, ph->memsz, c->limit);
	copy_to_guest(&c->g->mem, ph->paddr, c->img + ph->offset, ph->filesz);   /* the BSS beyond: the RAM is zeroed */
	c->g->free_base = MAX(c->g->free_base, ALIGN_UP(ph->paddr + ph->memsz, PAGE_SIZE));
	return 0;
}

static int load_elf(struct load_ctx *c, struct vcpu_state *s)
{
	const struct elf64_ehdr *eh = (const struct elf64_ehdr *)c->img;
	u64 area;

	if (gmem_low_end(&c->g->mem) < LOADER_AREA + MiB(1))
		return fail(c, "guest memory too small for a 64-bit guest (at least 1M + 64K)");
	area = gmem_low_end(&c->g->mem) - LOADER_AREA;
	c->limit = area;
	if (check_ehdr(c, eh))
		return -1;
	for (u32 i = 0; i < eh->phnum; i++) {
		struct elf64_phdr ph;

		memcpy(&ph, c->img + eh->phoff + (u64)i * eh->phentsize, sizeof(ph));
		if (ph.type == PT_LOAD && load_segment(c, &ph, i))
			return -1;
	}
	if (eh->entry >= area)
		return fail(c, "ELF entry point %lx lies outside guest memory", eh->entry);
	c->g->free_end = area;
	longmode_setup(c->g, area, eh->entry, 0x08, s);
	return 0;
}

static int load_flat(struct load_ctx *c, const struct guest_cfg *gc, struct vcpu_state *s)
{
	u64 at = gc->load, cs_base = (at >> 4 & 0xf000) << 4;

	if (at >= MiB(1) || c->size > MiB(1) - at || at + c->size > gmem_low_end(&c->g->mem))
		return fail(c, "flat image of %lu bytes at %lx does not fit below 1 MiB in guest memory",
			    c->size, at);
	copy_to_guest(&c->g->mem, at, c->img, c->size);
	c->g->free_base = ALIGN_UP(at + c->size, PAGE_SIZE);
	c->g->free_end = gmem_low_end(&c->g->mem);
	vcpu_state_real_mode(s, (u16)(cs_base >> 4));
	s->rip = at - cs_base;
	s->rsp = at > cs_base ? at - cs_base : 0xfffe;
	vcpu_state_seg(s, SEG_SS, (u16)(cs_base >> 4), cs_base, 0xffff, 0x93);
	return 0;
}

int loader_load(struct guest *g, const u8 *img, u64 size, const struct guest_cfg *gc,
		struct vcpu_state *s, char *err, size_t errlen)
{
	struct load_ctx c = { g, img, size, gmem_low_end(&g->mem), err, errlen };
	int mb;
	u8 kind = gc->kind;

	/* The header scan, once: a reboot loads the same image (and under an
	 * emulator the scan costs milliseconds of the guest's slice). */
	if (!g->image_scanned) {
		g->image_mb = (u8)multiboot_version(img, size);
		g->image_scanned = true;
	}
	mb = g->image_mb;
	g->free_base = g->free_end = 0;
	if (kind == IMAGE_AUTO)
		kind = mb ? IMAGE_MULTIBOOT : is_elf(img, size) ? IMAGE_ELF :
		       linux_detect(img, size) ? IMAGE_LINUX : IMAGE_FLAT;
	if (kind == IMAGE_MULTIBOOT)
		return mb ? multiboot_load(g, img, size, gc, mb, s, err, errlen)
			  : fail(&c, "kind=multiboot but the image has no Multiboot 1 or 2 header");
	if (kind == IMAGE_LINUX)
		return linux_load(g, img, size, gc, s, err, errlen);
	if (kind == IMAGE_ELF)
		return is_elf(img, size) ? load_elf(&c, s) : fail(&c, "kind=elf but the image is not ELF");
	return load_flat(&c, gc, s);
}
