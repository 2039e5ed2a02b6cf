/* Length decoding for the few instructions the hypervisor skips on the
 * guest's behalf when the CPU does not report their length (AMD without
 * NRIPS). Pure: no guest access, so the host unit tests run it. */
#ifndef CORE_INSN_H
#define CORE_INSN_H

#include "core/lib/types.h"

#define INSN_MAX 15   /* the architectural limit, prefixes included */

/* The hypercall instructions without prefixes, as three bytes read from
 * memory into the low bytes of a little-endian integer. */
#define INSN_VMCALL_BYTES 0xc1010fu
#define INSN_VMMCALL_BYTES 0xd9010fu

/* The instructions known here, named by their opcode bytes after prefixes. */
enum insn_op {
	INSN_UNKNOWN = 0,
	INSN_HLT,        /* F4 */
	INSN_CPUID,      /* 0F A2 */
	INSN_RDMSR,      /* 0F 32 */
	INSN_WRMSR,      /* 0F 30 */
	INSN_VMCALL,     /* 0F 01 C1 (Intel) */
	INSN_VMMCALL,    /* 0F 01 D9 (AMD) */
	INSN_XSETBV,     /* 0F 01 D1 */
	INSN_IO,         /* E4-E7 ib, EC-EF, 6C-6F */
	INSN_MOV_TO_CR,  /* 0F 22 /r: ModRM reg = the CR, rm = the GPR */
	INSN_WBINVD,     /* 0F 09, and INVD's 0F 08: the exits do both as WBINVD */
	INSN_RDPMC,      /* 0F 33 */
};

struct insn {
	enum insn_op op;
	u8 len;          /* prefixes included */
	u8 prefixes;     /* how many legacy and REX prefix bytes */
	u8 rex;          /* the REX prefix, 0 if none */
	u8 modrm;        /* for INSN_MOV_TO_CR */
};

/* Decodes the instruction at buf[0..n). code64: the guest runs 64-bit code
 * (REX prefixes exist). Returns 0 and fills *out, or -1 when the bytes are
 * not a complete instruction of the list above (or exceed INSN_MAX). */
int insn_decode(const u8 *buf, u32 n, bool code64, struct insn *out);

#endif
