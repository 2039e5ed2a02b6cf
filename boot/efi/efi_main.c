/* The UEFI boot door. Runs while boot services exist: finds hv.cfg beside
 * hv.efi, loads every guest image it names, finds the ACPI RSDP, leaves boot
 * services and hands the core a struct boot_info.
 *
 * Called by gnu-efi's crt0 (after self-relocation) with the System V calling
 * convention; firmware calls go through EFIAPI (ms_abi) function pointers. */
#include <efi.h>

#include "core/config/boot_info.h"
#include "core/config/config.h"
#include "core/lib/fmt.h"
#include "core/lib/string.h"

#define CFG_FILE "hv.cfg"
#define MAX_FILE_SIZE MiB(512)
#define PATH_MAX_CHARS 256

static struct boot_info bi;
static EFI_SYSTEM_TABLE *st;
static EFI_BOOT_SERVICES *bs;
static EFI_RUNTIME_SERVICES *rt;

static EFI_GUID loaded_image_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
static EFI_GUID fs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
static EFI_GUID file_info_guid = EFI_FILE_INFO_ID;
static EFI_GUID acpi20_guid = ACPI_20_TABLE_GUID;
static EFI_GUID acpi10_guid = ACPI_TABLE_GUID;

/* Prints on the firmware console (before ExitBootServices only). */
PRINTF(1, 2) static void say(const char *fmt, ...)
{
	char buf[256];
	CHAR16 wide[2 * sizeof(buf)];
	size_t n = 0;
	va_list ap;

	va_start(ap, fmt);
	vsnformat(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (const char *p = buf; *p; p++) {
		if (*p == '\n')
			wide[n++] = '\r';
		wide[n++] = (CHAR16)*p;
	}
	wide[n] = 0;
	st->ConOut->OutputString(st->ConOut, wide);
}

static bool guid_eq(const EFI_GUID *a, const EFI_GUID *b)
{
	return !memcmp(a, b, sizeof(*a));
}

/* ---- files ---------------------------------------------------------------- */

struct volume {
	EFI_FILE_HANDLE root;
	CHAR16 dir[PATH_MAX_CHARS];   /* hv.efi's directory, ending in '\' */
};

/* hv.efi's directory from the file-path nodes of its device path. */
static void image_dir(EFI_DEVICE_PATH *dp, CHAR16 *dir)
{
	size_t n = 0, last_sep = 0;

	for (; dp && dp->Type != END_DEVICE_PATH_TYPE;
	     dp = (EFI_DEVICE_PATH *)((u8 *)dp + (dp->Length[0] | dp->Length[1] << 8))) {
		const CHAR16 *s;

		if (dp->Type != MEDIA_DEVICE_PATH || dp->SubType != MEDIA_FILEPATH_DP)
			continue;
		s = ((FILEPATH_DEVICE_PATH *)dp)->PathName;
		if (n && dir[n - 1] != '\\' && *s != '\\' && n + 1 < PATH_MAX_CHARS)
			dir[n++] = '\\';
		for (; *s && n + 1 < PATH_MAX_CHARS; s++)
			dir[n++] = *s;
		if ((dp->Length[0] | dp->Length[1] << 8) < 4)
			break;
	}
	for (size_t i = 0; i < n; i++)
		if (dir[i] == '\\')
			last_sep = i + 1;
	dir[last_sep] = 0;
}

static EFI_STATUS open_volume(EFI_HANDLE image, struct volume *v)
{
	EFI_LOADED_IMAGE *li;
	EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *fs;
	EFI_STATUS s;

	s = bs->HandleProtocol(image, &loaded_image_guid, (void **)&li);
	if (EFI_ERROR(s))
		return s;
	s = bs->HandleProtocol(li->DeviceHandle, &fs_guid, (void **)&fs);
	if (EFI_ERROR(s))
		return s;
	image_dir(li->FilePath, v->dir);
	return fs->OpenVolume(fs, &v->root);
}

static u64 file_size(EFI_FILE_HANDLE f)
{
	u8 buf[sizeof(EFI_FILE_INFO) + 2 * PATH_MAX_CHARS];
	UINTN size = sizeof(buf);

	if (EFI_ERROR(f->GetInfo(f, &file_info_guid, &size, buf)))
		return ~0ULL;
	return ((EFI_FILE_INFO *)buf)->FileSize;
}

/* Reads dir\name (name with '/' or '\' separators) into fresh LoaderData
 * pages, which the core never hands out. */
static EFI_STATUS load_file(struct volume *v, const char *name, u64 *base, u64 *size)
{
	CHAR16 path[PATH_MAX_CHARS];
	EFI_FILE_HANDLE f;
	EFI_PHYSICAL_ADDRESS addr;
	UINTN len;
	size_t n = 0;
	EFI_STATUS s;

	for (const CHAR16 *d = v->dir; *d && n + 1 < PATH_MAX_CHARS; d++)
		path[n++] = *d;
	for (; *name && n + 1 < PATH_MAX_CHARS; name++)
		path[n++] = *name == '/' ? '\\' : (CHAR16)*name;
	path[n] = 0;
	s = v->root->Open(v->root, &f, path, EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(s))
		return s;
	*size = file_size(f);
	s = *size > MAX_FILE_SIZE ? EFI_BAD_BUFFER_SIZE :
	    bs->AllocatePages(AllocateAnyPages, EfiLoaderData,
			      EFI_SIZE_TO_PAGES(*size ? *size : 1), &addr);
	if (!EFI_ERROR(s)) {
		len = *size;
		s = f->Read(f, &len, (void *)(uintptr_t)addr);
		if (!EFI_ERROR(s) && len != *size)
			s = EFI_END_OF_FILE;
		*base = addr;
	}
	f->Close(f);
	return s;
}

/* The file name as a boot module, unless it is one already. */
static void load_module(struct volume *v, const char *name)
{
	u64 base, size;

	for (u32 k = 0; k < bi.nmodules; k++)
		if (!strcmp(bi.modules[k].name, name))
			return;
	if (!EFI_ERROR(load_file(v, name, &base, &size)))
		boot_add_module(&bi, name, base, size);
}

/* hv.cfg, then each guest image and module it names. A missing file is
 * reported by the core, which knows which guest wanted it. The parsed
 * copy here only names the files (the core parses again); it lives in
 * pool memory so the image does not carry its zeros. */
static void load_files(struct volume *v)
{
	struct config *cfg;
	struct boot_cfg_source *src = &bi.cfg[0];
	const char *what = "read";
	u64 base, size;
	EFI_STATUS s = load_file(v, CFG_FILE, &base, &size);

	if (s == EFI_NOT_FOUND)
		return;
	if (!EFI_ERROR(s)) {
		what = "allocate memory to parse";
		s = bs->AllocatePool(EfiLoaderData, sizeof(*cfg), (void **)&cfg);
	}
	if (EFI_ERROR(s)) {
		snformat(bi.error, sizeof(bi.error), "cannot %s %s beside hv.efi (EFI status %lx)",
			 what, CFG_FILE, (u64)s);
		return;
	}
	src->text = (const char *)(uintptr_t)base;
	src->len = size;
	strlcpy(src->name, CFG_FILE, sizeof(src->name));
	bi.ncfg = 1;
	config_init(cfg);
	config_parse(cfg, CFG_FILE, src->text, size);
	for (u32 i = 0; i < cfg->nguests; i++) {
		load_module(v, cfg->guests[i].image);
		for (u32 m = 0; m < cfg->guests[i].nmodules; m++)
			load_module(v, cfg->guests[i].modules[m]);
	}
	bs->FreePool(cfg);
}

static void find_rsdp(void)
{
	for (UINTN i = 0; i < st->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *t = &st->ConfigurationTable[i];

		if (guid_eq(&t->VendorGuid, &acpi20_guid))
			bi.rsdp = (u64)(uintptr_t)t->VendorTable;
		else if (guid_eq(&t->VendorGuid, &acpi10_guid) && !bi.rsdp)
			bi.rsdp = (u64)(uintptr_t)t->VendorTable;
	}
}

/* ---- leaving boot services -------------------------------------------------- */

static const u8 efi_mem_types[] = {
	[EfiReservedMemoryType] = MEM_RESERVED,
	[EfiLoaderCode] = MEM_LOADER,
	[EfiLoaderData] = MEM_LOADER,
	[EfiBootServicesCode] = MEM_BOOT_RECLAIM,
	[EfiBootServicesData] = MEM_BOOT_RECLAIM,
	[EfiRuntimeServicesCode] = MEM_FW_CODE,
	[EfiRuntimeServicesData] = MEM_FW_DATA,
	[EfiConventionalMemory] = MEM_USABLE,
	[EfiUnusableMemory] = MEM_BAD,
	[EfiACPIReclaimMemory] = MEM_ACPI_RECLAIM,
	[EfiACPIMemoryNVS] = MEM_ACPI_NVS,
	[EfiMemoryMappedIO] = MEM_MMIO,
	[EfiMemoryMappedIOPortSpace] = MEM_MMIO,
	[EfiPalCode] = MEM_RESERVED,
};

static void convert_map(const u8 *map, UINTN size, UINTN dsize)
{
	for (UINTN off = 0; off + dsize <= size; off += dsize) {
		const EFI_MEMORY_DESCRIPTOR *d = (const EFI_MEMORY_DESCRIPTOR *)(map + off);
		u32 t = d->Type < ARRAY_SIZE(efi_mem_types) ? efi_mem_types[d->Type] : MEM_RESERVED;

		boot_add_mem(&bi, d->PhysicalStart, d->NumberOfPages * PAGE_SIZE, t);
	}
}

/* The standard dance: the map key must be current, and after a failed
 * ExitBootServices only GetMemoryMap may be called, so the buffer is
 * allocated once, with room to spare, before the loop. */
static EFI_STATUS exit_boot_services(EFI_HANDLE image)
{
	UINTN size = 0, key, dsize;
	UINT32 dver;
	u8 *map;
	EFI_STATUS s = bs->GetMemoryMap(&size, NULL, &key, &dsize, &dver);

	if (s != EFI_BUFFER_TOO_SMALL)
		return s;
	size += 32 * dsize;
	s = bs->AllocatePool(EfiLoaderData, size, (void **)&map);
	if (EFI_ERROR(s))
		return s;
	for (int tries = 0; tries < 8; tries++) {
		UINTN len = size;

		s = bs->GetMemoryMap(&len, (EFI_MEMORY_DESCRIPTOR *)map, &key, &dsize, &dver);
		if (EFI_ERROR(s))
			return s;
		s = bs->ExitBootServices(image, key);
		if (!EFI_ERROR(s)) {
			convert_map(map, len, dsize);
			return EFI_SUCCESS;
		}
	}
	return s;
}

static void efi_power_off(void)
{
	rt->ResetSystem(EfiResetShutdown, EFI_SUCCESS, 0, NULL);
}

/* Called by gnu-efi's crt0 after it relocated the image. */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab);

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	struct volume vol = { 0 };
	EFI_STATUS s;

	bi.entry_tsc = __builtin_ia32_rdtsc();
	st = systab;
	bs = st->BootServices;
	rt = st->RuntimeServices;
	bi.magic = BOOT_INFO_MAGIC;
	bi.door = BOOT_UEFI;
	bi.door_name = "UEFI";
	bi.fw_power_off = efi_power_off;
	say("hv: UEFI boot door\n");
	s = open_volume(image, &vol);
	if (EFI_ERROR(s))
		say("hv: cannot open the volume hv.efi came from (status %lx); no hv.cfg, no guests\n",
		    (u64)s);
	else
		load_files(&vol);
	find_rsdp();
	s = exit_boot_services(image);
	if (EFI_ERROR(s)) {
		say("hv: ExitBootServices failed (status %lx); returning to the firmware\n", (u64)s);
		return s;
	}
	hv_enter(&bi);
}
