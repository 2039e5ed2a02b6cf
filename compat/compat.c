/* Hypercall dispatch: (version, function) -> one table slot. Anything
 * outside the tables answers with a defined error. */
#include "compat/compat.h"
#include "core/vcpu_util.h"
#include "hypercall/hypercall.h"
#include "mm/gmem.h"

static hc_decoder lookup(u32 version, u32 fn, long *err)
{
	const struct abi_version *abi;

	if (version < ABI_OLDEST || version > ABI_NEWEST) {
		*err = HC_EVERSION;
		return NULL;
	}
	abi = &abi_versions[version - ABI_OLDEST];
	*err = HC_ENOSYS;
	return fn < abi->count ? abi->calls[fn] : NULL;
}

static u64 call_len;   /* the hypercall instruction being served */

void compat_retry(struct vcpu *v)
{
	u64 rip = backend->get(v, VREG_RIP) - call_len;

	if (!(backend->get(v, VREG_CS_AR) >> 13 & 1))
		rip &= 0xffffffff;
	backend->set(v, VREG_RIP, rip);
	hc_yield(v);
}

void compat_dispatch(struct vcpu *v, u64 insn_len)
{
	u32 eax = (u32)v->gprs.rax;
	hc_decoder call;
	long err;

	vcpu_skip(v, insn_len);
	call_len = insn_len;
	if (!(backend->get(v, VREG_CS_AR) >> 13 & 1)) {
		/* 16- or 32-bit caller: only the low halves are its arguments */
		v->gprs.rbx = (u32)v->gprs.rbx;
		v->gprs.rcx = (u32)v->gprs.rcx;
		v->gprs.rdx = (u32)v->gprs.rdx;
		v->gprs.rsi = (u32)v->gprs.rsi;
	}
	if (backend->get(v, VREG_CPL) != 0) {
		v->gprs.rax = (u64)HC_EPERM;
		return;
	}
	call = lookup(eax >> 16, eax & 0xffff, &err);
	if (call) {
		v->guest->abi_used |= 1u << (eax >> 16 & 31);
		call(v);
	} else
		v->gprs.rax = (u64)err;
}

void compat_put(struct vcpu *v, u64 gpa, const void *src, u64 size)
{
	if (gpa & 7)
		compat_status(v, HC_EINVAL);
	else
		compat_status(v, copy_to_guest(v->guest, gpa, src, size) ? HC_EFAULT : 0);
}

void compat_put_sized(struct vcpu *v, const void *src, u64 size)
{
	u64 gpa = v->gprs.rbx, room = v->gprs.rcx;

	v->gprs.rbx = size;
	if (gpa & 7)
		compat_status(v, HC_EINVAL);
	else if (room < size)
		compat_status(v, HC_ETOOSMALL);
	else
		compat_status(v, copy_to_guest(v->guest, gpa, src, size) ? HC_EFAULT : (long)size);
}

void compat_get_version(struct vcpu *v, u32 mask)
{
	compat_status(v, 0);
	v->gprs.rbx = ABI_OLDEST;
	v->gprs.rcx = ABI_NEWEST;
	v->gprs.rdx = hc_features() & mask;
}
