/* Explaining a failed VM entry. The CPU reports only a class of failure
 * (a VM-instruction error number, or exit reason 33 "invalid guest state"),
 * so on failure we re-check the VMCS against the main rules of the Intel
 * SDM (Vol. 3, 27.2-27.3) and name the first one broken. The rules run only
 * after a failure, never on the entry path. */
#include "core/vmx/vmx.h"
#include "core/lib/fmt.h"

static const char *const insn_errors[] = {
	[1] = "VMCALL in VMX root operation",
	[2] = "VMCLEAR with an invalid address",
	[3] = "VMCLEAR with the VMXON pointer",
	[4] = "VMLAUNCH with a non-clear VMCS",
	[5] = "VMRESUME with a non-launched VMCS",
	[6] = "VMRESUME after VMXOFF",
	[7] = "VM entry with invalid control fields",
	[8] = "VM entry with invalid host-state fields",
	[9] = "VMPTRLD with an invalid address",
	[10] = "VMPTRLD with the VMXON pointer",
	[11] = "VMPTRLD with a wrong VMCS revision",
	[12] = "VMREAD/VMWRITE of an unsupported field",
	[13] = "VMWRITE to a read-only field",
	[15] = "VMXON in VMX root operation",
	[26] = "VM entry with events blocked by MOV SS",
	[28] = "invalid operand to INVEPT/INVVPID",
};

const char *vmx_insn_error_name(u32 err)
{
	if (err < sizeof(insn_errors) / sizeof(insn_errors[0]) && insn_errors[err])
		return insn_errors[err];
	return "VM-instruction error (see the SDM's table of errors)";
}

/* The fields one rule looks at, read once. */
struct vmcs_view {
	u64 cr0, cr4, efer, rflags;
	u32 entry, proc2;
	u32 ar[SEG_COUNT], limit[SEG_COUNT];
	u64 link, host_cr0, host_cr4;
	u32 pin, proc, exit;
};

struct rule {
	const char *name;
	bool (*broken)(const struct vmcs_view *s);
};

#define AR_TYPE(ar) ((ar) & 15)
#define AR_S(ar) ((ar) >> 4 & 1)
#define AR_DPL(ar) ((ar) >> 5 & 3)
#define AR_P(ar) ((ar) >> 7 & 1)
#define AR_L(ar) ((ar) >> 13 & 1)
#define AR_DB(ar) ((ar) >> 14 & 1)
#define AR_G(ar) ((ar) >> 15 & 1)
#define USABLE(ar) (!((ar) & AR_UNUSABLE))

static bool ia32e(const struct vmcs_view *s) { return s->entry & ENTRY_IA32E; }
static bool ug(const struct vmcs_view *s) { return s->proc2 & PROC2_UNRESTRICTED; }

static bool ctl_broken(u64 cap, u32 v) { return (v & (u32)cap) != (u32)cap || (v & ~(u32)(cap >> 32)); }
static bool bad_pin(const struct vmcs_view *s) { return ctl_broken(vmx_caps.pin, s->pin); }
static bool bad_proc(const struct vmcs_view *s) { return ctl_broken(vmx_caps.proc, s->proc); }
static bool bad_proc2(const struct vmcs_view *s) { return ctl_broken(vmx_caps.proc2, s->proc2); }
static bool bad_exit(const struct vmcs_view *s) { return ctl_broken(vmx_caps.exit, s->exit); }
static bool bad_entry(const struct vmcs_view *s) { return ctl_broken(vmx_caps.entry, s->entry); }

static bool bad_host_cr0(const struct vmcs_view *s)
{
	return (s->host_cr0 & vmx_caps.cr0_fixed0) != vmx_caps.cr0_fixed0 ||
	       (s->host_cr0 & ~vmx_caps.cr0_fixed1);
}

static bool bad_host_cr4(const struct vmcs_view *s)
{
	return (s->host_cr4 & vmx_caps.cr4_fixed0) != vmx_caps.cr4_fixed0 ||
	       (s->host_cr4 & ~vmx_caps.cr4_fixed1);
}

static bool bad_cr0(const struct vmcs_view *s)
{
	u64 fixed0 = vmx_caps.cr0_fixed0 & (ug(s) ? ~0x80000001ULL : ~0ULL);

	return (s->cr0 & fixed0) != fixed0 || (s->cr0 & ~vmx_caps.cr0_fixed1);
}

static bool bad_pg_pe(const struct vmcs_view *s) { return (s->cr0 >> 31 & 1) && !(s->cr0 & 1); }

static bool bad_cr4(const struct vmcs_view *s)
{
	return (s->cr4 & vmx_caps.cr4_fixed0) != vmx_caps.cr4_fixed0 || (s->cr4 & ~vmx_caps.cr4_fixed1);
}

static bool bad_lma(const struct vmcs_view *s) { return ia32e(s) != (bool)(s->efer >> 10 & 1); }
static bool bad_ia32e_paging(const struct vmcs_view *s)
{
	return ia32e(s) && (!(s->cr0 >> 31 & 1) || !(s->cr4 >> 5 & 1));
}
static bool bad_lme(const struct vmcs_view *s)
{
	return (s->cr0 >> 31 & 1) && (s->efer >> 10 & 1) != (s->efer >> 8 & 1);
}
static bool bad_cs_l_d(const struct vmcs_view *s)
{
	u32 cs = s->ar[SEG_CS];

	return ia32e(s) && AR_L(cs) && AR_DB(cs);
}
static bool bad_rflags(const struct vmcs_view *s)
{
	return !(s->rflags & 2) || (s->rflags & 0xffffffffffc08028ULL) ||
	       (ia32e(s) && (s->rflags >> 17 & 1));
}
static bool bad_tr(const struct vmcs_view *s)
{
	u32 tr = s->ar[SEG_TR];

	return !USABLE(tr) || AR_S(tr) || !AR_P(tr) ||
	       !(AR_TYPE(tr) == 11 || (!ia32e(s) && AR_TYPE(tr) == 3));
}
static bool bad_ldtr(const struct vmcs_view *s)
{
	u32 l = s->ar[SEG_LDTR];

	return USABLE(l) && (AR_TYPE(l) != 2 || AR_S(l) || !AR_P(l));
}
static bool bad_present(const struct vmcs_view *s)
{
	for (int i = SEG_ES; i <= SEG_GS; i++)
		if (USABLE(s->ar[i]) && (!AR_P(s->ar[i]) || !AR_S(s->ar[i])))
			return true;
	return false;
}
static bool bad_granularity(const struct vmcs_view *s)
{
	for (int i = 0; i < SEG_COUNT; i++) {
		u32 ar = s->ar[i], lim = s->limit[i];

		if (!USABLE(ar))
			continue;
		if ((lim & 0xfff) != 0xfff && AR_G(ar))
			return true;
		if ((lim & 0xfff00000) && !AR_G(ar))
			return true;
	}
	return false;
}
static bool bad_cs_type(const struct vmcs_view *s)
{
	u32 t = AR_TYPE(s->ar[SEG_CS]);

	return !(t == 9 || t == 11 || t == 13 || t == 15 || (ug(s) && t == 3));
}
static bool bad_ss_dpl(const struct vmcs_view *s)
{
	return !ug(s) && AR_DPL(s->ar[SEG_SS]) != AR_DPL(s->ar[SEG_CS]);
}
static bool bad_link(const struct vmcs_view *s) { return s->link != ~0ULL; }

static const struct rule rules[] = {
	{ "pin-based controls outside the allowed settings", bad_pin },
	{ "processor-based controls outside the allowed settings", bad_proc },
	{ "secondary controls outside the allowed settings", bad_proc2 },
	{ "VM-exit controls outside the allowed settings", bad_exit },
	{ "VM-entry controls outside the allowed settings", bad_entry },
	{ "host CR0 breaks the fixed bits", bad_host_cr0 },
	{ "host CR4 breaks the fixed bits", bad_host_cr4 },
	{ "guest CR0 breaks the fixed bits", bad_cr0 },
	{ "guest CR0.PG set without CR0.PE", bad_pg_pe },
	{ "guest CR4 breaks the fixed bits", bad_cr4 },
	{ "IA-32e mode guest control differs from guest EFER.LMA", bad_lma },
	{ "IA-32e mode guest without CR0.PG and CR4.PAE", bad_ia32e_paging },
	{ "guest EFER.LMA differs from EFER.LME with paging on", bad_lme },
	{ "guest CS has both L and D/B set in IA-32e mode", bad_cs_l_d },
	{ "guest RFLAGS reserved bits, or VM set in IA-32e mode", bad_rflags },
	{ "guest TR is not a present busy TSS", bad_tr },
	{ "guest LDTR is usable but not a present LDT", bad_ldtr },
	{ "a usable guest data segment is not present or not code/data", bad_present },
	{ "a guest segment limit does not match its granularity bit", bad_granularity },
	{ "guest CS type is not an accessed code segment", bad_cs_type },
	{ "guest SS.DPL differs from CS.DPL", bad_ss_dpl },
	{ "VMCS link pointer is not all ones", bad_link },
};

static void read_view(struct vmcs_view *s)
{
	s->cr0 = vmread(GUEST_CR0);
	s->cr4 = vmread(GUEST_CR4);
	s->efer = vmread(GUEST_EFER);
	s->rflags = vmread(GUEST_RFLAGS);
	s->entry = (u32)vmread(ENTRY_CONTROLS);
	s->exit = (u32)vmread(EXIT_CONTROLS);
	s->pin = (u32)vmread(PIN_CONTROLS);
	s->proc = (u32)vmread(PROC_CONTROLS);
	s->proc2 = (u32)vmread(PROC_CONTROLS2);
	s->link = vmread(VMCS_LINK_POINTER);
	s->host_cr0 = vmread(HOST_CR0);
	s->host_cr4 = vmread(HOST_CR4);
	for (int i = 0; i < SEG_COUNT; i++) {
		s->ar[i] = (u32)vmread(GUEST_ES_AR + 2 * i);
		s->limit[i] = (u32)vmread(GUEST_ES_LIMIT + 2 * i);
	}
}

const char *vmx_explain_entry_failure(struct vcpu *v)
{
	struct vmcs_view s;

	(void)v;
	read_view(&s);
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (rules[i].broken(&s))
			return rules[i].name;
	return "no rule checked here is broken (see bochs.log or the SDM, 27.3)";
}
