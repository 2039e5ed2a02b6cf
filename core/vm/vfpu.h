/* A guest's FPU, SSE and AVX registers and its XCR0. The hypervisor never
 * uses them itself (it is built with -mgeneral-regs-only), so the CPU holds
 * those of the vCPU that ran last; fpu_switch saves them to that vCPU's
 * area and loads the next one's, only when another vCPU runs. */
#ifndef CORE_VFPU_H
#define CORE_VFPU_H

#include "core/vm/backend.h"

/* Once at boot: turns on CR4.OSFXSR and, when the CPU has XSAVE,
 * CR4.OSXSAVE, and learns the size of the save area. */
void fpu_init(void);

/* Gives v a save area in the reset state (XCR0 = x87 only, FCW 0x37f,
 * MXCSR 0x1f80, everything else zero). 0, or -1 when out of memory. */
int fpu_vcpu_init(struct vcpu *v);

/* Puts v's registers back in the reset state (a guest reboot). */
void fpu_vcpu_reset(struct vcpu *v);

/* The same for the compacted format (XSAVEC): the components one after
 * the other, each aligned to 64 bytes where leaf 0xd says so. */
u32 fpu_xsave_compacted_size(u64 xcr0);

/* The XCR0 bits guests may set (CPUID leaf 0xd, subleaf 0, EDX:EAX). */
u64 fpu_xcr0_supported(void);

/* v's XCR0. Where XSETBV does not exit (QEMU's SVM does not intercept it)
 * the guest sets the CPU's XCR0 itself, so the running vCPU's is read off
 * the CPU. */
u64 fpu_xcr0(struct vcpu *v);

/* This CPU lets go of v's FPU state if it holds it (saved into v's area):
 * v may next run on another CPU. */
void fpu_release(struct vcpu *v);

/* Makes the CPU's FPU state and XCR0 next's. */
void fpu_switch(struct vcpu *next);

/* The bytes a standard-format XSAVE area needs for the components in
 * xcr0: the end of the highest-numbered one by its CPUID leaf 0xd subleaf,
 * as kernels compute it. CPUID's own size fields are replaced by these
 * (core/exit/vcpuid.c): Bochs's compacted size in subleaf 1 disagrees with its
 * component sizes, which Linux checks. */
u32 fpu_xsave_size(u64 xcr0);

/* XSETBV: XCR0 checked as the CPU would (#GP for a value it refuses). */
struct act exit_xsetbv(struct vcpu *v, struct exit_info *ei);

#endif
