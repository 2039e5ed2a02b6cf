/* The one exit table shared by both backends. */
#ifndef CORE_EXIT_H
#define CORE_EXIT_H

#include "core/vm/act.h"
#include "core/vm/backend.h"

/* Handles one exit of v by the exit table (counted in v->exit_counts)
 * and returns what the run loop does next. */
struct act exit_handle(struct vcpu *v, struct exit_info *ei);

/* exit_handle, but a call the short way served (EXIT_SERVED, counted
 * there) only hands on its action. Inline: a yield's switch passes here. */
static inline struct act exit_dispatch(struct vcpu *v, struct exit_info *ei)
{
	return ei->reason == EXIT_SERVED ? ei->served : exit_handle(v, ei);
}

/* Handlers living in their own files. */
struct act exit_cpuid(struct vcpu *v, struct exit_info *ei);
/* CPUID leaf/sub as v sees it, into r (EAX, EBX, ECX, EDX). */
void vcpuid_leaf(struct vcpu *v, u32 leaf, u32 sub, u32 r[4]);
struct act exit_msr_read(struct vcpu *v, struct exit_info *ei);
struct act exit_msr_write(struct vcpu *v, struct exit_info *ei);
/* The MSRs modelled in software (core/exit/vmsr.c): IA32_MISC_ENABLE's
 * two bits that change what CPUID says, AMD's counter width. */
#define MISC_LIMIT_CPUID (1ULL << 22)
#define MISC_XD_DISABLE (1ULL << 34)
#define AMD_PERFCTR_MASK ((1ULL << 48) - 1)
#define AMD_PERFEVTSEL_RSVD (1ULL << 19 | 1ULL << 21 | ~((1ULL << 36) - 1))
/* v's modelled MSRs as at power-on (TSC offset 0): not while v runs. */
void vmsr_power_on(struct vcpu *v);
/* v's TSC offset into its VMCS or VMCB, after backend->vcpu_reset, on
 * the CPU that holds v. */
void vmsr_load(struct vcpu *v);
/* RDPMC of counter index as v's CPU would answer: 0 and *val, or -1 (#GP). */
int vmsr_rdpmc(struct vcpu *v, u32 index, u64 *val);
struct act exit_io(struct vcpu *v, struct exit_info *ei);

#endif
