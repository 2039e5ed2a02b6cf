/* Small vCPU helpers shared by exit handlers and backends. */
#ifndef CORE_VCPU_UTIL_H
#define CORE_VCPU_UTIL_H

#include "core/vm/act.h"
#include "core/vm/backend.h"
#include "core/insn/insn.h"

/* GPR by its x86 encoding (0 = rax, 1 = rcx, ... 4 = rsp, 15 = r15). */
u64 vcpu_gpr(struct vcpu *v, unsigned idx);
void vcpu_set_gpr(struct vcpu *v, unsigned idx, u64 val);

/* Advances RIP past an instruction of len bytes (backend_ops.skip); the
 * guest runs on. */
static inline struct act vcpu_skip(struct vcpu *v, u64 len)
{
	backend->skip(v, len);
	return act_resume();
}

/* Queues #GP(0) or #UD for the next entry; the guest runs on (into it). */
static inline struct act vcpu_inject_gp(struct vcpu *v)
{
	backend->inject(v, EXC_GP, EVENT_EXCEPTION, true, 0);
	return act_resume();
}

static inline struct act vcpu_inject_ud(struct vcpu *v)
{
	backend->inject(v, EXC_UD, EVENT_EXCEPTION, false, 0);
	return act_resume();
}

/* Reads len bytes at the guest's CS:RIP through its own page tables. */
int vcpu_read_insn(struct vcpu *v, u8 *buf, u64 len);

/* Reads up to INSN_MAX bytes at CS:RIP, stopping early at a page the guest
 * has not mapped. Returns how many bytes were read, or -1 for none. */
int vcpu_fetch_insn(struct vcpu *v, u8 buf[INSN_MAX]);

/* The guest-physical address linear address gva maps to now; 0 or -1. */
int vcpu_translate(struct vcpu *v, u64 gva, u64 *gpa);

/* The guest is stopped for good, alone, every vCPU of it: the reason is
 * kept in g->stop_reason (the first one, if it is stopped twice) and
 * printed by the run loop after the guest's last console lines. With
 * several vCPUs, under the guest's lock. Returns ACT_STOP, for the
 * handler to return. */
struct act guest_stop(struct guest *g, const char *fmt, ...) PRINTF(2, 3);

#endif
