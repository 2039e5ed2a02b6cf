/* The switch from one vCPU to the next (core/vm/vswitch.h). */
#include "core/vm/vswitch.h"
#include "core/hw/cpu.h"
#include "core/vm/vfpu.h"

#define MSR_TSC_AUX 0xc0000103

static struct vcpu *dr_owner;   /* whose DR0-DR3 and TSC_AUX the CPU holds */
static bool has_tsc_aux;        /* RDTSCP or RDPID: the CPU has IA32_TSC_AUX */

void vswitch_init(void)
{
	struct cpuid_regs e = cpuid(0x80000000, 0);
	bool rdtscp = e.eax >= 0x80000001 && (cpuid(0x80000001, 0).edx >> 27 & 1);
	bool rdpid = cpuid(0, 0).eax >= 7 && (cpuid(7, 0).ecx >> 22 & 1);

	has_tsc_aux = rdtscp || rdpid;
	if (has_tsc_aux)
		wrmsr(MSR_TSC_AUX, 0);
}

bool vswitch_tsc_aux(void)
{
	return has_tsc_aux;
}

int vswitch_set_tsc_aux(struct vcpu *v, u64 val)
{
	if (!has_tsc_aux || val >> 32)
		return -1;
	v->tsc_aux = val;
	if (dr_owner == v)
		wrmsr(MSR_TSC_AUX, val);
	return 0;
}

/* MOV DR is not intercepted: a guest's DR0-DR3 are the CPU's while it runs.
 * DR7 (which arms them) is loaded from the VMCS/VMCB at every entry and
 * reset to 0x400 at every exit, so the host never breaks on them. RDTSCP
 * and RDPID read IA32_TSC_AUX without an exit (neither can be intercepted
 * everywhere: QEMU ignores SVM's RDTSCP intercept, no CPU has one for
 * RDPID); writes to it exit (core/exit/vmsr.c). */
static void switch_drs(struct vcpu *next)
{
	if (dr_owner == next)
		return;
	if (dr_owner) {
		dr_owner->dr[0] = read_dr0();
		dr_owner->dr[1] = read_dr1();
		dr_owner->dr[2] = read_dr2();
		dr_owner->dr[3] = read_dr3();
	}
	write_dr0(next->dr[0]);
	write_dr1(next->dr[1]);
	write_dr2(next->dr[2]);
	write_dr3(next->dr[3]);
	if (has_tsc_aux && (!dr_owner || dr_owner->tsc_aux != next->tsc_aux))
		wrmsr(MSR_TSC_AUX, next->tsc_aux);
	dr_owner = next;
}

void vswitch_to(struct vcpu *next)
{
	fpu_switch(next);
	switch_drs(next);
	if (backend->load)
		backend->load(next);
}

void vswitch_reset(struct vcpu *v)
{
	for (int i = 0; i < 4; i++)
		v->dr[i] = 0;
	v->tsc_aux = 0;
	if (dr_owner == v) {
		dr_owner = NULL;
		switch_drs(v);
	}
}
