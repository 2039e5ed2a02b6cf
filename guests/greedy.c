/* greedy: one way of keeping the CPU, chosen by the guest's RAM size: a
 * guest of N+1 MiB runs pattern N (mem=2M the #DB loop, ... mem=13M the
 * null hypercall), so a configuration picks patterns without rebuilding.
 * Beside it, guests/gapvictim.c measures its time off the CPU. Each runs
 * until the configuration's run_for ends the run. The hypervisor must end
 * every slice on time and charge the work it does to this guest alone. */
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

/* ---- 9: control-register accesses that exit on each backend: MOV to
 * CR4 of its own value (intercepted on AMD-V), MOV from CR8 (on VT-x). */
static void cr_loop(void)
{
	uint64_t cr4, cr8;

	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	for (;;)
		__asm__ volatile("mov %1, %%cr4; mov %%cr8, %0" : "=r"(cr8) : "r"(cr4));
}

/* ---- 10: alignment checks at CPL 3 (CR0.AM, RFLAGS.AC): a misaligned
 * load, the #AC handler skipping it. rt_user_hypercall's first call builds
 * the user segments, TSS and user-accessible map this runs on. */
extern const char ac_handler[], ac_user[];
__asm__(".globl ac_handler\nac_handler: addq $8, %rsp\n addq $3, (%rsp)\n iretq\n"
	".globl ac_user\nac_user: mov (%rdi), %rax\n jmp ac_user\n");

static void ac_loop(void)
{
	static uint8_t data[16], stack[4096] __attribute__((aligned(16)));
	uint64_t cr0;

	(void)rt_user_hypercall(HV1_NR(HV1_GET_VERSION), 0, 0, 0);   /* builds the CPL-3 world */
	rt_idt_set(17, ac_handler, 0);
	__asm__ volatile("mov %%cr0, %0; or $0x40000, %0; mov %0, %%cr0" : "=r"(cr0));
	__asm__ volatile("push $0x1b; push %0; push $0x40002; push $0x23; push %1; iretq"
			 : : "r"((uintptr_t)(stack + sizeof(stack))), "r"((uintptr_t)ac_user),
			   "D"((uintptr_t)(data + 1)));
}

/* ---- 11: an interrupt storm: the APIC timer periodic at one count of
 * the fastest divider, every interrupt acknowledged by an EOI write. The
 * handler says when it has run 250 times: a timer that is always due
 * must still let the guest run what was injected. */
extern const char storm_handler[];
void storm_count(void);
__asm__(".globl storm_handler\nstorm_handler:\n"
	" push %rax; push %rcx; push %rdx; push %rsi; push %rdi\n"
	" push %r8; push %r9; push %r10; push %r11\n"
	" push %rbp; mov %rsp, %rbp; and $-16, %rsp; call storm_count; mov %rbp, %rsp; pop %rbp\n"
	" mov $0xfee000b0, %eax; movl $0, (%rax)\n"
	" pop %r11; pop %r10; pop %r9; pop %r8\n"
	" pop %rdi; pop %rsi; pop %rdx; pop %rcx; pop %rax\n iretq\n");

void storm_count(void)
{
	static uint32_t n;

	if (++n == 250)
		rt_printf("greedy: 250 interrupts taken\n");
}

static void irq_storm(void)
{
	volatile uint32_t *apic = (volatile uint32_t *)0xfee00000UL;

	rt_idt_set(0x40, storm_handler, 0);
	apic[0xf0 / 4] = 0x1ff;              /* software enable */
	apic[0x3e0 / 4] = 0xb;               /* divide by 1 */
	apic[0x320 / 4] = 1u << 17 | 0x40;   /* periodic, vector 0x40 */
	apic[0x380 / 4] = 1;
	__asm__ volatile("sti");
	for (;;)
		__asm__ volatile("pause");
}

/* ---- 12: the null hypercall with the vendor's own instruction, which
 * the hypervisor serves on its short way, without the run loop: the slice
 * must still end on time. */
static void hypercall_loop(void)
{
	bool vmmcall = rt_amd();

	for (;;)
		if (vmmcall)
			hv_vmmcall(HC(4, HV4_GET_VERSION), 0, 0, 0, 0);
		else
			hv_vmcall(HC(4, HV4_GET_VERSION), 0, 0, 0, 0);
}

static void (*const patterns[])(void) = {
	[1] = db_loop, [2] = msr_loop, [3] = ud2_loop, [4] = cpuid_loop,
	[5] = port_loop, [6] = console_flood, [7] = reboot_loop, [8] = sched_greed,
	[9] = cr_loop, [10] = ac_loop, [11] = irq_storm, [12] = hypercall_loop,
};

int main(void)
{
	struct hv1_guest_info gi;
	uint64_t n;

	hv1_guest_info((uintptr_t)&gi);
	n = gi.ram_size / (1 << 20) - 1;
	if (n >= 1 && n < sizeof(patterns) / sizeof(patterns[0]))
		patterns[n]();
	rt_printf("greedy: no pattern for %lu MiB of RAM\n", gi.ram_size >> 20);
	return 1;
}
