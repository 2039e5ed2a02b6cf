/* GDT and TSS of one CPU: flat 64-bit code and data segments and a TSS
 * whose IST stacks catch double faults, NMIs and machine checks. */
#include "core/hw/percpu.h"
#include "core/hw/cpu.h"
#include "core/lib/string.h"

#define MSR_GS_BASE 0xc0000101

static struct cpu boot_cpu;

static void set_gs_base(struct cpu *c)
{
	c->self = c;
	wrmsr(MSR_GS_BASE, (u64)(uintptr_t)c);
}

struct cpu *cpu_boot_init(void)
{
	set_gs_base(&boot_cpu);
	return &boot_cpu;
}

struct desc_ptr {
	u16 limit;
	u64 base;
} __attribute__((packed));

#define GDT_CODE64 0x00209a0000000000ULL /* present, DPL0, code, L */
#define GDT_DATA 0x0000920000000000ULL   /* present, DPL0, data, writable */

static void set_tss_desc(u64 *slot, struct tss *tss)
{
	u64 base = (u64)(uintptr_t)tss, limit = sizeof(*tss) - 1;

	slot[0] = (limit & 0xffff) | (base & 0xffffff) << 16 | 0x89ULL << 40 |
		  ((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
	slot[1] = base >> 32;
}

/* Loads the GDT and reloads CS with a far return, then the data segments. */
static void load_gdt(struct cpu *c)
{
	struct desc_ptr p = { sizeof(c->gdt) - 1, (u64)(uintptr_t)c->gdt };

	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movl %2, %%eax\n\t"
			 "movl %%eax, %%ds\n\t"
			 "movl %%eax, %%es\n\t"
			 "movl %%eax, %%ss\n\t"
			 "xorl %%eax, %%eax\n\t"
			 "movl %%eax, %%fs\n\t"
			 "movl %%eax, %%gs\n\t"
			 : : "m"(p), "i"(SEL_CODE), "i"(SEL_DATA) : "rax", "memory");
}

void cpu_tables_init(struct cpu *c)
{
	memset(&c->tss, 0, sizeof(c->tss));
	for (int i = 0; i < IST_COUNT; i++)
		c->tss.ist[i] = (u64)(uintptr_t)&c->ist_stacks[i][IST_STACK_SIZE];
	c->tss.iomap_base = sizeof(c->tss);
	c->gdt[0] = 0;
	c->gdt[1] = GDT_CODE64;
	c->gdt[2] = GDT_DATA;
	set_tss_desc(&c->gdt[3], &c->tss);
	load_gdt(c);   /* a null GS selector: the base is set again below */
	set_gs_base(c);
	__asm__ volatile("ltr %w0" : : "r"((u16)SEL_TSS));
	idt_load();
}
