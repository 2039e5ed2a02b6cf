/* Thin wrappers over x86-64 instructions used outside the backends. */
#ifndef CORE_CPU_H
#define CORE_CPU_H

#include "core/lib/types.h"

/* Architectural control-register and EFER bits, for the hypervisor's own
 * set-up and for checking and walking guests' (one list for every folder). */
#define CR0_PE 1ULL
#define CR0_TS (1ULL << 3)
#define CR0_WP (1ULL << 16)
#define CR0_NW (1ULL << 29)
#define CR0_CD (1ULL << 30)
#define CR0_PG (1ULL << 31)
#define CR4_PSE (1ULL << 4)
#define CR4_PAE (1ULL << 5)
#define CR4_PCE (1ULL << 8)
#define CR4_OSFXSR (1ULL << 9)
#define CR4_LA57 (1ULL << 12)
#define CR4_VMXE (1ULL << 13)
#define CR4_PCIDE (1ULL << 17)
#define CR4_OSXSAVE (1ULL << 18)
#define MSR_EFER 0xc0000080
#define MSR_PAT 0x277
#define EFER_SCE 1ULL
#define EFER_LME (1ULL << 8)
#define EFER_LMA (1ULL << 10)
#define EFER_NXE (1ULL << 11)

static inline void outb(u16 port, u8 v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outw(u16 port, u16 v) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outl(u16 port, u32 v) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }

static inline u8 inb(u16 port)
{
	u8 v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline u32 inl(u16 port)
{
	u32 v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (u64)hi << 32 | lo;
}

static inline void wrmsr(u32 msr, u64 v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)));
}

struct cpuid_regs {
	u32 eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid(u32 leaf, u32 sub)
{
	struct cpuid_regs r;

	__asm__ volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			 : "a"(leaf), "c"(sub));
	return r;
}

#define DEFINE_CR(n)                                                          \
	static inline u64 read_cr##n(void)                                    \
	{                                                                     \
		u64 v;                                                        \
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));             \
		return v;                                                     \
	}                                                                     \
	static inline void write_cr##n(u64 v)                                 \
	{                                                                     \
		__asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory");    \
	}
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

#define DEFINE_DR(n)                                                          \
	static inline u64 read_dr##n(void)                                    \
	{                                                                     \
		u64 v;                                                        \
		__asm__ volatile("mov %%dr" #n ", %0" : "=r"(v));             \
		return v;                                                     \
	}                                                                     \
	static inline void write_dr##n(u64 v)                                 \
	{                                                                     \
		__asm__ volatile("mov %0, %%dr" #n : : "r"(v));               \
	}
DEFINE_DR(0)
DEFINE_DR(1)
DEFINE_DR(2)
DEFINE_DR(3)
DEFINE_DR(6)
#undef DEFINE_DR

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (u64)hi << 32 | lo;
}

static inline void cpu_relax(void) { __asm__ volatile("pause"); }

NORETURN static inline void cpu_halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

#endif
