/* Decoding the instruction that touched an emulated device's MMIO page:
 * the MOV forms compilers emit for volatile loads and stores (Linux's
 * readl/writel and friends). The device learns the address from the fault;
 * this says how wide the access is, which register or immediate it moves,
 * how long the instruction is, and how it forms its address, so the
 * caller can check that this instruction is what touched the page. Pure,
 * so the host unit tests and the fuzzer run it. */
#ifndef CORE_INSN_MEM_H
#define CORE_INSN_MEM_H

#include "core/insn/insn.h"

/* Segments in enum seg_id's order (asserted in core/exit/vmmio.c). */
enum insn_seg { INSN_ES, INSN_CS, INSN_SS, INSN_DS, INSN_FS, INSN_GS, INSN_NOSEG };

/* The code the guest runs: its default operand and address size. */
enum code_mode { CODE16, CODE32, CODE64 };

struct insn_mem {
	u8 len;          /* the whole instruction, prefixes included */
	u8 size;         /* bytes accessed in memory: 1, 2, 4 or 8 */
	u8 reg_size;     /* bytes of the register a load writes (MOVZX widens) */
	bool write;      /* a store to memory */
	bool has_imm;    /* the store's source is imm, not a register */
	bool high8;      /* reg 4-7 name AH, CH, DH, BH (byte access, no REX) */
	u8 reg;          /* the GPR by encoding, REX.R applied */
	u64 imm;         /* sign-extended to the access size */
	/* The effective address: disp + base + index * scale (+ the next
	 * instruction's RIP if rip_rel), cut to 32 bits if addr32, in segment
	 * seg (enum insn_seg: the override, else SS for a RSP/RBP base, else DS). */
	s8 base, index;  /* GPR by encoding, -1 for none */
	u8 scale;        /* 1, 2, 4 or 8 */
	bool rip_rel, addr32;
	u8 seg;
	u64 disp;        /* sign-extended; a moffs is taken as it is */
};

/* Decodes buf[0..n): 0 and *out, or -1 when it is none of MOV r/m<->reg
 * (88, 89, 8A, 8B), MOV r/m, imm (C6 /0, C7 /0), MOV accumulator<->moffs
 * (A0-A3), MOVZX (0F B6, 0F B7) with a memory operand and 32- or 64-bit
 * addressing. */
int insn_decode_mem(const u8 *buf, u32 n, enum code_mode mode, struct insn_mem *out);

#endif
