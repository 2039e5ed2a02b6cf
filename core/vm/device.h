/* How a device model is reached: through ports (the map in core/exit/vio.c)
 * or through MMIO pages outside guest RAM (core/exit/vmmio.c). Each device
 * defines one of these in its own file, declared in its own header; only
 * the maps name them all. Devices keep their state behind a pointer in
 * struct guest (or struct vcpu), defined in their own header. */
#ifndef CORE_VM_DEVICE_H
#define CORE_VM_DEVICE_H

#include "core/vm/act.h"
#include "core/vm/vcpu.h"

struct pio_dev {
	const char *name;
	u16 base, count;
	u32 (*read)(struct guest *g, u16 port, u8 size);
	/* What the loop does next: a write may reset or power off the guest. */
	struct act (*write)(struct guest *g, u16 port, u8 size, u32 val);
};

/* MMIO registers are 32 bits wide; wider and narrower accesses are split
 * and merged by core/exit/vmmio.c. No MMIO write ends a guest's run. */
struct mmio_dev {
	const char *name;
	u64 base, size;
	/* off: 4-aligned, below size */
	u32 (*read)(struct vcpu *v, u32 off);
	void (*write)(struct vcpu *v, u32 off, u32 val);
};

#endif
