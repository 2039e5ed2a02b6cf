/* The switch from one vCPU to the next (core/vm/vswitch.h). */
#include "core/vm/vswitch.h"
#include "core/hw/cpu.h"
#include "core/hw/percpu.h"
#include "core/vm/vfpu.h"

#define MSR_TSC_AUX 0xc0000103

/* Each CPU's own, in its struct cpu: the dr_live vCPU whose DR0-DR3 it
 * holds (dr_owner; NULL: none; it may still hold a vCPU's from before its
 * guest restarted, which no vCPU can see without becoming dr_live and
 * loading its own), the vCPU whose slice it is (vcpu), and the
 * IA32_TSC_AUX it holds (tsc_aux; 0 from vswitch_cpu_init). */
static bool has_tsc_aux;        /* RDTSCP or RDPID: the CPU has IA32_TSC_AUX */

void vswitch_init(void)
{
	struct cpuid_regs e = cpuid(0x80000000, 0);
	bool rdtscp = e.eax >= 0x80000001 && (cpuid(0x80000001, 0).edx >> 27 & 1);
	bool rdpid = cpuid(0, 0).eax >= 7 && (cpuid(7, 0).ecx >> 22 & 1);

	has_tsc_aux = rdtscp || rdpid;
}

void vswitch_cpu_init(void)
{
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
static void tsc_aux_to(struct cpu *c, u64 val)
{
	if (c->tsc_aux != val) {
		wrmsr(MSR_TSC_AUX, val);
		c->tsc_aux = val;
	}
}

int vswitch_set_tsc_aux(struct vcpu *v, u64 val)
{
	if (!has_tsc_aux || val >> 32)
		return -1;
	v->tsc_aux = val;
	if (this_cpu()->vcpu == v)
		tsc_aux_to(this_cpu(), val);
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
static void load_drs(struct cpu *c, struct vcpu *next)
{
	struct vcpu *prev = c->dr_owner;

	if (prev) {
		prev->dr[0] = read_dr0();
		prev->dr[1] = read_dr1();
		prev->dr[2] = read_dr2();
		prev->dr[3] = read_dr3();
	}
	write_dr0(next->dr[0]);
	write_dr1(next->dr[1]);
	write_dr2(next->dr[2]);
	write_dr3(next->dr[3]);
	c->dr_owner = next;
}

void vswitch_take_drs(struct vcpu *v)
{
	v->dr_live = true;
	if (this_cpu()->dr_owner != v)
		load_drs(this_cpu(), v);
}

void vswitch_to(struct vcpu *next)
{
	fpu_switch(next);
	if (next->dr_live && this_cpu_read(dr_owner) != next)
		load_drs(this_cpu(), next);
	if (this_cpu_read(tsc_aux) != next->tsc_aux)
		tsc_aux_to(this_cpu(), next->tsc_aux);
	this_cpu_write(vcpu, next);
	if (backend->load)
		backend->load(next);
}

void vswitch_release(struct vcpu *v)
{
	struct cpu *c = this_cpu();

	fpu_release(v);
	if (c->dr_owner == v) {
		v->dr[0] = read_dr0();
		v->dr[1] = read_dr1();
		v->dr[2] = read_dr2();
		v->dr[3] = read_dr3();
		c->dr_owner = NULL;   /* still in the CPU, seen by nobody (load_drs) */
	}
	if (c->vcpu == v)
		c->vcpu = NULL;
	backend->release(v);
}

/* The backend's vcpu_reset, called next, traps MOV DR again. */
void vswitch_reset(struct vcpu *v)
{
	for (int i = 0; i < 4; i++)
		v->dr[i] = 0;
	v->dr_live = false;
	if (this_cpu()->dr_owner == v)
		this_cpu()->dr_owner = NULL;   /* what the CPU holds is nobody's now */
	v->tsc_aux = 0;
	if (this_cpu()->vcpu == v)
		tsc_aux_to(this_cpu(), 0);
}
