/* The one exit table shared by both backends. */
#ifndef CORE_EXIT_H
#define CORE_EXIT_H

#include "core/backend.h"

/* Handles one exit of v. Afterwards the guest either runs on or is
 * stopped (guest->state == GUEST_STOPPED). */
void exit_dispatch(struct vcpu *v, struct exit_info *ei);

/* Handlers living in their own files. */
void exit_cpuid(struct vcpu *v, struct exit_info *ei);
/* CPUID leaf/sub as v sees it, into r (EAX, EBX, ECX, EDX). */
void vcpuid_leaf(struct vcpu *v, u32 leaf, u32 sub, u32 r[4]);
void exit_msr_read(struct vcpu *v, struct exit_info *ei);
void exit_msr_write(struct vcpu *v, struct exit_info *ei);
void exit_io(struct vcpu *v, struct exit_info *ei);

#endif
