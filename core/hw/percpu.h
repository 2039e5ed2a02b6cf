/* Per-CPU state: descriptor tables, TSS and exception stacks. Only the boot
 * CPU exists for now; the layout already gives each CPU its own copy. */
#ifndef CORE_PERCPU_H
#define CORE_PERCPU_H

#include "core/lib/types.h"

#define SEL_CODE 0x08
#define SEL_DATA 0x10
#define SEL_TSS 0x18

#define IST_DF 1   /* double fault */
#define IST_NMI 2
#define IST_MC 3
#define IST_COUNT 3
#define IST_STACK_SIZE 4096

struct tss {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __attribute__((packed));

struct cpu {
	u32 id;
	u32 trap_depth;            /* nested exceptions seen by the handler */
	u64 gdt[5];                /* null, code, data, TSS (two slots) */
	struct tss tss;
	u8 ist_stacks[IST_COUNT][IST_STACK_SIZE] __attribute__((aligned(16)));
};

/* Loads the GDT, segment registers, TSS and the shared IDT on this CPU. */
void cpu_tables_init(struct cpu *c);

/* Fills the IDT (shared by all CPUs); call once before cpu_tables_init. */
void idt_init(void);
void idt_load(void);

struct cpu *this_cpu(void);

#endif
