/* Memory bring-up on target: map, frames, host page tables, heap. */
#include "mm/mm.h"
#include "core/console/console.h"
#include "core/hw/cpu.h"
#include "core/hw/cpu_info.h"
#include "core/hw/image.h"
#include "core/hw/power.h"
#include "core/lib/spinlock.h"
#include "core/lib/string.h"
#include "mm/frame.h"
#include "mm/heap.h"
#include "mm/memmap.h"

#define MAP_CAP (BOOT_MAX_MEM + 2 * BOOT_MAX_RESERVED + 8)
#define HEAP_CHUNK KiB(256)

static struct mem_range map[MAP_CAP];
static u32 nmap;
static struct frame_alloc frames;
static struct heap heap;
static struct pagetable host_pt;
/* The frames and the heap are the lock's: any CPU may allocate. */
static struct spinlock lock = SPINLOCK("mm");

u64 frames_alloc(u64 count, u64 align)
{
	u64 pa;

	spin_lock(&lock);
	pa = frame_alloc(&frames, count, align);
	spin_unlock(&lock);
	return pa;
}

u64 frames_alloc_filled(u64 count, u8 byte)
{
	u64 pa = frames_alloc(count, PAGE_SIZE);

	if (pa)
		memset((void *)(uintptr_t)pa, byte, count * PAGE_SIZE);
	return pa;
}

void frames_free(u64 pa, u64 count)
{
	int err;

	spin_lock(&lock);
	err = frame_free(&frames, pa, count);
	spin_unlock(&lock);
	if (err)
		panic("mm: bad free of %lu frames at %lx", count, pa);
}

u64 frames_free_count(void)
{
	return frames.nfree;
}

void *mm_table_alloc(void *ctx, u64 *pa)
{
	(void)ctx;
	*pa = frames_alloc_filled(1, 0);
	return *pa ? (void *)(uintptr_t)*pa : NULL;
}

/* The normalized map with the image and the boot door's data laid over. */
static void build_map(const struct boot_info *bi)
{
	struct mem_range over[BOOT_MAX_RESERVED + 1];
	u32 n = bi->nreserved;
	int err;

	memcpy(over, bi->reserved, n * sizeof(over[0]));
	over[n++] = (struct mem_range){ image_base(), image_end() - image_base(), MEM_LOADER, 0 };
	err = memmap_normalize(bi->mem, bi->nmem, over, n, map, MAP_CAP, &nmap);
	if (err)
		panic("mm: %s (the %s boot door passed %u ranges); cannot continue",
		      memmap_strerror(err), bi->door_name, bi->nmem);
	if (bi->mem_truncated)
		log_warn("mm: the firmware memory map was longer than %d ranges; the rest is ignored\n",
			 BOOT_MAX_MEM);
}

static void print_map(void)
{
	for (u32 i = 0; i < nmap; i++)
		log_debug("mm:   %016lx-%016lx %s\n", map[i].base,
			  map[i].base + map[i].size - 1, mem_type_name(map[i].type));
	log_info("mm: memory map: %u ranges, usable %lu MiB, boot-reclaim %lu MiB, hypervisor %lu KiB, top %lx\n",
		 nmap, memmap_total(map, nmap, MEM_USABLE) >> 20,
		 memmap_total(map, nmap, MEM_BOOT_RECLAIM) >> 20,
		 memmap_total(map, nmap, MEM_LOADER) >> 10, memmap_top(map, nmap));
}

/* The frame bitmap goes at the start of the first usable range (above the
 * low limit) large enough to hold it. */
static void init_frames(void)
{
	u64 lo = ~0ULL, hi = 0, bytes, at = 0;

	for (u32 i = 0; i < nmap; i++) {
		if (map[i].type != MEM_USABLE && map[i].type != MEM_BOOT_RECLAIM)
			continue;
		lo = MIN(lo, ALIGN_DOWN(map[i].base, PAGE_SIZE));
		hi = MAX(hi, map[i].base + map[i].size);
	}
	bytes = frame_bitmap_bytes(lo, hi);
	for (u32 i = 0; i < nmap && !at; i++) {
		u64 b = ALIGN_UP(MAX(map[i].base, MM_LOW_LIMIT), PAGE_SIZE);

		if (map[i].type == MEM_USABLE && b + bytes <= map[i].base + map[i].size)
			at = b;
	}
	if (!at)
		panic("mm: no usable range above %lu MiB holds the %lu KiB frame bitmap",
		      MM_LOW_LIMIT >> 20, bytes >> 10);
	frame_init(&frames, lo, hi, (u64 *)(uintptr_t)at);
	for (u32 i = 0; i < nmap; i++)
		if (map[i].type == MEM_USABLE && map[i].base + map[i].size > MM_LOW_LIMIT)
			frame_release(&frames, MAX(map[i].base, MM_LOW_LIMIT),
				      map[i].base + map[i].size - MAX(map[i].base, MM_LOW_LIMIT));
	frame_claim(&frames, at, bytes);
}

static void host_map(u64 base, u64 size, u32 prot)
{
	if (pt_map(&host_pt, base, base, size, prot))
		panic("mm: cannot map %lx+%lx in the host page tables", base, size);
}

/* Identity map of everything up to the top of the map (at least 4 GiB, for
 * MMIO), read-write and not executable, except the image's text (r-x), its
 * read-only data (r--) and the firmware's runtime code (rwx). */
static void init_host_tables(void)
{
	const struct cpu_info *ci = &boot_cpu_info;
	u64 top = ALIGN_UP(MAX(memmap_top(map, nmap), GiB(4)), GiB(1));
	static struct pt_format fmt;

	fmt = pt_x86;
	if (!ci->nx)
		fmt.nx = 0;
	if (pt_init(&host_pt, &fmt, ci->page1g ? 3 : 2, mm_table_alloc, NULL))
		panic("mm: out of memory for the host page tables");
	host_map(0, top, PT_R | PT_W);
	host_map(0, PAGE_SIZE, PT_R | PT_W);   /* the first 2 MiB in 4 KiB pages: mm_low_page's */
	for (u32 i = 0; i < nmap; i++)
		if (map[i].type == MEM_FW_CODE)
			host_map(ALIGN_DOWN(map[i].base, PAGE_SIZE), ALIGN_UP(map[i].size, PAGE_SIZE),
				 PT_R | PT_W | PT_X);
	host_map((u64)(uintptr_t)__text_start, ALIGN_UP(__text_end - __text_start, PAGE_SIZE),
		 PT_R | PT_X);
	host_map((u64)(uintptr_t)__rodata_start,
		 ALIGN_UP(__rodata_end - __rodata_start, PAGE_SIZE), PT_R);
	if (ci->nx)
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	write_cr3(host_pt.root);
	write_cr0(read_cr0() | CR0_WP);
	log_info("mm: host page tables: identity 0-%lu GiB in %lu tables, %s pages; text r-x, rodata r--, data rw-%s\n",
		 top >> 30, host_pt.tables, ci->page1g ? "1 GiB" : "2 MiB",
		 ci->nx ? " nx" : " (no NX on this CPU)");
}

/* Firmware boot-time memory is free now: our stack, CPU tables and page
 * tables are all in the image or in frames we allocated. */
static void reclaim_boot_memory(void)
{
	u64 before = frames.nfree;

	for (u32 i = 0; i < nmap; i++)
		if (map[i].type == MEM_BOOT_RECLAIM && map[i].base + map[i].size > MM_LOW_LIMIT)
			frame_release(&frames, MAX(map[i].base, MM_LOW_LIMIT),
				      map[i].base + map[i].size - MAX(map[i].base, MM_LOW_LIMIT));
	if (frames.nfree > before)
		log_info("mm: reclaimed %lu MiB of firmware boot memory\n",
			 (frames.nfree - before) * PAGE_SIZE >> 20);
}

u64 mm_low_page(void)
{
	u64 best = 0;

	for (u32 i = 0; i < nmap; i++) {
		u64 end = MIN(map[i].base + map[i].size, MM_LOW_PAGE_TOP);
		u64 page = ALIGN_DOWN(end, PAGE_SIZE) - PAGE_SIZE;

		if ((map[i].type == MEM_USABLE || map[i].type == MEM_BOOT_RECLAIM) && end >= PAGE_SIZE &&
		    page >= MAX(map[i].base, PAGE_SIZE))
			best = MAX(best, page);
	}
	return best;
}

void mm_host_protect(u64 pa, u64 size, u32 prot)
{
	host_map(pa, size, prot);
	for (u64 a = pa; a < pa + size; a += PAGE_SIZE)
		__asm__ volatile("invlpg (%0)" : : "r"(a) : "memory");
}

static bool heap_grow(size_t need)
{
	u64 bytes = ALIGN_UP(MAX(need + 64, HEAP_CHUNK), PAGE_SIZE);
	u64 pa = frame_alloc(&frames, bytes / PAGE_SIZE, PAGE_SIZE);   /* the lock is held */

	if (!pa)
		return false;
	heap_add(&heap, (void *)(uintptr_t)pa, bytes);
	return true;
}

void *kmalloc(size_t size)
{
	void *p;

	spin_lock(&lock);
	p = heap_alloc(&heap, size);
	if (!p && size && heap_grow(size))
		p = heap_alloc(&heap, size);
	spin_unlock(&lock);
	return p;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	return p ? memset(p, 0, size) : NULL;
}

void kfree(void *p)
{
	int err;

	spin_lock(&lock);
	err = heap_free(&heap, p);
	spin_unlock(&lock);
	if (err)
		panic("mm: kfree of %p, which kmalloc did not return", p);
}

void mm_init(const struct boot_info *bi)
{
	build_map(bi);
	print_map();
	init_frames();
	init_host_tables();
	reclaim_boot_memory();
	heap_init(&heap);
	if (!heap_grow(0))
		panic("mm: no memory for the heap");
	log_info("mm: frames: %lu free (%lu MiB), heap %lu KiB\n", frames.nfree,
		 frames.nfree * PAGE_SIZE >> 20, heap.total >> 10);
}
