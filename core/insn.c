/* Instruction length decoding for the exits a hypervisor skips; see insn.h.
 * Legacy prefixes may repeat and mix; a REX prefix counts only when it comes
 * last, right before the opcode, and only in 64-bit code. */
#include "core/insn.h"

/* Segment overrides, operand and address size, lock, repne, rep. */
static const u8 legacy_prefixes[] = { 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3 };

static bool legacy_prefix(u8 b)
{
	for (size_t k = 0; k < ARRAY_SIZE(legacy_prefixes); k++)
		if (b == legacy_prefixes[k])
			return true;
	return false;
}

/* One-byte opcodes: operation and the number of bytes after the opcode. */
struct op1 {
	u8 opcode;
	enum insn_op op;
	u8 tail;
};

static const struct op1 one_byte[] = {
	{ 0xf4, INSN_HLT, 0 },
	{ 0xe4, INSN_IO, 1 }, { 0xe5, INSN_IO, 1 }, { 0xe6, INSN_IO, 1 }, { 0xe7, INSN_IO, 1 },
	{ 0xec, INSN_IO, 0 }, { 0xed, INSN_IO, 0 }, { 0xee, INSN_IO, 0 }, { 0xef, INSN_IO, 0 },
	{ 0x6c, INSN_IO, 0 }, { 0x6d, INSN_IO, 0 }, { 0x6e, INSN_IO, 0 }, { 0x6f, INSN_IO, 0 },
};

/* 0F-escaped opcodes, up to two bytes after the 0F (b2 = 0: just one). */
struct op2 {
	u8 b1, b2;
	enum insn_op op;
};

static const struct op2 two_byte[] = {
	{ 0xa2, 0, INSN_CPUID }, { 0x32, 0, INSN_RDMSR }, { 0x30, 0, INSN_WRMSR },
	{ 0x01, 0xc1, INSN_VMCALL }, { 0x01, 0xd9, INSN_VMMCALL },
};

static int finish(struct insn *out, enum insn_op op, u32 len, u32 n, u8 prefixes)
{
	if (len > INSN_MAX || len > n)
		return -1;
	*out = (struct insn){ .op = op, .len = (u8)len, .prefixes = prefixes };
	return 0;
}

int insn_decode(const u8 *buf, u32 n, bool code64, struct insn *out)
{
	u32 i = 0;

	while (i < n && i < INSN_MAX && legacy_prefix(buf[i]))
		i++;
	if (code64 && i < n && (buf[i] & 0xf0) == 0x40)
		i++;
	if (i >= n)
		return -1;
	for (size_t k = 0; k < ARRAY_SIZE(one_byte); k++)
		if (buf[i] == one_byte[k].opcode)
			return finish(out, one_byte[k].op, i + 1 + one_byte[k].tail, n, (u8)i);
	if (buf[i] != 0x0f || i + 1 >= n)
		return -1;
	for (size_t k = 0; k < ARRAY_SIZE(two_byte); k++) {
		const struct op2 *o = &two_byte[k];

		if (buf[i + 1] != o->b1)
			continue;
		if (!o->b2)
			return finish(out, o->op, i + 2, n, (u8)i);
		if (i + 2 < n && buf[i + 2] == o->b2)
			return finish(out, o->op, i + 3, n, (u8)i);
	}
	return -1;
}
