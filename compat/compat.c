/* Hypercall dispatch: (version, function) -> one table slot. Anything
 * outside the tables answers with a defined error. */
#include "compat/compat.h"
#include "hypercall/hypercall.h"
#include "mm/gmem.h"

struct act compat_retry(struct vcpu *v)
{
	backend->skip(v, -(u64)v->hc_len);
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
	backend->skip(v, ei->insn_len);
	if (!ei->code64)
		narrow_args(&v->gprs);
	if (ei->cpl != 0)
		return compat_status(v, HC_EPERM);
	return compat_call64(v, (u8)ei->insn_len);
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
