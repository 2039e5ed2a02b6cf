/* The switch from one vCPU to the next (core/vm/vswitch.h). */
#include "core/vm/vswitch.h"
#include "core/hw/cpu.h"
#include "core/vm/vfpu.h"

#define MSR_TSC_AUX 0xc0000103

/* This CPU's: the dr_live vCPU whose DR0-DR3 it holds (NULL: none; it may
 * still hold a vCPU's from before its guest restarted, which no vCPU can
 * see without becoming dr_live and loading its own), the vCPU whose slice
 * it is, and the IA32_TSC_AUX it holds. */
static struct vcpu *dr_owner, *current;
static u64 cpu_tsc_aux;
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

/* RDTSCP and RDPID read IA32_TSC_AUX without an exit (neither can be
 * intercepted everywhere: QEMU ignores SVM's RDTSCP intercept, no CPU has
 * one for RDPID); writes to it exit (core/exit/vmsr.c). The CPU gets the
 * running vCPU's, written only when it differs. Without TSC_AUX every
 * vCPU's value stays 0 (vswitch_set_tsc_aux refuses others), the CPU's
 * "value" too: nothing is ever written. */
static void tsc_aux_to(u64 val)
{
	if (cpu_tsc_aux != val) {
		wrmsr(MSR_TSC_AUX, val);
		cpu_tsc_aux = val;
	}
}

int vswitch_set_tsc_aux(struct vcpu *v, u64 val)
{
	if (!has_tsc_aux || val >> 32)
		return -1;
	v->tsc_aux = val;
	if (current == v)
		tsc_aux_to(val);
	return 0;
}

/* DR0-DR3 are switched lazily. A vCPU starts with MOV DR to or from any
 * debug register trapped (the backend's start state); its first one
 * exits, and the backend calls vswitch_take_drs, which loads its DR0-DR3
 * and makes it dr_live: from then on (until its guest restarts) MOV DR
 * runs without an exit and its DR0-DR3 are switched at every slice it
 * gets, read back from the CPU when another dr_live vCPU needs them. A
 * vCPU that is not dr_live cannot read the CPU's DR0-DR3 (it traps
 * first), its DR7, which only a trapped MOV could have changed, is the
 * reset value that arms none of them, and the backend clears the B0-B3
 * bits of the #DBs it reflects to it: whatever the CPU holds is nothing it
 * can see or use. DR7 itself is loaded from the VMCS/VMCB at every entry
 * and reset to 0x400 at every exit, so the host never breaks on them. */
static void load_drs(struct vcpu *next)
{
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
	dr_owner = next;
}

void vswitch_take_drs(struct vcpu *v)
{
	v->dr_live = true;
	if (dr_owner != v)
		load_drs(v);
}

void vswitch_to(struct vcpu *next)
{
	fpu_switch(next);
	if (next->dr_live && dr_owner != next)
		load_drs(next);
	tsc_aux_to(next->tsc_aux);
	current = next;
	if (backend->load)
		backend->load(next);
}

/* The backend's vcpu_reset, called next, traps MOV DR again. */
void vswitch_reset(struct vcpu *v)
{
	for (int i = 0; i < 4; i++)
		v->dr[i] = 0;
	v->dr_live = false;
	if (dr_owner == v)
		dr_owner = NULL;   /* what the CPU holds is nobody's now */
	v->tsc_aux = 0;
	if (current == v)
		tsc_aux_to(0);
}
