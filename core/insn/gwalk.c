/* Guest page-table walk. Reads every table entry through gmem_ptr, so a
 * guest pointing its tables outside its memory gets an error, never a host
 * access. Access rights are not checked: callers only read instructions the
 * CPU already fetched. */
#include "core/insn/gwalk.h"
#include "core/hw/cpu.h"
#include "mm/gmem.h"
#include "core/lib/string.h"

#define PTE_P 1ULL
#define PTE_PS 0x80ULL
#define ADDR52 0x000ffffffffff000ULL

static int read_entry(const struct gmem *m, u64 gpa, unsigned size, u64 *e)
{
	const void *p = gmem_ptr(m, gpa, size);

	if (!p)
		return -1;
	*e = size == 8 ? *(const u64 *)p : *(const u32 *)p;
	return 0;
}

/* 32-bit paging: two levels of 4-byte entries, 4 MiB pages with PSE. */
static int walk32(const struct gmem *m, const struct guest_paging *p, u64 va, u64 *gpa)
{
	u64 pde, pte;

	if (read_entry(m, (p->cr3 & 0xfffff000) + ((va >> 22) & 1023) * 4, 4, &pde) || !(pde & PTE_P))
		return -1;
	if ((pde & PTE_PS) && (p->cr4 & CR4_PSE)) {
		*gpa = (pde & 0xffc00000) | ((pde >> 13 & 0xff) << 32) | (va & 0x3fffff);
		return 0;
	}
	if (read_entry(m, (pde & 0xfffff000) + ((va >> 12) & 1023) * 4, 4, &pte) || !(pte & PTE_P))
		return -1;
	*gpa = (pte & 0xfffff000) | (va & 0xfff);
	return 0;
}

/* PAE (3 levels from a 4-entry PDPT) and 4-level paging (from the PML4).
 * shift is the address bit the current level's index starts at; large
 * pages end the walk at the PD (2 MiB) and, with 4 levels, the PDPT (1 GiB). */
static int walk64(const struct gmem *m, const struct guest_paging *p, u64 va, u64 *gpa)
{
	bool four = p->efer & EFER_LMA;
	unsigned shift = four ? 39 : 30, large = four ? 30 : 21;
	u64 table = four ? (p->cr3 & ADDR52) : (p->cr3 & 0xffffffe0), mask = four ? 511 : 3;

	for (;;) {
		const u64 *ent = gmem_ptr(m, table + ((va >> shift) & mask) * 8, 8);
		u64 e, size;

		if (!ent || !((e = *ent) & PTE_P))
			return -1;
		if (shift == 12 || ((e & PTE_PS) && shift <= large)) {
			size = 1ULL << shift;
			*gpa = (e & ADDR52 & ~(size - 1)) | (va & (size - 1));
			return 0;
		}
		table = e & ADDR52;
		shift -= 9;
		mask = 511;
	}
}

int gwalk(const struct gmem *m, const struct guest_paging *p, u64 gva, u64 *gpa)
{
	if (!(p->cr0 & CR0_PG)) {
		*gpa = gva & 0xffffffffULL;
		return 0;
	}
	if (p->cr4 & CR4_PAE)
		return walk64(m, p, gva, gpa);
	return walk32(m, p, gva & 0xffffffffULL, gpa);
}

int gwalk_read(const struct gmem *m, const struct guest_paging *p, u64 gva,
	       void *buf, u64 len)
{
	u8 *out = buf;

	while (len) {
		u64 chunk = MIN(len, PAGE_SIZE - (gva & (PAGE_SIZE - 1))), gpa;
		const u8 *src;

		if (gwalk(m, p, gva, &gpa) || !(src = gmem_ptr(m, gpa, chunk)))
			return -1;
		memcpy(out, src, chunk);
		out += chunk;
		gva += chunk;
		len -= chunk;
	}
	return 0;
}
