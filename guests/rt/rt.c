/* Test-guest runtime in C: hypercall wrappers, printf, exit, the IDT. */
#include "guests/rt/rt.h"
#include "core/fmt.h"

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

struct gate {
	uint16_t off0, sel;
	uint8_t ist, attr;
	uint16_t off1;
	uint32_t off2, zero;
} __attribute__((packed));

static struct gate idt[256] __attribute__((aligned(16)));
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
	uint64_t a = (uint64_t)(uintptr_t)handler;

	idt[vector] = (struct gate){ (uint16_t)a, 0x08, 0, (uint8_t)(0x8e | dpl << 5), (uint16_t)(a >> 16),
				     (uint32_t)(a >> 32), 0 };
}

/* An exception outside rt_try: report it and stop. */
void rt_unexpected(uint64_t vector, uint64_t rip);

void rt_unexpected(uint64_t vector, uint64_t rip)
{
	rt_printf("unexpected exception %lu at rip %lx\n", vector, rip);
	rt_exit(100 + vector);
}
