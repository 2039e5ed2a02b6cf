/* The test guests' runtime for guests of several vCPUs (vcpus=N): the
 * local APIC's registers, IPIs through its ICR, and starting the APs the
 * way kernels do, INIT-SIPI-SIPI into a 16-bit trampoline at
 * RT_SMP_TRAMP that enters long mode on the BSP's own page tables and
 * calls the guest's ap_main on a stack of the guest's.
 *
 * Use, on the BSP (vCPU 0, APIC ID 0), with the APIC software-enabled:
 *
 *	static uint8_t stacks[NSLOTS][STACK] __attribute__((aligned(16)));
 *	rt_smp_prepare(ap_main, stacks, STACK, NSLOTS);
 *	for (id = 1; id < rt_smp_count(); id++)
 *		rt_smp_start(id);
 *	... wait for each ap_main to check in, bounded by rt_smp_now() ...
 *
 * The stacks are the caller's. Only the guests that start APs link this
 * module (the Makefile's SMP_GUESTS). Only the BSP may call
 * rt_smp_prepare, rt_smp_start and rt_smp_send (their counters are not
 * atomic); any vCPU may use the APIC helpers, rt_smp_hc, rt_smp_now and
 * rt_smp_delay. */
#ifndef GUESTS_RT_RT_SMP_H
#define GUESTS_RT_RT_SMP_H

#include "guests/rt/rt.h"

/* The trampoline's page (below the image at 1 MiB) and the SIPI vector
 * that starts an AP there (CS = 0x0800, IP = 0). */
#define RT_SMP_TRAMP 0x8000
#define RT_SMP_SIPI_VEC (RT_SMP_TRAMP >> 12)

/* ---- the local APIC (xAPIC, MMIO at its power-on address) */

#define RT_LAPIC 0xfee00000UL

enum {
	RT_APIC_ID = 0x20, RT_APIC_EOI = 0xb0, RT_APIC_LDR = 0xd0, RT_APIC_DFR = 0xe0, RT_APIC_SVR = 0xf0,
	RT_APIC_ICR_LO = 0x300, RT_APIC_ICR_HI = 0x310
};

/* ICR low word: delivery mode (bits 10:8), destination mode, status,
 * level and shorthand (bits 19:18); the vector is bits 7:0. */
#define RT_ICR_FIXED (0u << 8)
#define RT_ICR_LOWEST (1u << 8)
#define RT_ICR_SMI (2u << 8)
#define RT_ICR_NMI (4u << 8)
#define RT_ICR_INIT (5u << 8)
#define RT_ICR_SIPI (6u << 8)
#define RT_ICR_LOGICAL (1u << 11)
#define RT_ICR_BUSY (1u << 12)
#define RT_ICR_ASSERT (1u << 14)
#define RT_ICR_SELF (1u << 18)
#define RT_ICR_ALL (2u << 18)
#define RT_ICR_OTHERS (3u << 18)

/* The 32-bit register at offset off of the calling vCPU's APIC. */
static inline volatile uint32_t *rt_apic(uint32_t off)
{
	return (volatile uint32_t *)(RT_LAPIC + off);
}

static inline uint32_t rt_apic_id(void)
{
	return *rt_apic(RT_APIC_ID) >> 24;
}

static inline void rt_apic_eoi(void)
{
	*rt_apic(RT_APIC_EOI) = 0;
}

/* An IPI, nothing more: ICR high (the destination, bits 31:24), then ICR
 * low, the write that sends. */
static inline void rt_apic_icr(uint32_t dest, uint32_t lo)
{
	*rt_apic(RT_APIC_ICR_HI) = dest << 24;
	*rt_apic(RT_APIC_ICR_LO) = lo;
}

/* rt_apic_icr, counted in rt_smp_sends; a delivery-status bit (ICR low
 * bit 12) that reads 1 after the send is counted in rt_smp_busy (the
 * hypervisor's APIC delivers at once: it must read 0). The BSP's only. */
void rt_smp_send(uint32_t dest, uint32_t lo);
extern uint32_t rt_smp_sends, rt_smp_busy;

/* Pieces of interrupt stubs in top-level asm, which count arrivals by
 * the receiving vCPU's APIC ID: the head saves RAX, counts an arrival
 * whose interrupted RFLAGS had IF clear in rt_smp_masked (a maskable
 * interrupt never comes then: one delivered twice, the second time at
 * its handler's first instruction, would), and leaves the APIC ID ANDed
 * with mask in RAX (for an index such as counts(,%rax,4)); the EOI; the
 * end restores RAX and returns. */
extern uint32_t rt_smp_masked;
#define RT_SMP_STUB_HEAD(name, mask) \
	".globl " #name "\n" #name ":\n" \
	"	push %rax\n" \
	"	testl $0x200, 24(%rsp)\n"             /* the frame's RFLAGS.IF */ \
	"	jnz 1f\n" \
	"	lock incl rt_smp_masked(%rip)\n" \
	"1:\n" \
	"	mov $0xfee00020, %eax\n" \
	"	mov (%rax), %eax\n" \
	"	shr $24, %eax\n" \
	"	and $" #mask ", %eax\n"
#define RT_SMP_STUB_EOI \
	"	mov $0xfee000b0, %eax\n" \
	"	movl $0, (%rax)\n"
#define RT_SMP_STUB_END \
	"	pop %rax\n" \
	"	iretq\n"

/* An NMI handler, for the IDT's vector 2 (no EOI): counts[apic id & 15]++;
 * nested++ if it interrupted itself (the NMI came in its own code, up to
 * and including its IRET: the hypervisor let an NMI through before the
 * handler's IRET); spins while hold[apic id & 15] is set, so that a
 * test can hold a vCPU inside its NMI handler. counts, nested and hold
 * are the guest's uint32_t variables (counts and hold arrays of 16). */
#define RT_SMP_NMI_STUB(name, counts, nested, hold) \
	".globl " #name "\n" #name ":\n" \
	"	push %rax\n" \
	"	push %rbx\n" \
	"	mov 16(%rsp), %rbx\n"                  /* the interrupted RIP */ \
	"	sub $" #name ", %rbx\n" \
	"	cmp $(" #name "_end - " #name "), %rbx\n" \
	"	jae 1f\n" \
	"	lock incl " #nested "(%rip)\n" \
	"1:	mov $0xfee00020, %eax\n" \
	"	mov (%rax), %eax\n" \
	"	shr $24, %eax\n" \
	"	and $15, %eax\n" \
	"	lock incl " #counts "(,%rax,4)\n" \
	"2:	cmpl $0, " #hold "(,%rax,4)\n" \
	"	je 3f\n" \
	"	pause\n" \
	"	jmp 2b\n" \
	"3:	pop %rbx\n" \
	"	pop %rax\n" \
	"	iretq\n" \
	#name "_end:\n"

/* ---- hypercalls and time */

/* A v1 or v4 call (nr as HC() or HV4_NR() makes it) with the vendor's own
 * instruction: VMMCALL on AMD, VMCALL elsewhere (no #UD on the way). */
struct hc_result rt_smp_hc(uint32_t nr, uint64_t a1, uint64_t a2);

/* v4 vcpu_info: the caller's vCPU number and the guest's vCPU count;
 * false (and both untouched) if the hypervisor refused the call. */
bool rt_smp_vcpu_info(uint64_t *vcpu, uint64_t *count);

/* The guest's vCPU count from vcpu_info; 0 if the call was refused. */
uint32_t rt_smp_count(void);

/* The hypervisor's monotonic clock (v1 get_time), in ns. */
uint64_t rt_smp_now(void);

/* Spins (PAUSE) until ns of that clock have passed. */
void rt_smp_delay(uint64_t ns);

/* ---- starting APs */

/* Copies the trampoline to RT_SMP_TRAMP and gives it the BSP's CR0, CR3,
 * CR4 and EFER; records the BSP's IDT (SIDT), which every AP loads before
 * it calls ap_main. An AP of APIC ID id runs on the stack ending at
 * stacks + (id + 1) * stack_size, so stacks holds slots blocks of
 * stack_size bytes (16-byte aligned, stack_size a multiple of 16), one for
 * each APIC ID below slots (slot 0, the BSP's, is never used); an AP whose
 * APIC ID is slots or more halts at once. ap_main runs in 64-bit mode at
 * CPL 0 with interrupts off, on the BSP's GDT selectors (0x08 code, 0x10
 * data) and page tables, its APIC as INIT leaves it (software-disabled,
 * SVR bit 8 clear); it should not return (if it does, the AP halts,
 * interrupts off).
 * Call it before the first rt_smp_start and again after changing those
 * registers or the IDT's address. False if CR3 lies above 4 GiB, where the
 * trampoline cannot load it (APs would then not start). */
bool rt_smp_prepare(void (*ap_main)(uint32_t apic_id), void *stacks, uint32_t stack_size, uint32_t slots);

/* INIT (assert), 10 us, SIPI, 200 us, SIPI to APIC ID apic_id, through
 * rt_smp_send. It does not wait for the AP: its ap_main should say it runs
 * (a check-in counter the BSP waits for, bounded by rt_smp_now). */
void rt_smp_start(uint32_t apic_id);

#endif
