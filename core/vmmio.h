/* Guest MMIO: device registers at guest-physical pages outside RAM. Nothing
 * is mapped there in the second-level tables, so every access faults;
 * core/vmmio.c decodes the instruction (core/insn_mem.h) and hands the
 * device 32-bit registers, splitting wider accesses and merging narrower
 * ones. */
#ifndef CORE_VMMIO_H
#define CORE_VMMIO_H

#include "core/backend.h"

struct mmio_dev {
	const char *name;
	u64 base, size;
	/* off: 4-aligned, below size */
	u32 (*read)(struct vcpu *v, u32 off);
	void (*write)(struct vcpu *v, u32 off, u32 val);
};

extern const struct mmio_dev vlapic_mmio, vioapic_mmio;

/* A second-level fault at ei->slat.gpa: emulates the access and returns
 * true when a device owns the address (a guest whose instruction cannot
 * be emulated is stopped, with the reason); false when none does. */
bool vmmio_exit(struct vcpu *v, struct exit_info *ei);

#endif
