/* The one structure a boot door (boot/efi, boot/multiboot2) hands the core.
 * Everything firmware-specific is translated into it before the core runs;
 * the core never calls the firmware except through fw_power_off.
 *
 * Contract: all addresses are physical and identity-mapped when hv_enter()
 * is called; the structure and everything it points to stay valid and are
 * never handed out by the frame allocator (the door lists them in reserved[]
 * or they live in memory of type MEM_LOADER). */
#ifndef CORE_BOOT_INFO_H
#define CORE_BOOT_INFO_H

#include "core/lib/types.h"

#define BOOT_INFO_MAGIC 0x4856424fU /* "OBVH" */

enum boot_door {
	BOOT_UEFI = 1,
	BOOT_MULTIBOOT2 = 2,
};

/* Memory types, firmware-neutral. A higher value wins where ranges overlap
 * (see mm/memmap.c), so the order runs from "free" to "never touch". */
enum mem_type {
	MEM_USABLE = 1,       /* free RAM */
	MEM_BOOT_RECLAIM,     /* firmware boot-time RAM: free once the core owns
				 the CPU tables and stack */
	MEM_ACPI_RECLAIM,     /* ACPI tables; kept */
	MEM_LOADER,           /* hypervisor image and boot data */
	MEM_FW_DATA,          /* firmware runtime data */
	MEM_FW_CODE,          /* firmware runtime code (mapped executable) */
	MEM_ACPI_NVS,
	MEM_MMIO,
	MEM_RESERVED,
	MEM_BAD,
	MEM_TYPE_COUNT
};

struct mem_range {
	u64 base;
	u64 size;
	u32 type;             /* enum mem_type */
	u32 pad;
};

#define BOOT_NAME_MAX 64

/* A file the door loaded: a guest image or the configuration. */
struct boot_module {
	u64 base;
	u64 size;
	char name[BOOT_NAME_MAX]; /* as named in the configuration */
};

/* A configuration text and where it came from, for error messages. */
struct boot_cfg_source {
	const char *text;     /* not necessarily NUL-terminated */
	u64 len;
	char name[32];        /* "hv.cfg", "cmdline" */
};

#define BOOT_MAX_MEM 320
#define BOOT_MAX_MODULES 32
#define BOOT_MAX_RESERVED 40
#define BOOT_MAX_CFG 2

struct boot_info {
	u32 magic;
	u32 door;                       /* enum boot_door */
	const char *door_name;          /* "UEFI", "Multiboot2 (GRUB)" */

	u32 nmem;
	bool mem_truncated;             /* the firmware map did not fit */
	struct mem_range mem[BOOT_MAX_MEM];

	u32 nreserved;                  /* in use, whatever mem[] says */
	struct mem_range reserved[BOOT_MAX_RESERVED];

	u32 nmodules;
	struct boot_module modules[BOOT_MAX_MODULES];

	u32 ncfg;                       /* 0: use the built-in default */
	struct boot_cfg_source cfg[BOOT_MAX_CFG];

	u64 rsdp;                       /* physical address, 0 when absent */
	u64 entry_tsc;                  /* TSC at the door's first C statement */

	/* Set by a door that found something it cannot hand over; the core
	 * prints it and stops. */
	char error[160];

	/* Optional: turns the machine off through the firmware (UEFI runtime
	 * ResetSystem). Called with the core's page tables active. */
	void (*fw_power_off)(void);
};

/* The core's entry (core/entry.asm): switches to the core's boot stack and
 * calls hv_main(bi). Never returns. */
NORETURN void hv_enter(struct boot_info *bi);
NORETURN void hv_main(struct boot_info *bi);

/* Helpers for the doors; they never fail but drop what does not fit and
 * say so in the structure (mem_truncated) or by their return value. */
void boot_add_mem(struct boot_info *bi, u64 base, u64 size, u32 type);
bool boot_add_reserved(struct boot_info *bi, u64 base, u64 size);
bool boot_add_module(struct boot_info *bi, const char *name, u64 base, u64 size);

/* The module named name, or NULL. */
const struct boot_module *boot_find_module(const struct boot_info *bi, const char *name);

#endif
