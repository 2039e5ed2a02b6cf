/* msr: the allow-list works and everything else raises #GP. */
#include "guests/rt/rt.h"

struct msr_op {
	uint32_t msr;
	uint64_t val;
};

static void do_rdmsr(void *p)
{
	struct msr_op *op = p;
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(op->msr));
	op->val = (uint64_t)hi << 32 | lo;
}

static void do_wrmsr(void *p)
{
	struct msr_op *op = p;

	__asm__ volatile("wrmsr" : : "c"(op->msr), "a"((uint32_t)op->val), "d"((uint32_t)(op->val >> 32)));
}

int main(void)
{
	struct msr_op efer = { 0xc0000080, 0 }, fc = { 0x3a, 0 };
	struct msr_op bad_efer = { 0xc0000080, 1ULL << 20 };
	struct msr_op fs = { 0xc0000100, 0x123456789000ULL }, fs_back = { 0xc0000100, 0 };
	struct msr_op noncanon = { 0xc0000100, 0x8000000000000000ULL };
	int v;

	v = rt_try(do_rdmsr, &efer);
	EXPECT(v == -1 && (efer.val & 0x500) == 0x500, "read EFER = %lx (LME and LMA set)", efer.val);
	v = rt_try(do_rdmsr, &fc);
	EXPECT(v == 13, "read IA32_FEATURE_CONTROL raises #GP (vector %d)", v);
	v = rt_try(do_wrmsr, &bad_efer);
	EXPECT(v == 13, "write of a reserved EFER bit raises #GP (vector %d)", v);
	v = rt_try(do_wrmsr, &fs);
	EXPECT(v == -1 && rt_try(do_rdmsr, &fs_back) == -1 && fs_back.val == fs.val,
	       "FS_BASE written and read back: %lx", fs_back.val);
	v = rt_try(do_wrmsr, &noncanon);
	EXPECT(v == 13, "non-canonical FS_BASE raises #GP (vector %d)", v);
	return rt_failures;
}
