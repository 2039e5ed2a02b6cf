/* core/load/linux.c: the Linux boot protocol, into watched guest memory, with a
 * synthetic bzImage (a setup header and a patterned protected-mode part). */
#include <stdlib.h>
#include <sys/mman.h>

#include "core/hw/acpi.h"
#include "core/load/linux.h"
#include "core/load/loader.h"
#include "tests/unit/test.h"

#define MEM (64u << 20)
#define SETUP_BYTES 1024u      /* setup_sects = 1 */
#define PAYLOAD 8192u

static struct guest g;
static struct guest_cfg gc;
static u8 img[SETUP_BYTES + PAYLOAD];

static void put(u32 off, u64 v, u32 bytes)
{
	memcpy(img + off, &v, bytes);
}

static u64 get(const u8 *p, u32 bytes)
{
	u64 v = 0;

	memcpy(&v, p, bytes);
	return v;
}

/* Protocol 2.15, 64-bit entry, relocatable, prefers 16 MiB, 4 MiB to
 * decompress in. */
static void bzimage(void)
{
	memset(img, 0, sizeof(img));
	img[0x1f1] = 1;
	put(0x1fe, 0xaa55, 2);
	img[0x200] = 0xeb, img[0x201] = 0x66;           /* the header ends at 0x268 */
	put(0x202, 0x53726448, 4);                      /* "HdrS" */
	put(0x206, 0x020f, 2);
	img[0x211] = 0x01;                              /* LOADED_HIGH */
	put(0x22c, 0x7fffffff, 4);                      /* initrd_addr_max */
	put(0x230, 0x200000, 4);                        /* kernel_alignment */
	img[0x234] = 1;                                 /* relocatable */
	put(0x236, 0x1, 2);                             /* XLF_KERNEL_64 */
	put(0x238, 255, 4);                             /* cmdline_size */
	put(0x258, 0x1000000, 8);                       /* pref_address */
	put(0x260, 0x400000, 4);                        /* init_size */
	for (u32 i = 0; i < PAYLOAD; i++)
		img[SETUP_BYTES + i] = (u8)(i * 7 + 1);
}

/* A fresh guest of mem bytes at ram, and the image. */
static void fresh_at(u8 *ram, u64 mem)
{
	memset(&g, 0, sizeof(g));
	memset(&gc, 0, sizeof(gc));
	gmem_init(&g.mem, (u64)(uintptr_t)ram, mem);
	g.nvcpus = 1;
	gc.kind = IMAGE_LINUX;
	bzimage();
}

static void fresh(u64 mem)
{
	static u8 *ram;

	if (!ram)
		ram = malloc(MEM);
	memset(ram, 0xcc, MEM);                         /* not zero: the loader must write what it means */
	fresh_at(ram, mem);
}

static u8 *gpa(u64 a)
{
	return (u8 *)(uintptr_t)(g.mem.r[0].hpa + a);
}

TEST(linux_loads_kernel_zero_page_and_entry)
{
	struct vcpu_state s;
	char err[160] = "";
	const u8 *zp, *e;

	fresh(MEM);
	strcpy(gc.cmdline, "console=ttyS0 quiet");
	CHECK(linux_detect(img, sizeof(img)));
	CHECK_EQ(loader_load(&g, img, sizeof(img), &gc, &s, err, sizeof(err)), 0);
	CHECK_EQ(s.rip, 0x1000200);
	CHECK_EQ(s.rsi, 0x10000);
	CHECK_EQ(s.seg[SEG_CS].sel, 0x10);
	CHECK_EQ(s.seg[SEG_DS].sel, 0x18);
	CHECK_EQ(s.seg[SEG_SS].sel, 0x18);
	CHECK_EQ(s.efer & 0x500, 0x500);
	CHECK(!(s.rflags & 0x200));
	CHECK(!memcmp(gpa(0x1000000), img + SETUP_BYTES, PAYLOAD));
	zp = gpa(0x10000);
	CHECK_EQ(zp[0x210], 0xff);                      /* type_of_loader */
	CHECK_EQ(get(zp + 0x202, 4), 0x53726448);       /* the setup header, copied */
	CHECK_EQ(get(zp + 0x1ef, 1), 0);                /* the sentinel is not */
	CHECK_EQ(get(zp + 0x228, 4), 0x11000);
	CHECK_STR((const char *)gpa(0x11000), "console=ttyS0 quiet");
	CHECK_EQ(get(zp + 0x218, 4), 0);                /* no initrd */
	CHECK_EQ(zp[0x1e8], 4);                         /* e820 entries */
	e = zp + 0x2d0;
	CHECK_EQ(get(e + 8, 8), 0x9f000);
	CHECK_EQ(get(e + 16, 4), 1);
	CHECK_EQ(get(e + 40, 8), 0x100000);
	CHECK_EQ(get(e + 48, 8), MEM - LOADER_AREA - 0x100000);
	CHECK_EQ(get(e + 60, 8), MEM - LOADER_AREA);
	CHECK_EQ(get(e + 76, 4), 2);                    /* the loader's tables: reserved */
	CHECK_EQ(s.gdtr_base, MEM - LOADER_AREA);
}

/* A guest of 4.5 GiB: RAM below 3 GiB and from 4 GiB, the hole between
 * (the APICs) not in the map; the loader's tables at the top of low RAM.
 * The host block is reserved, not touched: only what the loader writes
 * becomes real memory. */
TEST(linux_e820_with_ram_above_4g)
{
	u64 size = GiB(4) + MiB(512);
	u8 *big = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	struct vcpu_state s;
	char err[160] = "";
	const u8 *zp, *e;

	CHECK(big != MAP_FAILED);
	fresh_at(big, size);
	CHECK_EQ(g.mem.n, 2);
	CHECK_EQ(gmem_low_end(&g.mem), GiB(3));
	CHECK_EQ(loader_load(&g, img, sizeof(img), &gc, &s, err, sizeof(err)), 0);
	zp = big + 0x10000;
	CHECK_EQ(zp[0x1e8], 5);                         /* e820 entries */
	e = zp + 0x2d0;
	CHECK_EQ(get(e + 60, 8), GiB(3) - LOADER_AREA);  /* the loader's tables, at the top of low RAM */
	CHECK_EQ(get(e + 68, 8), LOADER_AREA);
	CHECK_EQ(get(e + 80, 8), GiB(4));              /* the rest from 4 GiB */
	CHECK_EQ(get(e + 88, 8), GiB(1) + MiB(512));
	CHECK_EQ(get(e + 96, 4), 1);
	CHECK_EQ(s.gdtr_base, GiB(3) - LOADER_AREA);
	CHECK(!gmem_ptr(&g.mem, 0xfee00000, 4));         /* the APIC's page is not RAM */
	CHECK(gmem_ptr(&g.mem, GiB(4), 8) == big + GiB(3));
	munmap(big, size);
}

TEST(linux_initrds_are_concatenated_high)
{
	static const u8 a[5000] = { 1, 2, 3 }, b[100] = { 9 };
	struct vcpu_state s;
	char err[160] = "";
	u64 at, size;
	const u8 *zp;

	fresh(MEM);
	gc.nmodules = 2;
	g.mod_base[0] = a, g.mod_size[0] = sizeof(a);
	g.mod_base[1] = b, g.mod_size[1] = sizeof(b);
	CHECK_EQ(loader_load(&g, img, sizeof(img), &gc, &s, err, sizeof(err)), 0);
	zp = gpa(0x10000);
	at = get(zp + 0x218, 4), size = get(zp + 0x21c, 4);
	CHECK_EQ(size, sizeof(a) + sizeof(b));
	CHECK_EQ(at % 4096, 0);
	CHECK(at + size <= MEM - LOADER_AREA);
	CHECK(at >= 0x1000000 + 0x400000);
	CHECK(!memcmp(gpa(at), a, sizeof(a)));
	CHECK(!memcmp(gpa(at + sizeof(a)), b, sizeof(b)));
}

TEST(linux_command_line_is_cut_at_cmdline_size)
{
	struct vcpu_state s;
	char err[160] = "";

	fresh(MEM);
	put(0x238, 7, 4);
	strcpy(gc.cmdline, "console=ttyS0");
	CHECK_EQ(loader_load(&g, img, sizeof(img), &gc, &s, err, sizeof(err)), 0);
	CHECK_STR((const char *)gpa(0x11000), "console");
}

TEST(linux_refusals)
{
	struct vcpu_state s;
	char err[160];

	fresh(MEM);
	put(0x206, 0x020b, 2);
	CHECK_EQ(loader_load(&g, img, sizeof(img), &gc, &s, err, sizeof(err)), -1);
	CHECK_STR(err, "boot protocol 2.11 is too old (64-bit entry needs 2.12)");
	fresh(MEM);
	put(0x236, 0, 2);
	CHECK_EQ(loader_load(&g, img, sizeof(img), &gc, &s, err, sizeof(err)), -1);
	CHECK_STR(err, "the kernel has no 64-bit entry point");
	fresh(16u << 20);
	CHECK_EQ(loader_load(&g, img, sizeof(img), &gc, &s, err, sizeof(err)), -1);
	CHECK_STR(err, "a Linux guest needs at least 32 MiB of memory");
	fresh(MEM);
	put(0x260, 0x7fffffff, 4);
	CHECK_EQ(loader_load(&g, img, sizeof(img), &gc, &s, err, sizeof(err)), -1);
	CHECK_STR(err, "the kernel (2147483647 bytes to decompress in) does not fit in 64 MiB of guest memory");
	fresh(MEM);
	img[0x1f1] = 200;                               /* setup past the image's end */
	CHECK_EQ(loader_load(&g, img, sizeof(img), &gc, &s, err, sizeof(err)), -1);
	CHECK_STR(err, "setup sectors (102912 bytes) reach past the image's end");
	fresh(MEM);
	img[0x202] = 'X';
	CHECK(!linux_detect(img, sizeof(img)));
	CHECK_EQ(loader_load(&g, img, sizeof(img), &gc, &s, err, sizeof(err)), -1);
	CHECK_STR(err, "not a Linux bzImage (no setup header)");
}

/* Loads img (as the test left it) with one initrd of `size` bytes; the
 * loader's error, or "" when it loaded. Only the size is looked at before
 * the room check, so one byte backs any size. */
static const char *with_initrd(u64 size)
{
	static const u8 data[100];
	static char err[160];
	struct vcpu_state s;

	gc.nmodules = 1;
	g.mod_base[0] = data, g.mod_size[0] = size;
	return loader_load(&g, img, sizeof(img), &gc, &s, err, sizeof(err)) ? err : "";
}

TEST(linux_initrd_too_big)
{
	fresh(MEM);
	CHECK_STR(with_initrd(MEM), "initrd of 67108864 bytes does not fit in guest memory");
}

/* initrd_addr_max comes from the image: one below 1 MiB leaves no room. */
TEST(linux_initrd_addr_max_below_1m)
{
	fresh(MEM);
	put(0x22c, 0, 4);
	CHECK_STR(with_initrd(100), "initrd of 100 bytes does not fit in guest memory");
}

TEST(linux_fixed_kernel_at_its_address_only)
{
	struct vcpu_state s;
	char err[160] = "";

	fresh(MEM);
	img[0x234] = 0;                                 /* not relocatable */
	put(0x258, 0x100000, 8);
	CHECK_EQ(loader_load(&g, img, sizeof(img), &gc, &s, err, sizeof(err)), 0);
	CHECK_EQ(s.rip, 0x100200);
	fresh(MEM);
	img[0x234] = 0;
	put(0x258, 0x3f00000, 8);                       /* 63 MiB + 4 MiB: past the end */
	CHECK_EQ(loader_load(&g, img, sizeof(img), &gc, &s, err, sizeof(err)), -1);
}

static u8 sum(const u8 *p, u32 len)
{
	u8 s = 0;

	for (u32 i = 0; i < len; i++)
		s += p[i];
	return s;
}

/* The RSDP in the zero page and in the BIOS area, XSDT -> FADT -> DSDT
 * with the _S5 object, every checksum right, the PM blocks named. */
TEST(linux_acpi_tables_for_power_off)
{
	static const u8 s5[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x04, 0x0a, 5, 0x0a, 5, 0, 0 };
	struct vcpu_state s;
	char err[160] = "";
	const u8 *rsdp, *xsdt, *fadt, *dsdt;
	u8 typa, typb;
	u64 at;

	fresh(MEM);
	CHECK_EQ(loader_load(&g, img, sizeof(img), &gc, &s, err, sizeof(err)), 0);
	at = get(gpa(0x10000) + 0x70, 8);
	CHECK_EQ(at, 0xf0000);
	rsdp = gpa(at);
	CHECK(!memcmp(rsdp, "RSD PTR ", 8));
	CHECK_EQ(rsdp[15], 2);
	CHECK_EQ(sum(rsdp, 20), 0);
	CHECK_EQ(sum(rsdp, 36), 0);
	xsdt = gpa(get(rsdp + 24, 8));
	CHECK(!memcmp(xsdt, "XSDT", 4));
	CHECK_EQ(sum(xsdt, (u32)get(xsdt + 4, 4)), 0);
	CHECK_EQ(get(xsdt + 4, 4), 36 + 16);
	CHECK_EQ(sum(gpa(get(rsdp + 16, 4)), 44), 0);           /* the RSDT */
	fadt = gpa(get(xsdt + 36, 8));
	CHECK(!memcmp(fadt, "FACP", 4));
	CHECK_EQ(get(fadt + 4, 4), 244);
	CHECK_EQ(sum(fadt, 244), 0);
	CHECK_EQ(get(fadt + 56, 4), 0x600);                     /* PM1a event */
	CHECK_EQ(get(fadt + 64, 4), 0x604);                     /* PM1a control */
	CHECK_EQ(get(fadt + 76, 4), 0x608);                     /* PM timer */
	CHECK_EQ(get(fadt + 36, 4), 0);                         /* FACS only through X_FIRMWARE_CTRL */
	CHECK_EQ(get(fadt + 112, 4) >> 10 & 1, 1);              /* RESET_REG_SUP */
	CHECK_EQ(fadt[116], 1);                                 /* the reset register: a port */
	CHECK_EQ(get(fadt + 120, 8), 0xcf9);
	CHECK_EQ(fadt[128], 6);
	CHECK(!memcmp(gpa(get(fadt + 132, 8)), "FACS", 4));
	dsdt = gpa(get(fadt + 140, 8));
	CHECK(!memcmp(dsdt, "DSDT", 4));
	CHECK_EQ(get(dsdt + 4, 4), 36 + sizeof(s5));
	CHECK_EQ(sum(dsdt, 36 + sizeof(s5)), 0);
	CHECK(!memcmp(dsdt + 36, s5, sizeof(s5)));
	CHECK(acpi_find_s5(dsdt + 36, sizeof(s5), &typa, &typb));   /* the host's own AML reader agrees */
	CHECK_EQ(typa, 5);
	CHECK_EQ(typb, 5);
}

/* The MADT, second in the XSDT: a local APIC for each vCPU (three here,
 * IDs 0-2, enabled), the IOAPIC (ID 8, no vCPU's), IRQ 0 routed to pin
 * 2, and the entries' lengths add up. */
TEST(linux_acpi_madt)
{
	struct vcpu_state s;
	char err[160] = "";
	const u8 *xsdt, *madt, *e;
	u32 len, seen = 0, lapics = 0;

	fresh(MEM);
	g.nvcpus = 3;
	CHECK_EQ(loader_load(&g, img, sizeof(img), &gc, &s, err, sizeof(err)), 0);
	xsdt = gpa(get(gpa(0xf0000) + 24, 8));
	madt = gpa(get(xsdt + 44, 8));
	CHECK(!memcmp(madt, "APIC", 4));
	len = (u32)get(madt + 4, 4);
	CHECK_EQ(sum(madt, len), 0);
	CHECK_EQ(get(madt + 36, 4), 0xfee00000);
	CHECK_EQ(get(madt + 40, 4), 1);                         /* PCAT_COMPAT */
	for (e = madt + 44; e < madt + len; e += e[1]) {
		CHECK(e[1] >= 2 && e + e[1] <= madt + len);
		seen |= 1u << e[0];
		if (e[0] == 0) {
			CHECK_EQ(e[2], lapics);                 /* processor ID */
			CHECK_EQ(e[3], lapics);                 /* APIC ID */
			CHECK_EQ(get(e + 4, 4), 1);             /* enabled */
			lapics++;
		}
		if (e[0] == 1) {
			CHECK_EQ(e[2], 8);
			CHECK_EQ(get(e + 4, 4), 0xfec00000);
		}
		if (e[0] == 2 && e[3] == 0)
			CHECK_EQ(get(e + 4, 4), 2);             /* IRQ 0 -> GSI 2 */
	}
	CHECK_EQ(e, madt + len);
	CHECK_EQ(lapics, 3);
	CHECK_EQ(seen, 1u << 0 | 1u << 1 | 1u << 2 | 1u << 4);
}

/* Found by make fuzz-host: a 1-byte image read past its end before the
 * header check looked at the size. */
TEST(linux_short_image_refused)
{
	static const u8 one[1] = { 0 };
	struct vcpu_state s;
	char err[160];

	fresh(MEM);
	CHECK_EQ(loader_load(&g, one, sizeof(one), &gc, &s, err, sizeof(err)), -1);
	CHECK_STR(err, "not a Linux bzImage (no setup header)");
}
