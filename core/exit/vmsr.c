/* Guest MSR access: an allow-list. Anything not listed, and any write the
 * list refuses, injects #GP as a CPU without that MSR would. */
#include "core/exit/exit.h"
#include "core/irq/vlapic.h"
#include "core/hw/cpu.h"
#include "core/vm/vcpu_util.h"
#include "core/irq/virq.h"
#include "core/vm/vswitch.h"

/* read: fills *val, returns 0 or -1 (#GP); write: 0 or -1 (#GP). NULL: #GP.
 * A rule with a vreg moves the value to and from that backend register;
 * arg is the value rd_fixed reads, or the bits wr_reg refuses with #GP. */
struct msr_rule {
	u32 msr;
	int (*read)(struct vcpu *v, const struct msr_rule *r, u64 *val);
	int (*write)(struct vcpu *v, const struct msr_rule *r, u64 val);
	enum vreg vreg;
	u64 arg;
};

static int rd_tsc(struct vcpu *v, const struct msr_rule *r, u64 *val)
{
	(void)v, (void)r;
	*val = rdtsc();
	return 0;
}

static int rd_apic_base(struct vcpu *v, const struct msr_rule *r, u64 *val)
{
	(void)r;
	*val = vlapic_base_msr(v);
	return 0;
}

static int wr_apic_base(struct vcpu *v, const struct msr_rule *r, u64 val)
{
	(void)r;
	return vlapic_set_base_msr(v, val);
}

static int rd_fixed(struct vcpu *v, const struct msr_rule *r, u64 *val)
{
	(void)v;
	*val = r->arg;
	return 0;
}

static int wr_ignored(struct vcpu *v, const struct msr_rule *r, u64 val)
{
	(void)v, (void)r, (void)val;
	return 0;
}

static int rd_vreg(struct vcpu *v, const struct msr_rule *r, u64 *val)
{
	*val = backend->get(v, r->vreg);
	return 0;
}

/* LMA is the CPU's to set; LME may not change while paging is on. */
static int wr_efer(struct vcpu *v, const struct msr_rule *r, u64 val)
{
	u64 old = backend->get(v, VREG_EFER);

	(void)r;
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

/* Addresses (bases, entry points): #GP unless canonical. */
static int wr_address(struct vcpu *v, const struct msr_rule *r, u64 val)
{
	if (!canonical(val))
		return -1;
	backend->set(v, r->vreg, val);
	return 0;
}

/* Any value without the rule's reserved bits. */
static int wr_reg(struct vcpu *v, const struct msr_rule *r, u64 val)
{
	if (val & r->arg)
		return -1;
	backend->set(v, r->vreg, val);
	return 0;
}

/* Each of the eight PAT entries must name a memory type (0, 1, 4-7). */
static int wr_pat(struct vcpu *v, const struct msr_rule *r, u64 val)
{
	for (int i = 0; i < 8; i++) {
		u8 t = val >> (8 * i) & 0xff;

		if (t > 7 || t == 2 || t == 3)
			return -1;
	}
	backend->set(v, r->vreg, val);
	return 0;
}

#define HIGH32 0xffffffff00000000ULL
/* IA32_MISC_ENABLE: fast strings on, BTS and PEBS unavailable, CPUID not
 * limited, XD not disabled; writes are taken and change nothing. */
#define MISC_ENABLE (1ULL << 0 | 1ULL << 11 | 1ULL << 12)

static int rd_tsc_aux(struct vcpu *v, const struct msr_rule *r, u64 *val)
{
	(void)r;
	*val = v->tsc_aux;
	return vswitch_tsc_aux() ? 0 : -1;
}

static int wr_tsc_aux(struct vcpu *v, const struct msr_rule *r, u64 val)
{
	(void)r;
	return vswitch_set_tsc_aux(v, val);
}

static const struct msr_rule rules[] = {
	{ 0x00000010, rd_tsc, NULL, 0, 0 },                        /* IA32_TIME_STAMP_COUNTER */
	{ 0x0000001b, rd_apic_base, wr_apic_base, 0, 0 },          /* IA32_APIC_BASE: core/irq/vlapic.c */
	{ 0x0000008b, rd_fixed, wr_ignored, 0, 0 },                /* IA32_BIOS_SIGN_ID: no microcode */
	{ 0x00000174, rd_vreg, wr_reg, VREG_SYSENTER_CS, HIGH32 }, /* IA32_SYSENTER_CS */
	{ 0x00000175, rd_vreg, wr_address, VREG_SYSENTER_ESP, 0 },
	{ 0x00000176, rd_vreg, wr_address, VREG_SYSENTER_EIP, 0 },
	{ 0x000001a0, rd_fixed, wr_ignored, 0, MISC_ENABLE },      /* IA32_MISC_ENABLE */
	{ 0x000001fc, rd_fixed, wr_ignored, 0, 0 },                /* IA32_POWER_CTL: nothing to control */
	{ 0x00000277, rd_vreg, wr_pat, VREG_PAT, 0 },              /* IA32_PAT */
	{ 0xc0000080, rd_vreg, wr_efer, VREG_EFER, 0 },            /* IA32_EFER */
	{ 0xc0000081, rd_vreg, wr_reg, VREG_STAR, 0 },             /* STAR */
	{ 0xc0000082, rd_vreg, wr_address, VREG_LSTAR, 0 },        /* LSTAR */
	{ 0xc0000083, rd_vreg, wr_address, VREG_CSTAR, 0 },        /* CSTAR */
	{ 0xc0000084, rd_vreg, wr_reg, VREG_SFMASK, HIGH32 },      /* SFMASK */
	{ 0xc0000100, rd_vreg, wr_address, VREG_FS_BASE, 0 },      /* FS_BASE */
	{ 0xc0000101, rd_vreg, wr_address, VREG_GS_BASE, 0 },      /* GS_BASE */
	{ 0xc0000102, rd_vreg, wr_address, VREG_KGS_BASE, 0 },     /* KERNEL_GS_BASE */
	{ 0xc0000103, rd_tsc_aux, wr_tsc_aux, 0, 0 },              /* IA32_TSC_AUX: core/vm/vswitch.c */
	{ 0xc0010055, rd_fixed, wr_ignored, 0, 0 },                /* AMD interrupt pending message: no C1E */
};

static const struct msr_rule *find(u32 msr)
{
	for (size_t i = 0; i < ARRAY_SIZE(rules); i++)
		if (rules[i].msr == msr)
			return &rules[i];
	return NULL;
}

struct act exit_msr_read(struct vcpu *v, struct exit_info *ei)
{
	const struct msr_rule *r = find((u32)v->gprs.rcx);
	u64 val;

	if (!r || !r->read || r->read(v, r, &val)) {
		return vcpu_inject_gp(v);
	}
	v->gprs.rax = (u32)val;
	v->gprs.rdx = val >> 32;
	return vcpu_skip(v, ei->insn_len);
}

struct act exit_msr_write(struct vcpu *v, struct exit_info *ei)
{
	const struct msr_rule *r = find((u32)v->gprs.rcx);
	u64 val = (v->gprs.rdx << 32) | (u32)v->gprs.rax;

	if (!r || !r->write || r->write(v, r, val)) {
		return vcpu_inject_gp(v);
	}
	return vcpu_skip(v, ei->insn_len);
}
