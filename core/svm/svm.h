/* AMD-V private definitions: the VMCB layout (AMD APM Vol. 2, App. B),
 * intercept bits, exit codes, MSRs, and the backend's per-vCPU state. Only
 * core/svm/ includes this file. */
#ifndef CORE_SVM_SVM_H
#define CORE_SVM_SVM_H

#include "core/vm/backend.h"
#include "core/hw/percpu.h"

#define MSR_VM_CR 0xc0010114
#define VM_CR_SVMDIS (1ULL << 4)
#define MSR_VM_HSAVE_PA 0xc0010117
#define EFER_SVME (1ULL << 12)

/* Intercept words of the control area. */
enum {
	ICPT1_INTR = 1u << 0, ICPT1_NMI = 1u << 1,
	ICPT1_CPUID = 1u << 18, ICPT1_IRET = 1u << 20, ICPT1_INVD = 1u << 22, ICPT1_HLT = 1u << 24,
	ICPT1_RDPMC = 1u << 15, ICPT1_INVLPGA = 1u << 26, ICPT1_IOIO = 1u << 27, ICPT1_MSR = 1u << 28,
	ICPT1_SHUTDOWN = 1u << 31,
	ICPT2_VMRUN = 1u << 0, ICPT2_VMMCALL = 1u << 1, ICPT2_VMLOAD = 1u << 2,
	ICPT2_VMSAVE = 1u << 3, ICPT2_STGI = 1u << 4, ICPT2_CLGI = 1u << 5,
	ICPT2_SKINIT = 1u << 6, ICPT2_ICEBP = 1u << 8,
	ICPT2_WBINVD = 1u << 9, ICPT2_MONITOR = 1u << 10, ICPT2_MWAIT = 1u << 11,
	ICPT2_XSETBV = 1u << 13,
	ICPT_CR0_WRITE = 1u << 16,
	ICPT_CR4_WRITE = 1u << (16 + 4),
	ICPT_DR_ALL = 0xffu | 0xffu << 16,   /* reads and writes of DR0-DR7 */
	ICPT1_VINTR = 1u << 4,
};

/* Exit codes (EXITCODE); 0x40 + vector for exceptions. */
enum {
	SVM_EXIT_CR0_WRITE = 0x10,
	SVM_EXIT_CR4_WRITE = 0x14,
	SVM_EXIT_DR_READ = 0x20, SVM_EXIT_DR_WRITE = 0x30,   /* + the DR's number */
	SVM_EXIT_EXC_BASE = 0x40, SVM_EXIT_INTR = 0x60, SVM_EXIT_NMI = 0x61, SVM_EXIT_VINTR = 0x64,
	SVM_EXIT_RDPMC = 0x6f, SVM_EXIT_ICEBP = 0x88, SVM_EXIT_WBINVD = 0x89,
	SVM_EXIT_CPUID = 0x72, SVM_EXIT_IRET = 0x74, SVM_EXIT_INVD = 0x76, SVM_EXIT_HLT = 0x78, SVM_EXIT_INVLPGA = 0x7a,
	SVM_EXIT_IOIO = 0x7b, SVM_EXIT_MSR = 0x7c, SVM_EXIT_SHUTDOWN = 0x7f,
	SVM_EXIT_VMRUN = 0x80, SVM_EXIT_VMMCALL = 0x81, SVM_EXIT_VMLOAD = 0x82,
	SVM_EXIT_SKINIT = 0x86, SVM_EXIT_MONITOR = 0x8a, SVM_EXIT_MWAIT = 0x8b,
	SVM_EXIT_XSETBV = 0x8d,
	SVM_EXIT_CODE_MAX = 0x8e,
	SVM_EXIT_NPF = 0x400,
	SVM_EXIT_INVALID = -1,
};

/* A segment as the VMCB holds it: attributes are the descriptor's bits
 * 40-47 and 52-55 packed into 12 bits. */
struct vmcb_seg {
	u16 sel, attrib;
	u32 limit;
	u64 base;
};

struct vmcb_control {
	u32 icpt_cr, icpt_dr, icpt_exc, icpt1, icpt2;
	u32 icpt3;
	u8 rsvd0[0x3c - 0x18];
	u16 pause_threshold, pause_count;
	u64 iopm_pa, msrpm_pa, tsc_offset;
	u32 asid;
	u8 tlb_control, rsvd1[3];
	u64 v_intr;                /* bits 3:0 V_TPR (the guest's CR8); bit 24: V_INTR_MASKING */
	u64 int_shadow;
	u64 exit_code, exit_info1, exit_info2, exit_int_info;
	u64 np_enable;             /* bit 0 */
	u64 rsvd2[2];
	u64 event_inj;
	u64 n_cr3;
	u64 lbr_virt;
	u32 clean, rsvd3;
	u64 next_rip;
	u8 insn_len, insn_bytes[15];
	u8 rsvd4[0x400 - 0xe0];
};

struct vmcb_save {
	struct vmcb_seg es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr;   /* 0x400 */
	u8 rsvd0[0x4cb - 0x4a0];
	u8 cpl;
	u32 rsvd1;
	u64 efer;                                                       /* 0x4d0 */
	u8 rsvd2[0x548 - 0x4d8];
	u64 cr4, cr3, cr0, dr7, dr6, rflags, rip;                        /* 0x548 */
	u8 rsvd3[0x5d8 - 0x580];
	u64 rsp;                                                        /* 0x5d8 */
	u8 rsvd4[0x5f8 - 0x5e0];
	u64 rax;                                                        /* 0x5f8 */
	u64 star, lstar, cstar, sfmask, kernel_gs_base;
	u64 sysenter_cs, sysenter_esp, sysenter_eip, cr2;               /* 0x628 */
	u8 rsvd5[0x668 - 0x648];
	u64 g_pat;                                                      /* 0x668 */
};

struct vmcb {
	struct vmcb_control c;
	struct vmcb_save s;
} __attribute__((aligned(4096)));

_Static_assert(__builtin_offsetof(struct vmcb, c.iopm_pa) == 0x40, "vmcb iopm");
_Static_assert(__builtin_offsetof(struct vmcb, c.asid) == 0x58, "vmcb asid");
_Static_assert(__builtin_offsetof(struct vmcb, c.exit_code) == 0x70, "vmcb exit code");
_Static_assert(__builtin_offsetof(struct vmcb, c.np_enable) == 0x90, "vmcb np");
_Static_assert(__builtin_offsetof(struct vmcb, c.event_inj) == 0xa8, "vmcb eventinj");
_Static_assert(__builtin_offsetof(struct vmcb, c.n_cr3) == 0xb0, "vmcb ncr3");
_Static_assert(__builtin_offsetof(struct vmcb, c.next_rip) == 0xc8, "vmcb nrip");
_Static_assert(__builtin_offsetof(struct vmcb, s.cpl) == 0x4cb, "vmcb cpl");
_Static_assert(__builtin_offsetof(struct vmcb, s.efer) == 0x4d0, "vmcb efer");
_Static_assert(__builtin_offsetof(struct vmcb, s.cr4) == 0x548, "vmcb cr4");
_Static_assert(__builtin_offsetof(struct vmcb, s.rip) == 0x578, "vmcb rip");
_Static_assert(__builtin_offsetof(struct vmcb, s.rsp) == 0x5d8, "vmcb rsp");
_Static_assert(__builtin_offsetof(struct vmcb, s.rax) == 0x5f8, "vmcb rax");
_Static_assert(__builtin_offsetof(struct vmcb, s.cr2) == 0x640, "vmcb cr2");
_Static_assert(__builtin_offsetof(struct vmcb, s.g_pat) == 0x668, "vmcb gpat");

#define TLB_FLUSH_ALL 1   /* TLB_CONTROL: flush every ASID (no flush-by-ASID under QEMU) */
#define EVENT_VALID (1ULL << 31)
#define EVENT_HAS_ERROR (1ULL << 11)

/* The guest's NMI blocking, which AMD-V (before its vNMI extension) does
 * not track: open; masked from the injection of an NMI until its
 * handler's IRET, which is intercepted; then that IRET is single-stepped
 * (RFLAGS.TF), and the #DB after it opens NMIs again (svm_run.c). */
enum svm_nmi { SVM_NMI_OPEN, SVM_NMI_MASKED, SVM_NMI_IRET };

/* An external interrupt reaches the guest as a virtual interrupt (V_IRQ
 * with its vector, taken as soon as the guest's RFLAGS.IF allows, which
 * svm_irq_ready made sure of), never through EVENTINJ: QEMU 7.2's TCG
 * leaves an EVENTINJ interrupt's vector as its pending exception index
 * (target/i386/tcg/sysemu/svm_helper.c, helper_vmrun), and when the CPU
 * next leaves its execution loop without taking an interrupt (its
 * -icount budget ran out, another thread asked it to stop) it delivers
 * that vector again, at the handler's first instruction with interrupts
 * off (smp-ipi caught it). Hardware takes either the same way. While
 * one is held, the window (a V_IRQ the guest never takes, its VINTR
 * intercepted) waits for it to go. The vCPU's own CPU's, at its exits. */
struct svm_vcpu {
	struct vmcb *vmcb;         /* identity-mapped: pointer == physical */
	u8 nmi;                    /* enum svm_nmi; the vCPU's own CPU's, at its exits */
	bool nmi_tf;               /* the guest's own RFLAGS.TF at that IRET */
	bool irq_held;             /* irq_vector is in V_IRQ, not yet taken */
	bool irq_window;           /* virq asks for an interrupt window */
	u8 irq_vector;
};

struct svm_caps {
	u32 revision, asids;
	bool npt, nrips, decode_assists;
};

extern struct svm_caps svm_caps;

int svm_probe(void);
int svm_cpu_on(void);
#define SVM_ASID_SLOTS 64

/* Each CPU's own (struct cpu's backend words), set by svm_cpu_on: the
 * VMCB holding its host state for VMLOAD after each exit, and which vCPU
 * last used each ASID on it (svm_run.c). */
struct svm_cpu {
	u64 host_vmcb;
	const struct vcpu **asid_owner;   /* SVM_ASID_SLOTS + 1 entries */
};

_Static_assert(sizeof(struct svm_cpu) <= sizeof(((struct cpu *)0)->backend), "svm_cpu fits");

static inline struct svm_cpu *svm_cpu(void)
{
	return (struct svm_cpu *)this_cpu()->backend;
}

/* Fills a fresh VMCB for a vCPU starting in state s with address space asid. */
void svm_setup_vmcb(struct vmcb *vmcb, const struct vcpu_state *s, u32 asid);

/* Segment attributes: VMX access-rights form (struct seg) <-> VMCB form. */
u16 svm_attrib(u32 vmx_ar);
u32 svm_ar(u16 attrib);

/* Names the first consistency check a VMCB that VMRUN refused breaks. */
const char *svm_explain_invalid(const struct vmcb *v);

/* core/svm/svm_entry.asm: loads the guest GPRs (RAX travels in the VMCB),
 * runs VMLOAD/VMRUN/VMSAVE on vmcb_pa, then VMLOAD host_pa, and again
 * while svm_exit_fast says so. Runs with GIF clear throughout, so host
 * interrupts (IF set from before the first VMRUN until after the last
 * exit) are taken only as exits of the guest's run. */
void svm_enter(struct gprs *g, u64 vmcb_pa, u64 host_pa);

/* Called by svm_enter after each exit, GIF still clear, the host's VMLOAD
 * state back: true when the exit was served here and the guest is to be
 * entered again at once (core/exit/fast.h). */
bool svm_exit_fast(struct gprs *g);

/* The AMD-V backend (core/vm/backend.h), for core/guest/virt.c to pick. */
extern const struct backend_ops svm_backend;

#endif
