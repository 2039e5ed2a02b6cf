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

struct act compat_dispatch(struct vcpu *v, const struct exit_info *ei)
{
	backend->skip(v, ei->insn_len);
	return compat_call(v, ei);
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
