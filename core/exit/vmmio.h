/* Guest MMIO: device registers at guest-physical pages outside RAM. Nothing
 * is mapped there in the second-level tables, so every access faults;
 * core/exit/vmmio.c decodes the instruction (core/insn/insn_mem.h) and hands the
 * device 32-bit registers, splitting wider accesses and merging narrower
 * ones. */
#ifndef CORE_VMMIO_H
#define CORE_VMMIO_H

#include "core/vm/backend.h"
#include "core/vm/device.h"

/* The device whose MMIO page holds gpa, or NULL. */
const struct mmio_dev *vmmio_find(u64 gpa);

/* A second-level fault at ei->slat.gpa, on d's page: emulates the access,
 * or stops the guest when the instruction at RIP cannot be emulated (with
 * the reason). */
struct act vmmio_exit(struct vcpu *v, struct exit_info *ei, const struct mmio_dev *d);

#endif
