/* The VT-x backend's ops: vCPU creation, the entry/exit loop, register
 * access and event injection. Exits that concern only VT-x (CR bits the CPU
 * forces, exceptions reflected back) are handled here; all others are
 * translated to enum exit_reason for the shared exit table. */
#include "core/vmx/vmx.h"
#include "core/console/console.h"
#include "core/lib/fmt.h"
#include "core/hw/power.h"
#include "core/hw/cpu.h"
#include "core/hw/percpu.h"
#include "core/lib/string.h"
#include "core/vm/vcpu_util.h"
#include "core/vm/vswitch.h"
#include "core/exit/fast.h"
#include "core/exit/vcr.h"
#include "mm/mm.h"

enum {
	VMX_EXCEPTION = 0, VMX_EXT_INTR = 1, VMX_TRIPLE_FAULT = 2, VMX_CPUID = 10,
	VMX_HLT = 12, VMX_VMCALL = 18, VMX_CR_ACCESS = 28, VMX_DR_ACCESS = 29, VMX_IO = 30,
	VMX_RDMSR = 31, VMX_WRMSR = 32, VMX_EPT_VIOLATION = 48,
	VMX_PREEMPT_TIMER = 52, VMX_REASON_MAX = 70,
};

/* Basic exit reason -> shared reason; 0 (EXIT_UNKNOWN) for the rest. */
static const u8 reasons[VMX_REASON_MAX] = {
	[VMX_EXT_INTR] = EXIT_EXT_INTR,
	[VMX_TRIPLE_FAULT] = EXIT_TRIPLE_FAULT,
	[VMX_CPUID] = EXIT_CPUID,
	[VMX_HLT] = EXIT_HLT,
	[7] = EXIT_IRQ_WINDOW,              /* interrupt window */
	[8] = EXIT_IRQ_WINDOW,              /* NMI window: core/irq/virq.c looks again */
	[VMX_VMCALL] = EXIT_HYPERCALL,
	[19 ... 27] = EXIT_VIRT_INSN,       /* VMCLEAR ... VMXON */
	[36] = EXIT_VIRT_INSN,              /* MWAIT: not offered (CPUID) */
	[39] = EXIT_VIRT_INSN,              /* MONITOR */
	[VMX_IO] = EXIT_IO,
	[VMX_RDMSR] = EXIT_MSR_READ,
	[VMX_WRMSR] = EXIT_MSR_WRITE,
	[VMX_EPT_VIOLATION] = EXIT_SLAT_FAULT,
	[50] = EXIT_VIRT_INSN,              /* INVEPT */
	[VMX_PREEMPT_TIMER] = EXIT_TIMER,
	[53] = EXIT_VIRT_INSN,              /* INVVPID */
	[55] = EXIT_XSETBV,
	[59] = EXIT_VIRT_INSN,              /* VMFUNC */
	[54] = EXIT_WBINVD,
	[13] = EXIT_WBINVD,       /* INVD: done as WBINVD (core/exit/exit.c) */
	[15] = EXIT_RDPMC,
};

static u16 next_vpid = 1;   /* vCPUs are made on the boot CPU, before any runs */

static void invalidate_all(void)
{
	struct {
		u64 a, b;
	} desc = { 0, 0 };

	if (vmx_caps.ept_vpid & EPTCAP_INVEPT_ALL)
		__asm__ volatile("invept %0, %1" : : "m"(desc), "r"(2ULL) : "cc", "memory");
	if (vmx_caps.vpid && (vmx_caps.ept_vpid & VPIDCAP_INVVPID_ALL))
		__asm__ volatile("invvpid %0, %1" : : "m"(desc), "r"(2ULL) : "cc", "memory");
}

/* A VMCS is active on one CPU at a time (x->cpu): the one that last
 * loaded it, until it clears it (vmx_release). A CPU it arrives on gets
 * its own host-state fields and drops any translation it may still hold
 * from the vCPU's earlier stay (its VPID and EPT tags). */
static __attribute__((noinline)) void arrive(struct vmx_cpu *c, struct vmx_vcpu *x)
{
	if (x->cpu)
		panic("vmx: a VMCS active on CPU %u wanted on CPU %u", x->cpu - 1, c->me - 1);
	vmptrld(x->vmcs_pa);
	c->vmcs = x->vmcs_pa;
	x->cpu = c->me;
	vmx_host_cpu();
	invalidate_all();
}

static void change_vmcs(struct vmx_cpu *c, struct vmx_vcpu *x)
{
	if (x->cpu != c->me) {
		arrive(c, x);
		return;
	}
	vmptrld(x->vmcs_pa);
	c->vmcs = x->vmcs_pa;
}

/* On every register access: inline, the change out of line. */
static inline __attribute__((always_inline)) void load_vmcs(struct vmx_vcpu *x)
{
	struct vmx_cpu *c = vmx_cpu();

	if (c->vmcs != x->vmcs_pa)
		change_vmcs(c, x);
}

/* Clears and loads v's VMCS on this CPU, then fills it for start state s.
 * 0 or -1. */
static int vmcs_start(struct vcpu *v, const struct vcpu_state *s)
{
	struct vmx_vcpu *x = v->arch;

	if (x->cpu && x->cpu != vmx_cpu()->me)
		panic("vmx: a VMCS active on CPU %u restarted on CPU %u", x->cpu - 1, this_cpu()->id);
	if (!vmclear(x->vmcs_pa) || !vmptrld(x->vmcs_pa))
		return -1;
	vmx_cpu()->vmcs = x->vmcs_pa;
	x->cpu = vmx_cpu()->me;
	x->launched = false;
	vmx_setup_vmcs(v, s);
	invalidate_all();
	return 0;
}

static int vmx_vcpu_init(struct vcpu *v, const struct vcpu_state *s)
{
	struct vmx_vcpu *x = kzalloc(sizeof(*x));
	u64 pa = frames_alloc_filled(1, 0);

	if (!x || !pa)
		return -1;
	*(u32 *)(uintptr_t)pa = vmx_caps.revision;
	x->vmcs_pa = pa;
	x->vpid = next_vpid++;
	x->dr6 = 0xffff0ff0;
	v->arch = x;
	return vmcs_start(v, s);
}

static void vmx_load(struct vcpu *v);

/* A cleared VMCS, launched afresh; the VPID's translations are flushed. */
static void vmx_vcpu_reset(struct vcpu *v, const struct vcpu_state *s)
{
	struct vmx_vcpu *x = v->arch;

	if (vmcs_start(v, s))
		panic("vmx: cannot reload the VMCS of guest '%s'", v->guest->name);
	memset(x->syscall_msrs, 0, sizeof(x->syscall_msrs));
	x->cr2 = 0;
	x->dr6 = 0xffff0ff0;
	if (vmx_cpu()->owner == x) {         /* rebooted in its own slice: the CPU's copy too */
		vmx_cpu()->owner = NULL;     /* (all written again) */
		vmx_load(v);
	}
}

/* backend_ops.release: on the CPU v last ran on. Its SYSCALL MSRs, CR2
 * and DR6 are saved if this CPU holds them (vmx_load made it their owner
 * at the slice's start, whether or not the slice then entered the guest),
 * its VMCS is cleared if active here (written back to memory, launch
 * state clear), and this CPU holds nothing of v any more. */
static void save_cpu_state(struct vmx_vcpu *x);

static void vmx_release(struct vcpu *v)
{
	struct vmx_vcpu *x = v->arch;
	struct vmx_cpu *c = vmx_cpu();

	if (c->owner == x) {   /* loaded for a slice that may have ended before any entry */
		save_cpu_state(x);
		c->owner = NULL;
	}
	if (x->cpu != c->me)
		return;
	vmclear(x->vmcs_pa);
	if (c->vmcs == x->vmcs_pa)
		c->vmcs = 0;
	x->cpu = 0;
	x->launched = false;
}

/* ---- registers ---- */

static const u32 vreg_fields[VREG_COUNT] = {
	[VREG_RIP] = GUEST_RIP, [VREG_RSP] = GUEST_RSP, [VREG_RFLAGS] = GUEST_RFLAGS,
	[VREG_CR3] = GUEST_CR3, [VREG_EFER] = GUEST_EFER,
	[VREG_CS_AR] = GUEST_ES_AR + 2 * SEG_CS, [VREG_CS_BASE] = GUEST_ES_BASE + 2 * SEG_CS,
	[VREG_FS_BASE] = GUEST_FS_BASE, [VREG_GS_BASE] = GUEST_GS_BASE,
	[VREG_ES_BASE] = GUEST_ES_BASE + 2 * SEG_ES, [VREG_SS_BASE] = GUEST_ES_BASE + 2 * SEG_SS,
	[VREG_DS_BASE] = GUEST_ES_BASE + 2 * SEG_DS,
	[VREG_SYSENTER_CS] = GUEST_SYSENTER_CS, [VREG_SYSENTER_ESP] = GUEST_SYSENTER_ESP,
	[VREG_SYSENTER_EIP] = GUEST_SYSENTER_EIP, [VREG_PAT] = GUEST_PAT, [VREG_TSC_OFFSET] = TSC_OFFSET,
};

/* The SYSCALL and SWAPGS MSRs, CR2 and DR6 have no VMCS fields: the CPU
 * holds those of the vCPU whose slice it is (vmx_load; the hypervisor
 * itself uses none of them), and each vCPU keeps its copy in struct
 * vmx_vcpu while another's are loaded. A guest changes KERNEL_GS_BASE
 * (SWAPGS), CR2 (a #PF, MOV) and DR6 (a #DB, MOV) without an exit, so
 * those are read back from the CPU when its slice ends; the others change
 * only through intercepted WRMSRs, which write both copies. */
static const u32 syscall_msr_numbers[5] = { 0xc0000102, 0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084 };

static bool is_syscall_msr(enum vreg r)
{
	return r >= VREG_KGS_BASE && r <= VREG_SFMASK;
}

/* The SYSCALL and SWAPGS MSRs as the CPU holds them (vmx_cpu()->msrs),
 * once its owner is set (the first load writes them all): the switch
 * writes only the ones that differ. */
static void save_cpu_state(struct vmx_vcpu *x)
{
	x->syscall_msrs[0] = vmx_cpu()->msrs[0] = rdmsr(syscall_msr_numbers[0]);   /* KERNEL_GS_BASE */
	x->cr2 = read_cr2();
	x->dr6 = read_dr6();
}

static inline __attribute__((always_inline)) void load_cpu_state(struct vmx_cpu *c, struct vmx_vcpu *x)
{
	bool all = !c->owner;

#pragma GCC unroll 5
	for (int i = 0; i < 5; i++) {
		if (all || c->msrs[i] != x->syscall_msrs[i]) {
			wrmsr(syscall_msr_numbers[i], x->syscall_msrs[i]);
			c->msrs[i] = x->syscall_msrs[i];
		}
	}
	write_cr2(x->cr2);
	write_dr6(x->dr6);
	c->owner = x;
}

/* backend_ops.load: once per slice, and only when another vCPU ran. */
static void vmx_load(struct vcpu *v)
{
	struct vmx_cpu *c = vmx_cpu();

	if (c->owner == v->arch)
		return;
	if (c->owner)
		save_cpu_state(c->owner);
	load_cpu_state(c, v->arch);
}

/* What the guest sees of CR0/CR4: its shadow where the host owns bits. */
static u64 read_cr(u64 field, u64 shadow, u64 mask)
{
	return (vmread(field) & ~mask) | (vmread(shadow) & mask);
}

/* The registers that are not one VMCS field read and written as is. */
#define COMPUTED (1u << VREG_CR0 | 1u << VREG_CR4 | 1u << VREG_CPL | 1u << VREG_SHADOW | \
		  1u << VREG_KGS_BASE | 1u << VREG_STAR | 1u << VREG_LSTAR | 1u << VREG_CSTAR | \
		  1u << VREG_SFMASK)

static u64 vmx_get(struct vcpu *v, enum vreg r)
{
	struct vmx_vcpu *x = v->arch;

	load_vmcs(x);
	if (!(COMPUTED >> r & 1))
		return vmread(vreg_fields[r]);
	if (r == VREG_CR0)
		return read_cr(GUEST_CR0, CR0_SHADOW, x->cr0_mask);
	if (r == VREG_CR4)
		return read_cr(GUEST_CR4, CR4_SHADOW, x->cr4_mask);
	if (r == VREG_CPL)
		return vmread(GUEST_ES_AR + 2 * SEG_SS) >> 5 & 3;
	if (r == VREG_SHADOW)
		return (vmread(GUEST_INTERRUPTIBILITY) & 3) != 0;
	if (r == VREG_KGS_BASE && vmx_cpu()->owner == x)
		return rdmsr(syscall_msr_numbers[0]);   /* SWAPGS changes it without an exit */
	return x->syscall_msrs[r - VREG_KGS_BASE];
}

/* Writes a guest CR: the guest's value goes to the shadow, the CPU gets it
 * with the forced bits applied. */
static void write_cr(u64 field, u64 shadow, u64 mask, u64 fixed0, u64 fixed1, u64 val)
{
	vmwrite(shadow, val);
	vmwrite(field, (val | (fixed0 & mask)) & (fixed1 | ~mask));
}

/* A change of CR0.PG enters or leaves long mode when EFER.LME is set:
 * EFER.LMA and the IA-32e mode entry control follow, as the CPU would have
 * it (it updates neither itself while PG is host-owned). */
static void sync_long_mode(u64 cr0)
{
	u64 efer = vmread(GUEST_EFER), entry = vmread(ENTRY_CONTROLS);
	bool lma = (cr0 & CR0_PG) && (efer & EFER_LME);

	vmwrite(GUEST_EFER, lma ? efer | EFER_LMA : efer & ~EFER_LMA);
	vmwrite(ENTRY_CONTROLS, lma ? entry | ENTRY_IA32E : entry & ~(u64)ENTRY_IA32E);
}

static void vmx_set(struct vcpu *v, enum vreg r, u64 val)
{
	struct vmx_vcpu *x = v->arch;
	const struct vmx_caps *c = &vmx_caps;

	load_vmcs(x);
	if (!(COMPUTED >> r & 1)) {
		vmwrite(vreg_fields[r], val);
	} else if (r == VREG_CR0) {
		u64 old = vmread(CR0_SHADOW);

		write_cr(GUEST_CR0, CR0_SHADOW, x->cr0_mask, vmx_guest_cr0_fixed0(c->cr0_fixed0),
			 c->cr0_fixed1, val);
		if ((old ^ val) & CR0_PG)
			sync_long_mode(val);
	} else if (r == VREG_CR4)
		write_cr(GUEST_CR4, CR4_SHADOW, x->cr4_mask, c->cr4_fixed0, c->cr4_fixed1, val);
	else if (is_syscall_msr(r)) {
		x->syscall_msrs[r - VREG_KGS_BASE] = val;
		if (vmx_cpu()->owner == x) {
			wrmsr(syscall_msr_numbers[r - VREG_KGS_BASE], val);
			vmx_cpu()->msrs[r - VREG_KGS_BASE] = val;
		}
	} else if (r == VREG_SHADOW) {
		vmwrite(GUEST_INTERRUPTIBILITY, (vmread(GUEST_INTERRUPTIBILITY) & ~3ULL) | (val ? 1 : 0));
	}   /* VREG_CPL: read-only */
}

static void vmx_inject(struct vcpu *v, u8 vector, enum event_type type, bool has_error, u32 error)
{
	load_vmcs(v->arch);
	vmwrite(ENTRY_INTR_INFO, vector | (u32)type << 8 | (has_error ? 1u << 11 : 0) | 1u << 31);
	if (has_error)
		vmwrite(ENTRY_EXC_ERROR, error);
}

static bool vmx_irq_ready(struct vcpu *v)
{
	load_vmcs(v->arch);
	return (vmread(GUEST_RFLAGS) & RFLAGS_IF) && !(vmread(GUEST_INTERRUPTIBILITY) & 3) &&
	       !(vmread(ENTRY_INTR_INFO) & 1u << 31);
}

/* One exiting control of the primary ones on or off. */
static void proc_control(struct vcpu *v, u32 bit, bool on)
{
	u64 ctl;

	load_vmcs(v->arch);
	ctl = vmread(PROC_CONTROLS);
	vmwrite(PROC_CONTROLS, on ? ctl | bit : ctl & ~(u64)bit);
}

static void vmx_irq_window(struct vcpu *v, bool on)
{
	proc_control(v, PROC_INTR_WINDOW, on);
}

/* With virtual NMIs the CPU keeps the guest's NMI blocking (set by the
 * NMI's injection, cleared by the guest's IRET) in the interruptibility
 * state, apart from the host's; without them an injected NMI would block
 * the host's NMIs too, so none is ever injected. */
static bool vmx_nmi_ready(struct vcpu *v)
{
	load_vmcs(v->arch);
	return vmx_caps.vnmi &&
	       !(vmread(GUEST_INTERRUPTIBILITY) & (INTR_BLOCK_STI | INTR_BLOCK_MOVSS | INTR_BLOCK_NMI)) &&
	       !(vmread(ENTRY_INTR_INFO) & 1u << 31);
}

/* Exact: the NMI-window exit comes as soon as nmi_ready would say yes
 * (without virtual NMIs, never: nothing to look at again). */
static bool vmx_nmi_window(struct vcpu *v, bool on)
{
	if (vmx_caps.vnmi)
		proc_control(v, PROC_NMI_WINDOW, on);
	return true;
}

static void vmx_set_slat_root(struct vcpu *v, u64 root)
{
	load_vmcs(v->arch);
	vmwrite(EPT_POINTER, root | 3 << 3 | 6);   /* 4-level walk, write-back */
}

/* The preemption timer for ticks TSC ticks from now (its field, and the
 * deadline the short way keeps to); v's VMCS is current. */
static void arm_timer(struct vmx_vcpu *x, u64 ticks)
{
	u64 t = MIN(ticks >> vmx_caps.timer_shift, 0xffffffffULL);

	vmwrite(PREEMPTION_TIMER, t);
	x->deadline = rdtsc() + (t << vmx_caps.timer_shift);
}

/* ---- exits handled inside the backend ---- */

/* MOV to or from CR8; MOV to CR0/CR4 touching host-owned bits, CLTS,
 * LMSW. Every value is checked as the CPU would (core/exit/vcr.c), since with
 * the bit host-owned the CPU leaves that to us. False: not such an exit. */
static bool cr_access(struct vcpu *v, u64 qual)
{
	u32 cr = qual & 15, type = qual >> 4 & 3, gpr = qual >> 8 & 15;
	u64 val = type == 0 ? vcpu_gpr(v, gpr) : 0;
	bool ok;

	if (cr == 8 && type <= 1) {
		if (type == 1)
			vcpu_set_gpr(v, gpr, vcr_read_cr8(v));
		ok = type == 1 || vcr_write_cr8(v, val);
	} else {
		if (type == 2)                            /* CLTS */
			val = vmx_get(v, VREG_CR0) & ~8ULL;
		else if (type == 3)                       /* LMSW */
			val = (vmx_get(v, VREG_CR0) & ~0xeULL) | (qual >> 16 & 0xf);
		else if (type == 1 || (cr != 0 && cr != 4))
			return false;
		ok = cr == 4 ? vcr_cr4_ok(v, val) : vcr_cr0_ok(v, val);
		if (ok)
			vmx_set(v, cr == 4 ? VREG_CR4 : VREG_CR0, val);
	}
	if (!ok)
		vcpu_inject_gp(v);
	else
		vcpu_skip(v, vmread(EXIT_INSN_LEN));
	return true;
}

/* The vCPU's first MOV DR: its DR0-DR3 become the CPU's and the
 * instruction runs again, no longer intercepted (core/vm/vswitch.c). */
static bool dr_access(struct vcpu *v)
{
	vmwrite(PROC_CONTROLS, vmread(PROC_CONTROLS) & ~(u64)PROC_MOV_DR_EXIT);
	vswitch_take_drs(v);
	return true;
}

#define DR6_HIT (0xfULL | 1ULL << 13 | 1ULL << 14)   /* B0-B3, BD, BS */
#define DR7_GD (1ULL << 13)

/* A #DB exit leaves DR6 and DR7 as they were: what the CPU would have done
 * to them before delivering it (DR6's hit bits from the qualification, GD
 * cleared) is done here. This vCPU's DR6 is in the CPU (vmx_load). B0-B3
 * may be set for breakpoints DR7 does not enable, and a vCPU that never
 * used its debug registers enables none: they are left out, or they could
 * tell it of another's DR0-DR3. */
static void debug_state(struct vcpu *v, u64 qual)
{
	u64 hit = qual & DR6_HIT & ~(v->dr_live ? 0 : 0xfULL);

	write_dr6((read_dr6() & ~0xfULL) | hit);
	if (qual & 1ULL << 13)
		vmwrite(GUEST_DR7, vmread(GUEST_DR7) & ~DR7_GD);
}

/* The #UD is VMMCALL, AMD's hypercall instruction: its three bytes. */
static bool plain_vmmcall(struct vcpu *v)
{
	u8 insn[3];

	return !vcpu_read_insn(v, insn, 3) && (insn[0] | insn[1] << 8 | insn[2] << 16) == INSN_VMMCALL_BYTES;
}

/* A guest exception we intercepted, or an NMI: an NMI is the host's
 * (core/hw/trap.h) and never reaches the guest; VMMCALL (#UD on Intel)
 * becomes a hypercall; anything else (#UD, #DB, #AC) goes back to the
 * guest as the CPU would have delivered it, a software one (INT1) with its
 * length. */
static bool exception(struct vcpu *v, struct exit_info *ei)
{
	u32 info = (u32)vmread(EXIT_INTR_INFO), type = info >> 8 & 7;
	u8 vec = info & 0xff;

	if (type == EVENT_NMI) {                       /* the host's (NMI exiting) */
		this_cpu()->guest_nmis++;
		__asm__ volatile("int $2" : : : "memory");   /* trap_nmi; its IRET unblocks NMIs */
		/* Without virtual NMIs the exit saves blocking by NMI as if the
		 * guest had taken it (so Bochs does): it had not, or the NMI
		 * could not have come. With them the bit is the guest's own. */
		if (!vmx_caps.vnmi)
			vmwrite(GUEST_INTERRUPTIBILITY, vmread(GUEST_INTERRUPTIBILITY) & ~(u64)INTR_BLOCK_NMI);
		return true;
	}
	if (vec == EXC_UD && plain_vmmcall(v)) {
		ei->reason = EXIT_HYPERCALL;
		ei->insn_len = 3;
		return false;
	}
	if (vec == EXC_DB)
		debug_state(v, ei->qual);
	vmx_inject(v, vec, type, info >> 11 & 1, (u32)vmread(EXIT_INTR_ERROR));
	if (type >= 4)                                 /* software interrupt or exception */
		vmwrite(ENTRY_INSN_LEN, ei->insn_len);
	return true;
}

static void describe(struct exit_info *ei, u32 basic)
{
	u64 q = ei->qual;

	ei->reason = basic < VMX_REASON_MAX ? reasons[basic] : EXIT_UNKNOWN;
	if (ei->reason == EXIT_IO) {
		ei->io.size = (q & 7) + 1;
		ei->io.in = q >> 3 & 1;
		ei->io.string = q >> 4 & 1;
		ei->io.rep = q >> 5 & 1;
		ei->io.port = (u16)(q >> 16);
	} else if (ei->reason == EXIT_SLAT_FAULT) {
		ei->slat.gpa = vmread(GUEST_PHYS_ADDR);
		ei->slat.read = q & 1;
		ei->slat.write = q >> 1 & 1;
		ei->slat.exec = q >> 2 & 1;
		ei->slat.walk = (q >> 7 & 1) && !(q >> 8 & 1);   /* a linear address, not its final access */
		ei->slat.delivery = vmread(IDT_VECTORING_INFO) >> 31 & 1;
	}
}

static void entry_failed(struct vcpu *v, struct exit_info *ei, int fail)
{
	static char msg[200];

	ei->reason = EXIT_ENTRY_FAILED;
	if (fail == 1)
		ei->entry.what = "VMfailInvalid: no current VMCS";
	else {
		u32 err = fail == 2 ? (u32)vmread(VM_INSN_ERROR) : 0;

		snformat(msg, sizeof(msg), "%s; %s",
			 fail == 2 ? vmx_insn_error_name(err) : "invalid guest state (exit reason 33)",
			 vmx_explain_entry_failure(v));
		ei->entry.what = msg;
	}
}

static void set_nmi_blocking(bool on)
{
	u64 s = vmread(GUEST_INTERRUPTIBILITY);

	vmwrite(GUEST_INTERRUPTIBILITY, on ? s | INTR_BLOCK_NMI : s & ~(u64)INTR_BLOCK_NMI);
}

/* An event whose delivery the exit cut short (an EPT violation while
 * pushing the frame, say) is delivered again at the next entry, with its
 * error code and, for software events, the instruction length; an NMI's
 * virtual blocking, which its delivery had set, is lifted for it again
 * (an entry injecting an NMI requires it clear). Without one, an exit
 * from a fault of the IRET that ended an NMI handler (an exception's or
 * an EPT violation's bit 12) had lifted that blocking: the IRET runs
 * again, so it is put back (SDM Vol. 3C, 27.2.3). */
static void reinject_vectoring(u32 raw, u64 qual)
{
	u32 info = (u32)vmread(IDT_VECTORING_INFO);

	if (!(info & 1u << 31)) {
		u32 x = raw == VMX_EXCEPTION ? (u32)vmread(EXIT_INTR_INFO) : 0;

		bool fault = (x >> 8 & 7) == EVENT_EXCEPTION && (x & 0xff) != 8;

		if (vmx_caps.vnmi && ((fault && (x >> 12 & 1)) ||
				      (raw == VMX_EPT_VIOLATION && (qual >> 12 & 1))))
			set_nmi_blocking(true);
		return;
	}
	vmwrite(ENTRY_INTR_INFO, info & ~(1u << 12));   /* bit 12 is reserved on entry */
	if (info & 1u << 11)
		vmwrite(ENTRY_EXC_ERROR, vmread(IDT_VECTORING_ERROR));
	vmwrite(ENTRY_INSN_LEN, vmread(EXIT_INSN_LEN));
	if (vmx_caps.vnmi && (info >> 8 & 7) == EVENT_NMI)
		set_nmi_blocking(false);
}

/* The exit vmx_enter came back from (fail: its status), described in
 * *ei. Out of line: a call served on the short way needs none of it. */
static __attribute__((noinline)) void describe_exit(struct vcpu *v, struct exit_info *ei, int fail)
{
	struct vmx_vcpu *x = v->arch;
	u32 reason;

	*ei = (struct exit_info){ 0 };
	if (fail) {
		entry_failed(v, ei, fail);
		return;
	}
	reason = (u32)vmread(EXIT_REASON);
	ei->raw = reason & 0xffff;
	ei->qual = vmread(EXIT_QUALIFICATION);
	ei->insn_len = vmread(EXIT_INSN_LEN);
	ei->cpl = vmread(GUEST_ES_AR + 2 * SEG_SS) >> 5 & 3;   /* SS.DPL */
	ei->code64 = x->code64 = vmread(GUEST_ES_AR + 2 * SEG_CS) >> 13 & 1;   /* CS.L */
	if (reason & (1u << 31)) {
		entry_failed(v, ei, 3);
		return;
	}
	reinject_vectoring(ei->raw, ei->qual);
	if (ei->raw == VMX_EXT_INTR)
		__asm__ volatile("sti; nop; cli" : : : "memory");   /* not acknowledged at the exit: taken now */
	if ((ei->raw == VMX_DR_ACCESS && dr_access(v)) ||
	    (ei->raw == VMX_CR_ACCESS && cr_access(v, ei->qual)) ||
	    (ei->raw == VMX_EXCEPTION && exception(v, ei)))
		ei->reason = EXIT_BACKEND;
	else if (ei->raw != VMX_EXCEPTION)
		describe(ei, ei->raw);
}

static void vmx_run(struct vcpu *v, u64 ticks, struct exit_info *ei)
{
	struct vmx_vcpu *x = v->arch;
	int fail;

	load_vmcs(x);
	arm_timer(x, ticks);
	fail = vmx_enter(&v->gprs, x->launched);
	x->launched |= !fail;
	if (fail || !exit_served(v, ei))
		describe_exit(v, ei, fail);
}

/* RIP on by len (wrapping at 4 GiB outside 64-bit code), RF cleared: the
 * current VMCS's guest completed its instruction. */
static void skip_rip(u64 len, bool code64)
{
	u64 rip = vmread(GUEST_RIP) + len, flags = vmread(GUEST_RFLAGS);

	vmwrite(GUEST_RIP, code64 ? rip : rip & 0xffffffff);
	if (flags & RFLAGS_RF)
		vmwrite(GUEST_RFLAGS, flags & ~RFLAGS_RF);
}

/* backend_ops.skip, during the exit's handling (its VMCS is current). */
static void vmx_skip(struct vcpu *v, u64 len)
{
	skip_rip(len, ((struct vmx_vcpu *)v->arch)->code64);
}

/* A hardware #UD, as EXIT_INTR_INFO reports it (valid, type 3). */
#define INTR_INFO_UD (1u << 31 | 3u << 8 | EXC_UD)

/* The exception exit is VMMCALL's #UD in its plain form. */
static bool vmmcall_ud(struct vcpu *v)
{
	return (vmread(EXIT_INTR_INFO) & (1u << 31 | 0x7ff)) == INTR_INFO_UD && plain_vmmcall(v);
}

/* The short way for VMCALL, and for VMMCALL's #UD, from 64-bit code at
 * CPL 0 (core/exit/fast.h; any other caller takes the long way): the
 * call of len bytes at RIP. Each entry loads the preemption timer again
 * from its field, so the deadline arm_timer set is kept here: an exit
 * at or past it goes to the run loop, and before it what is left goes
 * back into the field (never more than was armed; the run loop arms the
 * timer again if the call goes there). As on the long way, the slice may
 * end one call's handling past its end. Neither exit interrupted an event
 * delivery: nothing is to be injected again. */
static inline __attribute__((always_inline)) bool short_way(struct vcpu *v, u64 len)
{
	struct vmx_vcpu *x = v->arch;
	u64 now = rdtsc();

	if (now >= x->deadline ||
	    vmread(GUEST_ES_AR + 2 * SEG_SS) & 3 << 5 ||       /* SS.DPL: CPL above 0 */
	    !(vmread(GUEST_ES_AR + 2 * SEG_CS) & 1 << 13))     /* CS.L: not 64-bit code */
		return false;
	vmwrite(PREEMPTION_TIMER, (x->deadline - now) >> vmx_caps.timer_shift);
	x->code64 = true;
	skip_rip(len, true);
	return exit_hypercall_fast(v, (u8)len);
}

/* VMMCALL's #UD on the short way. Out of line: its page walk would cost
 * the VMCALL path registers. */
static __attribute__((noinline)) bool vmmcall_short_way(struct vcpu *v)
{
	return vmmcall_ud(v) && short_way(v, 3);
}

bool vmx_exit_fast(struct gprs *g)
{
	struct vcpu *v = (struct vcpu *)g;   /* gprs is its first member */
	u64 reason = vmread(EXIT_REASON);

	if (reason == VMX_EXCEPTION)
		return vmmcall_short_way(v);
	return reason == VMX_VMCALL && short_way(v, vmread(EXIT_INSN_LEN));
}

static u8 vmx_slat_max_leaf(void)
{
	return vmx_caps.ept_1g ? 3 : vmx_caps.ept_2m ? 2 : 1;
}

const struct backend_ops vmx_backend = {
	.name = "VT-x",
	.probe = vmx_probe,
	.cpu_init = vmx_cpu_on,
	.vcpu_init = vmx_vcpu_init,
	.vcpu_reset = vmx_vcpu_reset,
	.load = vmx_load,
	.release = vmx_release,
	.run = vmx_run,
	.get = vmx_get,
	.set = vmx_set,
	.skip = vmx_skip,
	.inject = vmx_inject,
	.irq_ready = vmx_irq_ready,
	.irq_window = vmx_irq_window,
	.nmi_ready = vmx_nmi_ready,
	.nmi_window = vmx_nmi_window,
	.set_slat_root = vmx_set_slat_root,
	.slat_format = &pt_ept,
	.slat_max_leaf = vmx_slat_max_leaf,
	.xsetbv_exits = true,
};
