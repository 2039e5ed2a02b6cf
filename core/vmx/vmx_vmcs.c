/* VMCS set-up, one function per area: execution controls, exit and entry
 * controls, host state, guest state. */
#include "core/vmx/vmx.h"
#include "core/hw/cpu.h"
#include "core/hw/percpu.h"
#include "core/hw/power.h"
#include "core/lib/string.h"
#include "mm/mm.h"

#define PAT_DEFAULT 0x0007040600070406ULL

/* One set of all-ones bitmaps: every port and every MSR access exits. */
static u64 io_bitmaps_pa, msr_bitmap_pa;

static u64 ones_pages(u64 n)
{
	u64 pa = frames_alloc_filled(n, 0xff);

	if (!pa)
		panic("vmx: out of memory for the I/O and MSR bitmaps");
	return pa;
}

static u64 desc_base(bool idt)
{
	struct {
		u16 limit;
		u64 base;
	} __attribute__((packed)) d;

	if (idt)
		__asm__ volatile("sidt %0" : "=m"(d));
	else
		__asm__ volatile("sgdt %0" : "=m"(d));
	return d.base;
}

static void setup_execution(struct vmx_vcpu *x)
{
	const struct vmx_caps *c = &vmx_caps;
	u32 proc2 = PROC2_EPT | PROC2_UNRESTRICTED | PROC2_WBINVD_EXIT;

	if (!io_bitmaps_pa) {
		io_bitmaps_pa = ones_pages(2);
		msr_bitmap_pa = ones_pages(1);
	}
	if (c->vpid)
		proc2 |= PROC2_VPID;
	/* instructions the guest may see in CPUID must not #UD (RDTSCP and
	 * RDPID read the guest's TSC_AUX, core/vm/vswitch.c) */
	proc2 |= (u32)(c->proc2 >> 32) & (PROC2_RDTSCP | PROC2_INVPCID | PROC2_XSAVES);
	/* with virtual NMIs, the guest's NMI blocking is its own, apart from
	 * the host's (core/irq/virq.c injects its NMIs) */
	vmwrite(PIN_CONTROLS, vmx_adjust(c->pin, PIN_EXT_INTR_EXIT | PIN_NMI_EXIT | PIN_PREEMPT_TIMER |
					 (c->vnmi ? PIN_VIRTUAL_NMI : 0)));
	/* CR8 is the guest's APIC TPR (core/irq/vlapic.c), not the CPU's;
	 * MOV DR exits until the first use (core/vm/vswitch.c); the guest's
	 * TSC is the host's plus VREG_TSC_OFFSET (0 until it writes IA32_TSC) */
	vmwrite(PROC_CONTROLS, vmx_adjust(c->proc, PROC_TSC_OFFSETTING | PROC_HLT_EXIT | PROC_MWAIT_EXIT | PROC_MONITOR_EXIT |
					  PROC_IO_BITMAPS | PROC_MSR_BITMAPS | PROC_SECONDARY |
					  PROC_RDPMC_EXIT | PROC_CR8_LOAD_EXIT | PROC_CR8_STORE_EXIT |
					  PROC_MOV_DR_EXIT));
	vmwrite(PROC_CONTROLS2, vmx_adjust(c->proc2, proc2));
	/* #UD: VMMCALL on Intel. #DB and #AC: reflected by the run loop, so
	 * that a guest whose delivery of one raises it again (a breakpoint on
	 * its own #DB frame, an #AC handler that faults the same way) loops
	 * through exits the slice check sees, not inside the CPU forever. */
	vmwrite(EXCEPTION_BITMAP, 1u << EXC_UD | 1u << EXC_DB | 1u << EXC_AC);
	vmwrite(IO_BITMAP_A, io_bitmaps_pa);
	vmwrite(IO_BITMAP_B, io_bitmaps_pa + PAGE_SIZE);
	vmwrite(MSR_BITMAP, msr_bitmap_pa);
	if (c->vpid)
		vmwrite(VPID, x->vpid);
	vmwrite(PREEMPTION_TIMER, 0xffffffff);
	vmwrite(VMCS_LINK_POINTER, ~0ULL);
	/* CR bits the CPU forces stay host-owned: the guest reads its shadow.
	 * So is CR0.PG, so that entering and leaving long mode exits (the CPU
	 * does not update the IA-32e mode entry control itself; vmx_set). */
	x->cr0_mask = ((vmx_guest_cr0_fixed0(c->cr0_fixed0) | ~c->cr0_fixed1) & 0xffffffff) | CR0_PG;
	x->cr4_mask = (c->cr4_fixed0 | ~c->cr4_fixed1) & 0xffffffff;
	vmwrite(CR0_MASK, x->cr0_mask);
	vmwrite(CR4_MASK, x->cr4_mask);
}

static void setup_exit_entry(const struct vcpu_state *s)
{
	const struct vmx_caps *c = &vmx_caps;
	u32 pat_exit = (u32)(c->exit >> 32) & (EXIT_SAVE_PAT | EXIT_LOAD_PAT);
	u32 pat_entry = (u32)(c->entry >> 32) & ENTRY_LOAD_PAT;
	u32 ia32e = (s->efer & (1ULL << 10)) ? ENTRY_IA32E : 0;

	/* the debug controls switch DR7 and IA32_DEBUGCTL: with TRUE
	 * controls they may be off by default, and then the guest's are lost */
	vmwrite(EXIT_CONTROLS, vmx_adjust(c->exit, EXIT_HOST_64 | EXIT_SAVE_EFER | EXIT_SAVE_DEBUG |
					  EXIT_LOAD_EFER | pat_exit));
	vmwrite(ENTRY_CONTROLS, vmx_adjust(c->entry, ENTRY_LOAD_EFER | ENTRY_LOAD_DEBUG | ia32e |
					    pat_entry));
	vmwrite(ENTRY_INTR_INFO, 0);
}

void vmx_host_cpu(void)
{
	vmwrite(HOST_GS_BASE, (u64)(uintptr_t)this_cpu());   /* this_cpu() after every exit */
	vmwrite(HOST_TR_BASE, (u64)(uintptr_t)&this_cpu()->tss);
	vmwrite(HOST_GDTR_BASE, desc_base(false));
}

static void setup_host(void)
{
	vmwrite(HOST_CR0, read_cr0());
	vmwrite(HOST_CR3, read_cr3());
	vmwrite(HOST_CR4, read_cr4());
	vmwrite(HOST_CS_SEL, SEL_CODE);
	vmwrite(HOST_SS_SEL, SEL_DATA);
	vmwrite(HOST_DS_SEL, SEL_DATA);
	vmwrite(HOST_ES_SEL, SEL_DATA);
	vmwrite(HOST_FS_SEL, 0);
	vmwrite(HOST_GS_SEL, 0);
	vmwrite(HOST_TR_SEL, SEL_TSS);
	vmwrite(HOST_FS_BASE, 0);
	vmx_host_cpu();
	vmwrite(HOST_IDTR_BASE, desc_base(true));
	vmwrite(HOST_SYSENTER_CS, 0);
	vmwrite(HOST_SYSENTER_ESP, 0);
	vmwrite(HOST_SYSENTER_EIP, 0);
	vmwrite(HOST_EFER, rdmsr(MSR_EFER));
	vmwrite(HOST_PAT, rdmsr(MSR_PAT));
	vmwrite(HOST_RIP, (u64)(uintptr_t)vmx_exit_entry);
}

static void setup_guest(const struct vmx_vcpu *x, const struct vcpu_state *s)
{
	const struct vmx_caps *c = &vmx_caps;

	for (int i = 0; i < SEG_COUNT; i++) {
		vmwrite(GUEST_ES_SEL + 2 * i, s->seg[i].sel);
		vmwrite(GUEST_ES_LIMIT + 2 * i, s->seg[i].limit);
		vmwrite(GUEST_ES_AR + 2 * i, s->seg[i].ar);
		vmwrite(GUEST_ES_BASE + 2 * i, s->seg[i].base);
	}
	vmwrite(GUEST_GDTR_BASE, s->gdtr_base);
	vmwrite(GUEST_GDTR_LIMIT, s->gdtr_limit);
	vmwrite(GUEST_IDTR_BASE, s->idtr_base);
	vmwrite(GUEST_IDTR_LIMIT, s->idtr_limit);
	vmwrite(GUEST_CR0, (s->cr0 | (vmx_guest_cr0_fixed0(c->cr0_fixed0) & x->cr0_mask)) &
				   (c->cr0_fixed1 | ~x->cr0_mask));
	vmwrite(CR0_SHADOW, s->cr0);
	vmwrite(GUEST_CR4, (s->cr4 | (c->cr4_fixed0 & x->cr4_mask)) & (c->cr4_fixed1 | ~x->cr4_mask));
	vmwrite(CR4_SHADOW, s->cr4);
	vmwrite(GUEST_CR3, s->cr3);
	vmwrite(GUEST_DR7, 0x400);
	vmwrite(GUEST_DEBUGCTL, 0);
	vmwrite(GUEST_RSP, s->rsp);
	vmwrite(GUEST_RIP, s->rip);
	vmwrite(GUEST_RFLAGS, s->rflags | 2);
	vmwrite(GUEST_EFER, s->efer);
	vmwrite(GUEST_PAT, PAT_DEFAULT);
	vmwrite(GUEST_SYSENTER_CS, 0);
	vmwrite(GUEST_SYSENTER_ESP, 0);
	vmwrite(GUEST_SYSENTER_EIP, 0);
	vmwrite(GUEST_INTERRUPTIBILITY, 0);
	vmwrite(GUEST_ACTIVITY, 0);
}

void vmx_setup_vmcs(struct vcpu *v, const struct vcpu_state *s)
{
	struct vmx_vcpu *x = v->arch;

	setup_execution(x);
	setup_exit_entry(s);
	setup_host();
	setup_guest(x, s);
}
