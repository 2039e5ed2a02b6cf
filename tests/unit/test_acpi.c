/* core/hw/acpi.c: RSDP/XSDT/RSDT/FADT/MADT walk and the \_S5 package search.
 * Tables are built in host memory with valid checksums; their host addresses
 * are their "physical" addresses. Tables that a 32-bit field points to (RSDT
 * entries, FADT.DSDT, RSDP.RsdtAddress) live in an arena mapped below 4 GiB;
 * the others are malloc'd at their exact size so that ASan sees over-reads. */
#include <sanitizer/asan_interface.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "core/hw/acpi.h"
#include "tests/unit/test.h"

#define LOW_SIZE (256 * 1024)
#define MAX_ALLOCS 64
#define HDR_LEN 36

static u8 *low;
static size_t low_used;
static void *allocs[MAX_ALLOCS];
static int nallocs;

static void mem_reset(void)
{
	while (nallocs)
		free(allocs[--nallocs]);
	if (!low) {
		low = mmap(NULL, LOW_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
		if (low == MAP_FAILED)
			abort();
	}
	ASAN_UNPOISON_MEMORY_REGION(low, LOW_SIZE);
	memset(low, 0, LOW_SIZE);
	ASAN_POISON_MEMORY_REGION(low, LOW_SIZE);
	low_used = 0;
}

__attribute__((destructor)) static void mem_cleanup(void)
{
	while (nallocs)
		free(allocs[--nallocs]);
}

/* n zeroed bytes, below 4 GiB when is_low; always followed by poison. */
static u8 *get(size_t n, bool is_low)
{
	u8 *p;

	if (is_low) {
		p = low + low_used;
		low_used += (n + 64 + 15) & ~(size_t)15;
		if (low_used > LOW_SIZE)
			abort();
		ASAN_UNPOISON_MEMORY_REGION(p, n);
	} else {
		if (nallocs == MAX_ALLOCS)
			abort();
		p = calloc(1, n);
		if (!p)
			abort();
		allocs[nallocs++] = p;
	}
	return p;
}

static u64 A(const void *p)
{
	return (u64)(uintptr_t)p;
}

static void put32(u8 *p, size_t off, u32 v)
{
	memcpy(p + off, &v, 4);
}

static void put64(u8 *p, size_t off, u64 v)
{
	memcpy(p + off, &v, 8);
}

/* Sets byte `at` so that the len bytes at p sum to zero. */
static void fix_sum(u8 *p, size_t len, size_t at)
{
	u8 sum = 0;

	p[at] = 0;
	for (size_t i = 0; i < len; i++)
		sum += p[i];
	p[at] = (u8)-sum;
}

static u32 len_of(const u8 *t)
{
	u32 v;

	memcpy(&v, t + 4, 4);
	return v;
}

/* A table with a header; the body is zero until the caller fills it. */
static u8 *sdt(const char *sig, u32 len, bool is_low)
{
	u8 *t = get(len, is_low);

	memcpy(t, sig, 4);
	put32(t, 4, len);
	t[8] = 1;
	memcpy(t + 10, "HVTEST", 6);
	memcpy(t + 16, "UNITTEST", 8);
	return t;
}

static u8 *seal(u8 *t)
{
	fix_sum(t, len_of(t), 9);
	return t;
}

static u8 *rsdt(const u8 *const *tabs, int n)
{
	u8 *t = sdt("RSDT", HDR_LEN + 4 * (u32)n, true);

	for (int i = 0; i < n; i++)
		put32(t, HDR_LEN + 4 * (size_t)i, (u32)A(tabs[i]));
	return seal(t);
}

static u8 *xsdt(const u8 *const *tabs, int n)
{
	u8 *t = sdt("XSDT", HDR_LEN + 8 * (u32)n, false);

	for (int i = 0; i < n; i++)
		put64(t, HDR_LEN + 8 * (size_t)i, A(tabs[i]));
	return seal(t);
}

/* A FADT of len bytes (116 for ACPI 1.0, 276 for 6.x). */
static u8 *fadt(u32 len, bool is_low, const u8 *dsdt32, const u8 *xdsdt,
		u32 pm1a, u32 pm1b)
{
	u8 *t = sdt("FACP", len, is_low);

	if (len >= 44)
		put32(t, 40, (u32)A(dsdt32));
	if (len >= 72) {
		put32(t, 64, pm1a);
		put32(t, 68, pm1b);
	}
	if (len >= 148)
		put64(t, 140, A(xdsdt));
	return seal(t);
}

static u8 *dsdt(const u8 *aml, u32 n, bool is_low)
{
	u8 *t = sdt("DSDT", HDR_LEN + n, is_low);

	memcpy(t + HDR_LEN, aml, n);
	return seal(t);
}

/* An RSDP of revision 0 (20 bytes) or 2 (36 bytes), both checksums set. */
static u8 *rsdp(u8 rev, const u8 *rsdt_tab, const u8 *xsdt_tab)
{
	u32 len = rev >= 2 ? 36 : 20;
	u8 *r = get(len, false);

	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "HVOEM1", 6);
	r[15] = rev;
	put32(r, 16, (u32)A(rsdt_tab));
	if (rev >= 2) {
		put32(r, 20, len);
		put64(r, 24, A(xsdt_tab));
	}
	fix_sum(r, 20, 8);
	if (rev >= 2)
		fix_sum(r, 36, 32);
	return r;
}

/* AML: some noise, then Name(\_S5_, Package(){ a, b, 0, 0 }) with
 * BytePrefix values. */
static const u8 s5_aml[] = {
	0x14, 0x08, '_', 'S', '5', '_', 0x00, 0x70, 0x00, 0x60,  /* a method */
	0x08, '_', 'S', '4', '_', 0x12, 0x06, 0x04, 0x0a, 0x04, 0x0a, 0x04, 0x00, 0x00,
	0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x04, 0x0a, 0x05, 0x0a, 0x06, 0x00, 0x00,
	0x5b, 0x80,
};

TEST(acpi_checksum)
{
	u8 b[8] = { 1, 2, 3, 4, 5, 6, 7, 0 };

	CHECK(!acpi_checksum_ok(b, 8));
	fix_sum(b, 8, 7);
	CHECK_EQ(b[7], 256 - 28);
	CHECK(acpi_checksum_ok(b, 8));
	b[3]++;
	CHECK(!acpi_checksum_ok(b, 8));
	CHECK(acpi_checksum_ok(b, 0));
	CHECK(acpi_checksum_ok((const u8[]){ 0x80, 0x80 }, 2));
}

TEST(acpi_rsdp_v0_with_rsdt)
{
	struct acpi_info ai;
	u8 *d, *f, *m, *s, *r;

	mem_reset();
	d = dsdt(s5_aml, sizeof(s5_aml), true);
	f = fadt(116, true, d, NULL, 0x404, 0x0);
	m = seal(sdt("APIC", 44, true));
	s = seal(sdt("SSDT", 40, true));
	r = rsdp(0, rsdt((const u8 *[]){ s, f, m }, 3), NULL);
	memset(&ai, 0xff, sizeof(ai));
	CHECK_EQ(acpi_parse(A(r), &ai), 0);
	CHECK_EQ(ai.rsdp, A(r));
	CHECK_EQ(ai.revision, 0);
	CHECK_STR(ai.oem, "HVOEM1");
	CHECK_EQ(ai.fadt, A(f));
	CHECK_EQ(ai.madt, A(m));
	CHECK_EQ(ai.dsdt, A(d));
	CHECK_EQ(ai.pm1a_cnt, 0x404);
	CHECK_EQ(ai.pm1b_cnt, 0);
	CHECK(ai.s5);
	CHECK_EQ(ai.slp_typa, 5);
	CHECK_EQ(ai.slp_typb, 6);
}

TEST(acpi_rsdp_v2_with_xsdt)
{
	static const u8 aml[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x02, 0x0a, 0x07, 0x00 };
	struct acpi_info ai;
	u8 *d, *f, *m, *empty_rsdt, *x, *r;

	mem_reset();
	/* All 64-bit; the RSDT is empty, so what is found came from the XSDT. */
	d = dsdt(aml, sizeof(aml), false);
	f = fadt(276, false, NULL, d, 0xb004, 0xb008);
	m = seal(sdt("APIC", 60, false));
	x = xsdt((const u8 *[]){ m, f }, 2);
	empty_rsdt = rsdt(NULL, 0);
	r = rsdp(2, empty_rsdt, x);
	CHECK(A(d) > 0xffffffffULL || A(f) > 0xffffffffULL);
	CHECK_EQ(acpi_parse(A(r), &ai), 0);
	CHECK_EQ(ai.revision, 2);
	CHECK_EQ(ai.fadt, A(f));
	CHECK_EQ(ai.madt, A(m));
	CHECK_EQ(ai.dsdt, A(d));
	CHECK_EQ(ai.pm1a_cnt, 0xb004);
	CHECK_EQ(ai.pm1b_cnt, 0xb008);
	CHECK(ai.s5);
	CHECK_EQ(ai.slp_typa, 7);
	CHECK_EQ(ai.slp_typb, 0);
}

TEST(acpi_bad_xsdt_falls_back_to_rsdt)
{
	struct acpi_info ai;
	u8 *f, *rs, *x, *r;

	mem_reset();
	f = fadt(116, true, NULL, NULL, 0x1004, 0);
	rs = rsdt((const u8 *[]){ f }, 1);
	/* The XSDT's checksum is wrong. */
	x = xsdt((const u8 *[]){ f }, 1);
	x[HDR_LEN]++;
	r = rsdp(2, rs, x);
	CHECK_EQ(acpi_parse(A(r), &ai), 0);
	CHECK_EQ(ai.fadt, A(f));
	CHECK_EQ(ai.pm1a_cnt, 0x1004);
	/* No XSDT at all. */
	r = rsdp(2, rs, NULL);
	CHECK_EQ(acpi_parse(A(r), &ai), 0);
	CHECK_EQ(ai.fadt, A(f));
	/* A good XSDT, but the RSDP's extended checksum is wrong. */
	x = xsdt((const u8 *[]){ seal(sdt("APIC", 44, false)) }, 1);
	r = rsdp(2, rs, x);
	r[32]++;
	CHECK_EQ(acpi_parse(A(r), &ai), 0);
	CHECK_EQ(ai.fadt, A(f));
	CHECK_EQ(ai.madt, 0);
	/* ...or its length too short for the extended fields. */
	r = rsdp(2, rs, x);
	put32(r, 20, 20);
	fix_sum(r, 20, 8);
	fix_sum(r, 36, 32);
	CHECK_EQ(acpi_parse(A(r), &ai), 0);
	CHECK_EQ(ai.fadt, A(f));
	CHECK_EQ(ai.madt, 0);
	/* A revision 1 RSDP is read as 1.0 even with an XSDT address. */
	r = rsdp(2, rs, x);
	r[15] = 1;
	fix_sum(r, 20, 8);
	CHECK_EQ(acpi_parse(A(r), &ai), 0);
	CHECK_EQ(ai.revision, 1);
	CHECK_EQ(ai.fadt, A(f));
}

TEST(acpi_fadt_dsdt_fields)
{
	static const u8 aml1[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x02, 0x0a, 0x01, 0x0a, 0x01 };
	static const u8 aml2[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x02, 0x0a, 0x02, 0x0a, 0x02 };
	struct acpi_info ai;
	u8 *d32, *d64, *f, *r;

	mem_reset();
	d32 = dsdt(aml1, sizeof(aml1), true);
	d64 = dsdt(aml2, sizeof(aml2), false);
	/* Both set: X_DSDT wins. */
	f = fadt(276, false, d32, d64, 0x600, 0x604);
	r = rsdp(2, NULL, xsdt((const u8 *[]){ f }, 1));
	CHECK_EQ(acpi_parse(A(r), &ai), 0);
	CHECK_EQ(ai.dsdt, A(d64));
	CHECK_EQ(ai.slp_typa, 2);
	/* X_DSDT zero: the 32-bit field. */
	f = fadt(276, false, d32, NULL, 0x600, 0x604);
	r = rsdp(2, NULL, xsdt((const u8 *[]){ f }, 1));
	CHECK_EQ(acpi_parse(A(r), &ai), 0);
	CHECK_EQ(ai.dsdt, A(d32));
	CHECK_EQ(ai.slp_typa, 1);
	CHECK_EQ(ai.pm1b_cnt, 0x604);
	/* An ACPI 1.0 FADT (116 bytes, exactly allocated): no X_DSDT read. */
	f = fadt(116, false, d32, NULL, 0x800, 0);
	r = rsdp(2, NULL, xsdt((const u8 *[]){ f }, 1));
	CHECK_EQ(acpi_parse(A(r), &ai), 0);
	CHECK_EQ(ai.dsdt, A(d32));
	CHECK_EQ(ai.pm1a_cnt, 0x800);
	CHECK(ai.s5);
	/* Too short to hold the PM1 fields: found, but nothing read. */
	f = fadt(60, false, d32, NULL, 0, 0);
	r = rsdp(2, NULL, xsdt((const u8 *[]){ f }, 1));
	CHECK_EQ(acpi_parse(A(r), &ai), 0);
	CHECK_EQ(ai.fadt, A(f));
	CHECK_EQ(ai.dsdt, 0);
	CHECK_EQ(ai.pm1a_cnt, 0);
	CHECK(!ai.s5);
}

TEST(acpi_corrupt_tables_ignored)
{
	struct acpi_info ai;
	u8 *d, *f, *m, *shorty, *huge, *r;

	mem_reset();
	d = dsdt(s5_aml, sizeof(s5_aml), true);
	d[HDR_LEN + 3] ^= 1;                      /* checksum now wrong */
	f = fadt(116, true, d, NULL, 0x404, 0);
	m = seal(sdt("APIC", 44, true));
	m[40] = 1;                                /* checksum now wrong */
	shorty = sdt("APIC", 36, true);
	put32(shorty, 4, 20);                     /* shorter than a header */
	fix_sum(shorty, 20, 9);
	huge = seal(sdt("APIC", 36, true));
	put32(huge, 4, 5 << 20);                  /* over the 4 MiB bound */
	r = rsdp(0, rsdt((const u8 *[]){ m, shorty, huge, f, NULL }, 5), NULL);
	CHECK_EQ(acpi_parse(A(r), &ai), 0);
	CHECK_EQ(ai.madt, 0);
	CHECK_EQ(ai.fadt, A(f));
	CHECK(!ai.s5);
	CHECK_EQ(ai.slp_typa, 0);
	/* A corrupt FADT: no FADT, no PM1 ports. */
	f[50]++;
	r = rsdp(0, rsdt((const u8 *[]){ f }, 1), NULL);
	CHECK_EQ(acpi_parse(A(r), &ai), 0);
	CHECK_EQ(ai.fadt, 0);
	CHECK_EQ(ai.pm1a_cnt, 0);
	CHECK_EQ(ai.dsdt, 0);
	/* A corrupt RSDT: nothing beyond the RSDP. */
	f = fadt(116, true, NULL, NULL, 0x404, 0);
	m = rsdt((const u8 *[]){ f }, 1);
	m[HDR_LEN]++;
	r = rsdp(0, m, NULL);
	CHECK_EQ(acpi_parse(A(r), &ai), 0);
	CHECK_EQ(ai.rsdp, A(r));
	CHECK_EQ(ai.fadt, 0);
}

TEST(acpi_root_entries_bounded_by_length)
{
	struct acpi_info ai;
	u8 *f, *m, *x, *r;

	mem_reset();
	f = fadt(116, false, NULL, NULL, 0x404, 0);
	m = seal(sdt("APIC", 44, false));
	/* An XSDT of 36 + 8 + 7 bytes: the MADT entry is cut, so ignored. */
	x = sdt("XSDT", HDR_LEN + 15, false);
	put64(x, HDR_LEN, A(f));
	memcpy(x + HDR_LEN + 8, &(u64){ A(m) }, 7);
	seal(x);
	r = rsdp(2, NULL, x);
	CHECK_EQ(acpi_parse(A(r), &ai), 0);
	CHECK_EQ(ai.fadt, A(f));
	CHECK_EQ(ai.madt, 0);
}

TEST(acpi_bad_rsdp)
{
	struct acpi_info ai;
	u8 *r;

	mem_reset();
	memset(&ai, 0xff, sizeof(ai));
	CHECK_EQ(acpi_parse(0, &ai), -1);
	CHECK_EQ(ai.rsdp, 0);
	CHECK_EQ(ai.fadt, 0);
	CHECK(!ai.s5);
	/* Wrong signature (with a correct checksum). */
	r = rsdp(0, NULL, NULL);
	r[7] = 'X';
	fix_sum(r, 20, 8);
	memset(&ai, 0xff, sizeof(ai));
	CHECK_EQ(acpi_parse(A(r), &ai), -1);
	CHECK_EQ(ai.rsdp, 0);
	CHECK_EQ(ai.revision, 0);
	CHECK_EQ(ai.oem[0], 0);
	/* Wrong checksum. */
	r = rsdp(2, NULL, NULL);
	r[8]++;
	CHECK_EQ(acpi_parse(A(r), &ai), -1);
	CHECK_EQ(ai.rsdp, 0);
	/* A valid RSDP with no tables at all is fine. */
	r = rsdp(0, NULL, NULL);
	CHECK_EQ(acpi_parse(A(r), &ai), 0);
	CHECK_EQ(ai.rsdp, A(r));
	CHECK_EQ(ai.fadt, 0);
	CHECK(!ai.s5);
}

/* Runs acpi_find_s5 over an exact-size copy of aml (ASan sees over-reads). */
static bool find_s5(const u8 *aml, size_t n, u8 *a, u8 *b)
{
	u8 *copy = malloc(n);
	bool r;

	memcpy(copy, aml, n);
	*a = *b = 0xee;
	r = acpi_find_s5(copy, n, a, b);
	free(copy);
	return r;
}

#define FIND(arr, a, b) find_s5((arr), sizeof(arr), (a), (b))

TEST(acpi_find_s5_encodings)
{
	static const u8 byte_prefix[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04,
					  0x0a, 0x07, 0x0a, 0x03, 0x00, 0x00 };
	static const u8 zero_one[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x04,
				       0x00, 0x01, 0x00, 0x00 };
	static const u8 one_byte[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02,
				       0x01, 0x0a, 0x05 };
	static const u8 root[] = { 0x10, 0x5c, 0x08, '\\', '_', 'S', '5', '_', 0x12,
				   0x06, 0x04, 0x0a, 0x05, 0x0a, 0x05, 0x00, 0x00 };
	/* PkgLength of two bytes (lead 0x4X) and of four bytes (lead 0xCX). */
	static const u8 pkg2[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x41, 0x00, 0x04,
				   0x0a, 0x06, 0x0a, 0x02 };
	static const u8 pkg4[] = { 0x08, '_', 'S', '5', '_', 0x12, 0xc1, 0x00, 0x00, 0x00,
				   0x04, 0x01, 0x0a, 0x09 };
	/* Only one element: the second value reads as 0. */
	static const u8 single[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x03, 0x01, 0x0a, 0x05 };
	u8 a, b;

	CHECK(FIND(byte_prefix, &a, &b));
	CHECK_EQ(a, 7);
	CHECK_EQ(b, 3);
	CHECK(FIND(zero_one, &a, &b));
	CHECK_EQ(a, 0);
	CHECK_EQ(b, 1);
	CHECK(FIND(one_byte, &a, &b));
	CHECK_EQ(a, 1);
	CHECK_EQ(b, 5);
	CHECK(FIND(root, &a, &b));
	CHECK_EQ(a, 5);
	CHECK_EQ(b, 5);
	CHECK(FIND(pkg2, &a, &b));
	CHECK_EQ(a, 6);
	CHECK_EQ(b, 2);
	CHECK(FIND(pkg4, &a, &b));
	CHECK_EQ(a, 1);
	CHECK_EQ(b, 9);
	CHECK(FIND(single, &a, &b));
	CHECK_EQ(a, 5);
	CHECK_EQ(b, 0);
	/* The first real one after a bare reference and another name. */
	CHECK(find_s5(s5_aml, sizeof(s5_aml), &a, &b));
	CHECK_EQ(a, 5);
	CHECK_EQ(b, 6);
}

TEST(acpi_find_s5_absent_or_malformed)
{
	static const u8 none[] = { 0x08, '_', 'S', '4', '_', 0x12, 0x04, 0x02, 0x0a, 0x04,
				   0x0a, 0x04 };
	/* "_S5_" not after a NameOp (a method call, a string). */
	static const u8 no_name[] = { 0x70, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x00, 0x00 };
	static const u8 at_start[] = { '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x00, 0x00 };
	static const u8 bad_root[] = { 0x70, '\\', '_', 'S', '5', '_', 0x12, 0x04, 0x02,
				       0x00, 0x00 };
	/* Named, but not a package. */
	static const u8 not_pkg[] = { 0x08, '_', 'S', '5', '_', 0x0a, 0x05, 0x00, 0x00 };
	/* A first element that is not a byte constant (WordPrefix). */
	static const u8 word[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x02, 0x0b,
				   0x05, 0x00, 0x00 };
	/* Cut short at each point of the package. */
	static const u8 cut1[] = { 0x08, '_', 'S', '5', '_' };
	static const u8 cut2[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x06 };
	static const u8 cut3[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x02 };
	static const u8 cut4[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x02, 0x0a };
	static const u8 cut5[] = { 0x08, '_', 'S', '5', '_', 0x12, 0xc1, 0x00, 0x00 };
	u8 a, b;

	CHECK(!FIND(none, &a, &b));
	CHECK(!FIND(no_name, &a, &b));
	CHECK(!FIND(at_start, &a, &b));
	CHECK(!FIND(bad_root, &a, &b));
	CHECK(!FIND(not_pkg, &a, &b));
	CHECK(!FIND(word, &a, &b));
	CHECK(!FIND(cut1, &a, &b));
	CHECK(!FIND(cut2, &a, &b));
	CHECK(!FIND(cut3, &a, &b));
	CHECK(!FIND(cut4, &a, &b));
	CHECK(!FIND(cut5, &a, &b));
	CHECK(!acpi_find_s5(none, 0, &a, &b));
}

/* A MADT holding the n bytes of entries e after its 44-byte head. */
static u8 *madt(const u8 *e, u32 n)
{
	u8 *t = sdt("APIC", 44 + n, false);

	put32(t, HDR_LEN, 0xfee00000);
	memcpy(t + 44, e, n);
	return seal(t);
}

TEST(acpi_madt_cpus_lists_enabled_ones)
{
	static const u8 e[] = {
		0, 8, 0, 0, 1, 0, 0, 0,                 /* UID 0, APIC 0, enabled */
		1, 12, 2, 0, 0, 0, 0xc0, 0xfe, 0, 0, 0, 0,   /* an IOAPIC: not a CPU */
		0, 8, 1, 3, 0, 0, 0, 0,                 /* APIC 3: not enabled */
		0, 8, 2, 5, 2, 0, 0, 0,                 /* APIC 5: only online-capable (hot-pluggable) */
		0, 8, 2, 6, 1, 0, 0, 0,                 /* APIC 6: enabled */
		0, 8, 3, 0xff, 1, 0, 0, 0,              /* the broadcast ID: no CPU */
		9, 16, 0, 0, 0x2c, 1, 0, 0, 1, 0, 0, 0, 9, 0, 0, 0,   /* x2APIC 0x12c, enabled */
		9, 16, 0, 0, 6, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0,      /* APIC 6 again: once */
		9, 16, 0, 0, 0xff, 0xff, 0xff, 0xff, 1, 0, 0, 0, 4, 0, 0, 0,   /* x2APIC broadcast */
	};
	u32 ids[8] = { 0 };

	mem_reset();
	CHECK_EQ(acpi_madt_cpus(A(madt(e, sizeof(e))), ids, 8), 3);
	CHECK_EQ(ids[0], 0);
	CHECK_EQ(ids[1], 6);
	CHECK_EQ(ids[2], 0x12c);
	CHECK_EQ(acpi_madt_cpus(A(madt(e, sizeof(e))), ids, 2), 3);   /* counted past max */
}

TEST(acpi_madt_cpus_bounded_and_checked)
{
	static const u8 cut[] = { 0, 8, 0, 0, 1, 0, 0, 0, 0, 8, 1, 1, 1 };   /* the second runs past the end */
	static const u8 zero_len[] = { 0, 0, 0, 0, 1, 0, 0, 0 };             /* length 0: stop */
	u32 ids[4];
	u8 *t;

	mem_reset();
	CHECK_EQ(acpi_madt_cpus(A(madt(cut, sizeof(cut))), ids, 4), 1);
	CHECK_EQ(acpi_madt_cpus(A(madt(zero_len, sizeof(zero_len))), ids, 4), 0);
	t = madt(cut, 8);
	t[20] ^= 1;                                  /* checksum broken */
	CHECK_EQ(acpi_madt_cpus(A(t), ids, 4), 0);
	CHECK_EQ(acpi_madt_cpus(A(seal(sdt("FACP", 60, false))), ids, 4), 0);
	CHECK_EQ(acpi_madt_cpus(0, ids, 4), 0);
}
