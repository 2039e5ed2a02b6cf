/* msr: the allow-list works and everything else raises #GP. */
#include "guests/rt/rt.h"

int main(void)
{
	struct rt_msr efer = { 0xc0000080, 0 }, fc = { 0x3a, 0 };
	struct rt_msr bad_efer = { 0xc0000080, 1ULL << 20 };
	struct rt_msr fs = { 0xc0000100, 0x123456789000ULL }, fs_back = { 0xc0000100, 0 };
	struct rt_msr noncanon = { 0xc0000100, 0x8000000000000000ULL };
	int v;

	v = rt_try(rt_rdmsr_fn, &efer);
	EXPECT(v == -1 && (efer.val & 0x500) == 0x500, "read EFER = %lx (LME and LMA set)", efer.val);
	v = rt_try(rt_rdmsr_fn, &fc);
	EXPECT(v == 13, "read IA32_FEATURE_CONTROL raises #GP (vector %d)", v);
	v = rt_try(rt_wrmsr_fn, &bad_efer);
	EXPECT(v == 13, "write of a reserved EFER bit raises #GP (vector %d)", v);
	v = rt_try(rt_wrmsr_fn, &fs);
	EXPECT(v == -1 && rt_try(rt_rdmsr_fn, &fs_back) == -1 && fs_back.val == fs.val,
	       "FS_BASE written and read back: %lx", fs_back.val);
	v = rt_try(rt_wrmsr_fn, &noncanon);
	EXPECT(v == 13, "non-canonical FS_BASE raises #GP (vector %d)", v);
	return rt_failures;
}
