/* The Linux x86 boot protocol (Documentation/arch/x86/boot.rst), 64-bit
 * entry: a bzImage's protected-mode kernel is loaded at its preferred
 * address, its initrds (every module the configuration names, one after
 * the other: Linux reads concatenated cpio archives) near the top of RAM,
 * and a zero page (struct boot_params) describes the command line, the
 * initrd and the memory map. */
#ifndef CORE_LINUX_H
#define CORE_LINUX_H

#include "core/vm/vcpu.h"

/* True when img carries a bzImage setup header ("HdrS"). */
bool linux_detect(const u8 *img, u64 size);

/* Loads the bzImage img for gc into g's zeroed memory and fills *s for the
 * 64-bit entry: long mode, the first 4 GiB identity-mapped, CS = 0x10,
 * DS = ES = SS = 0x18, interrupts off, RSI = the zero page, RIP = the
 * kernel's load address + 0x200. Needs boot protocol 2.12 and a kernel
 * with a 64-bit entry (XLF_KERNEL_64). 0, or -1 with the reason in err. */
int linux_load(struct guest *g, const u8 *img, u64 size, const struct guest_cfg *gc,
	       struct vcpu_state *s, char *err, size_t len);

#endif
