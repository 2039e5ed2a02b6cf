/* The AMD-V backend's ops: vCPU creation, the VMRUN loop, register access
 * and event injection. Exits that concern only AMD-V (VMCALL's #UD, host
 * interrupts) are handled here; all others are translated to enum
 * exit_reason for the shared exit table, with the instruction length the
 * CPU does not give without NRIPS decoded from guest memory. */
#include "core/svm/svm.h"
#include "core/console/console.h"
#include "core/hw/cpu_info.h"
#include "core/lib/fmt.h"
#include "core/hw/lapic.h"
#include "core/hw/percpu.h"
#include "core/insn/gwalk.h"
#include "core/lib/string.h"
#include "core/vm/vcpu_util.h"
#include "core/vm/vswitch.h"
#include "core/exit/fast.h"
#include "core/exit/vcr.h"
#include "mm/mm.h"

/* Exit code -> shared reason; 0 (EXIT_UNKNOWN) for the rest. */
static const u8 reasons[SVM_EXIT_CODE_MAX] = {
	[SVM_EXIT_INTR] = EXIT_EXT_INTR,
	[SVM_EXIT_CPUID] = EXIT_CPUID,
	[SVM_EXIT_HLT] = EXIT_HLT,
	[SVM_EXIT_VINTR] = EXIT_IRQ_WINDOW,
	[SVM_EXIT_INVLPGA] = EXIT_VIRT_INSN,
	[SVM_EXIT_IOIO] = EXIT_IO,
	[SVM_EXIT_MSR] = EXIT_MSR_READ,          /* EXITINFO1 = 1: write */
	[SVM_EXIT_SHUTDOWN] = EXIT_TRIPLE_FAULT,
	[SVM_EXIT_VMRUN] = EXIT_VIRT_INSN,
	[SVM_EXIT_VMLOAD ... SVM_EXIT_SKINIT] = EXIT_VIRT_INSN,   /* VMLOAD, VMSAVE, STGI, CLGI */
	[SVM_EXIT_VMMCALL] = EXIT_HYPERCALL,
	[SVM_EXIT_XSETBV] = EXIT_XSETBV,
	[SVM_EXIT_WBINVD] = EXIT_WBINVD,
	[SVM_EXIT_INVD] = EXIT_WBINVD,
	[SVM_EXIT_RDPMC] = EXIT_RDPMC,
	[SVM_EXIT_MONITOR ... SVM_EXIT_MWAIT] = EXIT_VIRT_INSN,   /* not offered (CPUID) */
};

/* Exits whose instruction the handler skips: the instruction it must be. */
static const u8 skipped_insn[SVM_EXIT_CODE_MAX] = {
	[SVM_EXIT_HLT] = INSN_HLT,
	[SVM_EXIT_CPUID] = INSN_CPUID,
	[SVM_EXIT_MSR] = INSN_RDMSR,             /* INSN_WRMSR for writes */
	[SVM_EXIT_XSETBV] = INSN_XSETBV,
	[SVM_EXIT_WBINVD] = INSN_WBINVD,      /* QEMU 7.2 gives INVD this exit code too */
	[SVM_EXIT_INVD] = INSN_WBINVD,
	[SVM_EXIT_RDPMC] = INSN_RDPMC,
};

/* Guests get ASIDs 1..SVM_ASID_SLOTS round robin; two vCPUs sharing one
 * stay correct because a CPU flushes the ASID's translations whenever it
 * changes hands there (svm_cpu()->asid_owner, each CPU's own: TLBs are
 * per CPU), and a CPU a vCPU leaves forgets it (svm_release), so that it
 * flushes again if the vCPU comes back after running elsewhere. */
static u32 vcpus_made;   /* vCPUs are made on the boot CPU, before any runs */

static struct vmcb *vmcb_of(struct vcpu *v)
{
	return ((struct svm_vcpu *)v->arch)->vmcb;
}

static int svm_vcpu_init(struct vcpu *v, const struct vcpu_state *s)
{
	struct svm_vcpu *x = kzalloc(sizeof(*x));
	u64 pa = frames_alloc_filled(1, 0);

	if (!x || !pa)
		return -1;
	x->vmcb = (struct vmcb *)(uintptr_t)pa;
	v->arch = x;
	svm_setup_vmcb(x->vmcb, s, 1 + vcpus_made++ % MIN(svm_caps.asids - 1, SVM_ASID_SLOTS));
	return 0;
}

/* Same ASID; its stale translations go with a full flush on the next run. */
static void svm_vcpu_reset(struct vcpu *v, const struct vcpu_state *s)
{
	struct svm_vcpu *x = v->arch;

	svm_setup_vmcb(x->vmcb, s, x->vmcb->c.asid);
	x->vmcb->c.tlb_control = TLB_FLUSH_ALL;
	x->nmi = SVM_NMI_OPEN;     /* the IRET intercept went with the control area */
	x->irq_held = x->irq_window = false;   /* and V_IRQ with it */
}

/* ---- registers ---- */

#define VMCB_FIELD(f) (u16)__builtin_offsetof(struct vmcb, f)

/* Registers held as one u64 in the VMCB; the rest are converted below. */
static const u16 vreg_offsets[VREG_COUNT] = {
	[VREG_RIP] = VMCB_FIELD(s.rip), [VREG_RSP] = VMCB_FIELD(s.rsp),
	[VREG_RFLAGS] = VMCB_FIELD(s.rflags), [VREG_CR0] = VMCB_FIELD(s.cr0),
	[VREG_CR3] = VMCB_FIELD(s.cr3), [VREG_CR4] = VMCB_FIELD(s.cr4),
	[VREG_CS_BASE] = VMCB_FIELD(s.cs.base), [VREG_FS_BASE] = VMCB_FIELD(s.fs.base),
	[VREG_GS_BASE] = VMCB_FIELD(s.gs.base), [VREG_ES_BASE] = VMCB_FIELD(s.es.base),
	[VREG_SS_BASE] = VMCB_FIELD(s.ss.base), [VREG_DS_BASE] = VMCB_FIELD(s.ds.base),
	[VREG_KGS_BASE] = VMCB_FIELD(s.kernel_gs_base), [VREG_STAR] = VMCB_FIELD(s.star),
	[VREG_LSTAR] = VMCB_FIELD(s.lstar), [VREG_CSTAR] = VMCB_FIELD(s.cstar),
	[VREG_SFMASK] = VMCB_FIELD(s.sfmask), [VREG_SYSENTER_CS] = VMCB_FIELD(s.sysenter_cs),
	[VREG_SYSENTER_ESP] = VMCB_FIELD(s.sysenter_esp), [VREG_SYSENTER_EIP] = VMCB_FIELD(s.sysenter_eip),
	[VREG_PAT] = VMCB_FIELD(s.g_pat), [VREG_TSC_OFFSET] = VMCB_FIELD(c.tsc_offset),
};

static u64 *vreg_slot(struct vmcb *vm, enum vreg r)
{
	return (u64 *)((u8 *)vm + vreg_offsets[r]);
}

/* Registers read (GET_) or written (SET_) otherwise than as one VMCB slot:
 * EFER.SVME is the hypervisor's, the guest never sees it set; writing a
 * paging register flushes the guest's TLB. */
#define SPECIAL_GET (1u << VREG_EFER | 1u << VREG_CS_AR | 1u << VREG_CPL | 1u << VREG_SHADOW)
#define SPECIAL_SET (SPECIAL_GET | 1u << VREG_CR0 | 1u << VREG_CR3 | 1u << VREG_CR4)

static u64 svm_get(struct vcpu *v, enum vreg r)
{
	struct vmcb *vm = vmcb_of(v);

	if (!(SPECIAL_GET >> r & 1))
		return *vreg_slot(vm, r);
	if (r == VREG_EFER)
		return vm->s.efer & ~EFER_SVME;
	if (r == VREG_CS_AR)
		return svm_ar(vm->s.cs.attrib);
	if (r == VREG_CPL)
		return vm->s.cpl;
	return vm->c.int_shadow & 1;   /* VREG_SHADOW */
}

static void svm_set(struct vcpu *v, enum vreg r, u64 val)
{
	struct vmcb *vm = vmcb_of(v);

	if (!(SPECIAL_SET >> r & 1)) {
		*vreg_slot(vm, r) = val;
		return;
	}
	if (r == VREG_EFER)
		vm->s.efer = val | EFER_SVME;
	else if (r == VREG_CS_AR)
		vm->s.cs.attrib = svm_attrib((u32)val);
	else if (r == VREG_SHADOW)
		vm->c.int_shadow = (vm->c.int_shadow & ~1ULL) | (val ? 1 : 0);
	else if (r != VREG_CPL)
		*vreg_slot(vm, r) = val;
	if (r == VREG_EFER || r == VREG_CR0 || r == VREG_CR3 || r == VREG_CR4)
		vm->c.tlb_control = TLB_FLUSH_ALL; /* the guest's translations changed */
}

static bool code64(const struct vmcb *vm)
{
	return vm->s.cs.attrib >> 9 & 1;
}

static void svm_skip(struct vcpu *v, u64 len)
{
	struct vmcb *vm = vmcb_of(v);
	u64 rip = vm->s.rip + len;

	vm->s.rip = code64(vm) ? rip : rip & 0xffffffff;
	vm->s.rflags &= ~RFLAGS_RF;
}

#define RFLAGS_TF (1ULL << 8)
#define DR6_BS (1ULL << 14)

/* int_ctl (v_intr): V_IRQ, priority 15, ignore the virtual TPR; the
 * vector in bits 39:32. */
#define V_IRQ (1ULL << 8)
#define V_IRQ_REQUEST (V_IRQ | 0xfULL << 16 | 1ULL << 20)
#define V_IRQ_VECTOR(v) ((u64)(v) << 32)

/* Puts in the VMCB what struct svm_vcpu says of interrupts: the held
 * one, else the window if asked for, else neither. */
static void v_irq_apply(struct svm_vcpu *x)
{
	struct vmcb *vm = x->vmcb;
	u64 keep = vm->c.v_intr & ~(V_IRQ_REQUEST | V_IRQ_VECTOR(0xff));

	vm->c.icpt1 &= ~ICPT1_VINTR;
	if (x->irq_held) {
		vm->c.v_intr = keep | V_IRQ_REQUEST | V_IRQ_VECTOR(x->irq_vector);
	} else if (x->irq_window) {
		vm->c.v_intr = keep | V_IRQ_REQUEST;
		vm->c.icpt1 |= ICPT1_VINTR;
	} else {
		vm->c.v_intr = keep;
	}
}

static void hold_irq(struct svm_vcpu *x, u8 vector)
{
	x->irq_held = true;
	x->irq_vector = vector;
	v_irq_apply(x);
}

/* After svm_enter returns: the CPU cleared V_IRQ if the guest took the
 * held interrupt (an exit that cut its delivery short hands it back
 * through EXITINTINFO, describe_exit). Not on the short way: a window
 * asked for meanwhile is armed at the next exit that leaves, which the
 * slice's timer bounds. */
static void irq_settle(struct svm_vcpu *x)
{
	if (x->irq_held && !(x->vmcb->c.v_intr & V_IRQ)) {
		x->irq_held = false;
		v_irq_apply(x);
	}
}

static void svm_inject(struct vcpu *v, u8 vector, enum event_type type, bool has_error, u32 error)
{
	struct svm_vcpu *x = v->arch;

	if (type == EVENT_EXTINT) {
		hold_irq(x, vector);
		return;
	}
	x->vmcb->c.event_inj = vector | (u64)type << 8 | (has_error ? EVENT_HAS_ERROR : 0) |
			       EVENT_VALID | (u64)error << 32;
	if (type == EVENT_NMI) {
		x->nmi = SVM_NMI_MASKED;
		x->vmcb->c.icpt1 |= ICPT1_IRET;
	}
}

static bool svm_nmi_ready(struct vcpu *v)
{
	struct svm_vcpu *x = v->arch;

	return x->nmi == SVM_NMI_OPEN && !(x->vmcb->c.int_shadow & 1) && !(x->vmcb->c.event_inj & EVENT_VALID);
}

/* Masked, the IRET's intercept and then its #DB come by themselves;
 * a shadow or a queued event has no exit of its own to ask for. */
static bool svm_nmi_window(struct vcpu *v, bool on)
{
	(void)on;
	return ((struct svm_vcpu *)v->arch)->nmi != SVM_NMI_OPEN;
}

/* The IRET of the guest's NMI handler, not yet run: it runs with TF set,
 * no longer intercepted, so that the #DB after it says NMIs are open
 * again (on an IRET that faults they open only once it completes, later
 * than on hardware). Its RFLAGS come from the stack: TF leaves with it. */
static bool iret(struct vcpu *v, struct exit_info *ei)
{
	struct svm_vcpu *x = v->arch;

	(void)ei;
	x->vmcb->c.icpt1 &= ~ICPT1_IRET;
	x->nmi = SVM_NMI_IRET;
	x->nmi_tf = x->vmcb->s.rflags & RFLAGS_TF;
	x->vmcb->s.rflags |= RFLAGS_TF;
	return true;
}

static bool svm_irq_ready(struct vcpu *v)
{
	struct svm_vcpu *x = v->arch;
	struct vmcb *vm = x->vmcb;

	return (vm->s.rflags & RFLAGS_IF) && !(vm->c.int_shadow & 1) && !(vm->c.event_inj & EVENT_VALID) &&
	       !x->irq_held;
}

/* A virtual interrupt request the guest never takes: its VINTR intercept
 * is the window (once no interrupt is held). */
static void svm_irq_window(struct vcpu *v, bool on)
{
	struct svm_vcpu *x = v->arch;

	x->irq_window = on;
	v_irq_apply(x);
}

static void svm_set_slat_root(struct vcpu *v, u64 root)
{
	vmcb_of(v)->c.n_cr3 = root;
}

static u8 svm_slat_max_leaf(void)
{
	return boot_cpu_info.page1g ? 3 : 2;
}

/* ---- exits ---- */

/* With NRIPS: the length of the instruction the exit names. */
static u64 next_rip_len(const struct vmcb *vm)
{
	return (vm->c.next_rip - vm->s.rip) & 0xffffffffffffULL;
}

/* Length of the instruction at RIP, which must be `op`: the CPU's next RIP
 * with NRIPS, else decoded from guest memory. 0 when the bytes there are
 * not that instruction (the guest changed them, or unmapped them). */
static u64 insn_len(struct vcpu *v, enum insn_op op)
{
	struct vmcb *vm = vmcb_of(v);
	u8 buf[INSN_MAX];
	struct insn in;
	int n;

	if (svm_caps.nrips && op != INSN_VMCALL)
		return next_rip_len(vm);
	n = vcpu_fetch_insn(v, buf);
	if (n <= 0 || insn_decode(buf, (u32)n, code64(vm), &in) || in.op != op)
		return 0;
	return in.len;
}

/* ---- finishing exits: each returns true when the exit was handled here,
 * false when the shared exit table takes it (ei->reason) ---- */

/* A host interrupt is pending (GIF and IF are off): take it now. */
static bool interrupt(struct vcpu *v, struct exit_info *ei)
{
	(void)v;
	__asm__ volatile("sti; nop; cli" : : : "memory");
	ei->reason = lapic_timer_take_fired() ? EXIT_TIMER : EXIT_EXT_INTR;
	return false;
}

static bool port_io(struct vcpu *v, struct exit_info *ei)
{
	const struct vmcb *vm = vmcb_of(v);
	u64 q = vm->c.exit_info1;

	ei->io.in = q & 1;
	ei->io.string = q >> 2 & 1;
	ei->io.rep = q >> 3 & 1;
	ei->io.size = q >> 4 & 1 ? 1 : q >> 5 & 1 ? 2 : 4;
	ei->io.port = (u16)(q >> 16);
	ei->insn_len = vm->c.exit_info2 - vm->s.rip;   /* EXITINFO2: the next RIP */
	return false;
}

/* HLT, CPUID, RDMSR/WRMSR, XSETBV, WBINVD/INVD, RDPMC: the length of the instruction
 * the exit names, or the exit is unknown (the bytes there are not it). */
static bool skipped(struct vcpu *v, struct exit_info *ei)
{
	ei->insn_len = insn_len(v, skipped_insn[ei->raw]);
	if (!ei->insn_len)
		ei->reason = EXIT_UNKNOWN;
	return false;
}

static bool msr(struct vcpu *v, struct exit_info *ei)
{
	bool write = vmcb_of(v)->c.exit_info1;

	ei->reason = write ? EXIT_MSR_WRITE : EXIT_MSR_READ;
	ei->insn_len = insn_len(v, write ? INSN_WRMSR : INSN_RDMSR);
	if (!ei->insn_len)
		ei->reason = EXIT_UNKNOWN;
	return false;
}

/* Without NRIPS an intercepted VMMCALL counts as its three bytes, 0F 01 D9,
 * the only form the ABI defines, and guest memory is not read: the CPU has
 * just executed it. A prefixed form (REP VMMCALL is SEV-ES's VMGEXIT)
 * resumes after its third byte, inside that guest's own instruction: it
 * can mislead only itself, and the hypervisor touches nothing of it. */
static bool vmmcall(struct vcpu *v, struct exit_info *ei)
{
	const struct vmcb *vm = vmcb_of(v);

	ei->insn_len = svm_caps.nrips ? next_rip_len(vm) : 3;
	return false;
}

static void describe_npf(struct exit_info *ei, const struct vmcb *vm)
{
	u64 err = vm->c.exit_info1;

	ei->reason = EXIT_SLAT_FAULT;
	ei->slat.gpa = vm->c.exit_info2;
	ei->slat.write = err >> 1 & 1;
	ei->slat.exec = err >> 4 & 1;
	ei->slat.read = !ei->slat.write && !ei->slat.exec;
	ei->slat.walk = err >> 33 & 1;              /* during the guest's page-table walk */
	ei->slat.delivery = vm->c.exit_int_info & EVENT_VALID;
}

static void entry_failed(struct exit_info *ei, const struct vmcb *vm)
{
	static char msg[160];

	snformat(msg, sizeof(msg), "VMRUN refused the guest state (VMEXIT_INVALID); %s",
		 svm_explain_invalid(vm));
	ei->reason = EXIT_ENTRY_FAILED;
	ei->entry.what = msg;
}

/* len bytes at the guest's CS:RIP through its page tables, the registers
 * taken straight from the VMCB (vcpu_read_insn, without its register
 * calls); 0 or -1. */
static int read_at_rip(struct vcpu *v, u8 *buf, u64 len)
{
	const struct vmcb *vm = vmcb_of(v);
	struct guest_paging p = { vm->s.cr0, vm->s.cr3, vm->s.cr4, vm->s.efer };
	u64 at = code64(vm) ? vm->s.rip : (vm->s.cs.base + vm->s.rip) & 0xffffffff, gpa;
	const u8 *src;

	if ((at & (PAGE_SIZE - 1)) > PAGE_SIZE - len)   /* across a page: both walked */
		return gwalk_read(&v->guest->mem, &p, at, buf, len);
	if (gwalk(&v->guest->mem, &p, at, &gpa) || !(src = gmem_ptr(&v->guest->mem, gpa, len)))
		return -1;
	for (u64 i = 0; i < len; i++)
		buf[i] = src[i];
	return 0;
}

/* The #UD is VMCALL's usual form, its three bytes alone. */
static bool plain_vmcall(struct vcpu *v)
{
	u8 b[3];

	return !read_at_rip(v, b, 3) && (b[0] | b[1] << 8 | b[2] << 16) == INSN_VMCALL_BYTES;
}

/* #UD in the guest: VMCALL (Intel's hypercall instruction) is a hypercall
 * here too, so one guest binary runs on both vendors. Its usual form is
 * matched directly; anything else goes through the decoder (a prefixed
 * VMCALL), and what is not a VMCALL goes back to the guest as its #UD. */
static bool undefined_opcode(struct vcpu *v, struct exit_info *ei)
{
	u64 len = plain_vmcall(v) ? 3 : insn_len(v, INSN_VMCALL);

	if (!len) {
		svm_inject(v, EXC_UD, EVENT_EXCEPTION, false, 0);
		return true;
	}
	ei->reason = EXIT_HYPERCALL;
	ei->insn_len = len;
	return false;
}

/* CR0 as the CPU sets it, long mode's activation (EFER.LMA) with it. */
static void set_cr0(struct vcpu *v, u64 val)
{
	u64 efer = svm_get(v, VREG_EFER);
	bool lma = (efer & EFER_LME) && (val & CR0_PG);

	svm_set(v, VREG_CR0, val);
	svm_set(v, VREG_EFER, lma ? efer | EFER_LMA : efer & ~EFER_LMA);
}

/* CLTS, and LMSW from a register (which sets CR0's low four bits but
 * cannot clear PE): the new CR0 and the length, or 0 for neither. */
static u32 cr0_short_form(const u8 *buf, int n, bool code64, u64 cr0, u64 *val, struct vcpu *v)
{
	u32 rex = code64 && n > 0 && (buf[0] & 0xf0) == 0x40 ? 1 : 0;
	const u8 *b = buf + rex;

	if (n >= 2 && !rex && b[0] == 0x0f && b[1] == 0x06) {
		*val = cr0 & ~CR0_TS;
		return 2;
	}
	if (n >= (int)rex + 3 && b[0] == 0x0f && b[1] == 0x01 && (b[2] >> 3 & 7) == 6 && b[2] >> 6 == 3) {
		u64 src = vcpu_gpr(v, (b[2] & 7) | (rex ? (buf[0] & 1) << 3 : 0)) & 0xf;

		*val = (cr0 & ~0xeULL) | src;   /* PE may be set, never cleared */
		return rex + 3;
	}
	return 0;
}

/* MOV to CR0 or CR4 (and CLTS and LMSW, which write CR0): checked as the
 * CPU would (core/exit/vcr.c), which with the write intercepted it does not do
 * itself (a bad value would make the next VMRUN fail). Without decode
 * assists the instruction is decoded from guest memory; anything else
 * (LMSW from memory) leaves the exit unknown, which stops the guest with
 * the reason. */
static bool cr_write(struct vcpu *v, u32 cr)
{
	struct vmcb *vm = vmcb_of(v);
	u8 buf[INSN_MAX];
	struct insn in;
	u64 val;
	int n = vcpu_fetch_insn(v, buf);
	u32 len = cr == 0 ? cr0_short_form(buf, n, code64(vm), vm->s.cr0, &val, v) : 0;

	if (len) {
		set_cr0(v, val);
		vcpu_skip(v, len);
		return true;
	}
	if (n <= 0 || insn_decode(buf, (u32)n, code64(vm), &in) || in.op != INSN_MOV_TO_CR ||
	    (in.modrm >> 3 & 7) != cr || (in.rex & 4))
		return false;
	val = vcpu_gpr(v, (in.modrm & 7) | (in.rex & 1) << 3);
	if (!(cr == 0 ? vcr_cr0_ok(v, val) : vcr_cr4_ok(v, val))) {
		svm_inject(v, EXC_GP, EVENT_EXCEPTION, true, 0);
		return true;
	}
	if (cr == 0)
		set_cr0(v, val);
	else
		svm_set(v, VREG_CR4, val);
	vcpu_skip(v, in.len);
	return true;
}

/* #DB and #AC go back to the guest as they came: the CPU has already put
 * the hit bits in the VMCB's DR6. ICEBP (INT1, one byte) is a #DB too,
 * delivered after it. B0-B3 may be set for breakpoints DR7 does not
 * enable, and a vCPU that never used its debug registers enables none:
 * its B0-B3 are cleared, or they could tell it of another's DR0-DR3. */
static void reflect(struct vcpu *v, u64 code)
{
	if (!v->dr_live)
		vmcb_of(v)->s.dr6 &= ~0xfULL;
	if (code == SVM_EXIT_ICEBP)
		vcpu_skip(v, 1);
	if (code == SVM_EXIT_EXC_BASE + EXC_AC)
		svm_inject(v, EXC_AC, EVENT_EXCEPTION, true, 0);
	else
		svm_inject(v, EXC_DB, EVENT_EXCEPTION, false, 0);
}

static bool cr0_write(struct vcpu *v, struct exit_info *ei)
{
	(void)ei;
	return cr_write(v, 0);
}

static bool cr4_write(struct vcpu *v, struct exit_info *ei)
{
	(void)ei;
	return cr_write(v, 4);
}

static bool reflected(struct vcpu *v, struct exit_info *ei)
{
	reflect(v, ei->raw);
	return true;
}

/* A #DB; after an NMI handler's IRET (iret above), the single step is
 * ours: NMIs open again, and the #DB reaches the guest only for what was
 * its own (its TF, its breakpoints). */
static bool debug_trap(struct vcpu *v, struct exit_info *ei)
{
	struct svm_vcpu *x = v->arch;

	if (x->nmi == SVM_NMI_IRET) {
		x->nmi = SVM_NMI_OPEN;
		if (!x->nmi_tf) {
			x->vmcb->s.dr6 &= ~DR6_BS;
			if (!v->dr_live || !(x->vmcb->s.dr6 & 0xf))
				return true;
		}
	}
	return reflected(v, ei);
}

/* An NMI came while the guest ran: it is the host's (core/hw/trap.h),
 * held while GIF was clear and taken by trap_nmi when svm_enter set GIF
 * again, before this runs. Nothing for the guest. */
static bool host_nmi(struct vcpu *v, struct exit_info *ei)
{
	(void)v, (void)ei;
	this_cpu()->guest_nmis++;
	return true;
}

/* The vCPU's first MOV DR: its DR0-DR3 become the CPU's and the
 * instruction runs again, no longer intercepted (core/vm/vswitch.c). */
static bool dr_access(struct vcpu *v, struct exit_info *ei)
{
	(void)ei;
	vmcb_of(v)->c.icpt_dr = 0;
	vswitch_take_drs(v);
	return true;
}

/* Exit codes needing more than their reason; a CR write the decoder cannot
 * finish stays unknown (ei->reason 0), which stops the guest. */
static bool (*const finish[SVM_EXIT_CODE_MAX])(struct vcpu *v, struct exit_info *ei) = {
	[SVM_EXIT_CR0_WRITE] = cr0_write, [SVM_EXIT_CR4_WRITE] = cr4_write,
	[SVM_EXIT_EXC_BASE + EXC_DB] = debug_trap, [SVM_EXIT_EXC_BASE + EXC_AC] = reflected,
	[SVM_EXIT_IRET] = iret,
	[SVM_EXIT_ICEBP] = reflected, [SVM_EXIT_EXC_BASE + EXC_UD] = undefined_opcode,
	[SVM_EXIT_DR_READ ... SVM_EXIT_DR_READ + 7] = dr_access,
	[SVM_EXIT_DR_WRITE ... SVM_EXIT_DR_WRITE + 7] = dr_access,
	[SVM_EXIT_INTR] = interrupt, [SVM_EXIT_NMI] = host_nmi, [SVM_EXIT_IOIO] = port_io, [SVM_EXIT_MSR] = msr,
	[SVM_EXIT_VMMCALL] = vmmcall, [SVM_EXIT_HLT] = skipped, [SVM_EXIT_CPUID] = skipped,
	[SVM_EXIT_XSETBV] = skipped, [SVM_EXIT_WBINVD] = skipped, [SVM_EXIT_INVD] = skipped,
	[SVM_EXIT_RDPMC] = skipped,
};

/* Fills *ei from the VMCB; true when the exit was handled here. Only
 * the union member of ei's reason is filled. */
static bool translate(struct vcpu *v, struct exit_info *ei)
{
	struct vmcb *vm = vmcb_of(v);
	u64 code = vm->c.exit_code;

	ei->raw = (u32)code;
	ei->qual = vm->c.exit_info1;
	ei->insn_len = 0;
	ei->cpl = (u8)vm->s.cpl;
	ei->code64 = code64(vm);
	if (code < SVM_EXIT_CODE_MAX) {
		ei->reason = reasons[code];
		return finish[code] && finish[code](v, ei);
	}
	ei->reason = EXIT_UNKNOWN;
	if ((u32)code == (u32)SVM_EXIT_INVALID)   /* -1, stored as 32 or 64 bits */
		entry_failed(ei, vm);
	else if (code == SVM_EXIT_NPF)
		describe_npf(ei, vm);
	return false;
}

/* V_TPR (the guest's CR8, which it writes without an exit) and the
 * guest APIC's TPR are one register: each entry takes the APIC's, each
 * exit gives back what the guest wrote. */
static void tpr_to_vmcb(struct vcpu *v, struct vmcb *vm)
{
	vm->c.v_intr = (vm->c.v_intr & ~0xfULL) | vcr_read_cr8(v);
}

static void tpr_from_vmcb(struct vcpu *v, const struct vmcb *vm)
{
	if ((vm->c.v_intr & 0xf) != vcr_read_cr8(v))
		vcr_write_cr8(v, vm->c.v_intr & 0xf);
}

/* The short way for VMMCALL, and for VMCALL's #UD in its plain form, from
 * 64-bit code at CPL 0 (core/exit/fast.h; any other caller takes the long
 * way). Between its entries the
 * LAPIC timer svm_run started goes on counting: once it fires, its
 * interrupt, held while GIF is clear, ends the next VMRUN at once, so the
 * slice ends where it would have. V_TPR stays in the VMCB as the guest
 * left it (svm_run takes it at the exit that leaves), and so does the
 * ASID. Neither exit interrupted an event delivery: nothing is to be
 * injected again. */
bool svm_exit_fast(struct gprs *g)
{
	struct vcpu *v = (struct vcpu *)g;   /* gprs is its first member */
	struct vmcb *vm = vmcb_of(v);
	bool again;
	u8 len;

	bool vmmcall = vm->c.exit_code == SVM_EXIT_VMMCALL;

	if (!(vmmcall || vm->c.exit_code == SVM_EXIT_EXC_BASE + EXC_UD) || vm->s.cpl || !code64(vm) ||
	    (!vmmcall && !plain_vmcall(v)))
		return false;
	len = vmmcall && svm_caps.nrips ? (u8)(vm->c.next_rip - vm->s.rip) : 3;   /* at most 15 */
	svm_skip(v, len);
	v->gprs.rax = vm->s.rax;
	vm->c.tlb_control = 0;
	vm->c.event_inj = 0;
	again = exit_hypercall_fast(v, len);
	vm->s.rax = v->gprs.rax;
	return again;
}

/* The exit svm_enter came back from, described in *ei. Out of line: a
 * call served on the short way needs none of it. */
static __attribute__((noinline)) void describe_exit(struct vcpu *v, struct vmcb *vm, struct exit_info *ei)
{
	u64 cut = vm->c.exit_int_info;

	vm->c.tlb_control = 0;
	/* an event whose delivery the exit interrupted is delivered again,
	 * an interrupt as a held V_IRQ (struct svm_vcpu) */
	vm->c.event_inj = 0;
	if ((cut & EVENT_VALID) && (cut >> 8 & 7) == EVENT_EXTINT)
		hold_irq(v->arch, (u8)cut);
	else if (cut & EVENT_VALID)
		vm->c.event_inj = cut;
	if (translate(v, ei))
		ei->reason = EXIT_BACKEND;
}

static void svm_run(struct vcpu *v, u64 ticks, struct exit_info *ei)
{
	struct svm_vcpu *x = v->arch;
	struct vmcb *vm = x->vmcb;

	struct svm_cpu *c = svm_cpu();

	vm->s.rax = v->gprs.rax;
	tpr_to_vmcb(v, vm);
	if (c->asid_owner[vm->c.asid] != v) {
		c->asid_owner[vm->c.asid] = v;
		vm->c.tlb_control = TLB_FLUSH_ALL;
	}
	lapic_timer_start(ticks);
	svm_enter(&v->gprs, (u64)(uintptr_t)vm, c->host_vmcb);
	irq_settle(x);
	v->gprs.rax = vm->s.rax;
	tpr_from_vmcb(v, vm);
	if (!exit_served(v, ei))
		describe_exit(v, vm, ei);
}

/* backend_ops.release: this CPU forgets v's ASID (the next vCPU to use it
 * here, v included, flushes first). */
static void svm_release(struct vcpu *v)
{
	struct svm_cpu *c = svm_cpu();
	u32 asid = vmcb_of(v)->c.asid;

	if (c->asid_owner[asid] == v)
		c->asid_owner[asid] = NULL;
}

const struct backend_ops svm_backend = {
	.name = "AMD-V",
	.probe = svm_probe,
	.cpu_init = svm_cpu_on,
	.vcpu_init = svm_vcpu_init,
	.vcpu_reset = svm_vcpu_reset,
	.irq_ready = svm_irq_ready,
	.irq_window = svm_irq_window,
	.nmi_ready = svm_nmi_ready,
	.nmi_window = svm_nmi_window,
	.release = svm_release,
	.run = svm_run,
	.get = svm_get,
	.set = svm_set,
	.skip = svm_skip,
	.inject = svm_inject,
	.set_slat_root = svm_set_slat_root,
	.slat_format = &pt_npt,
	.slat_max_leaf = svm_slat_max_leaf,
};
