/* Hypercalls from CPL 3, for tests that the hypervisor refuses them. The
 * guest builds its own GDT (with user segments and a TSS), page tables
 * (1 GiB identity map, user-accessible) and a DPL-3 gate at RT_USER_VECTOR
 * on first use, so it relies on nothing the loader happened to set up. */
#include "guests/rt/rt.h"

#define RT_USER_VECTOR 0x80
#define PTE_P 1ULL
#define PTE_RW 2ULL
#define PTE_US 4ULL
#define PTE_PS 0x80ULL

struct tss {
	uint32_t rsvd0;
	uint64_t rsp0, rsp1, rsp2;
	uint64_t rsvd1, ist[7], rsvd2;
	uint16_t rsvd3, iomap;
} __attribute__((packed));

static uint64_t pml4[512] __attribute__((aligned(4096)));
static uint64_t pdpt[512] __attribute__((aligned(4096)));
static uint64_t pd[512] __attribute__((aligned(4096)));
static uint64_t gdt[7] __attribute__((aligned(16)));
static struct tss tss __attribute__((aligned(16)));
static uint8_t kstack[4096] __attribute__((aligned(16)));
static uint8_t ustack[4096] __attribute__((aligned(16)));

/* rt_user.asm */
extern void rt_user_load(const void *gdtr, uint64_t cr3);
extern int64_t rt_user_enter(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t user_rsp, int vmm);
extern const uint8_t rt_user_return[];

static void setup(void)
{
	uint64_t t = (uint64_t)(uintptr_t)&tss;
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) gdtr = { sizeof(gdt) - 1, (uint64_t)(uintptr_t)gdt };

	for (uint64_t i = 0; i < 512; i++)
		pd[i] = i << 21 | PTE_PS | PTE_US | PTE_RW | PTE_P;
	pdpt[0] = (uint64_t)(uintptr_t)pd | PTE_US | PTE_RW | PTE_P;
	pml4[0] = (uint64_t)(uintptr_t)pdpt | PTE_US | PTE_RW | PTE_P;
	gdt[1] = 0x00209a0000000000ULL;   /* 0x08 kernel code, 64-bit */
	gdt[2] = 0x00cf92000000ffffULL;   /* 0x10 kernel data */
	gdt[3] = 0x00cff2000000ffffULL;   /* 0x1b user data, DPL 3 */
	gdt[4] = 0x0020fa0000000000ULL;   /* 0x23 user code, 64-bit, DPL 3 */
	gdt[5] = (sizeof(tss) - 1) | (t & 0xffffff) << 16 | 0x89ULL << 40 | (t >> 24 & 0xff) << 56;
	gdt[6] = t >> 32;                 /* 0x28 available 64-bit TSS */
	tss.rsp0 = (uint64_t)(uintptr_t)(kstack + sizeof(kstack));
	tss.iomap = sizeof(tss);
	rt_idt_set(RT_USER_VECTOR, rt_user_return, 3);
	rt_user_load(&gdtr, (uint64_t)(uintptr_t)pml4);
}

int64_t rt_user_hypercall(uint32_t nr, uint64_t a1, uint64_t a2, int use_vmmcall)
{
	static bool ready;

	if (!ready) {
		setup();
		ready = true;
	}
	return rt_user_enter(nr, a1, a2, (uint64_t)(uintptr_t)(ustack + sizeof(ustack)), use_vmmcall);
}
