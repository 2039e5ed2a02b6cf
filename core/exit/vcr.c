/* Control-register checks (core/exit/vcr.h), from the Intel SDM Vol. 3, 2.5 and
 * 4.1.3, and the AMD APM Vol. 2, 3.1. */
#include "core/exit/vcr.h"
#include "core/hw/cpu.h"
#include "core/irq/vlapic.h"
#include "core/exit/exit.h"
#include "core/irq/virq.h"

#define CS_L (1u << 13)

bool vcr_cr0_ok(struct vcpu *v, u64 val)
{
	u64 efer = backend->get(v, VREG_EFER), cr4 = backend->get(v, VREG_CR4);

	if (val >> 32 || ((val & CR0_NW) && !(val & CR0_CD)))
		return false;
	if (val & CR0_PG)
		return (val & CR0_PE) && (!(efer & EFER_LME) || (cr4 & CR4_PAE));
	if (!(backend->get(v, VREG_CR0) & CR0_PG))
		return true;
	return !(cr4 & CR4_PCIDE) && !((efer & EFER_LMA) && (backend->get(v, VREG_CS_AR) & CS_L));
}

/* CR4 bits and the CPUID bit (leaf, register, bit) that offers each; bits
 * 0-10 except LA57's neighbours are architectural since the Pentium. */
static const struct {
	u8 cr4_bit;
	u32 leaf;
	u8 reg, bit;
} offered[] = {
	{ 11, 7, 2, 2 },    /* UMIP */
	{ 12, 7, 2, 16 },   /* LA57 */
	{ 16, 7, 1, 0 },    /* FSGSBASE */
	{ 17, 1, 2, 17 },   /* PCIDE */
	{ 18, 1, 2, 26 },   /* OSXSAVE: XSAVE */
	{ 20, 7, 1, 7 },    /* SMEP */
	{ 21, 7, 1, 20 },   /* SMAP */
	{ 22, 7, 2, 3 },    /* PKE */
	{ 23, 7, 2, 7 },    /* CET */
	{ 24, 7, 2, 31 },   /* PKS */
};

static u64 cr4_allowed(struct vcpu *v)
{
	u64 ok = 0x7ff;     /* VME PVI TSD DE PSE PAE MCE PGE PCE OSFXSR OSXMMEXCPT */
	u32 r[4];

	for (u32 i = 0; i < ARRAY_SIZE(offered); i++) {
		vcpuid_leaf(v, offered[i].leaf, 0, r);
		if (r[offered[i].reg] >> offered[i].bit & 1)
			ok |= 1ULL << offered[i].cr4_bit;
	}
	return ok;
}

bool vcr_cr4_ok(struct vcpu *v, u64 val)
{
	u64 old = backend->get(v, VREG_CR4);
	bool long_mode = backend->get(v, VREG_EFER) & EFER_LMA;

	if (val & ~cr4_allowed(v))
		return false;
	if (long_mode && (!(val & CR4_PAE) || ((val ^ old) & CR4_LA57)))
		return false;
	if ((val & CR4_PCIDE) && !(old & CR4_PCIDE))
		return long_mode && !(backend->get(v, VREG_CR3) & 0xfff);
	return true;
}

bool vcr_write_cr8(struct vcpu *v, u64 val)
{
	if (val > 15)
		return false;
	v->lapic->tpr = (u32)val << 4;
	virq_kick(v->guest);       /* a lower priority may let a waiting interrupt in */
	return true;
}
