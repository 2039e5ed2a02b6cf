/* The current implementation of every hypercall. Knows nothing of ABI
 * versions: compat/ decodes and validates each version's registers and
 * calls these. */
#ifndef HYPERCALL_HYPERCALL_H
#define HYPERCALL_HYPERCALL_H

#include "core/vcpu.h"

/* Writes len bytes at guest-physical gpa to the guest's console. 0, or -1
 * when the buffer is not wholly inside the guest's memory. */
int hc_console_write(struct guest *g, u64 gpa, u64 len);

/* Stops the guest at its own request. */
void hc_shutdown(struct guest *g, u64 code);

#endif
