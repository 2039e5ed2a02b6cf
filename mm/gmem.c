/* Guest-physical memory access with bounds checks (mm/gmem.h). */
#include "mm/gmem.h"
#include "core/lib/string.h"

void gmem_init_empty(struct gmem *m)
{
	*m = (struct gmem){ .n = 0 };
}

/* Appends [gpa, gpa+size) at host hpa, joining the last range when both
 * runs continue it. */
static int push(struct gmem *m, u64 gpa, u64 hpa, u64 size)
{
	struct gmem_range *last = m->n ? &m->r[m->n - 1] : NULL;

	if (last && last->gpa + last->size == gpa && last->hpa + last->size == hpa) {
		last->size += size;
		return 0;
	}
	if (m->n == GMEM_RANGES)
		return -1;
	m->r[m->n++] = (struct gmem_range){ gpa, hpa, size };
	return 0;
}

int gmem_add(struct gmem *m, u64 hpa, u64 size)
{
	struct gmem saved = *m;
	u64 low = m->size < GMEM_LOW_MAX ? MIN(size, GMEM_LOW_MAX - m->size) : 0;

	if ((low && push(m, m->size, hpa, low)) ||
	    (size > low && push(m, GMEM_HIGH_BASE + (m->size + low - GMEM_LOW_MAX), hpa + low, size - low))) {
		*m = saved;
		return -1;
	}
	m->size += size;
	return 0;
}

void gmem_init(struct gmem *m, u64 hpa, u64 size)
{
	gmem_init_empty(m);
	gmem_add(m, hpa, size);   /* an empty m has room for the two ranges one block makes */
}

void *gmem_ptr_rest(const struct gmem *m, u64 gpa, u64 len)
{
	for (u32 i = 1; i < m->n; i++) {
		const struct gmem_range *r = &m->r[i];

		if (gpa >= r->gpa && gpa - r->gpa <= r->size && len <= r->size - (gpa - r->gpa))
			return (void *)(uintptr_t)(r->hpa + (gpa - r->gpa));
	}
	return NULL;
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

/* The range holding byte gpa, or NULL. */
static const struct gmem_range *range_of(const struct gmem *m, u64 gpa)
{
	for (u32 i = 0; i < m->n; i++)
		if (gpa >= m->r[i].gpa && gpa - m->r[i].gpa < m->r[i].size)
			return &m->r[i];
	return NULL;
}

void *gmem_piece(const struct gmem *m, u64 gpa, u64 len, u64 *n)
{
	const struct gmem_range *r = range_of(m, gpa);

	*n = r ? MIN(len, r->size - (gpa - r->gpa)) : 0;
	return r ? (void *)(uintptr_t)(r->hpa + (gpa - r->gpa)) : NULL;
}

bool gmem_contains(const struct gmem *m, u64 gpa, u64 len)
{
	if (!len)
		return gmem_ptr(m, gpa, 0) != NULL;   /* as ever: within a range or at its end */
	while (len) {
		u64 n;

		if (!gmem_piece(m, gpa, len, &n))
			return false;
		gpa += n;
		len -= n;
	}
	return true;
}

enum dir { FROM, TO, ZERO };

/* The copy, range by range, once all of it is known to be RAM. */
static int span(const struct gmem *m, u64 gpa, u8 *buf, u64 len, enum dir d)
{
	if (!gmem_contains(m, gpa, len))
		return -1;
	while (len) {
		u64 n;
		u8 *p = gmem_piece(m, gpa, len, &n);

		if (d == FROM)
			memcpy(buf, p, n);
		else if (d == TO)
			memcpy(p, buf, n);
		else
			memset(p, 0, n);
		buf = buf ? buf + n : NULL;
		gpa += n;
		len -= n;
	}
	return 0;
}

int copy_from_guest(const struct gmem *m, void *dst, u64 gpa, u64 len)
{
	return span(m, gpa, dst, len, FROM);
}

int copy_to_guest(const struct gmem *m, u64 gpa, const void *src, u64 len)
{
	return span(m, gpa, (u8 *)(uintptr_t)src, len, TO);
}

int gmem_zero(const struct gmem *m, u64 gpa, u64 len)
{
	return span(m, gpa, NULL, len, ZERO);
}
