/* Guests and their virtual CPUs, as the vendor-neutral part of the
 * hypervisor sees them. A backend (core/vmx, core/svm) keeps its own state
 * behind vcpu->arch and reaches the rest through struct backend_ops. */
#ifndef CORE_VCPU_H
#define CORE_VCPU_H

#include "core/config.h"
#include "core/types.h"
#include "mm/pagetable.h"
#include "sched/sched.h"

/* General registers the entry/exit assembly saves and restores. The order
 * is fixed: core/vmx/vmx_entry.asm and core/svm/svm_entry.asm use these
 * offsets (8 * index). RSP and RIP live in the VMCS/VMCB. */
struct gprs {
	u64 rax, rbx, rcx, rdx, rsi, rdi, rbp;
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
};

/* A segment register in VMX access-rights form (bit 16 = unusable). */
struct seg {
	u16 sel;
	u32 limit;
	u32 ar;
	u64 base;
};

#define AR_UNUSABLE (1u << 16)

enum seg_id { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_LDTR, SEG_TR, SEG_COUNT };

/* Everything needed to start a vCPU, filled by the loader. */
struct vcpu_state {
	u64 rip, rsp, rflags;
	u64 cr0, cr3, cr4, efer;
	struct seg seg[SEG_COUNT];
	u64 gdtr_base, idtr_base;
	u32 gdtr_limit, idtr_limit;
	u64 rax, rbx, rsi;         /* boot protocols pass their magic and info here */
};

/* Registers other than the GPRs that exit handlers read or write. */
enum vreg {
	VREG_RIP, VREG_RSP, VREG_RFLAGS, VREG_CR0, VREG_CR3, VREG_CR4, VREG_EFER,
	VREG_CS_AR, VREG_CS_BASE, VREG_CPL, VREG_FS_BASE, VREG_GS_BASE,
	VREG_ES_BASE, VREG_SS_BASE, VREG_DS_BASE,
	/* MSRs a kernel sets up for SYSCALL and SWAPGS (VREG_KGS_BASE ...
	 * VREG_SFMASK stay together), for SYSENTER, and the PAT */
	VREG_KGS_BASE, VREG_STAR, VREG_LSTAR, VREG_CSTAR, VREG_SFMASK,
	VREG_SYSENTER_CS, VREG_SYSENTER_ESP, VREG_SYSENTER_EIP, VREG_PAT,
	VREG_SHADOW,   /* blocking by STI or MOV SS: 1 while it lasts; writing 0 ends it */
	VREG_COUNT
};

_Static_assert(VREG_COUNT <= 32, "backends keep sets of vregs in a u32");

enum guest_state { GUEST_NEW, GUEST_RUNNABLE, GUEST_REBOOTING, GUEST_STOPPED };

struct guest;

/* The local APIC of a vCPU (core/vlapic.c), xAPIC registers at
 * 0xfee00000. The 256-bit vectors keep vector n in bit n % 32 of word
 * n / 32. */
enum { LVT_TIMER, LVT_THERMAL, LVT_PERF, LVT_LINT0, LVT_LINT1, LVT_ERROR, LVT_COUNT };

struct vlapic {
	u32 irr[8], isr[8], tmr[8];
	u32 nirr;                  /* bits set in irr */
	u32 tpr, ldr, dfr, svr, icr_lo, icr_hi;
	u32 lvt[LVT_COUNT];
	u32 timer_init, tdcr;      /* TMICT and the divide register as written */
	u64 timer_start_ns;        /* when TMICT was written */
	u64 timer_next_ns;         /* the timer's next interrupt, 0 = none */
	bool enabled;              /* IA32_APIC_BASE bit 11 */
};

struct vcpu {
	struct gprs gprs;          /* first: the assembly addresses it */
	struct guest *guest;
	void *arch;                /* backend state */
	u32 id;
	u64 exits;
	u64 exit_counts[64];
	u64 xcr0;                  /* core/vfpu.c */
	void *fpu_area;            /* its FPU/SSE/AVX registers while others run */
	u64 dr[4];                 /* DR0-DR3 while others run (core/vswitch.c) */
	u64 tsc_aux;               /* IA32_TSC_AUX (core/vswitch.c) */
	struct vlapic lapic;
	bool irq_window;           /* an interrupt-window exit is asked for (core/virq.c) */
	struct sched_entity se;    /* owner = this vCPU */
};

/* The registers of the emulated 16550 a guest writes its console to, and
 * its receive FIFO (what is typed on the hypervisor's console). */
#define VUART_FIFO 16

struct vuart {
	u8 ier, fcr, lcr, mcr, scr, dll, dlh;
	bool thre_pending;         /* the "transmitter empty" interrupt is due */
	bool line;                 /* IRQ 4 as last driven */
	u8 rx[VUART_FIFO], rx_head, rx_len;
};

/* The ACPI fixed-hardware registers of a guest (core/vpm.c), as its
 * tables (core/vacpi.c) describe them. */
struct vacpi {
	u16 pm1_sts, pm1_en, pm1_cnt;
};

/* The i8254 PIT of a guest (core/vpit.c). */
struct vpit_channel {
	u16 reload, latch;
	u64 start_ns;              /* when the count was loaded (or gate 2 rose) */
	u8 mode, access;
	bool counting, latched, read_hi, write_hi;
};

struct vpit {
	struct vpit_channel ch[3];
	u64 next_irq_ns;           /* channel 0's next IRQ 0, 0 = none */
	u8 port61;                 /* gate 2, speaker */
	u8 refresh;                /* bit 4 toggles on every read of 0x61 */
};

/* One i8259 of a guest (core/vpic.c), with its ELCR (port 0x4d0/0x4d1). */
struct vpic_chip {
	u8 irr, isr, imr, base, elcr;
	u8 icw;                    /* the initialization word expected next, 0 = done */
	bool icw4, aeoi, ready, read_isr;
};

/* The guest's IOAPIC (core/vioapic.c) at 0xfec00000. */
#define VIOAPIC_PINS 24

struct vioapic {
	u32 sel, id;               /* IOREGSEL; the ID register's bits 24-27 */
	u64 redir[VIOAPIC_PINS];
	u32 pending;               /* level pins raised while their remote IRR was set */
};

#define GCONS_LINE 120
#define GCONS_RING 8192            /* finished lines waiting (core/gcons.c) */
#define GCONS_DRAIN 1              /* bytes handed to the console at once: one line, however short */

struct guest {
	u32 id;
	char name[CFG_NAME_MAX];
	enum guest_state state;
	u64 mem_size;              /* guest-physical RAM is [0, mem_size) */
	u64 mem_hpa;               /* host-physical backing, contiguous */
	struct pagetable slat;     /* second-level tables (EPT or NPT) */
	struct vcpu *vcpu;
	struct vuart com1;
	u8 cmos_index;             /* port 0x70 (core/vrtc.c) */
	struct vpit pit;
	struct vpic_chip pic[2];   /* master, slave */
	struct vioapic ioapic;
	bool virq_check;           /* devices changed: virq_deliver looks again */
	u32 pci_address;           /* port 0xcf8 (core/vpci.c) */
	struct vacpi acpi;
	u32 con_len;               /* guest console line being assembled */
	char con_line[GCONS_LINE + 1];   /* and room for its '\n' */
	char *con_ring;            /* GCONS_RING bytes of finished lines, '\n'-terminated */
	u32 con_head, con_used;    /* the oldest byte, bytes waiting */
	const char *con_src;       /* an accepted console_write's bytes not yet taken, */
	u32 con_todo;              /* ... and how many: taken in the guest's slices (core/run.c) */
	u64 exit_code;             /* from the guest's shutdown call */
	const char *stop_reason;
	const struct guest_cfg *cfg;
	const u8 *image;           /* as the boot loader gave it, for reboots */
	u64 image_size;
	bool image_scanned;        /* image_mb holds its Multiboot version (core/loader.c) */
	u8 image_mb;
	const u8 *mod_base[CFG_MAX_MODULES];   /* cfg->modules, as loaded */
	u64 mod_size[CFG_MAX_MODULES];
	u64 free_base, free_end;   /* RAM the loaded image left free */
	u32 boot_count;            /* starts so far */
	u64 wipe_next;             /* rebooting: RAM below this offset is wiped (core/run.c) */
	u32 reboots_unlogged;      /* reboots the console had no room to report (core/run.c) */
	u64 wake_ns;               /* asleep until time_now_ns() reaches it; 0 = awake */
	bool yielded;              /* gave up the rest of its slice */
	bool paused;               /* by the debug console */
	u32 abi_used;              /* bit N: it called ABI version N */
	u64 notify_bits;           /* raised by hc_notify, taken by hc_notify_poll */
};

#endif
