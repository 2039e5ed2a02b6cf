/* Guest MSR access: an allow-list. Anything not listed, and any write the
 * list refuses, injects #GP as a CPU without that MSR would. An MSR whose
 * feature CPUID hides (core/exit/vcpuid.c) is not listed, or refuses
 * where the guest's CPUID says it is absent; the one known disagreement
 * is the speculation-control MSRs, refused while CPUID shows the host's
 * bits (docs/state.md). */
#include "core/exit/exit.h"
#include "core/irq/vlapic.h"
#include "core/hw/cpu.h"
#include "core/hw/cpu_info.h"
#include "core/lib/string.h"
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

/* Whether v's CPUID offers bit of reg (0 EAX ... 3 EDX) of leaf 7.0. */
static bool leaf7_has(struct vcpu *v, int reg, int bit)
{
	u32 c[4];

	vcpuid_leaf(v, 7, 0, c);
	return c[reg] >> bit & 1;
}

/* The guest's TSC is the host's plus v->tsc_offset, which the CPU adds
 * for RDTSC and RDTSCP itself (VREG_TSC_OFFSET). */
static void set_tsc_offset(struct vcpu *v, u64 offset)
{
	v->tsc_offset = offset;
	backend->set(v, VREG_TSC_OFFSET, offset);
}

static int rd_tsc(struct vcpu *v, const struct msr_rule *r, u64 *val)
{
	(void)r;
	*val = rdtsc() + v->tsc_offset;
	return 0;
}

static int wr_tsc(struct vcpu *v, const struct msr_rule *r, u64 val)
{
	(void)r;
	set_tsc_offset(v, val - rdtsc());
	return 0;
}

/* IA32_TSC_ADJUST, where CPUID 7 offers it: what writes to IA32_TSC and
 * to itself have moved the TSC by since the start, which is the offset
 * (both begin at 0); a write moves the TSC by its difference. */
static int rd_tsc_adjust(struct vcpu *v, const struct msr_rule *r, u64 *val)
{
	(void)r;
	*val = v->tsc_offset;
	return leaf7_has(v, 1, 1) ? 0 : -1;
}

static int wr_tsc_adjust(struct vcpu *v, const struct msr_rule *r, u64 val)
{
	(void)r;
	if (!leaf7_has(v, 1, 1))
		return -1;
	set_tsc_offset(v, val);
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
	if ((v->misc_enable & MISC_XD_DISABLE) && (val & ~old & EFER_NXE))
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

/* IA32_MISC_ENABLE, Intel's alone (#GP on AMD, as there). At power-on:
 * fast strings on, BTS and PEBS unavailable (bits 11, 12: read-only, as
 * is 7, performance monitoring, 0: CPUID 0xA offers none). Writable and
 * held: 0 fast strings, 3 automatic thermal control, 16 enhanced
 * SpeedStep, 18 MONITOR (which CPUID keeps hidden), 23 xTPR messages,
 * none of which changes a virtual CPU; 22 limits CPUID's highest basic
 * leaf to 2 and 34 (XD disable) hides NX from CPUID and refuses EFER.NXE
 * being set (core/exit/vcpuid.c, wr_efer); setting it while EFER.NXE is
 * on is refused. Any other bit: #GP. */
#define MISC_ENABLE_RO (1ULL << 7 | 1ULL << 11 | 1ULL << 12)
#define MISC_ENABLE_ON (1ULL << 0 | 1ULL << 11 | 1ULL << 12)
#define MISC_ENABLE_RW (1ULL << 0 | 1ULL << 3 | 1ULL << 16 | 1ULL << 18 | MISC_LIMIT_CPUID | \
			1ULL << 23 | MISC_XD_DISABLE)

static int rd_misc_enable(struct vcpu *v, const struct msr_rule *r, u64 *val)
{
	(void)r;
	*val = v->misc_enable;
	return boot_cpu_info.amd ? -1 : 0;
}

static int wr_misc_enable(struct vcpu *v, const struct msr_rule *r, u64 val)
{
	(void)r;
	if (boot_cpu_info.amd || (val & ~(MISC_ENABLE_RW | MISC_ENABLE_RO)))
		return -1;
	if ((val & MISC_XD_DISABLE) && (backend->get(v, VREG_EFER) & EFER_NXE))
		return -1;   /* NX in use: it cannot go away under the guest */
	v->misc_enable = (val & MISC_ENABLE_RW) | (v->misc_enable & MISC_ENABLE_RO);
	return 0;
}

/* AMD's legacy performance counters, architectural on every AMD CPU
 * whatever CPUID says: PerfEvtSel0-3 (0xc0010000, r->arg 0-3) and
 * PerfCtr0-3 (0xc0010004, 4-7), kept per vCPU, none ever counting (an
 * enabled event select counts nothing). The counters are 48 bits wide;
 * an event select's reserved bits (19, 21, 36-63) #GP.
 * PerfCtrExtCore's six are hidden by CPUID. #GP on Intel, as there. */
static int rd_amd_perf(struct vcpu *v, const struct msr_rule *r, u64 *val)
{
	*val = v->amd_perf[r->arg];
	return boot_cpu_info.amd ? 0 : -1;
}

static int wr_amd_perf(struct vcpu *v, const struct msr_rule *r, u64 val)
{
	if (!boot_cpu_info.amd)
		return -1;
	if (r->arg < 4 && (val & AMD_PERFEVTSEL_RSVD))
		return -1;
	v->amd_perf[r->arg] = r->arg >= 4 ? val & AMD_PERFCTR_MASK : val;
	return 0;
}

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
	{ 0x00000010, rd_tsc, wr_tsc, 0, 0 },                      /* IA32_TIME_STAMP_COUNTER */
	{ 0x0000001b, rd_apic_base, wr_apic_base, 0, 0 },          /* IA32_APIC_BASE: core/irq/vlapic.c */
	{ 0x0000003b, rd_tsc_adjust, wr_tsc_adjust, 0, 0 },        /* IA32_TSC_ADJUST */
	{ 0x0000008b, rd_fixed, wr_ignored, 0, 0 },                /* IA32_BIOS_SIGN_ID: no microcode */
	{ 0x00000174, rd_vreg, wr_reg, VREG_SYSENTER_CS, HIGH32 }, /* IA32_SYSENTER_CS */
	{ 0x00000175, rd_vreg, wr_address, VREG_SYSENTER_ESP, 0 },
	{ 0x00000176, rd_vreg, wr_address, VREG_SYSENTER_EIP, 0 },
	{ 0x000001a0, rd_misc_enable, wr_misc_enable, 0, 0 },      /* IA32_MISC_ENABLE */
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
	{ 0xc0010000, rd_amd_perf, wr_amd_perf, 0, 0 },            /* AMD PerfEvtSel0-3 */
	{ 0xc0010001, rd_amd_perf, wr_amd_perf, 0, 1 },
	{ 0xc0010002, rd_amd_perf, wr_amd_perf, 0, 2 },
	{ 0xc0010003, rd_amd_perf, wr_amd_perf, 0, 3 },
	{ 0xc0010004, rd_amd_perf, wr_amd_perf, 0, 4 },            /* AMD PerfCtr0-3 */
	{ 0xc0010005, rd_amd_perf, wr_amd_perf, 0, 5 },
	{ 0xc0010006, rd_amd_perf, wr_amd_perf, 0, 6 },
	{ 0xc0010007, rd_amd_perf, wr_amd_perf, 0, 7 },
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

void vmsr_power_on(struct vcpu *v)
{
	v->tsc_offset = 0;
	v->misc_enable = boot_cpu_info.amd ? 0 : MISC_ENABLE_ON;
	memset(v->amd_perf, 0, sizeof(v->amd_perf));
}

void vmsr_load(struct vcpu *v)
{
	backend->set(v, VREG_TSC_OFFSET, v->tsc_offset);
}

int vmsr_rdpmc(struct vcpu *v, u32 index, u64 *val)
{
	if (!boot_cpu_info.amd || index > 3)
		return -1;
	*val = v->amd_perf[4 + index];
	return 0;
}
