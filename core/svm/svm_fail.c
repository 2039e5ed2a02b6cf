/* Explaining a VMRUN that failed with VMEXIT_INVALID. The CPU names no
 * reason, so the VMCB is re-checked against the consistency checks of the
 * AMD APM (Vol. 2, 15.5.1 "Canonicalization and Consistency Checks") and the
 * first one broken is named. Runs only after a failure. */
#include "core/svm/svm.h"
#include "core/hw/cpu.h"

#define EFER_VALID 0xfd01ULL   /* SCE, LME, LMA, NXE, SVME, LMSLE, FFXSR, TCE */
#define ATTR_L (1u << 9)
#define ATTR_DB (1u << 10)

struct rule {
	const char *name;
	bool (*broken)(const struct vmcb *v);
};

static bool long_paging(const struct vmcb *v)
{
	return (v->s.efer & EFER_LME) && (v->s.cr0 & CR0_PG);
}

static bool no_svme(const struct vmcb *v) { return !(v->s.efer & EFER_SVME); }
static bool nw_without_cd(const struct vmcb *v) { return (v->s.cr0 & CR0_NW) && !(v->s.cr0 & CR0_CD); }
static bool cr0_high(const struct vmcb *v) { return v->s.cr0 >> 32; }
static bool cr3_mbz(const struct vmcb *v) { return v->s.cr3 >> 52; }
static bool dr_high(const struct vmcb *v) { return (v->s.dr6 | v->s.dr7) >> 32; }
static bool efer_mbz(const struct vmcb *v) { return v->s.efer & ~EFER_VALID; }
static bool lm_no_pae(const struct vmcb *v) { return long_paging(v) && !(v->s.cr4 & CR4_PAE); }
static bool lm_no_pe(const struct vmcb *v) { return long_paging(v) && !(v->s.cr0 & CR0_PE); }
static bool pg_no_pe(const struct vmcb *v) { return (v->s.cr0 & CR0_PG) && !(v->s.cr0 & CR0_PE); }
static bool no_vmrun_icpt(const struct vmcb *v) { return !(v->c.icpt2 & ICPT2_VMRUN); }
static bool asid_zero(const struct vmcb *v) { return v->c.asid == 0; }

static bool cs_l_and_d(const struct vmcb *v)
{
	return long_paging(v) && (v->s.cr4 & CR4_PAE) &&
	       (v->s.cs.attrib & ATTR_L) && (v->s.cs.attrib & ATTR_DB);
}

static const struct rule rules[] = {
	{ "guest EFER.SVME is clear", no_svme },
	{ "guest EFER has reserved bits set", efer_mbz },
	{ "guest CR0.NW is set without CR0.CD", nw_without_cd },
	{ "guest CR0 has bits set above bit 31", cr0_high },
	{ "guest CR0.PG is set without CR0.PE", pg_no_pe },
	{ "guest CR3 has reserved bits set", cr3_mbz },
	{ "guest DR6 or DR7 has bits set above bit 31", dr_high },
	{ "guest EFER.LME and CR0.PG are set without CR4.PAE", lm_no_pae },
	{ "guest EFER.LME and CR0.PG are set without CR0.PE", lm_no_pe },
	{ "guest CS has both L and D/B set in long mode", cs_l_and_d },
	{ "the VMRUN intercept is clear", no_vmrun_icpt },
	{ "the guest ASID is 0", asid_zero },
};

const char *svm_explain_invalid(const struct vmcb *v)
{
	for (size_t i = 0; i < ARRAY_SIZE(rules); i++)
		if (rules[i].broken(v))
			return rules[i].name;
	return "no consistency check known to this hypervisor is broken";
}
