/* Guests and their virtual CPUs, as the vendor-neutral part of the
 * hypervisor sees them. A backend (core/vmx, core/svm) keeps its own state
 * behind vcpu->arch and reaches the rest through struct backend_ops. */
#ifndef CORE_VCPU_H
#define CORE_VCPU_H

#include "core/config/config.h"
#include "core/lib/spinlock.h"
#include "core/lib/types.h"
#include "core/vm/act.h"
#include "mm/gmem.h"
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

static inline void vcpu_state_seg(struct vcpu_state *s, enum seg_id id, u16 sel, u64 base, u32 limit,
				  u32 ar)
{
	s->seg[id] = (struct seg){ .sel = sel, .base = base, .limit = limit, .ar = ar };
}

/* *s as a CPU starts in real mode at cs:0 (CS base cs << 4): flat 64 KiB
 * data segments at 0, interrupts off, paging and protection off. */
static inline void vcpu_state_real_mode(struct vcpu_state *s, u16 cs)
{
	*s = (struct vcpu_state){ .rflags = 0x2, .cr0 = 0x10 /* ET */, .gdtr_limit = 0xffff, .idtr_limit = 0x3ff };
	for (int i = SEG_ES; i <= SEG_GS; i++)
		vcpu_state_seg(s, (enum seg_id)i, 0, 0, 0xffff, 0x93);
	vcpu_state_seg(s, SEG_CS, cs, (u64)cs << 4, 0xffff, 0x9b);
	vcpu_state_seg(s, SEG_TR, 0, 0, 0xffff, 0x8b);
	vcpu_state_seg(s, SEG_LDTR, 0, 0, 0xffff, 0x82);
}

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
	VREG_TSC_OFFSET,   /* added to the host's TSC for the guest's RDTSC, RDTSCP and IA32_TSC */
	VREG_COUNT
};

_Static_assert(VREG_COUNT <= 32, "backends keep sets of vregs in a u32");

enum guest_state { GUEST_NEW, GUEST_RUNNABLE, GUEST_REBOOTING, GUEST_STOPPED };

struct guest;

/* Device state, each in its device's own header. */
struct vlapic;
struct vuart;
struct vpit;
struct vpic_chip;
struct vioapic;
struct vpm;
struct gcons;
struct scheduler;

struct vcpu {
	struct gprs gprs;          /* first: the assembly addresses it */
	struct guest *guest;
	void *arch;                /* backend state */
	u32 id;
	u64 exit_counts[64];       /* by enum exit_reason: every exit, counted once */
	/* Interrupts injected first after a kick of the CPU running it, and
	 * the least TSC ticks from the kick's handler to that injection, just
	 * before the entry (core/guest/run.c): an IPI's take. injected: virq
	 * injected an interrupt for the coming entry (run.c clears it). Its
	 * own CPU's. */
	u64 takes, take_min;
	bool injected;
	u8 hc_len;                 /* the hypercall instruction being served (compat_retry) */
	bool served;               /* the short way served the last exit, and */
	struct act served_act;     /* this follows it (core/exit/fast.h) */
	u64 xcr0;                  /* core/vm/vfpu.c */
	void *fpu_area;            /* its FPU/SSE/AVX registers while others run */
	u64 dr[4];                 /* DR0-DR3 while others run (core/vm/vswitch.c) */
	bool dr_live;              /* it used them: MOV DR does not exit, they switch */
	u64 tsc_aux;               /* IA32_TSC_AUX (core/vm/vswitch.c) */
	/* MSRs modelled in software alone (core/exit/vmsr.c), nothing of them
	 * on the CPU: only this vCPU's exits read and write them */
	u64 tsc_offset;            /* the guest's TSC minus the host's, VREG_TSC_OFFSET's copy:
				    * IA32_TSC and TSC_ADJUST writes; 0 at each guest start */
	u64 misc_enable;           /* IA32_MISC_ENABLE (Intel) */
	u64 amd_perf[8];           /* AMD PerfEvtSel0-3, PerfCtr0-3: kept, never counting */
	struct vlapic *lapic;      /* core/irq/vlapic.h */
	bool irq_window;           /* an interrupt-window exit is asked for (core/irq/virq.c) */
	bool nmi_window;           /* an NMI-window exit is asked for (core/irq/virq.c) */
	bool nmi_pending;          /* an NMI waits for delivery, at most one (core/irq/virq.c;
				    * set by any vCPU of the guest, under its lock) */
	bool virq_check;           /* something may be deliverable: virq_deliver looks again (set by
				    * any vCPU of the guest, under its lock; cleared by this one) */
	/* Starting and stopping, for a guest of several vCPUs (core/vm/vmp.c):
	 * what INIT and SIPI asked, and whether the run loop must look at this
	 * vCPU before entering it (hold). Other vCPUs of the guest write them
	 * under the guest's lock, from any CPU; the vCPU's own CPU acts on
	 * them, and alone writes mp. */
	u8 mp;                     /* enum vcpu_mp */
	bool init_pending;         /* an INIT came */
	s16 sipi_vector;           /* a start-up IPI came for this page, -1 none */
	u8 hold;                   /* the run loop looks before the next entry (atomic) */
	struct sched_entity se;    /* owner = this vCPU */
	char se_name[CFG_NAME_MAX + 4];   /* "name/N" for vCPU N > 0 */
};

/* A vCPU runs, or waits for a start-up IPI (vCPUs other than the first,
 * from power-on, and after an INIT). */
enum vcpu_mp { VCPU_RUNNING, VCPU_WAIT_SIPI };

struct guest {
	u32 id;
	char name[CFG_NAME_MAX];
	enum guest_state state;
	struct gmem mem;           /* its RAM (mm/gmem.h) */
	struct pagetable slat;     /* second-level tables (EPT or NPT) */
	struct vcpu *vcpu;         /* its vCPUs, nvcpus of them; vcpu[0] boots it */
	u32 nvcpus;
	/* With several vCPUs, which may run on several CPUs at once: held
	 * around every exit handled the long way, interrupt delivery, the
	 * console's steps and the vCPUs' starting and stopping (guest_lock).
	 * Taken before any other lock, never across a VM entry. A guest of
	 * one vCPU has only that vCPU's CPU to fear and takes no lock. */
	struct spinlock lock;
	/* its devices' state, each allocated at creation (core/guest/guest.c)
	 * and only ever touched by the device in the guest's own exits */
	struct vuart *com1;        /* core/dev/vuart.h */
	struct vpit *pit;          /* core/irq/vpit.h */
	struct vpic_chip *pic;     /* [0] master, [1] slave: core/irq/vpic.h */
	struct vioapic *ioapic;    /* core/irq/vioapic.h */
	struct vpm *pm;            /* core/dev/vpm.h */
	struct gcons *cons;        /* its console lines: core/dev/gcons.h */
	u8 cmos_index;             /* port 0x70 (core/dev/vrtc.c) */
	u8 cmos_ram[128];          /* its CMOS RAM bytes, kept across restarts (core/dev/vrtc.c) */
	u32 pci_address;           /* port 0xcf8 (core/dev/vpci.c) */
	u16 fw_cfg_key;            /* the fw_cfg item selected (core/dev/vfwcfg.c) */
	u8 fw_cfg_off;             /* and the next byte of it, 8 at most */
	u64 exit_code;             /* from the guest's shutdown call */
	char stop_reason[160];     /* why it stopped (guest_stop) */
	bool stop_said;            /* the run loop printed it (atomic: any of its vCPUs may) */
	const struct guest_cfg *cfg;
	const u8 *image;           /* as the boot loader gave it, for reboots */
	u64 image_size;
	bool image_scanned;        /* image_mb holds its Multiboot version (core/load/loader.c) */
	u8 image_mb;
	const u8 *mod_base[CFG_MAX_MODULES];   /* cfg->modules, as loaded */
	u64 mod_size[CFG_MAX_MODULES];
	u64 free_base, free_end;   /* RAM the loaded image left free */
	u32 boot_count;            /* starts so far */
	u64 wipe_next;             /* rebooting: RAM below this offset is wiped (core/guest/run.c) */
	u32 reboots_unlogged;      /* reboots the console had no room to report (core/guest/run.c) */
	/* the restart bound (restart_due, core/guest/run.c), under the lock */
	u64 restart_window_ns;     /* when the current second of restarts began (0: none yet) */
	u32 restarts_in_window;    /* restarts asked for in it */
	u32 restarts_delayed;      /* restarts that waited for the next second */
	u64 restart_due_ns;        /* the asked-for restart begins no sooner */
	struct scheduler *sched;   /* its vCPU's, once the run loop has one; else NULL */
	bool paused;               /* by the debug console */
	bool abi_used[32];         /* [N]: it called ABI version N */
	u64 notify_bits;           /* raised by hc_notify, taken by hc_notify_poll */
};

/* The guests, in configuration order: nguests of them, from the heap, set
 * up by the run loop before any guest runs (core/vm/guests.c). */
extern struct guest *guests;
extern u32 nguests;

/* Guest number id, or NULL when there is none. */
struct guest *guest_by_id(u32 id);

/* g's lock if it has several vCPUs (struct guest); true when taken, for
 * guest_unlock. */
static inline bool guest_lock(struct guest *g)
{
	if (g->nvcpus < 2)
		return false;
	spin_lock(&g->lock);
	return true;
}

static inline void guest_unlock(struct guest *g, bool locked)
{
	if (locked)
		spin_unlock(&g->lock);
}

#endif
