/* CPUID as a guest sees it: the host's leaves with virtualization and the
 * features whose MSRs are not emulated hidden, the hypervisor bit set, the
 * TSC frequency and XSAVE sizes computed, plus our leaves from 0x40000000:
 *   0x40000000  EAX = highest hypervisor leaf, EBX:ECX:EDX = "HVHYPERVISOR"
 *   0x40000001  EAX = oldest ABI version served, EBX = newest, ECX = features
 * A feature bit keeps its meaning in every version that defines it, so ECX
 * holds them all; get_version reports those of the caller's version. */
#include "core/exit/exit.h"
#include "core/hw/cpu.h"
#include "core/hw/cpu_info.h"
#include "core/hw/time.h"
#include "core/vm/vfpu.h"
#include "core/vm/vcpu_util.h"
#include "core/irq/vlapic.h"
#include "compat/compat.h"
#include "hypercall/hypercall.h"

#define HV_LEAF_MAX 0x40000001

/* Bits cleared and set in one register of one leaf (of one subleaf, or
 * of all when sub is ANY_SUB). */
struct cpuid_fix {
	u32 leaf, sub;
	u8 reg;          /* 0 eax, 1 ebx, 2 ecx, 3 edx */
	u32 clear, set;
};

#define ANY_SUB 0xffffffffu

/* What a guest is not offered: virtualization itself, and the features
 * whose MSRs the hypervisor does not emulate (core/exit/vmsr.c). */
static const struct cpuid_fix fixes[] = {
	{ 1, ANY_SUB, 2, 1u << 3 | 1u << 5 | 1u << 6 | 1u << 8 | 1u << 15 | 1u << 21 | 1u << 24, 1u << 31 },
			/* no MONITOR/MWAIT, VMX, SMX, TM2, PDCM, x2APIC, TSC deadline; hypervisor */
	{ 1, ANY_SUB, 3, 1u << 7 | 1u << 12 | 1u << 14 | 1u << 22 | 1u << 29, 1u << 9 },
			/* no MCE, MTRR, MCA, thermal control (ACPI, TM); an xAPIC */
	{ 0x80000001, ANY_SUB, 2, 1u << 2 | 1u << 3 | 1u << 23 | 1u << 24 | 1u << 28, 0 },
			/* no SVM, no extended APIC space, no PerfCtrExtCore, NB or LLC counters */
	{ 0x80000022, ANY_SUB, 0, ~0u, 0 },                  /* no AMD PerfMonV2 */
	{ 0x80000022, ANY_SUB, 1, ~0u, 0 },
	{ 7, 0, 2, 1u << 16, 0 },                            /* no LA57 (5-level paging) */
	{ 0xd, 1, 0, 1u << 3, 0 },                           /* no XSAVES (its IA32_XSS MSR) */
	{ 6, ANY_SUB, 0, 1u << 0 | 1u << 4 | 1u << 6, 0 },  /* no digital or package thermal sensor */
	{ 6, ANY_SUB, 2, 1u << 0 | 1u << 3, 0 },             /* no APERF/MPERF, no energy bias MSR */
	{ 7, 0, 2, 1u << 7 | 1u << 31, 0 },                  /* no CET shadow stacks, no PKS (their MSRs) */
	{ 7, 0, 3, 1u << 20, 0 },                            /* no CET indirect-branch tracking */
	{ 0xa, ANY_SUB, 0, ~0u, 0 },                         /* no performance counters (RDPMC: #GP) */
	{ 0xa, ANY_SUB, 1, ~0u, 0 },
	{ 0xa, ANY_SUB, 2, ~0u, 0 },
	{ 0xa, ANY_SUB, 3, ~0u, 0 },
};

static void hv_leaf(u32 leaf, u32 *r)
{
	if (leaf == 0x40000000) {
		r[0] = HV_LEAF_MAX;
		r[1] = 0x59485648;   /* "HVHY" */
		r[2] = 0x56524550;   /* "PERV" */
		r[3] = 0x524f5349;   /* "ISOR" */
	} else if (leaf == 0x40000001) {
		r[0] = ABI_OLDEST;
		r[1] = ABI_NEWEST;
		r[2] = hc_features();
	}
}

/* Leaves 0x15 and 0x16 tell the TSC frequency the hypervisor knows (the
 * guest's TSC is the host's): an emulator's or a model's nominal figures
 * there would be believed by kernels and be wrong. 0x15: "crystal" Hz in
 * ECX times EBX / EAX (Linux also takes the crystal for the APIC timer's
 * clock, which core/irq/vlapic.c makes true); 0x16: base and maximum MHz, bus 100 MHz. */
static void tsc_leaf(struct vcpu *v, u32 leaf, u32 sub, u32 *r)
{
	u64 hz = time_tsc_hz(), ratio = time_crystal_ratio();

	(void)v, (void)sub;
	if (cpuid(0, 0).eax < leaf)
		return;
	if (leaf == 0x15) {
		r[0] = 1;
		r[1] = (u32)ratio;
		r[2] = (u32)(hz / ratio);
	} else {
		r[0] = r[1] = (u32)((hz + 500000) / 1000000);
		r[2] = 100;
	}
	r[3] = 0;
}

/* The topology the guest's MADT gives it: one package of nvcpus cores of
 * one thread each, the x2APIC ID the vCPU's number, never the host's
 * (which would change as the vCPU moves between CPUs). Leaf 1: the
 * initial APIC ID, and the package's 1 << TOPO_CORE_BITS addressable IDs
 * (EBX 23:16, valid by EDX's HTT bit). 0xb and 0x1f: the thread level,
 * then the core level (TOPO_CORE_BITS of ID), then none; 0x8000001e:
 * extended APIC ID and core ID, one thread a core, node 0; AMD's
 * 0x80000008 ECX: nvcpus cores, TOPO_CORE_BITS of core ID. A leaf the
 * host lacks stays as the host answers it. */
#define TOPO_CORE_BITS 3
_Static_assert(CFG_VCPUS_MAX <= 1u << TOPO_CORE_BITS, "vCPU numbers fit the core level");

/* EDX with its APIC bit (9, in leaf 1 and AMD's 0x80000001) following
 * the local APIC's enable bit in IA32_APIC_BASE, as on hardware. */
static u32 apic_bit(struct vcpu *v, u32 edx)
{
	return (edx & ~(1u << 9)) | (u32)(vlapic_base_msr(v) >> 11 & 1) << 9;
}

/* Leaf 1: the topology above, OSXSAVE the vCPU's CR4.OSXSAVE, the APIC
 * bit. */
static void leaf_1(struct vcpu *v, u32 leaf, u32 sub, u32 *r)
{
	(void)leaf, (void)sub;
	r[1] = (r[1] & 0x0000ffff) | v->id << 24 | (1u << TOPO_CORE_BITS) << 16;
	r[2] = (r[2] & ~(1u << 27)) | (u32)(backend->get(v, VREG_CR4) >> 18 & 1) << 27;
	r[3] = apic_bit(v, r[3]) | 1u << 28;
}

/* Leaf 0: the highest basic leaf, 2 while IA32_MISC_ENABLE limits it
 * (core/exit/vmsr.c; exit_cpuid then answers leaves above 2 as leaf 2). */
static void leaf_0(struct vcpu *v, u32 leaf, u32 sub, u32 *r)
{
	(void)leaf, (void)sub;
	if (v->misc_enable & MISC_LIMIT_CPUID)
		r[0] = MIN(r[0], 2u);
}

/* Leaf 0x80000001: AMD's copy of the APIC bit; NX hidden by
 * MISC_ENABLE's XD disable. */
static void leaf_80000001(struct vcpu *v, u32 leaf, u32 sub, u32 *r)
{
	(void)leaf, (void)sub;
	if (boot_cpu_info.amd)
		r[3] = apic_bit(v, r[3]);
	if (v->misc_enable & MISC_XD_DISABLE)
		r[3] &= ~(1u << 20);
}

static void topology_leaf(struct vcpu *v, u32 leaf, u32 sub, u32 *r)
{
	if (cpuid(leaf & 0x80000000u, 0).eax < leaf)
		return;
	if (leaf == 0x8000001e) {
		r[0] = r[1] = v->id;
		r[2] = r[3] = 0;
		return;
	}
	if (leaf == 0x80000008) {   /* Intel's ECX is reserved, 0 */
		if (boot_cpu_info.amd)
			r[2] = (r[2] & ~0xf0ffu) | TOPO_CORE_BITS << 12 | (v->guest->nvcpus - 1);
		return;
	}
	r[3] = v->id;
	if (sub == 0) {
		r[0] = 0, r[1] = 1, r[2] = 1u << 8;                   /* thread level */
	} else if (sub == 1) {
		r[0] = TOPO_CORE_BITS, r[1] = v->guest->nvcpus, r[2] = 2u << 8 | 1;   /* core level */
	} else {
		r[0] = r[1] = 0, r[2] = sub & 0xff;                   /* no more levels */
	}
}

/* Leaf 0xd: the XCR0 bits offered and the area sizes for the guest's XCR0,
 * computed from the subleaves (core/vm/vfpu.c); XSS is 0 (no XSAVES). */
static void xsave_leaf(struct vcpu *v, u32 leaf, u32 sub, u32 *r)
{
	u64 all = fpu_xcr0_supported();

	(void)leaf;
	if (sub == 0) {
		r[0] = (u32)all, r[3] = (u32)(all >> 32);
		r[1] = fpu_xsave_size(fpu_xcr0(v)), r[2] = fpu_xsave_size(all);
	} else if (sub == 1) {
		r[1] = fpu_xsave_compacted_size(fpu_xcr0(v));
	}
}

/* Leaves the hypervisor fills in itself, after the fixes. */
static const struct {
	u32 leaf;
	void (*fill)(struct vcpu *v, u32 leaf, u32 sub, u32 *r);
} computed[] = {
	{ 0, leaf_0 }, { 1, leaf_1 }, { 0xb, topology_leaf }, { 0xd, xsave_leaf }, { 0x15, tsc_leaf }, { 0x16, tsc_leaf },
	{ 0x1f, topology_leaf }, { 0x80000001, leaf_80000001 }, { 0x80000008, topology_leaf },
	{ 0x8000001e, topology_leaf },
};

void vcpuid_leaf(struct vcpu *v, u32 leaf, u32 sub, u32 r[4])
{
	r[0] = r[1] = r[2] = r[3] = 0;
	if (leaf >= 0x40000000 && leaf <= 0x4fffffff) {
		hv_leaf(leaf, r);
	} else {
		struct cpuid_regs h = cpuid(leaf, sub);

		r[0] = h.eax, r[1] = h.ebx, r[2] = h.ecx, r[3] = h.edx;
		for (size_t i = 0; i < ARRAY_SIZE(fixes); i++)
			if (fixes[i].leaf == leaf && (fixes[i].sub == ANY_SUB || fixes[i].sub == sub))
				r[fixes[i].reg] = (r[fixes[i].reg] & ~fixes[i].clear) | fixes[i].set;
		for (size_t i = 0; i < ARRAY_SIZE(computed); i++)
			if (computed[i].leaf == leaf)
				computed[i].fill(v, leaf, sub, r);
	}
}

struct act exit_cpuid(struct vcpu *v, struct exit_info *ei)
{
	u32 r[4], leaf = (u32)v->gprs.rax;

	/* past the highest basic leaf, Intel answers as for that leaf */
	if ((v->misc_enable & MISC_LIMIT_CPUID) && leaf > 2 && leaf < 0x40000000)
		leaf = 2;
	vcpuid_leaf(v, leaf, (u32)v->gprs.rcx, r);
	v->gprs.rax = r[0];
	v->gprs.rbx = r[1];
	v->gprs.rcx = r[2];
	v->gprs.rdx = r[3];
	return vcpu_skip(v, ei->insn_len);
}
