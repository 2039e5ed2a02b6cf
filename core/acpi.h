/* Reading the firmware's ACPI tables: just enough to identify the platform
 * and to power it off through the S5 sleep state. Tables are trusted no more
 * than needed: lengths are bounded and checksums verified. */
#ifndef CORE_ACPI_H
#define CORE_ACPI_H

#include "core/types.h"

struct acpi_info {
	u64 rsdp;
	u8 revision;          /* RSDP revision: 0 = ACPI 1.0, 2 = 2.0+ */
	char oem[7];
	u64 fadt, dsdt, madt; /* physical addresses, 0 when absent */
	u32 pm1a_cnt, pm1b_cnt;
	u8 slp_typa, slp_typb;
	bool s5;              /* the DSDT names an \_S5 package */
};

/* Parses the tables reachable from the RSDP at physical address rsdp.
 * Returns 0, or -1 when the RSDP is absent or malformed (ai->rsdp is 0). */
int acpi_parse(u64 rsdp, struct acpi_info *ai);

/* Finds the \_S5 package in AML and its first two values. */
bool acpi_find_s5(const u8 *aml, u64 len, u8 *typa, u8 *typb);

/* Checksum over len bytes is zero. */
bool acpi_checksum_ok(const void *p, u64 len);

/* Enters S5 through the PM1 control registers (no return on success). */
void acpi_power_off(void);

/* Parses and remembers the tables for acpi_power_off; logs a summary. */
void acpi_init(u64 rsdp);

#endif
