/* The switch from one vCPU to the next on this CPU. Guest state with no
 * VMCS/VMCB field stays in the CPU between the running vCPU's exits (the
 * hypervisor itself never uses it) and is made next's here, at the start
 * of a slice, only when another vCPU ran last. docs/state.md lists every
 * piece of state a guest can change without an exit and who switches it. */
#ifndef CORE_VSWITCH_H
#define CORE_VSWITCH_H

#include "core/vm/backend.h"

/* Once at boot, after fpu_init: learns whether the CPU has IA32_TSC_AUX. */
void vswitch_init(void);

/* On every CPU before its first guest: clears its IA32_TSC_AUX (the
 * vCPUs' start value, which struct cpu's tsc_aux says it holds; firmware
 * may have left any value there). */
void vswitch_cpu_init(void);

/* Whether guests get RDTSCP and RDPID (the CPU has TSC_AUX to switch). */
bool vswitch_tsc_aux(void);

/* WRMSR IA32_TSC_AUX for v: 0, or -1 (#GP) for bits above 31 or a CPU
 * without it. */
int vswitch_set_tsc_aux(struct vcpu *v, u64 val);

/* Makes the CPU hold next's FPU/SSE/AVX state, XCR0, TSC_AUX, DR0-DR3
 * if next is dr_live, and whatever the backend switches itself
 * (backend_ops.load). */
void vswitch_to(struct vcpu *next);

/* This CPU lets go of everything it holds of v (FPU, DR0-DR3, the
 * backend's state: backend_ops.release), so that v may next run, be
 * read or be restarted on any CPU. On the CPU v last ran on; nothing for
 * what this CPU does not hold. */
void vswitch_release(struct vcpu *v);

/* For the backend, at v's first trapped MOV DR (any register): the CPU
 * loads v's DR0-DR3 and v becomes dr_live. The backend then stops
 * trapping MOV DR for v and lets the instruction run again, unemulated. */
void vswitch_take_drs(struct vcpu *v);

/* Puts v's switched debug registers and TSC_AUX in their reset state (a
 * guest start), TSC_AUX in the CPU too when it is v's slice. Before the
 * backend's vcpu_reset, whose start state traps MOV DR again. */
void vswitch_reset(struct vcpu *v);

#endif
