/* The hypercall entry: decodes the ABI version and function from the
 * guest's registers and calls that version's frozen decoder.
 *
 * Calling convention (docs/abi/README.md): VMCALL or VMMCALL, in any CPU
 * mode, with EAX = version << 16 | function (the upper half of RAX is
 * ignored, so 16- and 32-bit guests can call), arguments in RBX, RCX, RDX,
 * RSI; the status (>= 0 success, < 0 error) comes back in RAX, extra
 * results in RBX, RCX, RDX. Other registers are preserved. Only CPL 0 may
 * call. */
#ifndef COMPAT_COMPAT_H
#define COMPAT_COMPAT_H

#include "core/backend.h"

#define ABI_OLDEST 1
#define ABI_NEWEST 1

/* Errors every version shares. */
#define HC_ENOSYS (-1)     /* no such function in this version */
#define HC_EINVAL (-2)     /* a bad argument */
#define HC_EFAULT (-3)     /* a buffer outside the caller's memory */
#define HC_EPERM (-4)      /* the caller is not at CPL 0 */
#define HC_EVERSION (-5)   /* this hypervisor does not serve that version */

/* One function of one version: reads its arguments from v, validates
 * them, calls hypercall/, writes its results to v. */
typedef void (*hc_decoder)(struct vcpu *v);

struct abi_version {
	u32 version;
	u32 count;
	const hc_decoder *calls;
};

extern const struct abi_version abi_v1;

/* Handles a hypercall exit: RIP moves past the call, then the call runs. */
void compat_dispatch(struct vcpu *v, u64 insn_len);

#endif
