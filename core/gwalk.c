/* Guest page-table walk. Reads every table entry through gmem_ptr, so a
 * guest pointing its tables outside its memory gets an error, never a host
 * access. Access rights are not checked: callers only read instructions the
 * CPU already fetched. */
#include "core/gwalk.h"
#include "mm/gmem.h"

#define CR0_PG (1ULL << 31)
#define CR4_PSE (1ULL << 4)
#define CR4_PAE (1ULL << 5)
#define EFER_LMA (1ULL << 10)
#define PTE_P 1ULL
#define PTE_PS 0x80ULL
#define ADDR52 0x000ffffffffff000ULL

static int read_entry(const struct guest *g, u64 gpa, unsigned size, u64 *e)
{
	const void *p = gmem_ptr(g, gpa, size);

	if (!p)
		return -1;
	*e = size == 8 ? *(const u64 *)p : *(const u32 *)p;
	return 0;
}

/* 32-bit paging: two levels of 4-byte entries, 4 MiB pages with PSE. */
static int walk32(const struct guest *g, const struct guest_paging *p, u64 va, u64 *gpa)
{
	u64 pde, pte;

	if (read_entry(g, (p->cr3 & 0xfffff000) + ((va >> 22) & 1023) * 4, 4, &pde) || !(pde & PTE_P))
		return -1;
	if ((pde & PTE_PS) && (p->cr4 & CR4_PSE)) {
		*gpa = (pde & 0xffc00000) | ((pde >> 13 & 0xff) << 32) | (va & 0x3fffff);
		return 0;
	}
	if (read_entry(g, (pde & 0xfffff000) + ((va >> 12) & 1023) * 4, 4, &pte) || !(pte & PTE_P))
		return -1;
	*gpa = (pte & 0xfffff000) | (va & 0xfff);
	return 0;
}

/* PAE (3 levels from a 4-entry PDPT) and 4-level paging (from the PML4). */
static int walk64(const struct guest *g, const struct guest_paging *p, u64 va, u64 *gpa)
{
	bool four = p->efer & EFER_LMA;
	int level = four ? 4 : 3;
	u64 table = four ? (p->cr3 & ADDR52) : (p->cr3 & 0xffffffe0);

	for (; level >= 1; level--) {
		unsigned shift = 12 + 9 * (level - 1);
		u64 idx = (va >> shift) & (level == 3 && !four ? 3 : 511);
		u64 e;

		if (read_entry(g, table + idx * 8, 8, &e) || !(e & PTE_P))
			return -1;
		if (level == 1 || (level <= 3 && (e & PTE_PS) && !(level == 3 && !four))) {
			u64 size = 1ULL << shift;

			*gpa = (e & ADDR52 & ~(size - 1)) | (va & (size - 1));
			return 0;
		}
		table = e & ADDR52;
	}
	return -1;
}

int gwalk(const struct guest *g, const struct guest_paging *p, u64 gva, u64 *gpa)
{
	if (!(p->cr0 & CR0_PG)) {
		*gpa = gva & 0xffffffffULL;
		return 0;
	}
	if (p->cr4 & CR4_PAE)
		return walk64(g, p, gva, gpa);
	return walk32(g, p, gva & 0xffffffffULL, gpa);
}

int gwalk_read(const struct guest *g, const struct guest_paging *p, u64 gva,
	       void *buf, u64 len)
{
	u8 *out = buf;

	while (len) {
		u64 chunk = MIN(len, PAGE_SIZE - (gva & (PAGE_SIZE - 1))), gpa;
		const u8 *src;

		if (gwalk(g, p, gva, &gpa) || !(src = gmem_ptr(g, gpa, chunk)))
			return -1;
		for (u64 i = 0; i < chunk; i++)
			out[i] = src[i];
		out += chunk;
		gva += chunk;
		len -= chunk;
	}
	return 0;
}
