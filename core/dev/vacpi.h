/* ACPI for guests: the tables an OS reads to find its interrupt
 * controllers and to power itself off (here), and the fixed-hardware
 * registers behind them (core/dev/vpm.c). */
#ifndef CORE_VACPI_H
#define CORE_VACPI_H

#include "core/vm/vcpu.h"

/* Where the tables go in guest memory: the BIOS area an OS scans for the
 * RSDP, which the loaders report as reserved; its last 64 KiB, the only
 * part some scan (kvm-unit-tests looks from 0xf0000). */
#define VACPI_BASE 0xf0000ULL
#define VACPI_SIZE 0x1000ULL

/* The fixed-hardware ports the FADT names (core/dev/vpm.c). */
enum {
	VACPI_PM1_EVT = 0x600,     /* 4 bytes: status, enable */
	VACPI_PM1_CNT = 0x604,     /* 2 bytes */
	VACPI_PM_TMR = 0x608,      /* 4 bytes, 24 bits counting */
	VACPI_PM_PORTS = 12,
};

#define VACPI_SLP_TYP_S5 5         /* the DSDT's _S5 */
#define VACPI_RESET_PORT 0xcf9     /* the FADT's reset register (core/dev/vreset.c) */
#define VACPI_RESET_VALUE 0x06
#define VACPI_SCI_EN 1u

/* Writes RSDP (at VACPI_BASE), XSDT, RSDT, FADT, FACS, a DSDT holding
 * the _S5 sleep type and a MADT into g's memory; returns the RSDP's address. */
u64 vacpi_build(struct guest *g);

#endif
