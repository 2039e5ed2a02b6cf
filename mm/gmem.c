/* Guest-physical memory access with bounds checks. */
#include "mm/gmem.h"
#include "core/string.h"

void *gmem_ptr(const struct guest *g, u64 gpa, u64 len)
{
	if (gpa > g->mem_size || len > g->mem_size - gpa)
		return NULL;
	return (void *)(uintptr_t)(g->mem_hpa + gpa);
}

int copy_from_guest(const struct guest *g, void *dst, u64 gpa, u64 len)
{
	const void *p = gmem_ptr(g, gpa, len);

	if (!p)
		return -1;
	memcpy(dst, p, len);
	return 0;
}

int copy_to_guest(const struct guest *g, u64 gpa, const void *src, u64 len)
{
	void *p = gmem_ptr(g, gpa, len);

	if (!p)
		return -1;
	memcpy(p, src, len);
	return 0;
}
