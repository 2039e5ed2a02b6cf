/* Reading the firmware's ACPI tables: just enough to identify the platform
 * and to power it off through the S5 sleep state. Tables are trusted no more
 * than needed: lengths are bounded and checksums verified. */
#ifndef CORE_ACPI_H
#define CORE_ACPI_H

#include "core/lib/types.h"

/* The layouts both the reader here and the guest tables' writer
 * (core/dev/vacpi.c) use. */
struct acpi_sdt_header {
	char sig[4];
	u32 length;
	u8 revision, checksum;
	char oem[6], oem_table[8];
	u32 oem_rev, creator, creator_rev;
} __attribute__((packed));

struct acpi_rsdp {
	char sig[8];
	u8 checksum;
	char oem[6];
	u8 revision;
	u32 rsdt;
	u32 length;
	u64 xsdt;
	u8 xchecksum, reserved[3];
} __attribute__((packed));

_Static_assert(sizeof(struct acpi_sdt_header) == 36, "ACPI table header");
_Static_assert(sizeof(struct acpi_rsdp) == 36, "ACPI 2.0 RSDP");

/* FADT field offsets (ACPI 6.x, table 5.9). */
#define ACPI_FADT_DSDT 40
#define ACPI_FADT_PM1A_CNT 64
#define ACPI_FADT_PM1B_CNT 68
#define ACPI_FADT_PM_TMR_BLK 76
#define ACPI_FADT_FLAGS 112       /* bit 8, TMR_VAL_EXT: the PM timer counts 32 bits, not 24 */
#define ACPI_FADT_X_DSDT 140

struct acpi_info {
	u64 rsdp;
	u8 revision;          /* RSDP revision: 0 = ACPI 1.0, 2 = 2.0+ */
	char oem[7];
	u64 fadt, dsdt, madt; /* physical addresses, 0 when absent */
	u32 pm1a_cnt, pm1b_cnt;
	u32 pm_tmr;           /* the PM timer's I/O port, 0 when absent */
	bool pm_tmr_32;       /* it counts 32 bits (else 24) */
	u8 slp_typa, slp_typb;
	bool s5;              /* the DSDT names an \_S5 package */
};

/* Parses the tables reachable from the RSDP at physical address rsdp.
 * Returns 0, or -1 when the RSDP is absent or malformed (ai->rsdp is 0). */
int acpi_parse(u64 rsdp, struct acpi_info *ai);

/* The local APIC IDs of the CPUs the MADT at physical address madt lists
 * as enabled (xAPIC and x2APIC entries, each ID once; not the ones only
 * online-capable, nor broadcast IDs), the first max of them in ids. Returns how many it lists (maybe
 * more than max); 0 when madt is not a valid MADT. */
u32 acpi_madt_cpus(u64 madt, u32 *ids, u32 max);

/* Finds the \_S5 package in AML and its first two values. */
bool acpi_find_s5(const u8 *aml, u64 len, u8 *typa, u8 *typb);

/* The byte sum of len bytes (a table is valid when it is 0). */
u8 acpi_sum(const void *p, u64 len);

/* Checksum over len bytes is zero. */
bool acpi_checksum_ok(const void *p, u64 len);

/* Enters S5 through the PM1 control registers (no return on success). */
void acpi_power_off(void);

/* Parses and remembers the tables for acpi_power_off; logs a summary. */
void acpi_init(u64 rsdp);

/* The MADT acpi_init found (physical address), or 0. */
u64 acpi_madt(void);

/* The ACPI PM timer acpi_init found (3.579545 MHz): its I/O port, or 0;
 * *mask: the bits it counts (24 or 32). */
u16 acpi_pm_timer(u32 *mask);

#endif
