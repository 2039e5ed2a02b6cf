/* ACPI table walk: RSDP -> XSDT/RSDT -> FADT (PM1 control ports, DSDT) and
 * MADT; the \_S5 package from the DSDT's AML. */
#include "core/hw/acpi.h"
#include "core/lib/string.h"

#define MAX_TABLE_LEN MiB(4)
#define MAX_ENTRIES 256

static const void *phys(u64 pa)
{
	return (const void *)(uintptr_t)pa;
}

u8 acpi_sum(const void *p, u64 len)
{
	const u8 *b = p;
	u8 sum = 0;

	while (len--)
		sum += *b++;
	return sum;
}

bool acpi_checksum_ok(const void *p, u64 len)
{
	return acpi_sum(p, len) == 0;
}

/* The table at pa if its header, length and checksum hold up, else NULL. */
static const struct acpi_sdt_header *table(u64 pa)
{
	const struct acpi_sdt_header *h = phys(pa);

	if (!pa || h->length < sizeof(*h) || h->length > MAX_TABLE_LEN ||
	    !acpi_checksum_ok(h, h->length))
		return NULL;
	return h;
}

static u32 rd32(const void *base, u32 off)
{
	u32 v;

	memcpy(&v, (const u8 *)base + off, 4);
	return v;
}

static u64 rd64(const void *base, u32 off)
{
	u64 v;

	memcpy(&v, (const u8 *)base + off, 8);
	return v;
}

/* Walks the root table (entries of esize bytes) for tables we know. */
static void walk_root(const struct acpi_sdt_header *root, u32 esize, struct acpi_info *ai)
{
	u32 n = (root->length - (u32)sizeof(*root)) / esize;

	for (u32 i = 0; i < n && i < MAX_ENTRIES; i++) {
		u32 off = (u32)sizeof(*root) + i * esize;
		u64 pa = esize == 8 ? rd64(root, off) : rd32(root, off);
		const struct acpi_sdt_header *t = table(pa);

		if (!t)
			continue;
		if (!memcmp(t->sig, "FACP", 4))
			ai->fadt = pa;
		else if (!memcmp(t->sig, "APIC", 4))
			ai->madt = pa;
	}
}

static void read_fadt(struct acpi_info *ai)
{
	const struct acpi_sdt_header *f = table(ai->fadt);
	const struct acpi_sdt_header *d;

	if (!f || f->length < ACPI_FADT_PM1B_CNT + 4)
		return;
	ai->pm1a_cnt = rd32(f, ACPI_FADT_PM1A_CNT);
	ai->pm1b_cnt = rd32(f, ACPI_FADT_PM1B_CNT);
	ai->dsdt = rd32(f, ACPI_FADT_DSDT);
	if (f->length >= ACPI_FADT_FLAGS + 4) {
		ai->pm_tmr = rd32(f, ACPI_FADT_PM_TMR_BLK);
		ai->pm_tmr_32 = rd32(f, ACPI_FADT_FLAGS) >> 8 & 1;
	}
	if (f->length >= ACPI_FADT_X_DSDT + 8 && rd64(f, ACPI_FADT_X_DSDT))
		ai->dsdt = rd64(f, ACPI_FADT_X_DSDT);
	d = table(ai->dsdt);
	if (d)
		ai->s5 = acpi_find_s5((const u8 *)(d + 1), d->length - sizeof(*d),
				      &ai->slp_typa, &ai->slp_typb);
}

int acpi_parse(u64 rsdp, struct acpi_info *ai)
{
	const struct acpi_rsdp *r = phys(rsdp);
	const struct acpi_sdt_header *root;

	memset(ai, 0, sizeof(*ai));
	if (!rsdp || memcmp(r->sig, "RSD PTR ", 8) || !acpi_checksum_ok(r, 20))
		return -1;
	ai->rsdp = rsdp;
	ai->revision = r->revision;
	memcpy(ai->oem, r->oem, 6);
	if (r->revision >= 2 && r->length >= sizeof(*r) && r->length <= 4096 &&
	    acpi_checksum_ok(r, r->length) && (root = table(r->xsdt)))
		walk_root(root, 8, ai);
	else if ((root = table(r->rsdt)))
		walk_root(root, 4, ai);
	read_fadt(ai);
	return 0;
}

/* MADT entries (ACPI 6.x, 5.2.12): after the 44-byte head, type and length
 * bytes then the entry. A processor is there when enabled (flags bit 0);
 * one only online-capable (bit 1) may be hot-added later, and is not
 * there now. The all-ones IDs are broadcasts, no CPU's. */
#define MADT_ENTRIES 44
#define MADT_LAPIC 0        /* UID u8, APIC ID u8, flags u32 */
#define MADT_X2APIC 9       /* reserved u16, x2APIC ID u32, flags u32, UID u32 */
#define MADT_ENABLED 1u

/* Adds id to ids[] (n so far, room for max) unless it is there. */
static u32 add_cpu(u32 *ids, u32 n, u32 max, u32 id)
{
	for (u32 i = 0; i < n && i < max; i++)
		if (ids[i] == id)
			return n;
	if (n < max)
		ids[n] = id;
	return n + 1;
}

u32 acpi_madt_cpus(u64 madt, u32 *ids, u32 max)
{
	const struct acpi_sdt_header *t = table(madt);
	const u8 *m = (const u8 *)t;
	u32 n = 0;

	if (!t || memcmp(t->sig, "APIC", 4) || t->length < MADT_ENTRIES)
		return 0;
	for (u32 off = MADT_ENTRIES; off + 2 <= t->length && m[off + 1] >= 2; off += m[off + 1]) {
		const u8 *e = m + off;

		if (off + e[1] > t->length)
			break;
		if (e[0] == MADT_LAPIC && e[1] >= 8 && (rd32(e, 4) & MADT_ENABLED) && e[3] != 0xff)
			n = add_cpu(ids, n, max, e[3]);
		else if (e[0] == MADT_X2APIC && e[1] >= 16 && (rd32(e, 8) & MADT_ENABLED) &&
			 rd32(e, 4) != 0xffffffff)
			n = add_cpu(ids, n, max, rd32(e, 4));
	}
	return n;
}

/* Decodes one AML integer-constant element; returns its size or 0. */
static u32 aml_const(const u8 *p, u64 left, u8 *v)
{
	if (left >= 1 && (p[0] == 0x00 || p[0] == 0x01)) {   /* ZeroOp, OneOp */
		*v = p[0];
		return 1;
	}
	if (left >= 2 && p[0] == 0x0a) {                      /* BytePrefix */
		*v = p[1];
		return 2;
	}
	return 0;
}

/* Looks for: NameOp "_S5_" PackageOp PkgLength NumElements elem elem. */
bool acpi_find_s5(const u8 *aml, u64 len, u8 *typa, u8 *typb)
{
	for (u64 i = 1; i + 4 < len; i++) {
		const u8 *p = aml + i + 4;
		u64 left = len - i - 4;
		u32 pkglen_bytes, n;

		if (memcmp(aml + i, "_S5_", 4) ||
		    !(aml[i - 1] == 0x08 || (i >= 2 && aml[i - 1] == '\\' && aml[i - 2] == 0x08)))
			continue;
		if (left < 3 || p[0] != 0x12)
			continue;
		pkglen_bytes = 1 + (p[1] >> 6);
		if (left < 2 + pkglen_bytes)
			continue;
		p += 2 + pkglen_bytes;                /* past PackageOp, PkgLength, NumElements */
		left -= 2 + pkglen_bytes;
		if (!(n = aml_const(p, left, typa)))
			continue;
		if (!aml_const(p + n, left - n, typb))
			*typb = 0;
		return true;
	}
	return false;
}
