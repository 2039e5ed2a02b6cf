/* Small vCPU helpers shared by exit handlers and backends. */
#ifndef CORE_VCPU_UTIL_H
#define CORE_VCPU_UTIL_H

#include "core/backend.h"
#include "core/insn.h"

/* GPR by its x86 encoding (0 = rax, 1 = rcx, ... 4 = rsp, 15 = r15). */
u64 vcpu_gpr(struct vcpu *v, unsigned idx);
void vcpu_set_gpr(struct vcpu *v, unsigned idx, u64 val);

/* Advances RIP past an instruction of len bytes. */
void vcpu_skip(struct vcpu *v, u64 len);

void vcpu_inject_gp(struct vcpu *v);
void vcpu_inject_ud(struct vcpu *v);

/* Reads len bytes at the guest's CS:RIP through its own page tables. */
int vcpu_read_insn(struct vcpu *v, u8 *buf, u64 len);

/* Reads up to INSN_MAX bytes at CS:RIP, stopping early at a page the guest
 * has not mapped. Returns how many bytes were read, or -1 for none. */
int vcpu_fetch_insn(struct vcpu *v, u8 buf[INSN_MAX]);

/* The guest-physical address linear address gva maps to now; 0 or -1. */
int vcpu_translate(struct vcpu *v, u64 gva, u64 *gpa);

/* The guest is stopped for good, alone; the reason is printed. */
void guest_stop(struct guest *g, const char *fmt, ...) PRINTF(2, 3);

#endif
