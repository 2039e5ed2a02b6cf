/* VMCB set-up: intercepts and permission maps, nested paging, and the
 * guest's start state converted from the vendor-neutral struct vcpu_state. */
#include "core/svm/svm.h"
#include "core/hw/power.h"
#include "core/lib/string.h"
#include "mm/mm.h"

#define PAT_DEFAULT 0x0007040600070406ULL
#define V_INTR_MASKING (1ULL << 24)

/* One set of all-ones maps: every port and every MSR access exits. */
static u64 iopm_pa, msrpm_pa;

static u64 ones_pages(u64 n)
{
	u64 pa = frames_alloc_filled(n, 0xff);

	if (!pa)
		panic("svm: out of memory for the I/O and MSR permission maps");
	return pa;
}

u16 svm_attrib(u32 ar)
{
	if (ar & AR_UNUSABLE)
		return 0;
	return (u16)((ar & 0xff) | (ar >> 4 & 0xf00));
}

u32 svm_ar(u16 attrib)
{
	return (attrib & 0xff) | (u32)(attrib & 0xf00) << 4 | (attrib & 0x80 ? 0 : AR_UNUSABLE);
}

static void setup_control(struct vmcb_control *c, u32 asid)
{
	if (!iopm_pa) {
		iopm_pa = ones_pages(3);
		msrpm_pa = ones_pages(2);
	}
	/* #UD: VMCALL on AMD. #DB and #AC: reflected by the run loop, so that
	 * a guest whose delivery of one raises it again loops through exits
	 * the slice check sees, not inside the CPU forever. */
	c->icpt_exc = 1u << EXC_UD | 1u << EXC_DB | 1u << EXC_AC;
	c->icpt_cr = ICPT_CR0_WRITE | ICPT_CR4_WRITE;   /* checked as the CPU would (svm_run.c) */
	c->icpt_dr = ICPT_DR_ALL;   /* until the first use (core/vm/vswitch.c) */
	c->icpt1 = ICPT1_INTR | ICPT1_NMI | ICPT1_CPUID | ICPT1_INVD | ICPT1_HLT | ICPT1_INVLPGA | ICPT1_IOIO |
		   ICPT1_MSR | ICPT1_SHUTDOWN | ICPT1_RDPMC;
	c->icpt2 = ICPT2_VMRUN | ICPT2_VMMCALL | ICPT2_VMLOAD | ICPT2_VMSAVE | ICPT2_STGI |
		   ICPT2_CLGI | ICPT2_SKINIT | ICPT2_MONITOR | ICPT2_MWAIT | ICPT2_XSETBV |
		   ICPT2_ICEBP | ICPT2_WBINVD;
	c->iopm_pa = iopm_pa;
	c->msrpm_pa = msrpm_pa;
	c->asid = asid;
	c->tlb_control = TLB_FLUSH_ALL;
	c->v_intr = V_INTR_MASKING;
	c->np_enable = 1;
}

static void set_seg(struct vmcb_seg *d, const struct seg *s)
{
	*d = (struct vmcb_seg){
		.sel = s->sel, .attrib = svm_attrib(s->ar), .limit = s->limit, .base = s->base,
	};
}

static void setup_save(struct vmcb_save *v, const struct vcpu_state *s)
{
	struct vmcb_seg *segs[SEG_COUNT] = {
		[SEG_ES] = &v->es, [SEG_CS] = &v->cs, [SEG_SS] = &v->ss, [SEG_DS] = &v->ds,
		[SEG_FS] = &v->fs, [SEG_GS] = &v->gs, [SEG_LDTR] = &v->ldtr, [SEG_TR] = &v->tr,
	};

	for (int i = 0; i < SEG_COUNT; i++)
		set_seg(segs[i], &s->seg[i]);
	v->gdtr = (struct vmcb_seg){ .limit = s->gdtr_limit, .base = s->gdtr_base };
	v->idtr = (struct vmcb_seg){ .limit = s->idtr_limit, .base = s->idtr_base };
	v->cpl = s->seg[SEG_SS].ar >> 5 & 3;
	v->efer = s->efer | EFER_SVME;
	v->cr0 = s->cr0;
	v->cr3 = s->cr3;
	v->cr4 = s->cr4;
	v->dr6 = 0xffff0ff0;
	v->dr7 = 0x400;
	v->rflags = s->rflags | 2;
	v->rip = s->rip;
	v->rsp = s->rsp;
	v->g_pat = PAT_DEFAULT;
}

void svm_setup_vmcb(struct vmcb *vmcb, const struct vcpu_state *s, u32 asid)
{
	memset(vmcb, 0, sizeof(*vmcb));
	setup_control(&vmcb->c, asid);
	setup_save(&vmcb->s, s);
}
