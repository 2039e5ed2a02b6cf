/* The hypercall entry: decodes the ABI version and function from the
 * guest's registers and calls that version's frozen decoder.
 *
 * Calling convention (docs/abi/README.md): VMCALL or VMMCALL, in any CPU
 * mode, with EAX = version << 16 | function (the upper half of RAX is
 * ignored, so 16- and 32-bit guests can call), arguments in RBX, RCX, RDX,
 * RSI; the status (>= 0 success, < 0 error) comes back in RAX, extra
 * results in RBX, RCX, RDX. Other registers are preserved. Only CPL 0 may
 * call.
 *
 * Each version is defined once, in compat/abi/vN.abi. compat/abigen.py
 * turns the definitions into the public headers (compat/abi/hv_vN.h) and
 * into the table of versions below; compat/vN.c holds version N's decoders,
 * which check every guest-supplied value and call hypercall/. */
#ifndef COMPAT_COMPAT_H
#define COMPAT_COMPAT_H

#include "core/vm/act.h"
#include "core/vm/backend.h"
#include "hypercall/hypercall.h"
#include "abi_gen.h"   /* generated: ABI_OLDEST, ABI_NEWEST, the decoders */

/* Error values shared by every version that defines the error: the
 * helpers below return these, and each compat/vN.c asserts that its frozen
 * header agrees. */
#define HC_ENOSYS (-1)     /* no such function in this version */
#define HC_EINVAL (-2)     /* an argument out of range or misaligned */
#define HC_EFAULT (-3)     /* a buffer not wholly in the caller's memory */
#define HC_EPERM (-4)      /* the caller is not at CPL 0 */
#define HC_EVERSION (-5)   /* this hypervisor does not serve that version */
#define HC_ETOOSMALL (-6)  /* v2 on: the caller's buffer is too small */

/* One function of one version: reads its arguments from v, validates
 * them, calls hypercall/, writes its results to v, and returns what the
 * run loop does next (most calls: resume the caller). */
typedef struct act (*hc_decoder)(struct vcpu *v);

/* Every version's functions, oldest version first, NULL where a version
 * has no such function (generated: a call a version kept unchanged
 * points at the decoder of the version that defined it). */
extern const hc_decoder abi_calls[ABI_NEWEST - ABI_OLDEST + 1][ABI_CALLS_MAX];

_Static_assert(ABI_NEWEST < 32, "struct guest keeps one abi_used flag for each of 32 versions");

/* Handles a hypercall exit (ei: its length, the caller's CPL and mode):
 * RIP moves past the call; a 16- or 32-bit caller's arguments are cut to
 * their low halves; a caller above CPL 0 is refused; then the call runs
 * (compat_call64). */
struct act compat_dispatch(struct vcpu *v, const struct exit_info *ei);

/* From inside a call: puts RIP back on the hypercall instruction and ends
 * the caller's slice, so the same call, registers untouched, is made again
 * in its next slice (a call that must wait for room). */
struct act compat_retry(struct vcpu *v);

/* RAX = status; the caller runs on. */
static inline struct act compat_status(struct vcpu *v, long status)
{
	v->gprs.rax = (u64)status;
	return act_resume();
}

/* Serves the hypercall of a caller at CPL 0 whose arguments are as the
 * ABI reads them (compat_dispatch refuses other CPLs and narrows a 16- or
 * 32-bit caller's first; the short way, core/exit/fast.h, takes only
 * 64-bit callers at CPL 0), with RIP already moved past the call
 * instruction of len bytes: the version's decoder, or the defined error
 * for a version not served, a function it lacks. Inline: it is on the
 * short way. */
static inline struct act compat_call64(struct vcpu *v, u8 len)
{
	u32 eax = (u32)v->gprs.rax, version = eax >> 16, fn = eax & 0xffff;
	hc_decoder call;

	v->hc_len = len;
	if (version - ABI_OLDEST > ABI_NEWEST - ABI_OLDEST)
		return compat_status(v, HC_EVERSION);
	call = fn < ABI_CALLS_MAX ? abi_calls[version - ABI_OLDEST][fn] : NULL;
	if (!call)
		return compat_status(v, HC_ENOSYS);
	v->guest->abi_used[version] = true;
	return call(v);
}

/* get_version as every version defines it: RAX 0, RBX/RCX the versions
 * served, RDX the current features within mask (the bits it defines).
 * Inline: the null hypercall, which make bench measures. */
static inline struct act compat_get_version(struct vcpu *v, u32 mask)
{
	v->gprs.rbx = ABI_OLDEST;
	v->gprs.rcx = ABI_NEWEST;
	v->gprs.rdx = hc_features() & mask;
	return compat_status(v, 0);
}

/* Writes size bytes of src to the caller at gpa, which must be 8-byte
 * aligned. RAX = 0, HC_EINVAL (misaligned) or HC_EFAULT. */
struct act compat_put(struct vcpu *v, u64 gpa, const void *src, u64 size);

/* The sized form (v2 on): RBX = 8-byte aligned address, RCX = room there.
 * RAX = size written, or HC_EINVAL, HC_ETOOSMALL (nothing written) or
 * HC_EFAULT; RBX = size in every case. */
struct act compat_put_sized(struct vcpu *v, const void *src, u64 size);

#endif
