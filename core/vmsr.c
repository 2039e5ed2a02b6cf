/* Guest MSR access: an allow-list. Anything not listed, and any write the
 * list refuses, injects #GP as a CPU without that MSR would. */
#include "core/exit.h"
#include "core/cpu.h"
#include "core/vcpu_util.h"

#define EFER_SCE 1ULL
#define EFER_LME (1ULL << 8)
#define EFER_LMA (1ULL << 10)
#define EFER_NXE (1ULL << 11)
#define CR0_PG (1ULL << 31)

/* read: fills *val, returns 0 or -1 (#GP); write: 0 or -1 (#GP). NULL: #GP. */
struct msr_rule {
	u32 msr;
	int (*read)(struct vcpu *v, u64 *val);
	int (*write)(struct vcpu *v, u64 val);
};

static int rd_tsc(struct vcpu *v, u64 *val)
{
	(void)v;
	*val = rdtsc();
	return 0;
}

static int rd_apic_base(struct vcpu *v, u64 *val)
{
	*val = 0xfee00000ULL | (v->id == 0 ? 0x100 : 0);   /* BSP flag; xAPIC off */
	return 0;
}

static int rd_efer(struct vcpu *v, u64 *val)
{
	*val = backend->get(v, VREG_EFER);
	return 0;
}

/* LMA is the CPU's to set; LME may not change while paging is on. */
static int wr_efer(struct vcpu *v, u64 val)
{
	u64 old = backend->get(v, VREG_EFER);

	if (val & ~(EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE))
		return -1;
	if ((backend->get(v, VREG_CR0) & CR0_PG) && ((val ^ old) & EFER_LME))
		return -1;
	backend->set(v, VREG_EFER, (val & ~EFER_LMA) | (old & EFER_LMA));
	return 0;
}

static bool canonical(u64 a)
{
	return (u64)((s64)(a << 16) >> 16) == a;
}

static int rd_fs(struct vcpu *v, u64 *val) { *val = backend->get(v, VREG_FS_BASE); return 0; }
static int rd_gs(struct vcpu *v, u64 *val) { *val = backend->get(v, VREG_GS_BASE); return 0; }

static int wr_fs(struct vcpu *v, u64 val)
{
	if (!canonical(val))
		return -1;
	backend->set(v, VREG_FS_BASE, val);
	return 0;
}

static int wr_gs(struct vcpu *v, u64 val)
{
	if (!canonical(val))
		return -1;
	backend->set(v, VREG_GS_BASE, val);
	return 0;
}

static const struct msr_rule rules[] = {
	{ 0x00000010, rd_tsc, NULL },          /* IA32_TIME_STAMP_COUNTER */
	{ 0x0000001b, rd_apic_base, NULL },    /* IA32_APIC_BASE */
	{ 0xc0000080, rd_efer, wr_efer },      /* IA32_EFER */
	{ 0xc0000100, rd_fs, wr_fs },          /* IA32_FS_BASE */
	{ 0xc0000101, rd_gs, wr_gs },          /* IA32_GS_BASE */
};

static const struct msr_rule *find(u32 msr)
{
	for (size_t i = 0; i < ARRAY_SIZE(rules); i++)
		if (rules[i].msr == msr)
			return &rules[i];
	return NULL;
}

void exit_msr_read(struct vcpu *v, struct exit_info *ei)
{
	const struct msr_rule *r = find((u32)v->gprs.rcx);
	u64 val;

	if (!r || !r->read || r->read(v, &val)) {
		vcpu_inject_gp(v);
		return;
	}
	v->gprs.rax = (u32)val;
	v->gprs.rdx = val >> 32;
	vcpu_skip(v, ei->insn_len);
}

void exit_msr_write(struct vcpu *v, struct exit_info *ei)
{
	const struct msr_rule *r = find((u32)v->gprs.rcx);
	u64 val = (v->gprs.rdx << 32) | (u32)v->gprs.rax;

	if (!r || !r->write || r->write(v, val)) {
		vcpu_inject_gp(v);
		return;
	}
	vcpu_skip(v, ei->insn_len);
}
