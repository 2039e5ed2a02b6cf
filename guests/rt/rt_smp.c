/* The runtime's SMP helpers (guests/rt/rt_smp.h): the AP trampoline,
 * INIT-SIPI-SIPI, IPIs through the ICR, vendor-native hypercalls. Linked
 * into every guest, so it stays small: 48 bytes of .bss (the AP stacks
 * are the caller's) and no inlining of its functions into each other. */
#include "guests/rt/rt_smp.h"
#include "compat/abi/hv_v4.h"

#define STR_(x) #x
#define STR(x) STR_(x)

uint32_t rt_smp_sends, rt_smp_busy, rt_smp_masked;

/* What an AP needs on its way from the trampoline to ap_main; read by the
 * asm below at fixed offsets. */
struct rt_smp_boot {
	void (*entry)(uint32_t apic_id);
	uint8_t *stacks;
	uint64_t stack_size;
	uint32_t slots;
	uint16_t pad;
	uint16_t idt_limit;   /* SIDT's and LIDT's 10 bytes start here */
	uint64_t idt_base;
};
_Static_assert(__builtin_offsetof(struct rt_smp_boot, entry) == 0 &&
	       __builtin_offsetof(struct rt_smp_boot, stacks) == 8 &&
	       __builtin_offsetof(struct rt_smp_boot, stack_size) == 16 &&
	       __builtin_offsetof(struct rt_smp_boot, slots) == 24 &&
	       __builtin_offsetof(struct rt_smp_boot, idt_limit) == 30 &&
	       __builtin_offsetof(struct rt_smp_boot, idt_base) == 32,
	       "the asm below hard-codes struct rt_smp_boot's layout");

struct rt_smp_boot rt_smp_boot __attribute__((aligned(8)));

/* ---- the AP trampoline, copied to RT_SMP_TRAMP and entered by SIPI
 * vector RT_SMP_SIPI_VEC.
 *
 * Contract: it runs in real mode with CS = 0x0800 (base 0x8000), IP = 0,
 * interrupts off; its page is identity-mapped RAM that nothing else uses,
 * and its GDT's address is built for RT_SMP_TRAMP. It reads four values
 * rt_smp_prepare patched into rt_smp_tramp_params (at the same offset in
 * the copy): CR4, CR3 (below 4 GiB), EFER (LME, NXE as the BSP has them;
 * LMA clear) and CR0 (PE, PG and the BSP's other bits). It loads its own
 * GDT (copied with it: 0x08 64-bit code, the selector the IDT's gates
 * name; 0x10 flat data), sets CR4, CR3, EFER, then CR0 with PE and PG at
 * once, which enters IA-32e mode straight from real mode, and far-jumps to
 * rt_smp_ap64 in the image. There, with flat data segments, each AP loads
 * the BSP's IDT, takes the stack of its APIC ID and calls the entry.
 * Several APs may run it at once: it writes no memory. */
__asm__(".pushsection .rodata.rt_smp_tramp, \"a\"\n"
	".globl rt_smp_tramp_start, rt_smp_tramp_params, rt_smp_tramp_end\n"
	".code16\n"
	"rt_smp_tramp_start:\n"
	"	cli\n"
	"	cld\n"
	"	mov %cs, %ax\n"
	"	mov %ax, %ds\n"
	"	lgdtl rt_smp_tramp_gdtr - rt_smp_tramp_start\n"
	"	movl rt_smp_tramp_params - rt_smp_tramp_start + 0, %eax\n"
	"	mov %eax, %cr4\n"
	"	movl rt_smp_tramp_params - rt_smp_tramp_start + 4, %eax\n"
	"	mov %eax, %cr3\n"
	"	movl $0xc0000080, %ecx\n"
	"	movl rt_smp_tramp_params - rt_smp_tramp_start + 8, %eax\n"
	"	movl rt_smp_tramp_params - rt_smp_tramp_start + 12, %edx\n"
	"	wrmsr\n"
	"	movl rt_smp_tramp_params - rt_smp_tramp_start + 16, %eax\n"
	"	mov %eax, %cr0\n"
	"	ljmpl $0x08, $rt_smp_ap64\n"
	"	.balign 8\n"
	"rt_smp_tramp_gdt:\n"
	"	.quad 0\n"
	"	.quad 0x00af9a000000ffff\n"     /* 0x08: 64-bit code, DPL 0 */
	"	.quad 0x00cf92000000ffff\n"     /* 0x10: flat data */
	"rt_smp_tramp_gdtr:\n"
	"	.word 3 * 8 - 1\n"
	"	.long " STR(RT_SMP_TRAMP) " + (rt_smp_tramp_gdt - rt_smp_tramp_start)\n"
	"	.balign 8\n"
	"rt_smp_tramp_params:\n"
	"	.fill 24, 1, 0\n"
	"rt_smp_tramp_end:\n"
	".code64\n"
	".popsection\n"
	".pushsection .text\n"
	".globl rt_smp_ap64\n"
	"rt_smp_ap64:\n"
	"	mov $0x10, %eax\n"
	"	mov %ax, %ds\n"
	"	mov %ax, %es\n"
	"	mov %ax, %ss\n"
	"	mov %ax, %fs\n"
	"	mov %ax, %gs\n"
	"	lidt rt_smp_boot+30(%rip)\n"
	"	mov $0xfee00020, %eax\n"
	"	mov (%rax), %edi\n"
	"	shr $24, %edi\n"                  /* ap_main's argument: the APIC ID */
	"	cmp rt_smp_boot+24(%rip), %edi\n"
	"	jae 1f\n"                         /* no stack for it */
	"	lea 1(%rdi), %eax\n"
	"	imul rt_smp_boot+16(%rip), %rax\n" /* (id + 1) * stack_size */
	"	add rt_smp_boot+8(%rip), %rax\n"
	"	mov %rax, %rsp\n"
	"	call *rt_smp_boot(%rip)\n"
	"1:	cli\n"
	"	hlt\n"
	"	jmp 1b\n"
	".popsection\n");

struct tramp_params {
	uint32_t cr4, cr3;
	uint64_t efer;
	uint32_t cr0, pad;
};
_Static_assert(sizeof(struct tramp_params) == 24, "rt_smp_tramp_params' layout");
extern const uint8_t rt_smp_tramp_start[], rt_smp_tramp_params[], rt_smp_tramp_end[];

/* ---- hypercalls and time */

#define SMALL __attribute__((noinline))

static uint8_t vendor;   /* 0: not looked up yet; 1: AMD; 2: another */

SMALL struct hc_result rt_smp_hc(uint32_t nr, uint64_t a1, uint64_t a2)
{
	if (!vendor)
		vendor = rt_amd() ? 1 : 2;   /* vCPUs racing here all store the same */
	return vendor == 1 ? hv_vmmcall(nr, a1, a2, 0, 0) : hv_vmcall(nr, a1, a2, 0, 0);
}

SMALL bool rt_smp_vcpu_info(uint64_t *vcpu, uint64_t *count)
{
	struct hc_result r = rt_smp_hc(HV4_NR(HV4_VCPU_INFO), 0, 0);

	if (r.status != HV4_OK)
		return false;
	*vcpu = r.r1;
	*count = r.r2;
	return true;
}

uint32_t rt_smp_count(void)
{
	uint64_t vcpu, count;

	return rt_smp_vcpu_info(&vcpu, &count) ? (uint32_t)count : 0;
}

SMALL uint64_t rt_smp_now(void)
{
	return rt_smp_hc(HC(1, HV1_GET_TIME), 0, 0).r2;
}

SMALL void rt_smp_delay(uint64_t ns)
{
	uint64_t end = rt_smp_now() + ns;

	while (rt_smp_now() < end)
		__asm__ volatile("pause");
}

/* ---- IPIs and starting APs */

SMALL void rt_smp_send(uint32_t dest, uint32_t lo)
{
	rt_apic_icr(dest, lo);
	rt_smp_sends++;
	if (*rt_apic(RT_APIC_ICR_LO) & RT_ICR_BUSY)
		rt_smp_busy++;
}

bool rt_smp_prepare(void (*ap_main)(uint32_t apic_id), void *stacks, uint32_t stack_size, uint32_t slots)
{
	volatile uint8_t *dst = (volatile uint8_t *)(uintptr_t)RT_SMP_TRAMP;
	volatile struct tramp_params *p;
	uint64_t cr0, cr3, cr4;
	uint32_t lo, hi;

	for (const uint8_t *s = rt_smp_tramp_start; s < rt_smp_tramp_end; s++)
		*dst++ = *s;
	__asm__ volatile("mov %%cr0, %0; mov %%cr3, %1; mov %%cr4, %2" : "=r"(cr0), "=r"(cr3), "=r"(cr4));
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(0xc0000080));
	p = (volatile struct tramp_params *)((uintptr_t)RT_SMP_TRAMP +
					     (uintptr_t)(rt_smp_tramp_params - rt_smp_tramp_start));
	p->cr4 = (uint32_t)(cr4 & ~(1ULL << 17));                  /* no PCIDE outside long mode */
	p->cr3 = (uint32_t)cr3;
	p->efer = ((uint64_t)hi << 32 | lo) & ~(1ULL << 10);       /* LMA is the CPU's to set */
	p->cr0 = (uint32_t)cr0;

	rt_smp_boot.entry = ap_main;
	rt_smp_boot.stacks = stacks;
	rt_smp_boot.stack_size = stack_size;
	rt_smp_boot.slots = slots;
	__asm__ volatile("sidt %0" : "=m"(rt_smp_boot.idt_limit) : : "memory");
	return !(cr3 >> 32);
}

void rt_smp_start(uint32_t apic_id)
{
	rt_smp_send(apic_id, RT_ICR_INIT | RT_ICR_ASSERT);
	rt_smp_delay(10000);
	rt_smp_send(apic_id, RT_ICR_SIPI | RT_SMP_SIPI_VEC);
	rt_smp_delay(200000);
	rt_smp_send(apic_id, RT_ICR_SIPI | RT_SMP_SIPI_VEC);
}
