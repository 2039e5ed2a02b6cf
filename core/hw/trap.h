/* Exceptions and interrupts taken by the hypervisor itself. */
#ifndef CORE_TRAP_H
#define CORE_TRAP_H

#include "core/lib/types.h"

/* Saved by core/hw/trap.asm; the order matches its pushes. */
struct trap_frame {
	u64 rax, rbx, rcx, rdx, rsi, rdi, rbp;
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
	u64 vector, error;
	u64 rip, cs, rflags, rsp, ss;   /* pushed by the CPU */
};

/* An interrupt handler for a vector >= 32; it runs with interrupts off and
 * must acknowledge its source (EOI) itself. */
typedef void (*irq_handler)(void);
void trap_set_irq(u8 vector, irq_handler fn);

/* The host's NMI handling: counted in this CPU's struct cpu. Every NMI is
 * the host's, whether it came while the host ran (vector 2 on its own
 * stack) or while a guest did (VT-x: an exit, then this, by INT 2, whose
 * IRET ends the NMI blocking; AMD-V: an intercept, the NMI held until
 * GIF is set again): a guest never receives one. */
void trap_nmi(void);

/* Called by the stubs. An interrupt with a handler goes to it; anything
 * else (an exception in the hypervisor, a stray interrupt) is fatal: the
 * frame and control registers are printed and the machine is powered off. */
void trap_dispatch(struct trap_frame *tf);

#endif
