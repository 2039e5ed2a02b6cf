/* A small first-fit heap for hypervisor objects: an address-ordered free
 * list over memory donated with heap_add(), coalescing on free. Blocks are
 * 16-byte aligned. Not thread-safe: the caller serializes. */
#ifndef MM_HEAP_H
#define MM_HEAP_H

#include "core/lib/types.h"

struct heap_block;

struct heap {
	struct heap_block *free;  /* address order */
	u64 total;                /* bytes donated */
	u64 used;                 /* bytes in allocated blocks, headers included */
};

void heap_init(struct heap *h);

/* Donates [mem, mem+size) to the heap; pieces too small to use are dropped. */
void heap_add(struct heap *h, void *mem, size_t size);

/* Returns a 16-byte-aligned block of at least size bytes, or NULL when
 * size is 0 or nothing fits. */
void *heap_alloc(struct heap *h, size_t size);

/* Returns p to the heap: 0, or -1 without changing anything when p was not
 * handed out by heap_alloc or is already free. NULL is accepted (0). */
int heap_free(struct heap *h, void *p);

#endif
