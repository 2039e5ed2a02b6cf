/* vCPU helpers: register access by encoding, instruction skipping and
 * reading, fault injection, stopping a guest. */
#include "core/vm/vcpu_util.h"
#include "core/vm/vmp.h"
#include "core/insn/gwalk.h"
#include "core/lib/fmt.h"

/* x86 register encoding -> struct gprs index; 4 (rsp) lives in the VMCS/VMCB. */
static const u8 gpr_slot[16] = { 0, 2, 3, 1, 0xff, 6, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14 };

u64 vcpu_gpr(struct vcpu *v, unsigned idx)
{
	idx &= 15;
	if (idx == 4)
		return backend->get(v, VREG_RSP);
	return (&v->gprs.rax)[gpr_slot[idx]];
}

void vcpu_set_gpr(struct vcpu *v, unsigned idx, u64 val)
{
	idx &= 15;
	if (idx == 4)
		backend->set(v, VREG_RSP, val);
	else
		(&v->gprs.rax)[gpr_slot[idx]] = val;
}

/* The guest's paging registers and the linear address of CS:RIP. */
static u64 insn_address(struct vcpu *v, struct guest_paging *p)
{
	bool code64 = backend->get(v, VREG_CS_AR) >> 13 & 1;
	u64 rip = backend->get(v, VREG_RIP);

	*p = (struct guest_paging){
		.cr0 = backend->get(v, VREG_CR0), .cr3 = backend->get(v, VREG_CR3),
		.cr4 = backend->get(v, VREG_CR4), .efer = backend->get(v, VREG_EFER),
	};
	return code64 ? rip : (backend->get(v, VREG_CS_BASE) + rip) & 0xffffffff;
}

int vcpu_translate(struct vcpu *v, u64 gva, u64 *gpa)
{
	struct guest_paging p;

	(void)insn_address(v, &p);
	return gwalk(&v->guest->mem, &p, gva, gpa);
}

int vcpu_read_insn(struct vcpu *v, u8 *buf, u64 len)
{
	struct guest_paging p;
	u64 at = insn_address(v, &p);

	return gwalk_read(&v->guest->mem, &p, at, buf, len);
}

int vcpu_fetch_insn(struct vcpu *v, u8 buf[INSN_MAX])
{
	struct guest_paging p;
	u64 at = insn_address(v, &p);
	u64 first = MIN(INSN_MAX, PAGE_SIZE - (at & (PAGE_SIZE - 1)));

	if (gwalk_read(&v->guest->mem, &p, at, buf, first))
		return -1;
	if (first < INSN_MAX && !gwalk_read(&v->guest->mem, &p, at + first, buf + first, INSN_MAX - first))
		return INSN_MAX;
	return (int)first;
}

struct act guest_stop(struct guest *g, const char *fmt, ...)
{
	va_list ap;

	if (g->state != GUEST_STOPPED) {
		va_start(ap, fmt);
		vsnformat(g->stop_reason, sizeof(g->stop_reason), fmt, ap);
		va_end(ap);
		__atomic_store_n(&g->state, GUEST_STOPPED, __ATOMIC_RELEASE);
		if (g->vcpu)
			vmp_hold_all(g);   /* its other vCPUs stop where they are */
	}
	return (struct act){ ACT_STOP, 0 };
}
