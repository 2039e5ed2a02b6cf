/* The page-table builder. A mapping is applied top-down: at each level an
 * entry either becomes a leaf (when the stretch covers the whole entry and is
 * aligned) or points to a lower table, which is created or split from a
 * larger leaf first. */
#include "mm/pagetable.h"

#define ADDR_MASK 0x000ffffffffff000ULL
#define VA_LIMIT (1ULL << 48)

const struct pt_format pt_x86 = {
	.name = "x86", .table = 0x3, .leaf = 0x1, .write = 0x2,
	.nx = 1ULL << 63, .large = 0x80, .present = 0x1,
};

const struct pt_format pt_npt = {
	.name = "npt", .table = 0x7, .leaf = 0x5, .write = 0x2,
	.nx = 1ULL << 63, .large = 0x80, .present = 0x1,
};

/* EPT: bits 0-2 read/write/execute, 3-5 memory type (6 = write-back),
 * 7 large page. */
const struct pt_format pt_ept = {
	.name = "ept", .table = 0x7, .leaf = 6 << 3, .read = 0x1, .write = 0x2,
	.exec = 0x4, .large = 0x80, .present = 0x7,
};

static u64 *table_at(u64 pa)
{
	return (u64 *)(uintptr_t)pa;
}

static unsigned index_of(u64 va, int level)
{
	return (va >> (12 + 9 * (level - 1))) & 511;
}

static u64 leaf_entry(const struct pt_format *f, u64 pa, u32 prot, int level)
{
	u64 e = f->leaf | pa;

	if (prot & PT_R)
		e |= f->read;
	if (prot & PT_W)
		e |= f->write;
	e |= (prot & PT_X) ? f->exec : f->nx;
	if (level > 1)
		e |= f->large;
	return e;
}

static bool is_leaf(const struct pt_format *f, u64 e, int level)
{
	return level == 1 || (e & f->large);
}

static u32 prot_of(const struct pt_format *f, u64 e)
{
	u32 p = PT_R;

	if (e & f->write)
		p |= PT_W;
	if (f->exec ? (e & f->exec) : !(e & f->nx))
		p |= PT_X;
	return p;
}

static u64 *new_table(struct pagetable *pt, u64 *pa)
{
	u64 *t = pt->alloc(pt->ctx, pa);

	if (t)
		pt->tables++;
	return t;
}

/* Replaces the large leaf *e (at level) by a table of smaller leaves that
 * map the same range with the same rights. */
static bool split(struct pagetable *pt, u64 *e, int level)
{
	const struct pt_format *f = pt->fmt;
	u64 base = *e & ADDR_MASK & ~(PT_LEVEL_SIZE(level) - 1), tpa;
	u32 prot = prot_of(f, *e);
	u64 *t = new_table(pt, &tpa);

	if (!t)
		return false;
	for (unsigned i = 0; i < 512; i++)
		t[i] = leaf_entry(f, base + i * PT_LEVEL_SIZE(level - 1), prot, level - 1);
	*e = f->table | tpa;
	return true;
}

/* The lower table behind *e, created or split as needed; NULL when out of
 * memory. */
static u64 *lower(struct pagetable *pt, u64 *e, int level)
{
	u64 tpa;

	if (!(*e & pt->fmt->present)) {
		if (!new_table(pt, &tpa))
			return NULL;
		*e = pt->fmt->table | tpa;
	} else if (is_leaf(pt->fmt, *e, level) && !split(pt, e, level)) {
		return NULL;
	}
	return table_at(*e & ADDR_MASK);
}

static int map_level(struct pagetable *pt, u64 *table, int level,
		     u64 va, u64 pa, u64 end, u32 prot)
{
	u64 step = PT_LEVEL_SIZE(level);

	while (va < end) {
		u64 next = MIN(ALIGN_DOWN(va, step) + step, end);
		u64 *e = &table[index_of(va, level)];
		bool whole = IS_ALIGNED(va, step) && next - va == step &&
			     IS_ALIGNED(pa, step);
		bool table_below = (*e & pt->fmt->present) && !is_leaf(pt->fmt, *e, level);

		if (level <= pt->max_leaf && whole && !table_below) {
			*e = leaf_entry(pt->fmt, pa, prot, level);
		} else {
			u64 *t = lower(pt, e, level);
			int r;

			if (!t)
				return PT_ENOMEM;
			r = map_level(pt, t, level - 1, va, pa, next, prot);
			if (r)
				return r;
		}
		pa += next - va;
		va = next;
	}
	return PT_OK;
}

int pt_init(struct pagetable *pt, const struct pt_format *fmt, u8 max_leaf,
	    pt_alloc_fn alloc, void *ctx)
{
	*pt = (struct pagetable){ .fmt = fmt, .alloc = alloc, .ctx = ctx,
				  .max_leaf = max_leaf < 1 ? 1 : MIN(max_leaf, 3) };
	return new_table(pt, &pt->root) ? PT_OK : PT_ENOMEM;
}

int pt_map(struct pagetable *pt, u64 va, u64 pa, u64 size, u32 prot)
{
	if (!IS_ALIGNED(va | pa | size, PAGE_SIZE) || !(prot & PT_R) ||
	    va >= VA_LIMIT || size > VA_LIMIT - va || pa + size < pa ||
	    pa + size > ADDR_MASK + PAGE_SIZE)
		return PT_EINVAL;
	return map_level(pt, table_at(pt->root), 4, va, pa, va + size, prot);
}

int pt_lookup(const struct pagetable *pt, u64 va, u64 *pa, u32 *prot, u8 *level)
{
	const u64 *t = table_at(pt->root);

	if (va >= VA_LIMIT)
		return PT_ENOENT;
	for (int l = 4; l >= 1; l--) {
		u64 e = t[index_of(va, l)];

		if (!(e & pt->fmt->present))
			return PT_ENOENT;
		if (is_leaf(pt->fmt, e, l)) {
			u64 off = va & (PT_LEVEL_SIZE(l) - 1);

			if (pa)
				*pa = (e & ADDR_MASK & ~(PT_LEVEL_SIZE(l) - 1)) + off;
			if (prot)
				*prot = prot_of(pt->fmt, e);
			if (level)
				*level = (u8)l;
			return PT_OK;
		}
		t = table_at(e & ADDR_MASK);
	}
	return PT_ENOENT;
}
