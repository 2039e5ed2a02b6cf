/* Instruction length decoding for the exits a hypervisor skips; see insn.h.
 * Legacy prefixes may repeat and mix; a REX prefix counts only when it comes
 * last, right before the opcode, and only in 64-bit code. */
#include "core/insn/insn.h"

/* Segment overrides, operand and address size, lock, repne, rep. */
static const bool legacy_prefix[256] = {
	[0x26] = true, [0x2e] = true, [0x36] = true, [0x3e] = true, [0x64] = true,
	[0x65] = true, [0x66] = true, [0x67] = true, [0xf0] = true, [0xf2] = true,
	[0xf3] = true,
};

/* One-byte opcodes; IN and OUT with an immediate port have one more byte. */
static const u8 one_byte[256] = {
	[0xf4] = INSN_HLT, [0xe4 ... 0xe7] = INSN_IO, [0xec ... 0xef] = INSN_IO,
	[0x6c ... 0x6f] = INSN_IO,
};

#define GROUP7 0xff   /* 0F 01: the ModRM byte names the instruction */

static const u8 two_byte[256] = {
	[0xa2] = INSN_CPUID, [0x32] = INSN_RDMSR, [0x30] = INSN_WRMSR, [0x01] = GROUP7,
	[0x22] = INSN_MOV_TO_CR, [0x09] = INSN_WBINVD, [0x08] = INSN_WBINVD, [0x33] = INSN_RDPMC,
};

/* Two-byte opcodes followed by a ModRM byte (always a register operand). */
static const bool two_byte_modrm[256] = { [0x22] = true };

static const u8 group7[256] = { [0xc1] = INSN_VMCALL, [0xd1] = INSN_XSETBV, [0xd9] = INSN_VMMCALL };

static int finish(struct insn *out, u8 op, u32 len, u32 n, u32 prefixes)
{
	if (!op || len > INSN_MAX || len > n)
		return -1;
	*out = (struct insn){ .op = op, .len = (u8)len, .prefixes = (u8)prefixes };
	return 0;
}

static u8 rex_of(const u8 *buf, u32 i, bool code64)
{
	return code64 && i && (buf[i - 1] & 0xf0) == 0x40 ? buf[i - 1] : 0;
}

int insn_decode(const u8 *buf, u32 n, bool code64, struct insn *out)
{
	u32 i = 0;
	u8 op;

	while (i < n && i < INSN_MAX && legacy_prefix[buf[i]])
		i++;
	if (code64 && i < n && (buf[i] & 0xf0) == 0x40)
		i++;
	if (i >= n)
		return -1;
	if (buf[i] != 0x0f) {
		bool imm = buf[i] >= 0xe4 && buf[i] <= 0xe7;

		return finish(out, one_byte[buf[i]], i + 1 + imm, n, i);
	}
	if (i + 1 >= n)
		return -1;
	op = two_byte[buf[i + 1]];
	if (two_byte_modrm[buf[i + 1]]) {
		if (finish(out, op, i + 3, n, i))
			return -1;
		out->rex = rex_of(buf, i, code64);
		out->modrm = buf[i + 2];
		return 0;
	}
	if (op != GROUP7)
		return finish(out, op, i + 2, n, i);
	if (i + 2 >= n)
		return -1;
	return finish(out, group7[buf[i + 2]], i + 3, n, i);
}
