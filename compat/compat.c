/* Hypercall dispatch: (version, function) -> one table slot. Anything
 * outside the tables answers with a defined error. */
#include "compat/compat.h"
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

struct act compat_retry(struct vcpu *v)
{
	backend->skip(v, -call_len);
	return hc_yield(v);
}

/* The caller's arguments: in 16- and 32-bit code only the low halves. */
static void narrow_args(struct gprs *r)
{
	r->rbx = (u32)r->rbx;
	r->rcx = (u32)r->rcx;
	r->rdx = (u32)r->rdx;
	r->rsi = (u32)r->rsi;
}

struct act compat_dispatch(struct vcpu *v, const struct exit_info *ei)
{
	u32 eax = (u32)v->gprs.rax;
	hc_decoder call;
	long err;

	backend->skip(v, ei->insn_len);
	call_len = ei->insn_len;
	if (!ei->code64)
		narrow_args(&v->gprs);
	if (ei->cpl != 0)
		return compat_status(v, HC_EPERM);
	call = lookup(eax >> 16, eax & 0xffff, &err);
	if (!call)
		return compat_status(v, err);
	v->guest->abi_used |= 1u << (eax >> 16 & 31);
	return call(v);
}

struct act compat_put(struct vcpu *v, u64 gpa, const void *src, u64 size)
{
	if (gpa & 7)
		return compat_status(v, HC_EINVAL);
	return compat_status(v, copy_to_guest(&v->guest->mem, gpa, src, size) ? HC_EFAULT : 0);
}

struct act compat_put_sized(struct vcpu *v, const void *src, u64 size)
{
	u64 gpa = v->gprs.rbx, room = v->gprs.rcx;

	v->gprs.rbx = size;
	if (gpa & 7)
		return compat_status(v, HC_EINVAL);
	if (room < size)
		return compat_status(v, HC_ETOOSMALL);
	return compat_status(v, copy_to_guest(&v->guest->mem, gpa, src, size) ? HC_EFAULT : (long)size);
}

struct act compat_get_version(struct vcpu *v, u32 mask)
{
	v->gprs.rbx = ABI_OLDEST;
	v->gprs.rcx = ABI_NEWEST;
	v->gprs.rdx = hc_features() & mask;
	return compat_status(v, 0);
}
