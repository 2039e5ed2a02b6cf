/* First-fit heap. Each block starts with a 16-byte header; a free block's
 * payload holds the link to the next free block. */
#include "mm/heap.h"

#define HDR 16
#define MIN_BLOCK 32
#define MAGIC_USED 0x48454150u /* "HEAP" */
#define MAGIC_FREE 0x46524545u /* "FREE" */

struct heap_block {
	u64 size;                  /* whole block, header included */
	u32 magic;
	u32 pad;
	struct heap_block *next;   /* free blocks only */
};

void heap_init(struct heap *h)
{
	*h = (struct heap){ 0 };
}

/* Links b into the free list in address order, merging with neighbours. */
static void insert_free(struct heap *h, struct heap_block *b)
{
	struct heap_block **pp = &h->free, *prev = NULL;

	while (*pp && *pp < b) {
		prev = *pp;
		pp = &(*pp)->next;
	}
	b->magic = MAGIC_FREE;
	b->next = *pp;
	*pp = b;
	if (b->next && (u8 *)b + b->size == (u8 *)b->next) {
		b->size += b->next->size;
		b->next = b->next->next;
	}
	if (prev && (u8 *)prev + prev->size == (u8 *)b) {
		prev->size += b->size;
		prev->next = b->next;
	}
}

void heap_add(struct heap *h, void *mem, size_t size)
{
	uintptr_t start = ALIGN_UP((uintptr_t)mem, 16);
	uintptr_t end = ALIGN_DOWN((uintptr_t)mem + size, 16);
	struct heap_block *b = (struct heap_block *)start;

	if (end <= start || end - start < MIN_BLOCK)
		return;
	b->size = end - start;
	h->total += b->size;
	insert_free(h, b);
}

void *heap_alloc(struct heap *h, size_t size)
{
	struct heap_block **pp;
	u64 need;

	if (!size || size > (1ULL << 40))
		return NULL;
	need = MAX(ALIGN_UP(size + HDR, 16), MIN_BLOCK);
	for (pp = &h->free; *pp; pp = &(*pp)->next) {
		struct heap_block *b = *pp;

		if (b->size < need)
			continue;
		if (b->size - need >= MIN_BLOCK) {
			struct heap_block *rest = (struct heap_block *)((u8 *)b + need);

			rest->size = b->size - need;
			rest->magic = MAGIC_FREE;
			rest->next = b->next;
			b->size = need;
			*pp = rest;
		} else {
			*pp = b->next;
		}
		b->magic = MAGIC_USED;
		h->used += b->size;
		return (u8 *)b + HDR;
	}
	return NULL;
}

int heap_free(struct heap *h, void *p)
{
	struct heap_block *b;

	if (!p)
		return 0;
	if (!IS_ALIGNED((uintptr_t)p, 16))
		return -1;
	b = (struct heap_block *)((u8 *)p - HDR);
	if (b->magic != MAGIC_USED)
		return -1;
	h->used -= b->size;
	insert_free(h, b);
	return 0;
}
