/* Hypercall dispatch: (version, function) -> one table slot. Every slot of
 * every version is filled; anything outside answers with a defined error. */
#include "compat/compat.h"
#include "core/vcpu_util.h"

static const struct abi_version *const versions[] = {
	[1] = &abi_v1,
};

void compat_dispatch(struct vcpu *v, u64 insn_len)
{
	u32 eax = (u32)v->gprs.rax, version = eax >> 16, fn = eax & 0xffff;
	const struct abi_version *abi;

	vcpu_skip(v, insn_len);
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
	if (version < ABI_OLDEST || version > ABI_NEWEST || version >= ARRAY_SIZE(versions) ||
	    !(abi = versions[version])) {
		v->gprs.rax = (u64)HC_EVERSION;
		return;
	}
	if (fn >= abi->count) {
		v->gprs.rax = (u64)HC_ENOSYS;
		return;
	}
	abi->calls[fn](v);
}
