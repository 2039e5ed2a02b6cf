/* AMD-V bring-up: read and report SVM features, check what the backend
 * needs, and turn SVM on (EFER.SVME, host save area, host VMCB). */
#include "core/svm/svm.h"
#include "core/console/console.h"
#include "core/hw/cpu.h"
#include "core/hw/cpu_info.h"
#include "core/hw/lapic.h"
#include "core/hw/percpu.h"
#include "mm/mm.h"

struct svm_caps svm_caps;

static const char *yn(bool b)
{
	return b ? "yes" : "no";
}

int svm_probe(void)
{
	const struct cpu_info *ci = &boot_cpu_info;
	struct svm_caps *c = &svm_caps;

	if (!ci->svm) {
		log_err("svm: this CPU has no SVM\n");
		return -1;
	}
	*c = (struct svm_caps){
		.revision = ci->svm_rev, .asids = ci->asids, .npt = ci->npt,
		.nrips = ci->nrips, .decode_assists = ci->decode_assists,
	};
	log_info("svm: revision %u, %u ASIDs, NPT %s, NRIPS %s, decode assists %s\n",
		 c->revision, c->asids, yn(c->npt), yn(c->nrips), yn(c->decode_assists));
	if (!c->nrips)
		log_info("svm: no next-RIP save: instruction lengths are decoded by the hypervisor\n");
	if (rdmsr(MSR_VM_CR) & VM_CR_SVMDIS) {
		log_err("svm: SVM is disabled by the firmware (VM_CR.SVMDIS)\n");
		return -1;
	}
	if (!c->npt) {
		log_err("svm: required feature missing: nested paging (NPT)\n");
		return -1;
	}
	if (c->asids < 2) {
		log_err("svm: required feature missing: an ASID for guests (%u ASIDs)\n", c->asids);
		return -1;
	}
	return lapic_timer_init();   /* AMD-V preempts guests with it */
}

/* EFER.SVME, the host save area VMRUN uses, and a VMCB holding the host's
 * own FS, GS, TR, LDTR and syscall MSRs, which VMLOAD restores after each
 * exit (VMRUN and #VMEXIT do not switch them): this CPU's own. */
int svm_cpu_on(void)
{
	u64 hsave = frames_alloc_filled(1, 0), host = frames_alloc_filled(1, 0);
	struct svm_cpu *c = svm_cpu();

	if (!hsave || !host)
		return -1;   /* this CPU stays out: what it got is not worth giving back */
	c->asid_owner = kzalloc((SVM_ASID_SLOTS + 1) * sizeof(*c->asid_owner));
	if (!c->asid_owner)
		return -1;
	c->host_vmcb = host;
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, hsave);
	__asm__ volatile("vmsave %%rax" : : "a"(host) : "memory");
	log_info("svm: SVM on (host save area %lx)\n", hsave);
	return 0;
}
