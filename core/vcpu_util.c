/* vCPU helpers: register access by encoding, instruction skipping and
 * reading, fault injection, stopping a guest. */
#include "core/vcpu_util.h"
#include "core/console.h"
#include "core/gwalk.h"
#include "core/gcons.h"

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

#define RFLAGS_RF (1ULL << 16)

void vcpu_skip(struct vcpu *v, u64 len)
{
	u64 rip = backend->get(v, VREG_RIP) + len;

	if (!(backend->get(v, VREG_CS_AR) >> 13 & 1))   /* not 64-bit code */
		rip &= 0xffffffff;
	backend->set(v, VREG_RIP, rip);
	backend->set(v, VREG_RFLAGS, backend->get(v, VREG_RFLAGS) & ~RFLAGS_RF);
}

void vcpu_inject_gp(struct vcpu *v)
{
	backend->inject(v, EXC_GP, EVENT_EXCEPTION, true, 0);
}

void vcpu_inject_ud(struct vcpu *v)
{
	backend->inject(v, EXC_UD, EVENT_EXCEPTION, false, 0);
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
	return gwalk(v->guest, &p, gva, gpa);
}

int vcpu_read_insn(struct vcpu *v, u8 *buf, u64 len)
{
	struct guest_paging p;
	u64 at = insn_address(v, &p);

	return gwalk_read(v->guest, &p, at, buf, len);
}

int vcpu_fetch_insn(struct vcpu *v, u8 buf[INSN_MAX])
{
	struct guest_paging p;
	u64 at = insn_address(v, &p);
	u64 first = MIN(INSN_MAX, PAGE_SIZE - (at & (PAGE_SIZE - 1)));

	if (gwalk_read(v->guest, &p, at, buf, first))
		return -1;
	if (first < INSN_MAX && !gwalk_read(v->guest, &p, at + first, buf + first, INSN_MAX - first))
		return INSN_MAX;
	return (int)first;
}

void guest_stop(struct guest *g, const char *fmt, ...)
{
	va_list ap;

	if (g->state == GUEST_STOPPED)
		return;
	g->state = GUEST_STOPPED;
	gcons_flush(g);                 /* its last lines come before the reason */
	kprintf("hv: guest '%s' stopped: ", g->name);
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
}
