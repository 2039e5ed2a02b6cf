/* Guest ACPI (core/dev/vacpi.h), ACPI 2.0 tables with 64-bit addresses:
 *   RSDP -> XSDT (and RSDT) -> FADT -> FACS, DSDT
 *                           -> MADT
 * The FADT names the registers of core/dev/vpm.c, SCI on IRQ 9 (never
 * raised), no SMI command port (ACPI is on from the start), no 8042, no
 * VGA, no MSI, the reset register at port 0xcf9 (core/dev/vreset.c). The
 * DSDT holds one object, _S5 = { 5, 5, 0, 0 }. The MADT names a local
 * APIC for each vCPU (ID = the vCPU's number) and the IOAPIC (ID 8) of
 * core/irq/vlapic.c and
 * core/irq/vioapic.c, IRQ 0 on pin 2, the SCI level-triggered, LINT1 as NMI,
 * and the 8259s (PCAT_COMPAT). */
#include "core/dev/vacpi.h"
#include "core/hw/acpi.h"
#include "core/irq/vioapic.h"
#include "core/config/config.h"
#include "core/lib/string.h"
#include "mm/gmem.h"

#define SCI_IRQ 9

/* Offsets of the tables inside the area. */
enum { RSDP = 0x00, XSDT = 0x40, RSDT = 0x80, FACS = 0xc0, FADT = 0x100, DSDT = 0x200, MADT = 0x300 };
enum { HDR = sizeof(struct acpi_sdt_header), FADT_LEN = 244, FACS_LEN = 64 };

/* Name(_S5, Package() { 5, 5, 0, 0 }) */
static const u8 dsdt_aml[] = {
	0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x04, 0x0a, VACPI_SLP_TYP_S5, 0x0a, VACPI_SLP_TYP_S5, 0x00, 0x00,
};

static void wr(u8 *p, u64 v, u32 bytes)
{
	memcpy(p, &v, bytes);
}

/* A table header (struct acpi_sdt_header); seal() sets the checksum once
 * the body is written. */
static void header(u8 *t, const char *sig, u32 len, u8 rev)
{
	struct acpi_sdt_header h = {
		.length = len, .revision = rev, .oem_rev = 1, .creator_rev = 1,
	};

	memcpy(h.sig, sig, 4);
	memcpy(h.oem, "HVHYPR", 6);
	memcpy(h.oem_table, "HVGUEST ", 8);
	memcpy(&h.creator, "HV  ", 4);
	memcpy(t, &h, sizeof(h));
}

static void seal(u8 *t)
{
	struct acpi_sdt_header *h = (struct acpi_sdt_header *)t;

	h->checksum = 0;
	h->checksum = (u8)-acpi_sum(t, h->length);
}

/* A Generic Address Structure for a port block of `bytes` registers. */
static void gas_io(u8 *p, u16 port, u8 bits)
{
	p[0] = 1;                    /* system I/O */
	p[1] = bits;
	p[2] = 0;
	p[3] = bits == 8 ? 1 : bits == 16 ? 2 : 3;
	wr(p + 4, port, 8);
}

static void build_fadt(u8 *f, u64 base)
{
	header(f, "FACP", FADT_LEN, 3);
	/* FIRMWARE_CTRL stays 0: X_FIRMWARE_CTRL names the FACS */
	wr(f + ACPI_FADT_DSDT, base + DSDT, 4);
	wr(f + 46, SCI_IRQ, 2);
	wr(f + 56, VACPI_PM1_EVT, 4);
	wr(f + ACPI_FADT_PM1A_CNT, VACPI_PM1_CNT, 4);
	wr(f + 76, VACPI_PM_TMR, 4);
	f[88] = 4;                   /* PM1_EVT_LEN */
	f[89] = 2;                   /* PM1_CNT_LEN */
	f[91] = 4;                   /* PM_TMR_LEN */
	wr(f + 96, 101, 2);          /* no C2 */
	wr(f + 98, 1001, 2);         /* no C3 */
	f[108] = 0x32;               /* the CMOS century register */
	wr(f + 109, 1u << 2 | 1u << 3, 2);   /* IAPC_BOOT_ARCH: no VGA, no MSI; no 8042 */
	wr(f + 112, 1u << 0 | 1u << 2 | 1u << 4 | 1u << 5 | 1u << 10, 4);
					     /* WBINVD, C1, no power/sleep buttons; RESET_REG_SUP */
	gas_io(f + 116, VACPI_RESET_PORT, 8);
	f[128] = VACPI_RESET_VALUE;
	wr(f + 132, base + FACS, 8);
	wr(f + ACPI_FADT_X_DSDT, base + DSDT, 8);
	gas_io(f + 148, VACPI_PM1_EVT, 32);
	gas_io(f + 172, VACPI_PM1_CNT, 16);
	gas_io(f + 208, VACPI_PM_TMR, 32);
	seal(f);
}

/* MADT entries after the processors' local APICs: the IOAPIC, two
 * interrupt source overrides (ISA IRQ 0 -> GSI 2; IRQ 9, the SCI, level
 * and active high), local APIC NMI on LINT1 of every processor. */
static const u8 madt_entries[] = {
	1, 12, VIOAPIC_ID, 0, 0x00, 0x00, 0xc0, 0xfe, 0, 0, 0, 0,
	2, 10, 0, 0, 2, 0, 0, 0, 0, 0,
	2, 10, 0, SCI_IRQ, SCI_IRQ, 0, 0, 0, 0x0d, 0,
	4, 6, 0xff, 0, 0, 1,
};

enum { LAPIC_ENTRY = 8 };

_Static_assert(VIOAPIC_ID >= CFG_VCPUS_MAX, "the IOAPIC's ID is no vCPU's");

/* One processor local APIC entry for each of the n vCPUs (processor and
 * APIC ID i, enabled), then the rest. */
static void build_madt(u8 *m, u32 n)
{
	u8 *e = m + HDR + 8;

	header(m, "APIC", HDR + 8 + n * LAPIC_ENTRY + sizeof(madt_entries), 3);
	wr(m + HDR, 0xfee00000, 4);  /* the local APIC's address */
	wr(m + HDR + 4, 1, 4);       /* PCAT_COMPAT: 8259s present */
	for (u32 i = 0; i < n; i++, e += LAPIC_ENTRY) {
		const u8 lapic[LAPIC_ENTRY] = { 0, LAPIC_ENTRY, (u8)i, (u8)i, 1, 0, 0, 0 };

		memcpy(e, lapic, sizeof(lapic));
	}
	memcpy(e, madt_entries, sizeof(madt_entries));
	seal(m);
}

/* The ACPI 2.0 RSDP, both checksums set. */
static void build_rsdp(u8 *at)
{
	struct acpi_rsdp r = {
		.sig = "RSD PTR ", .oem = "HVHYPR", .revision = 2, .rsdt = VACPI_BASE + RSDT,
		.length = sizeof(r), .xsdt = VACPI_BASE + XSDT,
	};

	r.checksum = (u8)-acpi_sum(&r, 20);
	r.xchecksum = (u8)-acpi_sum(&r, sizeof(r));
	memcpy(at, &r, sizeof(r));
}

u64 vacpi_build(struct guest *g)
{
	u8 *a = gmem_ptr(&g->mem, VACPI_BASE, VACPI_SIZE);

	memset(a, 0, VACPI_SIZE);
	build_rsdp(a + RSDP);
	header(a + XSDT, "XSDT", HDR + 16, 1);
	wr(a + XSDT + HDR, VACPI_BASE + FADT, 8);
	wr(a + XSDT + HDR + 8, VACPI_BASE + MADT, 8);
	seal(a + XSDT);
	header(a + RSDT, "RSDT", HDR + 8, 1);
	wr(a + RSDT + HDR, VACPI_BASE + FADT, 4);
	wr(a + RSDT + HDR + 4, VACPI_BASE + MADT, 4);
	seal(a + RSDT);
	memcpy(a + FACS, "FACS", 4);
	wr(a + FACS + 4, FACS_LEN, 4);
	a[FACS + 32] = 2;            /* version */
	header(a + DSDT, "DSDT", HDR + sizeof(dsdt_aml), 2);
	memcpy(a + DSDT + HDR, dsdt_aml, sizeof(dsdt_aml));
	seal(a + DSDT);
	build_fadt(a + FADT, VACPI_BASE);
	build_madt(a + MADT, g->nvcpus);
	return VACPI_BASE + RSDP;
}
