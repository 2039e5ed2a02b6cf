/* Per-CPU state: descriptor tables, TSS and exception stacks, one struct
 * cpu for each CPU (the boot CPU's static, each AP's allocated when it is
 * started: core/smp/smp.c), reached through the GS base, which holds the
 * CPU's own struct cpu in the hypervisor (VT-x reloads it from the VMCS's
 * host state at every exit, AMD-V from the host's VMLOAD area). Every
 * field is touched only by its own CPU, except where a comment says; an
 * AP's id and apic_id are written by the boot CPU before it starts. */
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
	struct cpu *self;          /* first: this_cpu() reads it at %gs:0 */
	u32 id;                    /* 0 for the boot CPU, then in start order */
	u32 apic_id;               /* its local APIC's ID */
	u32 trap_depth;            /* nested exceptions seen by the handler */
	u64 nmis;                  /* NMIs taken (core/hw/trap.c); smp_report reads it */
	u64 guest_nmis;            /* of them, those that came while a guest ran (its exit) */
	/* An AP's next work (core/smp/smp.c): set by another CPU, which then
	 * kicks it; taken and cleared by the AP itself. */
	void (*volatile work)(void);
	u64 gdt[5];                /* null, code, data, TSS (two slots) */
	struct tss tss;
	u8 ist_stacks[IST_COUNT][IST_STACK_SIZE] __attribute__((aligned(16)));
};

#define HV_MAX_CPUS 64

/* The boot CPU's struct cpu, its GS base pointed at it: the first thing
 * hv_main does, so that this_cpu() works from then on. */
struct cpu *cpu_boot_init(void);

/* Loads the GDT, segment registers, TSS and the shared IDT on this CPU,
 * and points its GS base at c. */
void cpu_tables_init(struct cpu *c);

/* Fills the IDT (shared by all CPUs); call once before cpu_tables_init. */
void idt_init(void);
void idt_load(void);

/* The running CPU's struct cpu. */
static inline struct cpu *this_cpu(void)
{
	struct cpu *c;

	__asm__("mov %%gs:0, %0" : "=r"(c));
	return c;
}

#endif
