/* Control-register writes that exit: the checks the CPU would make, for
 * both backends, so that a bad value raises #GP in the guest as on
 * hardware instead of reaching a VM entry (which would refuse it). */
#ifndef CORE_VCR_H
#define CORE_VCR_H

#include "core/irq/vlapic.h"
#include "core/hw/cpu.h"
#include "core/vm/backend.h"

/* Whether MOV to CR0 of val is one the CPU takes (else #GP(0)): no bits
 * above 31, NW only with CD, PG only with PE, long mode (EFER.LME) only
 * with CR4.PAE, and PG not cleared in 64-bit code or with CR4.PCIDE. */
bool vcr_cr0_ok(struct vcpu *v, u64 val);

/* The same for CR4: only bits whose feature v's CPUID shows (VMXE never),
 * PAE kept and LA57 unchanged in long mode, PCIDE set only in long mode
 * with CR3[11:0] = 0. */
bool vcr_cr4_ok(struct vcpu *v, u64 val);

/* CR8 is the guest's local APIC TPR bits 7:4 (core/irq/vlapic.c). A write
 * with bits above 3 is refused (false: #GP). */
bool vcr_write_cr8(struct vcpu *v, u64 val);

static inline u64 vcr_read_cr8(const struct vcpu *v)
{
	return v->lapic->tpr >> 4 & 15;
}

#endif
