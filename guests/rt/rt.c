/* Test-guest runtime in C: hypercall wrappers, printf, exit, the IDT. */
#include "guests/rt/rt.h"
#include "guests/rt/gate.h"
#include "core/lib/fmt.h"

int rt_failures;

#define HYPERCALL(insn)                                                       \
	struct hc_result r;                                                   \
	uint64_t rax = nr;                                                    \
	__asm__ volatile(insn                                                 \
			 : "+a"(rax), "+b"(a1), "+c"(a2), "+d"(a3), "+S"(a4)  \
			 : : "memory");                                       \
	r.status = (int64_t)rax;                                              \
	r.r1 = a1;                                                            \
	r.r2 = a2;                                                            \
	r.r3 = a3;                                                            \
	return r

struct hc_result hv_vmcall(uint32_t nr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
	HYPERCALL("vmcall");
}

struct hc_result hv_vmmcall(uint32_t nr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
	HYPERCALL("vmmcall");
}

static size_t len_of(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

void rt_puts(const char *s)
{
	hv_vmcall(HC_CONSOLE_WRITE, (uint64_t)(uintptr_t)s, len_of(s), 0, 0);
}

void rt_printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnformat(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	rt_puts(buf);
}

void rt_exit(uint64_t code)
{
	for (;;)
		hv_vmcall(HC_SHUTDOWN, HV1_SHUTDOWN_POWEROFF, code, 0, 0);
}

/* ---- exceptions: an IDT whose first 32 stubs all end in rt_fault
 * (rt_entry.asm); other vectors are empty until rt_idt_set fills them. */

static struct rt_gate idt[256] __attribute__((aligned(16)));
extern const uint8_t rt_fault_stubs[];

void rt_idt_init(void);

void rt_idt_init(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) p = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };

	for (int v = 0; v < 32; v++)
		rt_idt_set(v, rt_fault_stubs + 16 * v, 0);
	__asm__ volatile("lidt %0" : : "m"(p));
}

void rt_idt_set(uint8_t vector, const void *handler, int dpl)
{
	idt[vector] = rt_gate(handler, dpl);
}

/* An exception outside rt_try: report it and stop. */
void rt_unexpected(uint64_t vector, uint64_t rip);

void rt_unexpected(uint64_t vector, uint64_t rip)
{
	rt_printf("unexpected exception %lu at rip %lx\n", vector, rip);
	rt_exit(100 + vector);
}

void rt_rdmsr_fn(void *p)
{
	struct rt_msr *op = p;
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(op->msr));
	op->val = (uint64_t)hi << 32 | lo;
}

void rt_wrmsr_fn(void *p)
{
	struct rt_msr *op = p;

	__asm__ volatile("wrmsr" : : "c"(op->msr), "a"((uint32_t)op->val), "d"((uint32_t)(op->val >> 32)));
}

void rt_pic_init(uint8_t base)
{
	const uint8_t words[2][4] = { { 0x11, base, 0x04, 0x01 }, { 0x11, (uint8_t)(base + 8), 0x02, 0x01 } };

	for (int c = 0; c < 2; c++) {
		uint16_t port = c ? 0xa0 : 0x20;

		rt_outb(port, words[c][0]);
		for (int i = 1; i < 4; i++)
			rt_outb(port + 1, words[c][i]);
	}
	rt_outb(0x21, 0xfe);
	rt_outb(0xa1, 0xff);
}
