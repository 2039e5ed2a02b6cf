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

struct vcpu;

struct cpu {
	struct cpu *self;          /* first: this_cpu() reads it at %gs:0 */
	u32 id;                    /* 0 for the boot CPU, then in start order */
	u32 apic_id;               /* its local APIC's ID */
	u32 trap_depth;            /* nested exceptions seen by the handler */
	/* 1 while this CPU runs with interrupts held off by GIF though IF is
	 * set (core/svm/svm_entry.asm, around its VMRUN loop, at
	 * CPU_GIF_CLEAR): the lock checks count that as interrupts off */
	u32 gif_clear;
	u64 nmis;                  /* NMIs taken (core/hw/trap.c); smp_report reads it */
	u64 guest_nmis;            /* of them, those that came while a guest ran (its exit) */
	/* An AP's next work (core/smp/smp.c): set by another CPU, which then
	 * kicks it; taken and cleared by the AP itself. */
	void (*volatile work)(void);
	/* The guest state this CPU holds (core/vm/vswitch.c, vfpu.c): the
	 * vCPU whose slice it is (or was last), the owners of its FPU
	 * registers and of its DR0-DR3, the IA32_TSC_AUX it holds. */
	struct vcpu *vcpu, *fpu_owner, *dr_owner;
	u64 tsc_aux;
	/* The backend's own words (struct vmx_cpu, struct svm_cpu). */
	u64 backend[8];
	/* When this CPU last took a kick (TSC, core/hw/lapic.c); cleared by
	 * the first interrupt injected after it, which counts the time
	 * between as its vCPU's take (core/guest/run.c, make bench). */
	u64 kick_tsc;
	/* The local APIC timer (core/hw/lapic.c): armed, and until when (TSC);
	 * fired since asked. */
	volatile bool timer_running, timer_fired;
	u64 timer_deadline;
	u64 gdt[5];                /* null, code, data, TSS (two slots) */
	struct tss tss;
	u8 ist_stacks[IST_COUNT][IST_STACK_SIZE] __attribute__((aligned(16)));
};

#define HV_MAX_CPUS 64
#define CPU_GIF_CLEAR 20   /* offsetof(struct cpu, gif_clear), for the assembly */
_Static_assert(__builtin_offsetof(struct cpu, gif_clear) == CPU_GIF_CLEAR, "CPU_GIF_CLEAR");

/* The online CPUs (core/hw/cpus.c). The boot CPU marks itself and then
 * each AP once it said it is online; from the first on, locks check
 * their callers (core/lib/spinlock.h). */
void cpu_set_online(struct cpu *c);

/* CPU number id if it is online, else NULL; how many are online. */
struct cpu *cpu_by_id(u32 id);
u32 cpus_online(void);

/* Stops every other online CPU for good, by NMI (each halts in its NMI
 * handler, wherever it was: in a guest, holding a lock, spinning with
 * interrupts off) and waits a bounded time for them: then the caller has
 * the machine (power-off, a panic's message). True again on the same CPU;
 * false when another CPU did it first: the caller's NMI is on its way. */
bool cpus_stop_others(void);

/* From the NMI handler: halts for good if the CPUs are being stopped. */
void cpu_nmi_stop(void);

/* The boot CPU's struct cpu, its GS base pointed at it: the first thing
 * hv_main does, so that this_cpu() works from then on. */
struct cpu *cpu_boot_init(void);

/* Loads the GDT, segment registers, TSS and the shared IDT on this CPU,
 * and points its GS base at c. */
void cpu_tables_init(struct cpu *c);

/* Fills the IDT (shared by all CPUs); call once before cpu_tables_init. */
void idt_init(void);
void idt_load(void);

/* A field of the running CPU's struct cpu, read or written in one
 * instruction (%gs-relative) on the paths every switch takes. Only for
 * fields of 1, 2, 4 or 8 bytes that this CPU alone writes. */
#define THIS_CPU_OFF(f) __builtin_offsetof(struct cpu, f)
#define this_cpu_read(f)                                                            \
	({                                                                          \
		__typeof__(((struct cpu *)0)->f) v_;                                \
		__asm__ volatile("mov %%gs:%c1, %0" : "=r"(v_) : "i"(THIS_CPU_OFF(f))); \
		v_;                                                                 \
	})
#define this_cpu_write(f, val)                                                      \
	do {                                                                        \
		__typeof__(((struct cpu *)0)->f) v_ = (val);                        \
		__asm__ volatile("mov %0, %%gs:%c1" : : "r"(v_), "i"(THIS_CPU_OFF(f)) : "memory"); \
	} while (0)

/* The running CPU's struct cpu. */
static inline struct cpu *this_cpu(void)
{
	struct cpu *c;

	__asm__("mov %%gs:0, %0" : "=r"(c));
	return c;
}

#endif
