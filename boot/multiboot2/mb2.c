/* The Multiboot2 boot door: turns GRUB's boot information into a struct
 * boot_info. The configuration is a module named "hv.cfg" (optional) and
 * then the command line; guest images are modules named as the
 * configuration names them:
 *
 *   multiboot2 /boot/hv.elf log=debug
 *   module2    /boot/hv.cfg hv.cfg
 *   module2    /boot/hello.elf hello.elf
 */
#include "core/config/boot_info.h"
#include "core/lib/fmt.h"
#include "core/lib/string.h"

#define MB2_BOOT_MAGIC 0x36d76289

enum {
	TAG_END = 0, TAG_CMDLINE = 1, TAG_MODULE = 3, TAG_MMAP = 6,
	TAG_ACPI_OLD = 14, TAG_ACPI_NEW = 15,
};

struct tag {
	u32 type, size;
};

struct mmap_entry {
	u64 base, len;
	u32 type, reserved;
};

static struct boot_info bi;
static char cmdline[1024];
static u8 rsdp_copy[64] __attribute__((aligned(16)));

static const u8 mb2_mem_types[] = {
	[1] = MEM_USABLE, [2] = MEM_RESERVED, [3] = MEM_ACPI_RECLAIM,
	[4] = MEM_ACPI_NVS, [5] = MEM_BAD,
};

static void read_mmap(const struct tag *t)
{
	const u8 *p = (const u8 *)t + 16, *end = (const u8 *)t + t->size;
	u32 esize;

	memcpy(&esize, (const u8 *)t + 8, 4);
	if (esize < sizeof(struct mmap_entry))
		return;
	for (; p + esize <= end; p += esize) {
		const struct mmap_entry *e = (const struct mmap_entry *)p;
		u32 type = e->type < ARRAY_SIZE(mb2_mem_types) && mb2_mem_types[e->type] ?
			   mb2_mem_types[e->type] : MEM_RESERVED;

		boot_add_mem(&bi, e->base, e->len, type);
	}
}

static void read_module(const struct tag *t)
{
	u32 start, end;
	const char *name = (const char *)t + 16;

	memcpy(&start, (const u8 *)t + 8, 4);
	memcpy(&end, (const u8 *)t + 12, 4);
	if (end < start)
		return;
	boot_add_reserved(&bi, start, end - start);
	if (!boot_add_module(&bi, name, start, end - start))
		snformat(bi.error, sizeof(bi.error), "more than %d Multiboot2 modules", BOOT_MAX_MODULES);
}

static void read_rsdp(const struct tag *t)
{
	u32 len = MIN(t->size - 8, (u32)sizeof(rsdp_copy));

	memcpy(rsdp_copy, (const u8 *)t + 8, len);
	bi.rsdp = (u64)(uintptr_t)rsdp_copy;
}

static void add_cfg(const char *name, const char *text, u64 len)
{
	struct boot_cfg_source *c = &bi.cfg[bi.ncfg++];

	c->text = text;
	c->len = len;
	strlcpy(c->name, name, sizeof(c->name));
}

/* hv.cfg first, then the command line, whose words override it. */
static void collect_config(void)
{
	for (u32 i = 0; i < bi.nmodules; i++)
		if (!strcmp(bi.modules[i].name, "hv.cfg"))
			add_cfg("hv.cfg", (const char *)(uintptr_t)bi.modules[i].base,
				bi.modules[i].size);
	if (cmdline[0])
		add_cfg("cmdline", cmdline, strlen(cmdline));
}

static void read_tags(const u8 *info)
{
	u32 total;
	bool new_rsdp = false;

	memcpy(&total, info, 4);
	for (const u8 *p = info + 8; p + 8 <= info + total;) {
		const struct tag *t = (const struct tag *)p;

		if (t->type == TAG_END || t->size < 8)
			break;
		if (t->type == TAG_CMDLINE)
			strlcpy(cmdline, (const char *)p + 8, sizeof(cmdline));
		else if (t->type == TAG_MMAP)
			read_mmap(t);
		else if (t->type == TAG_MODULE)
			read_module(t);
		else if (t->type == TAG_ACPI_NEW || (t->type == TAG_ACPI_OLD && !new_rsdp)) {
			read_rsdp(t);
			new_rsdp |= t->type == TAG_ACPI_NEW;
		}
		p += ALIGN_UP(t->size, 8);
	}
}

void mb2_main(u32 magic, const u8 *info);

void mb2_main(u32 magic, const u8 *info)
{
	bi.entry_tsc = __builtin_ia32_rdtsc();
	bi.magic = BOOT_INFO_MAGIC;
	bi.door = BOOT_MULTIBOOT2;
	bi.door_name = "Multiboot2";
	if (magic != MB2_BOOT_MAGIC) {
		snformat(bi.error, sizeof(bi.error),
			 "EAX held %x, not the Multiboot2 magic %x: load hv.elf with GRUB's 'multiboot2'",
			 magic, MB2_BOOT_MAGIC);
		hv_enter(&bi);
	}
	read_tags(info);
	collect_config();
	hv_enter(&bi);
}
