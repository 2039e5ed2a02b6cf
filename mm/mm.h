/* The hypervisor's memory: the normalized physical map, the frame allocator,
 * the host page tables and the heap. Target only. */
#ifndef MM_MM_H
#define MM_MM_H

#include "core/config/boot_info.h"
#include "mm/pagetable.h"

/* Frames below this address are never handed out (real-mode structures,
 * the APs' start-up page). */
#define MM_LOW_LIMIT MiB(1)

/* Builds everything from bi. Must run after the CPU tables are the core's
 * own (core/hw/gdt.c), since firmware boot-time memory is reclaimed here.
 * Panics with a clear message when the map is unusable. */
void mm_init(const struct boot_info *bi);

/* count contiguous frames aligned to align bytes; 0 when none are free. */
u64 frames_alloc(u64 count, u64 align);
/* count page-aligned contiguous frames, every byte set to byte; 0 when
 * none are free. */
u64 frames_alloc_filled(u64 count, u8 byte);
/* Panics on a bad or double free: that is a hypervisor bug. */
void frames_free(u64 pa, u64 count);
u64 frames_free_count(void);

void *kmalloc(size_t size);   /* NULL when out of memory */
void *kzalloc(size_t size);
void kfree(void *p);          /* panics on a pointer kmalloc did not return */

/* A page of RAM below MM_LOW_PAGE_TOP (so below the EBDA and the legacy
 * ROM area too) that the memory map calls free, for the APs' real-mode
 * start (core/smp/smp.c): the highest one, or 0 when there is none. Never
 * handed out by the frame allocator (MM_LOW_LIMIT). */
#define MM_LOW_PAGE_TOP 0x9f000
u64 mm_low_page(void);

/* Remaps [pa, pa + size) (page-aligned, in the identity map) in the host
 * page tables with prot (enum pt_prot), and drops this CPU's TLB entries
 * for it. Other CPUs must flush their own. Below 2 MiB the tables are
 * already of 4 KiB pages, so only the leaves' rights change there. */
void mm_host_protect(u64 pa, u64 size, u32 prot);

/* Allocator callback for pt_init(): zeroed frames from frames_alloc. */
void *mm_table_alloc(void *ctx, u64 *pa);

#endif
