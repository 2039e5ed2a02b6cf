/* A 64-bit start state built in guest memory (core/load/longmode.h). */
#include "core/load/longmode.h"
#include "core/lib/string.h"
#include "mm/gmem.h"

#define GDT_CODE64 0x00209a0000000000ULL
#define GDT_DATA 0x00cf92000000ffffULL
#define PTE_RW_P 0x3ULL
#define PDE_2M 0x83ULL

/* GDT (null entries, then a 64-bit code and a flat data descriptor at
 * selectors cs and cs + 8), PML4, PDPT and four PDs identity-mapping 4 GiB
 * with 2 MiB pages, all at area; returns the PML4's address. */
static u64 build_long_mode_tables(struct guest *g, u64 area, u16 cs)
{
	u64 *gdt = gmem_ptr(&g->mem, area, cs + 16);
	u64 *pml4 = gmem_ptr(&g->mem, area + 0x1000, 0x1000);
	u64 *pdpt = gmem_ptr(&g->mem, area + 0x2000, 0x1000);
	u64 *pd = gmem_ptr(&g->mem, area + 0x3000, 4 * 0x1000);

	memset(gdt, 0, cs);
	gdt[cs / 8] = GDT_CODE64;
	gdt[cs / 8 + 1] = GDT_DATA;
	pml4[0] = (area + 0x2000) | PTE_RW_P;
	for (u64 i = 0; i < 4; i++)
		pdpt[i] = (area + 0x3000 + i * 0x1000) | PTE_RW_P;
	/* four entries a turn: this runs at every reboot, in the guest's slice */
	for (u64 i = 0, e = PDE_2M; i < 4 * 512; i += 4, e += 4 * MiB(2)) {
		pd[i] = e;
		pd[i + 1] = e + MiB(2);
		pd[i + 2] = e + MiB(4);
		pd[i + 3] = e + MiB(6);
	}
	return area + 0x1000;
}

void longmode_setup(struct guest *g, u64 area, u64 entry, u16 cs, struct vcpu_state *s)
{
	u64 cr3 = build_long_mode_tables(g, area, cs);

	memset(s, 0, sizeof(*s));
	s->rip = entry;
	s->rsp = area;
	s->rflags = 0x2;
	s->cr0 = 0x80050033;       /* PG WP NE ET MP PE */
	s->cr3 = cr3;
	s->cr4 = 0x20;             /* PAE */
	s->efer = 0x500;           /* LMA LME */
	vcpu_state_seg(s, SEG_CS, cs, 0, 0xffffffff, 0xa09b);
	for (int i = SEG_ES; i <= SEG_GS; i++)
		if (i != SEG_CS)
			vcpu_state_seg(s, i, (u16)(cs + 8), 0, 0xffffffff, 0xc093);
	vcpu_state_seg(s, SEG_TR, 0, 0, 0x67, 0x8b);
	vcpu_state_seg(s, SEG_LDTR, 0, 0, 0, AR_UNUSABLE);
	s->gdtr_base = area;
	s->gdtr_limit = cs + 16 - 1;
}
