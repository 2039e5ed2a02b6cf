/* The local APIC of a vCPU (core/irq/vlapic.c): xAPIC registers at
 * 0xfee00000, the timer, and the TPR that CR8 also reaches (core/exit/vcr.c).
 * State: struct vcpu's lapic, switched with the vCPU (it is only memory). */
#ifndef CORE_IRQ_VLAPIC_H
#define CORE_IRQ_VLAPIC_H

#include "core/vm/device.h"

enum { LVT_TIMER, LVT_THERMAL, LVT_PERF, LVT_LINT0, LVT_LINT1, LVT_ERROR, LVT_COUNT };

/* The 256-bit vectors keep vector n in bit n % 32 of word n / 32. */
struct vlapic {
	u32 irr[8], isr[8], tmr[8];
	u32 nirr;                  /* bits set in irr */
	u32 tpr, ldr, dfr, svr, icr_lo, icr_hi;
	u32 lvt[LVT_COUNT];
	u32 timer_init, tdcr;      /* TMICT and the divide register as written */
	u64 timer_start_ns;        /* when TMICT was written */
	u64 timer_next_ns;         /* the timer's next interrupt, 0 = none */
	bool enabled;              /* IA32_APIC_BASE bit 11 */
};

extern const struct mmio_dev vlapic_mmio;

/* firmware = the virtual-wire state firmware leaves, else power-on
 * (masked, software-disabled); a fixed interrupt message; whether a
 * message to dest reaches it; the vector it would deliver, or -1; the CPU
 * took that vector; whether the 8259's INTR reaches the CPU; the timer's
 * interrupts owed by now_ns and when the next is due (0: none);
 * IA32_APIC_BASE (set: 0, or -1 for #GP). */
void vlapic_reset(struct vcpu *v, bool firmware);
void vlapic_accept(struct vcpu *v, u8 vector, bool level);
bool vlapic_matches(const struct vcpu *v, u8 dest, bool logical);
int vlapic_pending(const struct vcpu *v);
void vlapic_ack(struct vcpu *v, u8 vector);
bool vlapic_extint(const struct vcpu *v);
u64 vlapic_poll(struct vcpu *v, u64 now_ns);
u64 vlapic_base_msr(const struct vcpu *v);
int vlapic_set_base_msr(struct vcpu *v, u64 val);

#endif
