/* VT-x private definitions: VMCS field encodings (Intel SDM Vol. 3, App. B),
 * control bits, capability MSRs, and the VMX instructions. Only core/vmx/
 * includes this file. */
#ifndef CORE_VMX_VMX_H
#define CORE_VMX_VMX_H

#include "core/vm/backend.h"
#include "core/hw/cpu.h"
#include "core/hw/percpu.h"

/* ---- capability MSRs ---- */
#define MSR_FEATURE_CONTROL 0x3a
#define MSR_VMX_BASIC 0x480
#define MSR_VMX_PINBASED 0x481
#define MSR_VMX_PROCBASED 0x482
#define MSR_VMX_EXIT 0x483
#define MSR_VMX_ENTRY 0x484
#define MSR_VMX_MISC 0x485
#define MSR_VMX_CR0_FIXED0 0x486
#define MSR_VMX_CR0_FIXED1 0x487
#define MSR_VMX_CR4_FIXED0 0x488
#define MSR_VMX_CR4_FIXED1 0x489
#define MSR_VMX_PROCBASED2 0x48b
#define MSR_VMX_EPT_VPID_CAP 0x48c
#define MSR_VMX_TRUE_PINBASED 0x48d
#define MSR_VMX_TRUE_PROCBASED 0x48e
#define MSR_VMX_TRUE_EXIT 0x48f
#define MSR_VMX_TRUE_ENTRY 0x490

/* ---- VMCS fields ---- */
enum vmcs_field {
	VPID = 0x0000,
	GUEST_ES_SEL = 0x0800,      /* + 2 * enum seg_id */
	HOST_ES_SEL = 0x0c00, HOST_CS_SEL = 0x0c02, HOST_SS_SEL = 0x0c04,
	HOST_DS_SEL = 0x0c06, HOST_FS_SEL = 0x0c08, HOST_GS_SEL = 0x0c0a,
	HOST_TR_SEL = 0x0c0c,
	IO_BITMAP_A = 0x2000, IO_BITMAP_B = 0x2002, MSR_BITMAP = 0x2004, TSC_OFFSET = 0x2010,
	EPT_POINTER = 0x201a,
	GUEST_PHYS_ADDR = 0x2400,
	VMCS_LINK_POINTER = 0x2800, GUEST_DEBUGCTL = 0x2802, GUEST_PAT = 0x2804, GUEST_EFER = 0x2806,
	HOST_PAT = 0x2c00, HOST_EFER = 0x2c02,
	PIN_CONTROLS = 0x4000, PROC_CONTROLS = 0x4002, EXCEPTION_BITMAP = 0x4004,
	EXIT_CONTROLS = 0x400c, ENTRY_CONTROLS = 0x4012,
	ENTRY_INTR_INFO = 0x4016, ENTRY_EXC_ERROR = 0x4018, ENTRY_INSN_LEN = 0x401a,
	PROC_CONTROLS2 = 0x401e,
	VM_INSN_ERROR = 0x4400, EXIT_REASON = 0x4402, EXIT_INTR_INFO = 0x4404,
	EXIT_INTR_ERROR = 0x4406, IDT_VECTORING_INFO = 0x4408, IDT_VECTORING_ERROR = 0x440a,
	EXIT_INSN_LEN = 0x440c,
	GUEST_ES_LIMIT = 0x4800,    /* + 2 * enum seg_id */
	GUEST_GDTR_LIMIT = 0x4810, GUEST_IDTR_LIMIT = 0x4812,
	GUEST_ES_AR = 0x4814,       /* + 2 * enum seg_id */
	GUEST_INTERRUPTIBILITY = 0x4824, GUEST_ACTIVITY = 0x4826,
	GUEST_SYSENTER_CS = 0x482a, PREEMPTION_TIMER = 0x482e,
	HOST_SYSENTER_CS = 0x4c00,
	CR0_MASK = 0x6000, CR4_MASK = 0x6002, CR0_SHADOW = 0x6004, CR4_SHADOW = 0x6006,
	EXIT_QUALIFICATION = 0x6400, GUEST_LINEAR_ADDR = 0x640a,
	GUEST_CR0 = 0x6800, GUEST_CR3 = 0x6802, GUEST_CR4 = 0x6804,
	GUEST_ES_BASE = 0x6806,     /* + 2 * enum seg_id */
	GUEST_GDTR_BASE = 0x6816, GUEST_IDTR_BASE = 0x6818, GUEST_DR7 = 0x681a,
	GUEST_RSP = 0x681c, GUEST_RIP = 0x681e, GUEST_RFLAGS = 0x6820,
	GUEST_SYSENTER_ESP = 0x6824, GUEST_SYSENTER_EIP = 0x6826,
	GUEST_FS_BASE = GUEST_ES_BASE + 2 * SEG_FS, GUEST_GS_BASE = GUEST_ES_BASE + 2 * SEG_GS,
	HOST_CR0 = 0x6c00, HOST_CR3 = 0x6c02, HOST_CR4 = 0x6c04,
	HOST_FS_BASE = 0x6c06, HOST_GS_BASE = 0x6c08, HOST_TR_BASE = 0x6c0a,
	HOST_GDTR_BASE = 0x6c0c, HOST_IDTR_BASE = 0x6c0e,
	HOST_SYSENTER_ESP = 0x6c10, HOST_SYSENTER_EIP = 0x6c12,
	HOST_RSP = 0x6c14, HOST_RIP = 0x6c16,
};

/* ---- control bits ---- */
#define PIN_EXT_INTR_EXIT (1u << 0)
#define PIN_NMI_EXIT (1u << 3)
#define PIN_VIRTUAL_NMI (1u << 5)
#define PIN_PREEMPT_TIMER (1u << 6)

/* guest interruptibility: STI and MOV SS shadows, blocking by NMI (with
 * virtual NMIs: the guest's NMI handler has not reached its IRET) */
#define INTR_BLOCK_STI (1u << 0)
#define INTR_BLOCK_MOVSS (1u << 1)
#define INTR_BLOCK_NMI (1u << 3)
#define PROC_INTR_WINDOW (1u << 2)
#define PROC_NMI_WINDOW (1u << 22)
#define PROC_TSC_OFFSETTING (1u << 3)
#define PROC_HLT_EXIT (1u << 7)
#define PROC_RDPMC_EXIT (1u << 11)
#define PROC_CR8_LOAD_EXIT (1u << 19)
#define PROC_CR8_STORE_EXIT (1u << 20)
#define PROC_MOV_DR_EXIT (1u << 23)
#define PROC_MWAIT_EXIT (1u << 10)
#define PROC_MONITOR_EXIT (1u << 29)
#define PROC_IO_BITMAPS (1u << 25)
#define PROC_MSR_BITMAPS (1u << 28)
#define PROC_SECONDARY (1u << 31)

#define PROC2_EPT (1u << 1)
#define PROC2_RDTSCP (1u << 3)
#define PROC2_VPID (1u << 5)
#define PROC2_WBINVD_EXIT (1u << 6)
#define PROC2_UNRESTRICTED (1u << 7)
#define PROC2_INVPCID (1u << 12)
#define PROC2_XSAVES (1u << 20)

#define EXIT_SAVE_DEBUG (1u << 2)
#define EXIT_HOST_64 (1u << 9)
#define EXIT_SAVE_PAT (1u << 18)
#define EXIT_LOAD_PAT (1u << 19)
#define EXIT_SAVE_EFER (1u << 20)
#define EXIT_LOAD_EFER (1u << 21)

#define ENTRY_LOAD_DEBUG (1u << 2)
#define ENTRY_IA32E (1u << 9)
#define ENTRY_LOAD_PAT (1u << 14)
#define ENTRY_LOAD_EFER (1u << 15)

/* EPT/VPID capability bits (MSR 0x48c) */
#define EPTCAP_WALK4 (1ULL << 6)
#define EPTCAP_WB (1ULL << 14)
#define EPTCAP_2M (1ULL << 16)
#define EPTCAP_1G (1ULL << 17)
#define EPTCAP_INVEPT (1ULL << 20)
#define EPTCAP_INVEPT_ALL (1ULL << 26)
#define VPIDCAP_INVVPID (1ULL << 32)
#define VPIDCAP_INVVPID_ALL (1ULL << 42)

/* What vmx_caps.c found; read by the rest of the backend. */
struct vmx_caps {
	u64 basic;
	u32 revision;
	bool true_ctls;
	u64 pin, proc, proc2, exit, entry;   /* allowed-0 (low) / allowed-1 (high) */
	u64 misc, ept_vpid;
	u64 cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	bool ept, vpid, unrestricted, preempt_timer, ept_1g, ept_2m;
	bool vnmi;                           /* virtual NMIs and NMI-window exiting */
	unsigned timer_shift;                /* timer ticks = TSC >> shift */
};

extern struct vmx_caps vmx_caps;

struct vmx_vcpu {
	u64 vmcs_pa;
	u32 cpu;                             /* number + 1 of the CPU it is active on; 0: clear */
	bool launched;
	u16 vpid;
	u64 cr0_mask, cr4_mask;              /* host-owned guest CR bits */
	/* No VMCS field: the CPU holds the running vCPU's (vmx_load), this
	 * copy is current only while another vCPU's are in the CPU. */
	u64 syscall_msrs[5];                 /* VREG_KGS_BASE ... VREG_SFMASK */
	u64 cr2, dr6;
	bool code64;                         /* CS.L at the last exit (skip) */
	u64 deadline;                        /* TSC: the armed preemption timer is due */
};

/* Each CPU's own (struct cpu's backend words): its number + 1 (what
 * struct vmx_vcpu's cpu holds while the VMCS is active here), the VMCS it
 * has current, the vCPU whose SYSCALL MSRs, CR2 and DR6 it holds, and
 * those MSRs as it holds them. */
struct vmx_cpu {
	u32 me;
	u64 vmcs;
	struct vmx_vcpu *owner;
	u64 msrs[5];
};

_Static_assert(sizeof(struct vmx_cpu) <= sizeof(((struct cpu *)0)->backend), "vmx_cpu fits");

static inline struct vmx_cpu *vmx_cpu(void)
{
	return (struct vmx_cpu *)this_cpu()->backend;
}

/* CR0 bits a guest must keep set: with unrestricted guest, PE and PG may
 * be clear whatever IA32_VMX_CR0_FIXED0 says. */
static inline u64 vmx_guest_cr0_fixed0(u64 fixed0)
{
	return fixed0 & ~(CR0_PE | CR0_PG);
}

static inline bool vmx_allowed1(u64 cap, u32 bits)
{
	return ((cap >> 32) & bits) == bits;
}

/* Bits the caller wants, plus those the CPU insists on; the caller has
 * checked that every required bit is allowed. */
static inline u32 vmx_adjust(u64 cap, u32 want)
{
	return (want | (u32)cap) & (u32)(cap >> 32);
}

static inline u64 vmread(u64 field)
{
	u64 v;

	__asm__ volatile("vmread %1, %0" : "=rm"(v) : "r"(field) : "cc");
	return v;
}

static inline void vmwrite(u64 field, u64 v)
{
	__asm__ volatile("vmwrite %1, %0" : : "r"(field), "rm"(v) : "cc", "memory");
}

/* VMCLEAR / VMPTRLD / VMXON: false when the instruction failed. */
#define VMX_PA_INSN(name, insn)                                               \
	static inline bool name(u64 pa)                                       \
	{                                                                     \
		bool failed;                                                  \
		__asm__ volatile(insn " %1; setna %0"                         \
				 : "=qm"(failed) : "m"(pa) : "cc", "memory"); \
		return !failed;                                               \
	}
VMX_PA_INSN(vmclear, "vmclear")
VMX_PA_INSN(vmptrld, "vmptrld")
VMX_PA_INSN(vmxon, "vmxon")
#undef VMX_PA_INSN

/* vmx_entry.asm: enters the guest; 0 after a VM exit, 1 on VMfailInvalid,
 * 2 on VMfailValid (the VM-instruction error field says why). After each
 * exit vmx_exit_fast may serve it and resume the guest at once, with the
 * KEPT registers (core/vm/gprs.inc) still the guest's in the CPU. */
int vmx_enter(struct gprs *g, u64 launched);
void vmx_exit_entry(void);

/* Called by vmx_exit_entry after each exit: true when the exit was served
 * here and the guest is to be resumed at once (core/exit/fast.h). */
bool vmx_exit_fast(struct gprs *g);

int vmx_probe(void);
/* VMXON on this CPU (backend_ops.cpu_init); 0 or < 0. */
int vmx_cpu_on(void);
void vmx_setup_vmcs(struct vcpu *v, const struct vcpu_state *s);

/* The current VMCS's host-state fields that differ between CPUs (GS
 * base, TR base, GDTR base): this CPU's. */
void vmx_host_cpu(void);
const char *vmx_insn_error_name(u32 err);
const char *vmx_explain_entry_failure(struct vcpu *v);

/* The VT-x backend (core/vm/backend.h), for core/guest/virt.c to pick. */
extern const struct backend_ops vmx_backend;

#endif
