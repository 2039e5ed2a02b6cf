/* The test guests' runtime: hypercalls, console output, fault catching.
 * Guests are 64-bit ELF images started by the hypervisor's loader with
 * identity-mapped memory, so a pointer is its guest-physical address. */
#ifndef GUESTS_RT_RT_H
#define GUESTS_RT_RT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compat/abi/hv_v1.h"

/* The runtime itself speaks ABI version 1 (compat/abi/hv_v1.h). */
#define HC(version, fn) ((uint32_t)(version) << 16 | (fn))
#define HC_GET_VERSION HC(1, HV1_GET_VERSION)
#define HC_CONSOLE_WRITE HC(1, HV1_CONSOLE_WRITE)
#define HC_SHUTDOWN HC(1, HV1_SHUTDOWN)

struct hc_result {
	int64_t status;
	uint64_t r1, r2, r3;   /* RBX, RCX, RDX after the call */
};

/* A hypercall through VMCALL (Intel's instruction) or VMMCALL (AMD's):
 * both work on both vendors. */
struct hc_result hv_vmcall(uint32_t nr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4);
struct hc_result hv_vmmcall(uint32_t nr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4);

void rt_puts(const char *s);
void rt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void rt_exit(uint64_t code);

/* Runs fn(arg); returns -1 if it finished, or the vector of the exception
 * it raised (the fault is caught and fn abandoned). */
int rt_try(void (*fn)(void *), void *arg);

/* Points IDT vector at handler, an interrupt gate callable from CPL <= dpl. */
void rt_idt_set(uint8_t vector, const void *handler, int dpl);

/* RDMSR and WRMSR of op->msr, op->val, as rt_try callbacks (a #GP then
 * comes back as vector 13). */
struct rt_msr {
	uint32_t msr;
	uint64_t val;
};

void rt_rdmsr_fn(void *op);
void rt_wrmsr_fn(void *op);

struct cpuid { uint32_t a, b, c, d; };

static inline struct cpuid rt_cpuid(uint32_t leaf, uint32_t sub)
{
	struct cpuid r;

	__asm__ volatile("cpuid" : "=a"(r.a), "=b"(r.b), "=c"(r.c), "=d"(r.d) : "a"(leaf), "c"(sub));
	return r;
}

/* An AMD CPU: VMMCALL is the hypervisor's intercepted instruction there,
 * VMCALL elsewhere (the other one reaches it as #UD and is decoded). */
static inline bool rt_amd(void)
{
	return rt_cpuid(0, 0).b == 0x68747541;   /* "Auth"enticAMD */
}

/* XCR0. */
static inline void rt_xsetbv(uint64_t v)
{
	__asm__ volatile("xsetbv" : : "c"(0), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static inline uint64_t rt_xgetbv(void)
{
	uint32_t lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return (uint64_t)hi << 32 | lo;
}

static inline uint64_t rt_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static inline void rt_outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t rt_inb(uint16_t p) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(p)); return v; }
static inline uint16_t rt_inw(uint16_t p) { uint16_t v; __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(p)); return v; }
static inline uint32_t rt_inl(uint16_t p) { uint32_t v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(p)); return v; }

/* The 8259 pair as PC firmware and kernels set it up: the master's lines
 * at vectors base.., the slave's at base + 8.. on the master's line 2,
 * 8086 mode, normal EOI; every line masked but IRQ 0. */
void rt_pic_init(uint8_t base);

/* An interrupt handler named name that adds 1 to the u32 at counter (an
 * assembler expression: a symbol, plus an offset) and writes the local
 * APIC's EOI register. */
#define RT_APIC_ISR(name, counter) \
	__asm__(".globl " #name "\n" #name ":\n" \
		"	push %rax\n" \
		"	lock incl " counter "(%rip)\n" \
		"	mov $0xfee000b0, %eax\n" \
		"	movl $0, (%rax)\n" \
		"	pop %rax\n" \
		"	iretq\n")

/* Each test guest defines main; its return value is the shutdown code. */
int main(void);

/* A check that prints "name: ok" or "name: FAILED (...)" and counts. */
extern int rt_failures;
#define EXPECT(cond, ...)                                           \
	do {                                                        \
		if (cond) {                                         \
			rt_printf("ok: " __VA_ARGS__);              \
		} else {                                            \
			rt_failures++;                              \
			rt_printf("FAILED: " __VA_ARGS__);          \
		}                                                   \
		rt_puts("\n");                                      \
	} while (0)

/* One hypercall at CPL 3 (RAX = nr, RBX = a1, RCX = a2; VMMCALL if
 * use_vmmcall, else VMCALL): its RAX, or -1000 - vector if it faulted. */
int64_t rt_user_hypercall(uint32_t nr, uint64_t a1, uint64_t a2, int use_vmmcall);

#endif
