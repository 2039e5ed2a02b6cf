/* CPUID as a guest sees it: the host's leaves with virtualization hidden and
 * the hypervisor bit set, plus our leaves from 0x40000000:
 *   0x40000000  EAX = highest hypervisor leaf, EBX:ECX:EDX = "HVHYPERVISOR"
 *   0x40000001  EAX = oldest ABI version served, EBX = newest, ECX = features
 * A feature bit keeps its meaning in every version that defines it, so ECX
 * holds them all; get_version reports those of the caller's version. */
#include "core/exit.h"
#include "core/cpu.h"
#include "core/vcpu_util.h"
#include "compat/compat.h"
#include "hypercall/hypercall.h"

#define HV_LEAF_MAX 0x40000001

/* Bits cleared and set in one register of one leaf. */
struct cpuid_fix {
	u32 leaf;
	u8 reg;          /* 0 eax, 1 ebx, 2 ecx, 3 edx */
	u32 clear, set;
};

static const struct cpuid_fix fixes[] = {
	{ 1, 2, 1u << 5 | 1u << 6, 1u << 31 },  /* no VMX, no SMX; hypervisor present */
	{ 0x80000001, 2, 1u << 2, 0 },          /* no SVM */
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

void exit_cpuid(struct vcpu *v, struct exit_info *ei)
{
	u32 leaf = (u32)v->gprs.rax, sub = (u32)v->gprs.rcx, r[4] = { 0 };

	if (leaf >= 0x40000000 && leaf <= 0x4fffffff) {
		hv_leaf(leaf, r);
	} else {
		struct cpuid_regs h = cpuid(leaf, sub);

		r[0] = h.eax, r[1] = h.ebx, r[2] = h.ecx, r[3] = h.edx;
		for (size_t i = 0; i < ARRAY_SIZE(fixes); i++)
			if (fixes[i].leaf == leaf)
				r[fixes[i].reg] = (r[fixes[i].reg] & ~fixes[i].clear) | fixes[i].set;
		if (leaf == 1)   /* initial APIC id: the vCPU's */
			r[1] = (r[1] & 0x00ffffff) | v->id << 24;
	}
	v->gprs.rax = r[0];
	v->gprs.rbx = r[1];
	v->gprs.rcx = r[2];
	v->gprs.rdx = r[3];
	vcpu_skip(v, ei->insn_len);
}
