/* Hypercalls from CPL 3, for tests that the hypervisor refuses them. On
 * first use the guest builds its own GDT (with user segments and a TSS),
 * page tables (the first 4 GiB identity-mapped with 2 MiB user-accessible
 * pages, like the loader's map) and an IDT for the trip to CPL 3, so it
 * relies on nothing the loader happened to set up. */
#include "guests/rt/rt.h"
#include "guests/rt/gate.h"

#define RT_USER_VECTOR 0x80    /* INT 0x80: back from CPL 3 */
#define PTE_P 1ULL
#define PTE_RW 2ULL
#define PTE_US 4ULL
#define PTE_PS 0x80ULL
#define PTE_TABLE (PTE_US | PTE_RW | PTE_P)
#define CR4_LA57 (1ULL << 12)
#define MAP_GIB 4

struct tss {
	uint32_t rsvd0;
	uint64_t rsp0, rsp1, rsp2;
	uint64_t rsvd1, ist[7], rsvd2;
	uint16_t rsvd3, iomap;
} __attribute__((packed));

struct dtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static uint64_t pml5[512] __attribute__((aligned(4096)));
static uint64_t pml4[512] __attribute__((aligned(4096)));
static uint64_t pdpt[512] __attribute__((aligned(4096)));
static uint64_t pd[MAP_GIB][512] __attribute__((aligned(4096)));
static uint64_t gdt[7] __attribute__((aligned(16)));
static struct tss tss __attribute__((aligned(16)));
static struct rt_gate idt[RT_USER_VECTOR + 1] __attribute__((aligned(16)));
static uint8_t kstack[4096] __attribute__((aligned(16)));
static uint8_t ustack[4096] __attribute__((aligned(16)));

/* rt_user.asm */
extern void rt_user_load(const struct dtr *gdtr, uint64_t cr3);
extern int64_t rt_user_enter(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t user_rsp, int vmm,
			     const struct dtr *idtr);
extern const uint8_t rt_user_return[], rt_user_fault_stubs[];

/* Identity map of the first MAP_GIB GiB, every level user-accessible. The
 * root is a PML5 if the loader left 5-level paging on (CR4.LA57 cannot be
 * changed in long mode). Returns the CR3 value. */
static uint64_t build_page_tables(void)
{
	uint64_t cr4;

	for (uint64_t i = 0; i < MAP_GIB * 512; i++)
		pd[i / 512][i % 512] = i << 21 | PTE_PS | PTE_US | PTE_RW | PTE_P;
	for (int i = 0; i < MAP_GIB; i++)
		pdpt[i] = (uint64_t)(uintptr_t)pd[i] | PTE_TABLE;
	pml4[0] = (uint64_t)(uintptr_t)pdpt | PTE_TABLE;
	pml5[0] = (uint64_t)(uintptr_t)pml4 | PTE_TABLE;
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	return (uint64_t)(uintptr_t)(cr4 & CR4_LA57 ? pml5 : pml4);
}

/* Null, kernel code 0x08, kernel data 0x10, user data 0x1b, user code
 * 0x23 and the TSS at 0x28, whose RSP0 is the stack CPL 3 comes back on. */
static void build_gdt(void)
{
	uint64_t t = (uint64_t)(uintptr_t)&tss;

	gdt[1] = 0x00209a0000000000ULL;   /* kernel code, 64-bit */
	gdt[2] = 0x00cf92000000ffffULL;   /* kernel data */
	gdt[3] = 0x00cff2000000ffffULL;   /* user data, DPL 3 */
	gdt[4] = 0x0020fa0000000000ULL;   /* user code, 64-bit, DPL 3 */
	gdt[5] = (sizeof(tss) - 1) | (t & 0xffffff) << 16 | 0x89ULL << 40 | (t >> 24 & 0xff) << 56;
	gdt[6] = t >> 32;                 /* available 64-bit TSS */
	tss.rsp0 = (uint64_t)(uintptr_t)(kstack + sizeof(kstack));
	tss.iomap = sizeof(tss);
}

/* The IDT loaded only while at CPL 3: exceptions end the trip (returning
 * -1000 - vector), and a DPL-3 gate at RT_USER_VECTOR ends it normally. */
static void build_idt(void)
{
	for (int v = 0; v < 32; v++)
		idt[v] = rt_gate(rt_user_fault_stubs + 16 * v, 0);
	idt[RT_USER_VECTOR] = rt_gate(rt_user_return, 3);
}

int64_t rt_user_hypercall(uint32_t nr, uint64_t a1, uint64_t a2, int use_vmmcall)
{
	struct dtr gdtr = { sizeof(gdt) - 1, (uint64_t)(uintptr_t)gdt };
	struct dtr idtr = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };
	static bool ready;

	if (!ready) {
		build_gdt();
		build_idt();
		rt_user_load(&gdtr, build_page_tables());
		ready = true;
	}
	return rt_user_enter(nr, a1, a2, (uint64_t)(uintptr_t)(ustack + sizeof(ustack)), use_vmmcall,
			     &idtr);
}
