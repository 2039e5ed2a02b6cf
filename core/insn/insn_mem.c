/* MMIO instruction decoding (core/insn/insn_mem.h). Prefixes: operand size
 * (66), address size (67), segment overrides (the address's segment),
 * REX in 64-bit code when last. LOCK and REP make no sense on a
 * device register and are refused. 16-bit addressing is refused too. */
#include "core/insn/insn_mem.h"

enum { NONE, LOAD, STORE, STORE_IMM };

/* One row per opcode: direction, whether the memory operand is a byte,
 * for MOVZX the source width, and whether an absolute address (moffs)
 * follows the opcode instead of a ModRM byte. */
struct mem_op {
	u8 kind;
	u8 byte;         /* 1: 8-bit operand */
	u8 zext;         /* MOVZX: memory bytes, 0 otherwise */
	u8 moffs;        /* A0-A3: the accumulator and an address-size offset */
};

static const struct mem_op one_byte[256] = {
	[0x88] = { STORE, 1, 0, 0 }, [0x89] = { STORE, 0, 0, 0 },
	[0x8a] = { LOAD, 1, 0, 0 },  [0x8b] = { LOAD, 0, 0, 0 },
	[0xc6] = { STORE_IMM, 1, 0, 0 }, [0xc7] = { STORE_IMM, 0, 0, 0 },
	[0xa0] = { LOAD, 1, 0, 1 }, [0xa1] = { LOAD, 0, 0, 1 },
	[0xa2] = { STORE, 1, 0, 1 }, [0xa3] = { STORE, 0, 0, 1 },
};

static const struct mem_op two_byte[256] = {
	[0xb6] = { LOAD, 0, 1, 0 }, [0xb7] = { LOAD, 0, 2, 0 },
};

/* Bytes of ModRM, SIB and displacement at m (32/64-bit addressing), or 0
 * for a register operand. */
static u32 modrm_len(const u8 *m, u32 left)
{
	u8 mod = m[0] >> 6, rm = m[0] & 7;
	u32 len = 1;

	if (mod == 3)
		return 0;
	if (rm == 4) {
		if (left < 2)
			return 0;
		if (mod == 0 && (m[1] & 7) == 5)
			len += 4;
		len++;
	} else if (mod == 0 && rm == 5) {
		len += 4;
	}
	return len + (mod == 1 ? 1 : mod == 2 ? 4 : 0);
}

/* The segment (enum seg_id) an override prefix names, or -1. */
static int seg_prefix(u8 b)
{
	static const u8 prefix[] = { [INSN_ES] = 0x26, [INSN_CS] = 0x2e, [INSN_SS] = 0x36,
				     [INSN_DS] = 0x3e, [INSN_FS] = 0x64, [INSN_GS] = 0x65 };

	for (int s = 0; s < (int)sizeof(prefix); s++)
		if (prefix[s] == b)
			return s;
	return -1;
}

static u64 sext(u64 v, u32 bytes)
{
	u32 shift = 64 - 8 * bytes;

	return (u64)((s64)(v << shift) >> shift);
}

static u64 le(const u8 *p, u32 bytes)
{
	u64 v = 0;

	for (u32 k = 0; k < bytes; k++)
		v |= (u64)p[k] << 8 * k;
	return v;
}

/* The address parts of ModRM (and SIB) at m, whose length modrm_len gave. */
static void address(const u8 *m, u8 rex, enum code_mode mode, struct insn_mem *out)
{
	u8 mod = m[0] >> 6, rm = m[0] & 7, base = rm;
	u32 at = 1;

	out->base = (s8)(rm | (rex & 1) << 3);
	out->index = -1;
	out->scale = 1;
	if (rm == 4) {
		u8 sib = m[at++], idx = (u8)((sib >> 3 & 7) | (rex & 2) << 2);

		base = sib & 7;
		out->base = (s8)(base | (rex & 1) << 3);
		out->index = idx == 4 ? -1 : (s8)idx;
		out->scale = (u8)(1u << (sib >> 6));
		if (mod == 0 && base == 5)
			out->base = -1;
	} else if (mod == 0 && rm == 5) {
		out->base = -1;
		out->rip_rel = mode == CODE64;
	}
	if (mod == 1)
		out->disp = sext(m[at], 1);
	else if (mod == 2 || (mod == 0 && base == 5))
		out->disp = sext(le(m + at, 4), 4);
	if (out->base == 4 || (out->base == 5 && mod != 0))
		out->seg = out->seg == INSN_NOSEG ? INSN_SS : out->seg;
}

int insn_decode_mem(const u8 *buf, u32 n, enum code_mode mode, struct insn_mem *out)
{
	bool opsize = false, addrsize = false;
	u8 rex = 0, opsz, seg = INSN_NOSEG;
	u32 i = 0, ml, imm_len;
	struct mem_op op;

	for (; i < n && i < INSN_MAX; i++) {
		u8 b = buf[i];

		if (b == 0x66)
			opsize = true;
		else if (b == 0x67)
			addrsize = true;
		else if (seg_prefix(b) < 0)
			break;
		else
			seg = (u8)seg_prefix(b);
	}
	if (mode == CODE64 && i < n && (buf[i] & 0xf0) == 0x40)
		rex = buf[i++];
	if (i + 1 >= n || (mode != CODE64 && (mode == CODE16) != addrsize))
		return -1;   /* nothing left, or 16-bit addressing (67 in 64-bit code means 32-bit) */
	op = buf[i] == 0x0f ? two_byte[buf[++i]] : one_byte[buf[i]];
	if (op.kind == NONE)
		return -1;
	i++;
	if (op.moffs)   /* the offset is as wide as an address: 8 bytes in 64-bit code */
		ml = mode == CODE64 && !addrsize ? 8 : 4;
	else
		ml = i < n ? modrm_len(buf + i, n - i) : 0;
	if (!ml || (op.kind == STORE_IMM && (buf[i] >> 3 & 7)))
		return -1;   /* register operand, or C6/C7 with reg != 0 */
	opsz = rex & 8 ? 8 : (mode == CODE16) != opsize ? 2 : 4;
	*out = (struct insn_mem){
		.size = op.byte ? 1 : op.zext ? op.zext : opsz,
		.reg_size = op.byte ? 1 : opsz,
		.write = op.kind != LOAD,
		.has_imm = op.kind == STORE_IMM,
		.high8 = !op.moffs && op.byte && !rex && (buf[i] >> 3 & 4),
		.reg = op.moffs ? 0 : (u8)((buf[i] >> 3 & 7) | (rex & 4) << 1),
	};
	imm_len = op.kind == STORE_IMM ? MIN(out->size, 4u) : 0;
	if (i + ml + imm_len > n || i + ml + imm_len > INSN_MAX)
		return -1;
	out->imm = imm_len ? sext(le(buf + i + ml, imm_len), imm_len) : 0;
	out->len = (u8)(i + ml + imm_len);
	out->seg = seg;
	out->addr32 = mode != CODE64 || addrsize;
	if (op.moffs) {
		out->base = out->index = -1;
		out->scale = 1;
		out->disp = le(buf + i, ml);
	} else {
		address(buf + i, rex, mode, out);
	}
	if (out->seg == INSN_NOSEG)
		out->seg = INSN_DS;
	return 0;
}
