/* Guest-physical memory access with bounds checks. */
#include "mm/gmem.h"
#include "core/lib/string.h"

void gmem_init(struct gmem *m, u64 hpa, u64 size)
{
	u64 low = MIN(size, GMEM_LOW_MAX);

	*m = (struct gmem){ .n = 1, .size = size };
	m->r[0] = (struct gmem_range){ 0, hpa, low };
	m->r[1] = (struct gmem_range){ GMEM_HIGH_BASE, hpa + low, size - low };
	if (size > low)
		m->n++;
}

void *gmem_at(const struct gmem *m, u64 off, u64 max, u64 *len)
{
	for (u32 i = 0; i < m->n; i++) {
		const struct gmem_range *r = &m->r[i];

		if (off < r->size) {
			*len = MIN(max, r->size - off);
			return (void *)(uintptr_t)(r->hpa + off);
		}
		off -= r->size;
	}
	*len = 0;
	return NULL;
}

int copy_from_guest(const struct gmem *m, void *dst, u64 gpa, u64 len)
{
	const void *p = gmem_ptr(m, gpa, len);

	if (!p)
		return -1;
	memcpy(dst, p, len);
	return 0;
}

int copy_to_guest(const struct gmem *m, u64 gpa, const void *src, u64 len)
{
	void *p = gmem_ptr(m, gpa, len);

	if (!p)
		return -1;
	memcpy(p, src, len);
	return 0;
}
