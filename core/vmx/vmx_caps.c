/* VT-x bring-up: read the capability MSRs, report them, check what the
 * backend needs, and enter VMX operation. */
#include "core/vmx/vmx.h"
#include "core/console/console.h"
#include "core/hw/cpu.h"
#include "core/hw/cpu_info.h"
#include "core/hw/lapic.h"
#include "core/lib/string.h"
#include "mm/mm.h"

struct vmx_caps vmx_caps;

/* Reads the MSRs in the order the SDM allows: 0x48b only when secondary
 * controls exist, 0x48c only when EPT or VPID can be enabled. */
static void read_caps(struct vmx_caps *c)
{
	c->basic = rdmsr(MSR_VMX_BASIC);
	c->revision = (u32)c->basic & 0x7fffffff;
	c->true_ctls = c->basic >> 55 & 1;
	c->pin = rdmsr(c->true_ctls ? MSR_VMX_TRUE_PINBASED : MSR_VMX_PINBASED);
	c->proc = rdmsr(c->true_ctls ? MSR_VMX_TRUE_PROCBASED : MSR_VMX_PROCBASED);
	c->exit = rdmsr(c->true_ctls ? MSR_VMX_TRUE_EXIT : MSR_VMX_EXIT);
	c->entry = rdmsr(c->true_ctls ? MSR_VMX_TRUE_ENTRY : MSR_VMX_ENTRY);
	c->misc = rdmsr(MSR_VMX_MISC);
	c->cr0_fixed0 = rdmsr(MSR_VMX_CR0_FIXED0);
	c->cr0_fixed1 = rdmsr(MSR_VMX_CR0_FIXED1);
	c->cr4_fixed0 = rdmsr(MSR_VMX_CR4_FIXED0);
	c->cr4_fixed1 = rdmsr(MSR_VMX_CR4_FIXED1);
	if (vmx_allowed1(c->proc, PROC_SECONDARY))
		c->proc2 = rdmsr(MSR_VMX_PROCBASED2);
	if (vmx_allowed1(c->proc2, PROC2_EPT) || vmx_allowed1(c->proc2, PROC2_VPID))
		c->ept_vpid = rdmsr(MSR_VMX_EPT_VPID_CAP);
	c->ept = vmx_allowed1(c->proc2, PROC2_EPT) && (c->ept_vpid & EPTCAP_WALK4) &&
		 (c->ept_vpid & EPTCAP_WB);
	c->ept_2m = c->ept_vpid & EPTCAP_2M;
	c->ept_1g = c->ept_vpid & EPTCAP_1G;
	/* all-context INVVPID too: a vCPU arriving on a CPU drops what that
	 * CPU may hold from its earlier stay (vmx_run.c, arrive) */
	c->vpid = vmx_allowed1(c->proc2, PROC2_VPID) && (c->ept_vpid & VPIDCAP_INVVPID) &&
		  (c->ept_vpid & VPIDCAP_INVVPID_ALL);
	c->unrestricted = vmx_allowed1(c->proc2, PROC2_UNRESTRICTED);
	c->preempt_timer = vmx_allowed1(c->pin, PIN_PREEMPT_TIMER);
	c->vnmi = vmx_allowed1(c->pin, PIN_VIRTUAL_NMI) && vmx_allowed1(c->proc, PROC_NMI_WINDOW);
	c->timer_shift = c->misc & 0x1f;
}

static const char *yn(bool b)
{
	return b ? "yes" : "no";
}

static void report(const struct vmx_caps *c)
{
	log_info("vmx: basic %016lx (revision %x, TRUE controls %s), misc %016lx\n",
		 c->basic, c->revision, yn(c->true_ctls), c->misc);
	log_info("vmx: secondary controls allowed-1 %08x, EPT/VPID caps %016lx\n",
		 (u32)(c->proc2 >> 32), c->ept_vpid);
	log_info("vmx: EPT %s (2M %s, 1G %s), unrestricted guest %s, VPID %s, preemption timer %s (TSC >> %u)\n",
		 yn(c->ept), yn(c->ept_2m), yn(c->ept_1g), yn(c->unrestricted), yn(c->vpid),
		 yn(c->preempt_timer), c->timer_shift);
	log_info("vmx: virtual NMIs %s%s\n", yn(c->vnmi),
		 c->vnmi ? "" : " (guests' NMI IPIs are held, never delivered)");
}

struct requirement {
	const char *what;
	bool (*present)(const struct vmx_caps *c);
};

static bool has_ept(const struct vmx_caps *c) { return c->ept; }
static bool has_ug(const struct vmx_caps *c) { return c->unrestricted; }
static bool has_timer(const struct vmx_caps *c) { return c->preempt_timer; }
static bool has_secondary(const struct vmx_caps *c) { return vmx_allowed1(c->proc, PROC_SECONDARY); }
static bool has_bitmaps(const struct vmx_caps *c)
{
	return vmx_allowed1(c->proc, PROC_IO_BITMAPS | PROC_MSR_BITMAPS | PROC_HLT_EXIT);
}
static bool has_dr_exit(const struct vmx_caps *c) { return vmx_allowed1(c->proc, PROC_MOV_DR_EXIT); }
static bool has_efer(const struct vmx_caps *c)
{
	return vmx_allowed1(c->exit, EXIT_HOST_64 | EXIT_LOAD_EFER | EXIT_SAVE_EFER) &&
	       vmx_allowed1(c->entry, ENTRY_LOAD_EFER | ENTRY_IA32E);
}

static const struct requirement required[] = {
	{ "secondary processor-based controls", has_secondary },
	{ "EPT with 4-level walks and write-back memory", has_ept },
	{ "unrestricted guest", has_ug },
	{ "VMX preemption timer", has_timer },
	{ "I/O and MSR bitmaps, HLT exiting", has_bitmaps },
	{ "MOV-DR exiting (debug registers switched from first use)", has_dr_exit },
	{ "64-bit host and EFER load/save on entry and exit", has_efer },
};

int vmx_probe(void)
{
	struct vmx_caps *c = &vmx_caps;
	int missing = 0;

	if (!boot_cpu_info.vmx) {
		log_err("vmx: this CPU has no VMX\n");
		return -1;
	}
	read_caps(c);
	report(c);
	for (size_t i = 0; i < ARRAY_SIZE(required); i++) {
		if (!required[i].present(c)) {
			log_err("vmx: required feature missing: %s\n", required[i].what);
			missing++;
		}
	}
	if (missing)
		return -1;
	/* The preemption timer preempts guests; the local APIC timer only
	 * wakes an idle CPU (run.c's halt_until), which spins without it */
	lapic_timer_init();
	return 0;
}

#define FC_LOCK 1ULL
#define FC_VMX_OUTSIDE_SMX (1ULL << 2)

/* VMXON on this CPU; locks IA32_FEATURE_CONTROL if firmware left it open. */
int vmx_cpu_on(void)
{
	u64 fc = rdmsr(MSR_FEATURE_CONTROL);
	u64 pa = frames_alloc_filled(1, 0);

	vmx_cpu()->me = this_cpu()->id + 1;
	if (!(fc & FC_LOCK))
		wrmsr(MSR_FEATURE_CONTROL, fc | FC_LOCK | FC_VMX_OUTSIDE_SMX);
	else if (!(fc & FC_VMX_OUTSIDE_SMX)) {
		log_err("vmx: VMX is disabled by the firmware (IA32_FEATURE_CONTROL %lx)\n", fc);
		return -1;
	}
	if (!pa)
		return -1;
	*(u32 *)(uintptr_t)pa = vmx_caps.revision;
	write_cr0((read_cr0() | vmx_caps.cr0_fixed0) & vmx_caps.cr0_fixed1);
	write_cr4((read_cr4() | vmx_caps.cr4_fixed0 | CR4_VMXE) & vmx_caps.cr4_fixed1);
	if (!vmxon(pa)) {
		log_err("vmx: VMXON failed\n");
		return -1;
	}
	log_info("vmx: VMX on (VMXON region %lx)\n", pa);
	return 0;
}
