/* core/insn/insn.c: instruction lengths for skipped exits without NRIPS. */
#include "core/insn/insn.h"
#include "tests/unit/test.h"

static int dec(const u8 *b, u32 n, bool code64, struct insn *i)
{
	return insn_decode(b, n, code64, i);
}

TEST(insn_plain)
{
	static const struct {
		u8 bytes[4];
		u32 n;
		enum insn_op op;
		u8 len;
	} cases[] = {
		{ { 0xf4 }, 1, INSN_HLT, 1 },
		{ { 0x0f, 0xa2 }, 2, INSN_CPUID, 2 },
		{ { 0x0f, 0x32 }, 2, INSN_RDMSR, 2 },
		{ { 0x0f, 0x30 }, 2, INSN_WRMSR, 2 },
		{ { 0x0f, 0x01, 0xc1 }, 3, INSN_VMCALL, 3 },
		{ { 0x0f, 0x01, 0xd9 }, 3, INSN_VMMCALL, 3 },
		{ { 0x0f, 0x01, 0xd1 }, 3, INSN_XSETBV, 3 },
		{ { 0xe6, 0xf8 }, 2, INSN_IO, 2 },    /* out 0xf8, al */
		{ { 0xe5, 0x60 }, 2, INSN_IO, 2 },    /* in eax, 0x60 */
		{ { 0xee }, 1, INSN_IO, 1 },          /* out dx, al */
		{ { 0x6e }, 1, INSN_IO, 1 },          /* outsb */
		{ { 0x0f, 0x09 }, 2, INSN_WBINVD, 2 },
		{ { 0x0f, 0x08 }, 2, INSN_WBINVD, 2 },   /* INVD: done as WBINVD */
		{ { 0x0f, 0x33 }, 2, INSN_RDPMC, 2 },
	};
	struct insn i;

	for (size_t k = 0; k < ARRAY_SIZE(cases); k++) {
		CHECK_EQ(dec(cases[k].bytes, cases[k].n, true, &i), 0);
		CHECK_EQ(i.op, cases[k].op);
		CHECK_EQ(i.len, cases[k].len);
		CHECK_EQ(i.prefixes, 0);
	}
}

TEST(insn_trailing_bytes_ignored)
{
	const u8 b[] = { 0x0f, 0xa2, 0x90, 0x90, 0x90 };
	struct insn i;

	CHECK_EQ(dec(b, sizeof(b), false, &i), 0);
	CHECK_EQ(i.len, 2);
}

TEST(insn_prefixes)
{
	const u8 opsize_out[] = { 0x66, 0xef };                 /* out dx, ax */
	const u8 rep_outs[] = { 0xf3, 0x2e, 0x6e };             /* rep outsb cs: */
	const u8 rex_cpuid[] = { 0x48, 0x0f, 0xa2 };            /* REX.W cpuid */
	const u8 many[] = { 0x66, 0x67, 0x2e, 0x3e, 0x26, 0x64, 0x48, 0x0f, 0x01, 0xd9 };
	struct insn i;

	CHECK_EQ(dec(opsize_out, sizeof(opsize_out), false, &i), 0);
	CHECK_EQ(i.len, 2);
	CHECK_EQ(i.prefixes, 1);
	CHECK_EQ(dec(rep_outs, sizeof(rep_outs), false, &i), 0);
	CHECK_EQ(i.len, 3);
	CHECK_EQ(dec(rex_cpuid, sizeof(rex_cpuid), true, &i), 0);
	CHECK_EQ(i.len, 3);
	CHECK_EQ(i.op, INSN_CPUID);
	CHECK_EQ(dec(many, sizeof(many), true, &i), 0);
	CHECK_EQ(i.op, INSN_VMMCALL);
	CHECK_EQ(i.len, 10);
	CHECK_EQ(i.prefixes, 7);
}

TEST(insn_rex_only_in_64bit)
{
	const u8 inc_cpuid[] = { 0x48, 0x0f, 0xa2 };   /* dec eax; cpuid in 32-bit code */
	struct insn i;

	CHECK_EQ(dec(inc_cpuid, sizeof(inc_cpuid), false, &i), -1);
}

TEST(insn_rex_must_be_last)
{
	const u8 rex_then_66[] = { 0x48, 0x66, 0x0f, 0xa2 };
	struct insn i;

	CHECK_EQ(dec(rex_then_66, sizeof(rex_then_66), true, &i), -1);
}

TEST(insn_unknown_and_truncated)
{
	const u8 nop[] = { 0x90 };
	const u8 half_cpuid[] = { 0x0f };
	const u8 half_vmmcall[] = { 0x0f, 0x01 };
	const u8 other_0f01[] = { 0x0f, 0x01, 0xd0 };   /* xgetbv */
	const u8 in_imm_cut[] = { 0xe4 };
	struct insn i;

	CHECK_EQ(dec(nop, 1, true, &i), -1);
	CHECK_EQ(dec(half_cpuid, 1, true, &i), -1);
	CHECK_EQ(dec(half_vmmcall, 2, true, &i), -1);
	CHECK_EQ(dec(other_0f01, 3, true, &i), -1);
	CHECK_EQ(dec(in_imm_cut, 1, true, &i), -1);
	CHECK_EQ(dec(nop, 0, true, &i), -1);
}

TEST(insn_fifteen_byte_limit)
{
	u8 b[16];
	struct insn i;

	memset(b, 0x66, sizeof(b));
	b[13] = 0x0f;
	b[14] = 0xa2;                        /* 13 prefixes + 2 = 15: fine */
	CHECK_EQ(dec(b, 15, true, &i), 0);
	CHECK_EQ(i.len, 15);
	memset(b, 0x66, sizeof(b));
	b[14] = 0x0f;
	b[15] = 0xa2;                        /* 16 bytes: #GP on hardware */
	CHECK_EQ(dec(b, 16, true, &i), -1);
}

TEST(insn_mov_to_cr)
{
	static const u8 cr4_rax[] = { 0x0f, 0x22, 0xe0 };           /* mov cr4, rax */
	static const u8 cr4_r9[] = { 0x41, 0x0f, 0x22, 0xe1 };      /* mov cr4, r9 */
	struct insn i;

	CHECK_EQ(dec(cr4_rax, 3, true, &i), 0);
	CHECK_EQ(i.op, INSN_MOV_TO_CR);
	CHECK_EQ(i.len, 3);
	CHECK_EQ(i.modrm, 0xe0);
	CHECK_EQ(i.rex, 0);
	CHECK_EQ(dec(cr4_r9, 4, true, &i), 0);
	CHECK_EQ(i.len, 4);
	CHECK_EQ(i.rex, 0x41);
	CHECK_EQ(i.modrm, 0xe1);
	CHECK_EQ(dec(cr4_r9, 4, false, &i), -1);   /* 0x41 is INC ECX outside 64-bit code */
	CHECK_EQ(dec(cr4_rax, 2, true, &i), -1);   /* no ModRM byte */
}

/* core/insn/insn_mem.c: the MOVs that reach an MMIO page. */
#include "core/insn/insn_mem.h"

TEST(insn_mem_loads_and_stores)
{
	static const struct {
		u8 bytes[12];
		u32 n;
		enum code_mode mode;
		u8 len, size, reg_size, reg;
		bool write, has_imm;
		u64 imm;
	} cases[] = {
		{ { 0x8b, 0x07 }, 2, CODE64, 2, 4, 4, 0, false, false, 0 },                /* mov eax, [rdi] */
		{ { 0x89, 0x90, 0xb0, 0, 0, 0 }, 6, CODE64, 6, 4, 4, 2, true, false, 0 },  /* mov [rax+0xb0], edx */
		{ { 0x44, 0x89, 0x04, 0x24 }, 4, CODE64, 4, 4, 4, 8, true, false, 0 },     /* mov [rsp], r8d */
		{ { 0x48, 0x8b, 0x4d, 0x10 }, 4, CODE64, 4, 8, 8, 1, false, false, 0 },    /* mov rcx, [rbp+0x10] */
		{ { 0x8b, 0x05, 1, 2, 3, 4 }, 6, CODE64, 6, 4, 4, 0, false, false, 0 },    /* mov eax, [rip+disp32] */
		{ { 0x8b, 0x04, 0x25, 0, 0, 0xe0, 0xfe }, 7, CODE64, 7, 4, 4, 0, false, false, 0 }, /* [disp32] via SIB */
		{ { 0xc7, 0x00, 0x78, 0x56, 0x34, 0x12 }, 6, CODE64, 6, 4, 4, 0, true, true, 0x12345678 },
		{ { 0x48, 0xc7, 0x00, 0xff, 0xff, 0xff, 0xff }, 7, CODE64, 7, 8, 8, 0, true, true, ~0ULL },
		{ { 0x66, 0xc7, 0x40, 0x10, 0x34, 0x12 }, 6, CODE64, 6, 2, 2, 0, true, true, 0x1234 },
		{ { 0xc6, 0x00, 0x80 }, 3, CODE32, 3, 1, 1, 0, true, true, 0xffffffffffffff80ULL },
		{ { 0x88, 0x18 }, 2, CODE32, 2, 1, 1, 3, true, false, 0 },                 /* mov [eax], bl */
		{ { 0x0f, 0xb6, 0x06 }, 3, CODE64, 3, 1, 4, 0, false, false, 0 },          /* movzx eax, byte [rsi] */
		{ { 0x0f, 0xb7, 0x46, 0x02 }, 4, CODE32, 4, 2, 4, 0, false, false, 0 },    /* movzx eax, word [esi+2] */
		{ { 0x67, 0x8b, 0x03 }, 3, CODE16, 3, 2, 2, 0, false, false, 0 },          /* 32-bit addressing in 16-bit code */
		{ { 0x26, 0x8b, 0x03 }, 3, CODE32, 3, 4, 4, 0, false, false, 0 },          /* es: override */
		{ { 0xa1, 0x20, 0, 0xe0, 0xfe, 0, 0, 0, 0 }, 9, CODE64, 9, 4, 4, 0, false, false, 0 }, /* movabs eax, [moffs64] */
		{ { 0x48, 0xa3, 0x20, 0, 0xe0, 0xfe, 0, 0, 0, 0 }, 10, CODE64, 10, 8, 8, 0, true, false, 0 },
		{ { 0xa2, 0x20, 0, 0xe0, 0xfe }, 5, CODE32, 5, 1, 1, 0, true, false, 0 },  /* mov [moffs32], al */
		{ { 0x67, 0xa1, 0x20, 0, 0xe0, 0xfe }, 6, CODE64, 6, 4, 4, 0, false, false, 0 },
	};
	struct insn_mem m;

	for (size_t k = 0; k < ARRAY_SIZE(cases); k++) {
		CHECK_EQ(insn_decode_mem(cases[k].bytes, cases[k].n, cases[k].mode, &m), 0);
		CHECK_EQ(m.len, cases[k].len);
		CHECK_EQ(m.size, cases[k].size);
		CHECK_EQ(m.reg_size, cases[k].reg_size);
		CHECK_EQ(m.reg, cases[k].reg);
		CHECK_EQ(m.write, cases[k].write);
		CHECK_EQ(m.has_imm, cases[k].has_imm);
		CHECK_EQ(m.imm, cases[k].imm);
	}
}

/* How each form builds its address: base, index, scale, displacement,
 * RIP-relative, 32-bit addressing and the segment. */
TEST(insn_mem_addresses)
{
	static const struct {
		u8 bytes[12];
		u32 n;
		enum code_mode mode;
		s8 base, index;
		u8 scale, seg;
		bool rip_rel, addr32;
		u64 disp;
	} cases[] = {
		{ { 0x8b, 0x07 }, 2, CODE64, 7, -1, 1, INSN_DS, false, false, 0 },                  /* [rdi] */
		{ { 0x89, 0x90, 0xb0, 0, 0, 0 }, 6, CODE64, 0, -1, 1, INSN_DS, false, false, 0xb0 }, /* [rax+0xb0] */
		{ { 0x44, 0x89, 0x04, 0x24 }, 4, CODE64, 4, -1, 1, INSN_SS, false, false, 0 },       /* [rsp] */
		{ { 0x48, 0x8b, 0x4d, 0xf0 }, 4, CODE64, 5, -1, 1, INSN_SS, false, false, ~0xfULL }, /* [rbp-0x10] */
		{ { 0x8b, 0x05, 1, 2, 3, 4 }, 6, CODE64, -1, -1, 1, INSN_DS, true, false, 0x04030201 },
		{ { 0x8b, 0x05, 1, 2, 3, 4 }, 6, CODE32, -1, -1, 1, INSN_DS, false, true, 0x04030201 },
		{ { 0x8b, 0x04, 0x25, 0, 0, 0xe0, 0xfe }, 7, CODE64, -1, -1, 1, INSN_DS, false, false,
		  0xfffffffffee00000ULL },                                                           /* [disp32] via SIB */
		{ { 0x43, 0x8b, 0x44, 0x8d, 0x08 }, 5, CODE64, 13, 9, 4, INSN_DS, false, false, 8 }, /* [r13+r9*4+8] */
		{ { 0x8b, 0x04, 0x63 }, 3, CODE64, 3, -1, 2, INSN_DS, false, false, 0 },             /* index 4: none */
		{ { 0x41, 0x8b, 0x45, 0 }, 4, CODE64, 13, -1, 1, INSN_DS, false, false, 0 },         /* [r13+0]: DS */
		{ { 0x65, 0x8b, 0x03 }, 3, CODE64, 3, -1, 1, INSN_GS, false, false, 0 },             /* gs:[rbx] */
		{ { 0x67, 0x8b, 0x03 }, 3, CODE64, 3, -1, 1, INSN_DS, false, true, 0 },              /* [ebx] */
		{ { 0x26, 0x8b, 0x03 }, 3, CODE32, 3, -1, 1, INSN_ES, false, true, 0 },              /* es:[ebx] */
		{ { 0xa1, 0x20, 0, 0xe0, 0xfe, 0, 0, 0, 0 }, 9, CODE64, -1, -1, 1, INSN_DS, false, false,
		  0xfee00020 },
	};
	struct insn_mem m;

	for (size_t k = 0; k < ARRAY_SIZE(cases); k++) {
		CHECK_EQ(insn_decode_mem(cases[k].bytes, cases[k].n, cases[k].mode, &m), 0);
		CHECK_EQ(m.base, cases[k].base);
		CHECK_EQ(m.index, cases[k].index);
		CHECK_EQ(m.scale, cases[k].scale);
		CHECK_EQ(m.seg, cases[k].seg);
		CHECK_EQ(m.rip_rel, cases[k].rip_rel);
		CHECK_EQ(m.addr32, cases[k].addr32);
		CHECK_EQ(m.disp, cases[k].disp);
	}
}

TEST(insn_mem_byte_registers)
{
	const u8 ah[] = { 0x8a, 0x20 };           /* mov ah, [rax] */
	const u8 spl[] = { 0x40, 0x8a, 0x20 };    /* mov spl, [rax] */
	struct insn_mem m;

	CHECK_EQ(insn_decode_mem(ah, sizeof(ah), CODE64, &m), 0);
	CHECK(m.high8);
	CHECK_EQ(m.reg, 4);
	CHECK_EQ(insn_decode_mem(spl, sizeof(spl), CODE64, &m), 0);
	CHECK(!m.high8);
	CHECK_EQ(m.reg, 4);
}

TEST(insn_mem_refused)
{
	static const struct {
		u8 bytes[8];
		u32 n;
		enum code_mode mode;
	} cases[] = {
		{ { 0x89, 0xc0 }, 2, CODE64 },               /* register operand */
		{ { 0x8b, 0x03 }, 2, CODE16 },               /* 16-bit addressing */
		{ { 0x67, 0x8b, 0x03 }, 3, CODE32 },         /* 16-bit addressing */
		{ { 0xf0, 0x89, 0x03 }, 3, CODE64 },         /* lock */
		{ { 0xf3, 0xa5 }, 2, CODE64 },               /* rep movsd */
		{ { 0x09, 0x03 }, 2, CODE64 },               /* or [rbx], eax */
		{ { 0xc7, 0x08, 1, 2, 3, 4 }, 6, CODE64 },   /* C7 /1 is not MOV */
		{ { 0xc7, 0x00, 1, 2, 3 }, 5, CODE64 },      /* immediate cut short */
		{ { 0x8b, 0x04 }, 2, CODE64 },               /* SIB missing */
		{ { 0x8b, 0x80, 1, 2, 3 }, 5, CODE64 },      /* displacement cut short */
		{ { 0x0f, 0xb8, 0x00 }, 3, CODE64 },         /* not MOVZX */
		{ { 0x8b }, 1, CODE64 },
		{ { 0xa1, 0x20, 0, 0xe0, 0xfe, 0, 0, 0 }, 8, CODE64 },   /* moffs64 cut short */
		{ { 0xa1, 0x20, 0 }, 3, CODE16 },                        /* 16-bit addressing */
	};
	struct insn_mem m;

	for (size_t k = 0; k < ARRAY_SIZE(cases); k++)
		CHECK_EQ(insn_decode_mem(cases[k].bytes, cases[k].n, cases[k].mode, &m), -1);
}
