/* greedy: one way of keeping the CPU, chosen by guest id (1 to 8; id 0 is
 * the victim beside it, guests/gapvictim.c). Each runs until the
 * configuration's run_for ends the run. The hypervisor must end every
 * slice on time and charge the work it does to this guest alone. */
#include "compat/abi/hv_v4.h"
#include "guests/rt/rt.h"

/* ---- 1: a #DB whose delivery raises #DB again (CVE-2015-8104's loop):
 * the handler's IST stack starts where a data breakpoint waits, so every
 * delivery writes the watched slot and no instruction of it ever runs. */
static uint64_t gdt[16] __attribute__((aligned(16)));
static uint32_t tss[26] __attribute__((aligned(16)));
static uint8_t ist[4096] __attribute__((aligned(16)));

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static void use_ist1(uint8_t vector)
{
	struct desc_ptr g, i;
	uint64_t top = (uintptr_t)(ist + sizeof(ist)), base = (uintptr_t)tss;
	unsigned n;

	__asm__ volatile("sgdt %0" : "=m"(g));
	n = (g.limit + 1) / 8;
	for (unsigned k = 0; k < n; k++)
		gdt[k] = ((uint64_t *)g.base)[k];
	tss[9] = (uint32_t)top;             /* IST1 at byte 0x24 */
	tss[10] = (uint32_t)(top >> 32);
	gdt[n] = 103 | (base & 0xffffff) << 16 | 0x89ULL << 40 | (base >> 24 & 0xff) << 56;
	gdt[n + 1] = base >> 32;
	g = (struct desc_ptr){ (uint16_t)((n + 2) * 8 - 1), (uintptr_t)gdt };
	__asm__ volatile("lgdt %0; ltr %w1" : : "m"(g), "r"(n * 8));
	__asm__ volatile("sidt %0" : "=m"(i));
	((uint8_t *)i.base)[16 * vector + 4] = 1;   /* the gate's IST field */
}

static void db_loop(void)
{
	uint64_t slot = (uintptr_t)(ist + sizeof(ist)) - 8;   /* where SS is pushed */

	use_ist1(1);
	__asm__ volatile("mov %0, %%dr0" : : "r"(slot));
	__asm__ volatile("mov %0, %%dr7" : : "r"(0x400ULL | 1 | 0xdULL << 16));   /* L0, write, 8 bytes */
	__asm__ volatile("movq $0, (%0)" : : "r"(slot) : "memory");
}

/* ---- 2: RDMSR of an MSR nobody has, the #GP handler skipping it; 3: UD2,
 * the #UD handler skipping it. Exception loops that exit once per round. */
extern const char ud2_handler[], gp_handler[];
__asm__(".globl ud2_handler\nud2_handler: addq $2, (%rsp)\n iretq\n"
	".globl gp_handler\ngp_handler: addq $8, %rsp\n addq $2, (%rsp)\n iretq\n");

static void msr_loop(void)
{
	rt_idt_set(13, gp_handler, 0);
	for (;;)
		__asm__ volatile("rdmsr" : : "c"(0x12345678) : "rax", "rdx");
}

static void ud2_loop(void)
{
	rt_idt_set(6, ud2_handler, 0);
	for (;;)
		__asm__ volatile("ud2");
}

static void cpuid_loop(void)
{
	for (;;)
		(void)rt_cpuid(0, 0);
}

static void port_loop(void)
{
	for (;;)
		(void)rt_inb(0x61);
}

static void console_flood(void)
{
	static char line[4096];

	for (unsigned i = 0; i < sizeof(line) - 1; i++)
		line[i] = 'a' + i % 26;
	line[sizeof(line) - 1] = '\n';
	for (;;)
		hv1_console_write((uintptr_t)line, sizeof(line));
}

static void reboot_loop(void)
{
	hv1_shutdown(HV1_SHUTDOWN_REBOOT, 0);
}

static void sched_greed(void)
{
	struct hv4_sched_params p = { .size = sizeof(p), .weight = 10000 };
	int64_t r = hv4_sched_set((uintptr_t)&p, sizeof(p));

	rt_printf("greedy: sched_set weight 10000: %ld\n", r);
	for (;;)
		;
}

static void (*const patterns[])(void) = {
	[1] = db_loop, [2] = msr_loop, [3] = ud2_loop, [4] = cpuid_loop,
	[5] = port_loop, [6] = console_flood, [7] = reboot_loop, [8] = sched_greed,
};

int main(void)
{
	struct hv1_guest_info gi;

	hv1_guest_info((uintptr_t)&gi);
	if (gi.guest_id >= 1 && gi.guest_id < sizeof(patterns) / sizeof(patterns[0]))
		patterns[gi.guest_id]();
	for (;;)
		;
}
