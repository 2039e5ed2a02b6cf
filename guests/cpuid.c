/* cpuid: virtualization hidden, hypervisor bit and leaves present. */
#include "guests/rt/rt.h"

int main(void)
{
	struct cpuid l1 = rt_cpuid(1, 0), e1 = rt_cpuid(0x80000001, 0);
	struct cpuid h0 = rt_cpuid(0x40000000, 0), h1 = rt_cpuid(0x40000001, 0);
	char sig[13];

	__builtin_memcpy(sig, &h0.b, 4);
	__builtin_memcpy(sig + 4, &h0.c, 4);
	__builtin_memcpy(sig + 8, &h0.d, 4);
	sig[12] = 0;
	EXPECT(!(l1.c & (1u << 5)), "leaf 1 hides VMX");
	EXPECT(l1.c & (1u << 31), "leaf 1 sets the hypervisor bit");
	EXPECT(!(e1.c & (1u << 2)), "leaf 0x80000001 hides SVM");
	EXPECT(h0.a >= 0x40000001, "hypervisor leaves up to %x", h0.a);
	EXPECT(sig[0] == 'H' && sig[1] == 'V' && sig[2] == 'H', "signature '%s'", sig);
	EXPECT(h1.a == 1 && h1.b >= h1.a, "ABI versions %u to %u", h1.a, h1.b);
	return rt_failures;
}
