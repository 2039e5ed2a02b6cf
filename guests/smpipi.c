/* smpipi: a multi-vCPU guest (vcpus=N, N >= 2) bringing its APs up the way
 * kernels do and exchanging IPIs through the xAPIC's ICR. vCPU 0 (the BSP)
 * starts every AP with INIT-SIPI-SIPI into a 16-bit trampoline at 0x8000
 * (SIPI vector 0x08) that enters long mode on the BSP's own page tables;
 * then 1000 fixed IPIs each way between vCPU 0 and vCPU 1, counted exactly;
 * the shorthands (self, all, all but self), a logical-destination IPI in
 * flat mode, each reaching exactly its targets (an NMI IPI is dropped: not
 * modelled yet); an INIT to a
 * running AP stops it until the next SIPI, which starts it again through
 * the trampoline, while a SIPI to a running AP is ignored; IPIs to APIC IDs
 * that do not exist are dropped. Every wait is bounded by the hypervisor's
 * clock (the BSP's APIC timer at 1 kHz wakes its HLTs), so a broken
 * hypervisor gives a FAILED line, not a hang. Only the BSP prints and
 * exits; the APs just count. */
#include "compat/abi/hv_v4.h"
#include "guests/rt/rt.h"

#define LAPIC 0xfee00000UL
#define MAX_CPUS 16               /* the stubs index their counters by APIC ID & 15 */
#define AP_STACK 8192
#define TRAMP 0x8000              /* the trampoline's page, below the image at 1 MiB */
#define SIPI_VEC (TRAMP >> 12)
#define ROUNDS 1000
#define MS 1000000ULL
#define TICK_VEC 0x40

/* Vectors 0x50 + slot; hits[slot][apic id] counts each arrival. */
enum { V_PING, V_PONG, V_OTHERS, V_SELF, V_LOGICAL, V_ALL, V_KICK, V_LOST, NV };
#define VEC(slot) (0x50 + (slot))

enum { ID = 0x20, EOI = 0xb0, LDR = 0xd0, DFR = 0xe0, SVR = 0xf0, ICR_LO = 0x300, ICR_HI = 0x310,
       LVT_TIMER = 0x320, TMICT = 0x380, TMCCT = 0x390, TDCR = 0x3e0 };

#define ICR_NMI (4u << 8)
#define ICR_INIT (5u << 8)
#define ICR_SIPI (6u << 8)
#define ICR_LOGICAL (1u << 11)
#define ICR_BUSY (1u << 12)
#define ICR_ASSERT (1u << 14)
#define ICR_SELF (1u << 18)
#define ICR_ALL (2u << 18)
#define ICR_OTHERS (3u << 18)

_Static_assert(MAX_CPUS == 16 && AP_STACK == 8192, "the asm below hard-codes these");

/* Shared with the asm stubs and the APs. */
volatile uint32_t hits[NV][MAX_CPUS];
volatile uint32_t nmis[MAX_CPUS];
volatile uint32_t ticks;
volatile uint32_t checkins[MAX_CPUS];     /* ap_main entries, per APIC ID */
volatile uint64_t heartbeat[MAX_CPUS];    /* an AP's wake-ups (or spins) */
volatile uint32_t spin[MAX_CPUS];         /* set: the AP spins instead of halting */
volatile uint64_t ap_vcpu[MAX_CPUS];      /* what vcpu_info told each AP */
uint8_t ap_stacks[MAX_CPUS][AP_STACK] __attribute__((aligned(16)));
struct {
	uint16_t pad[3];
	uint16_t limit;
	uint64_t base;
} __attribute__((aligned(8))) bsp_idt;    /* SIDT's 10 bytes at &bsp_idt.limit */

static bool amd, use_hlt;
static uint32_t sends, busy;

void ping_stub(void), pong_stub(void), nmi_stub(void), tick_stub(void);
void others_stub(void), self_stub(void), logical_stub(void), all_stub(void), kick_stub(void),
	lost_stub(void);
void ap_main(uint32_t id) __attribute__((noreturn));

#define STR_(x) #x
#define STR(x) STR_(x)

/* A counting stub: hits[slot][own APIC ID]++, EOI. */
#define HIT_STUB(name, slot) \
	__asm__(".pushsection .text\n" \
		".globl " #name "\n" #name ":\n" \
		"	push %rax\n" \
		"	mov $0xfee00020, %eax\n" \
		"	mov (%rax), %eax\n" \
		"	shr $24, %eax\n" \
		"	and $15, %eax\n" \
		"	lock incl hits+64*" STR(slot) "(,%rax,4)\n" \
		"	mov $0xfee000b0, %eax\n" \
		"	movl $0, (%rax)\n" \
		"	pop %rax\n" \
		"	iretq\n" \
		".popsection\n")
HIT_STUB(others_stub, 2);
HIT_STUB(self_stub, 3);
HIT_STUB(logical_stub, 4);
HIT_STUB(all_stub, 5);
HIT_STUB(kick_stub, 6);
HIT_STUB(lost_stub, 7);
_Static_assert(V_OTHERS == 2 && V_SELF == 3 && V_LOGICAL == 4 && V_ALL == 5 && V_KICK == 6 && V_LOST == 7,
	       "the stubs' slots");

/* The ping (vector 0x50, at AP 1): counted, EOI, then the pong (fixed,
 * vector 0x51, physical destination APIC ID 0). The BSP's pong stub is
 * the plain counting one. NMIs are counted per APIC ID, with no EOI. */
__asm__(".pushsection .text\n"
	".globl ping_stub, pong_stub, nmi_stub, tick_stub\n"
	"ping_stub:\n"
	"	push %rax\n"
	"	mov $0xfee00020, %eax\n"
	"	mov (%rax), %eax\n"
	"	shr $24, %eax\n"
	"	and $15, %eax\n"
	"	lock incl hits+64*0(,%rax,4)\n"
	"	mov $0xfee00000, %eax\n"
	"	movl $0, 0xb0(%rax)\n"          /* EOI */
	"	movl $0, 0x310(%rax)\n"         /* ICR high: APIC ID 0 */
	"	movl $0x51, 0x300(%rax)\n"      /* ICR low: fixed, physical, no shorthand */
	"	pop %rax\n"
	"	iretq\n"
	"pong_stub:\n"
	"	push %rax\n"
	"	mov $0xfee00020, %eax\n"
	"	mov (%rax), %eax\n"
	"	shr $24, %eax\n"
	"	and $15, %eax\n"
	"	lock incl hits+64*1(,%rax,4)\n"
	"	mov $0xfee000b0, %eax\n"
	"	movl $0, (%rax)\n"
	"	pop %rax\n"
	"	iretq\n"
	"nmi_stub:\n"
	"	push %rax\n"
	"	mov $0xfee00020, %eax\n"
	"	mov (%rax), %eax\n"
	"	shr $24, %eax\n"
	"	and $15, %eax\n"
	"	lock incl nmis(,%rax,4)\n"
	"	pop %rax\n"
	"	iretq\n"
	"tick_stub:\n"
	"	push %rax\n"
	"	lock incl ticks(%rip)\n"
	"	mov $0xfee000b0, %eax\n"
	"	movl $0, (%rax)\n"
	"	pop %rax\n"
	"	iretq\n"
	".popsection\n");

/* ---- the AP trampoline, copied to TRAMP and entered by SIPI vector 0x08.
 *
 * Contract: it runs in real mode with CS = 0x0800 (base 0x8000), IP = 0,
 * interrupts off; its page is identity-mapped RAM that nothing else uses,
 * and its GDT's address is built for TRAMP. It reads four values the BSP
 * patched into tramp_params (at the same offset in the copy): CR4, CR3
 * (below 4 GiB), EFER (LME, NXE as the BSP has them; LMA clear) and CR0
 * (PE, PG and the BSP's other bits). It loads its own GDT (copied with it, at TRAMP +
 * offset: 0x08 64-bit code, the selector the IDT's gates name; 0x10 flat
 * data), sets CR4, CR3, EFER, then CR0 with PE and PG at once, which enters
 * IA-32e mode straight from real mode, and far-jumps to ap_start64 in the
 * image. There, with flat data segments, each AP takes the stack
 * ap_stacks[its APIC ID] and calls ap_main(APIC ID). Several APs may run it
 * at once: it writes no memory. */
__asm__(".pushsection .rodata.smpipi_tramp, \"a\"\n"
	".globl tramp_start, tramp_params, tramp_end\n"
	".code16\n"
	"tramp_start:\n"
	"	cli\n"
	"	cld\n"
	"	mov %cs, %ax\n"
	"	mov %ax, %ds\n"
	"	lgdtl tramp_gdtr - tramp_start\n"
	"	movl tramp_params - tramp_start + 0, %eax\n"
	"	mov %eax, %cr4\n"
	"	movl tramp_params - tramp_start + 4, %eax\n"
	"	mov %eax, %cr3\n"
	"	movl $0xc0000080, %ecx\n"
	"	movl tramp_params - tramp_start + 8, %eax\n"
	"	movl tramp_params - tramp_start + 12, %edx\n"
	"	wrmsr\n"
	"	movl tramp_params - tramp_start + 16, %eax\n"
	"	mov %eax, %cr0\n"
	"	ljmpl $0x08, $ap_start64\n"
	"	.balign 8\n"
	"tramp_gdt:\n"
	"	.quad 0\n"
	"	.quad 0x00af9a000000ffff\n"     /* 0x08: 64-bit code, DPL 0 */
	"	.quad 0x00cf92000000ffff\n"     /* 0x10: flat data */
	"tramp_gdtr:\n"
	"	.word 3 * 8 - 1\n"
	"	.long " STR(TRAMP) " + (tramp_gdt - tramp_start)\n"
	"	.balign 8\n"
	"tramp_params:\n"
	"	.fill 24, 1, 0\n"
	"tramp_end:\n"
	".code64\n"
	".popsection\n"
	".pushsection .text\n"
	".globl ap_start64\n"
	"ap_start64:\n"
	"	mov $0x10, %eax\n"
	"	mov %ax, %ds\n"
	"	mov %ax, %es\n"
	"	mov %ax, %ss\n"
	"	mov %ax, %fs\n"
	"	mov %ax, %gs\n"
	"	mov $0xfee00020, %eax\n"
	"	mov (%rax), %edi\n"
	"	shr $24, %edi\n"
	"	cmp $16, %edi\n"
	"	jae 1f\n"
	"	lea 1(%rdi), %eax\n"
	"	shl $13, %rax\n"                /* (id + 1) * AP_STACK */
	"	lea ap_stacks(%rip), %rsp\n"
	"	add %rax, %rsp\n"
	"	call ap_main\n"
	"1:	cli\n"
	"	hlt\n"
	"	jmp 1b\n"
	".popsection\n");

struct tramp_params {
	uint32_t cr4, cr3;
	uint64_t efer;
	uint32_t cr0, pad;
};
_Static_assert(sizeof(struct tramp_params) == 24, "tramp_params' layout");
extern const uint8_t tramp_start[], tramp_params[], tramp_end[];

static volatile uint32_t *reg(uint32_t off)
{
	return (volatile uint32_t *)(LAPIC + off);
}

static uint32_t apic_id(void)
{
	return *reg(ID) >> 24;
}

/* A v1 or v4 call with the vendor's own instruction. */
static struct hc_result hc(uint32_t nr, uint64_t a1, uint64_t a2)
{
	return amd ? hv_vmmcall(nr, a1, a2, 0, 0) : hv_vmcall(nr, a1, a2, 0, 0);
}

static uint64_t now_ns(void)
{
	return hc(HC(1, HV1_GET_TIME), 0, 0).r2;
}

/* ---- the APs */

void ap_main(uint32_t id)
{
	struct hc_result r;

	__asm__ volatile("lidt %0" : : "m"(bsp_idt.limit));
	*reg(SVR) = 0x1ff;
	*reg(DFR) = 0xffffffff;                   /* flat */
	*reg(LDR) = id < 8 ? 1u << (24 + id) : 0;
	r = hc(HV4_NR(HV4_VCPU_INFO), 0, 0);
	ap_vcpu[id] = r.status == HV4_OK ? r.r1 : ~0ULL;
	__atomic_fetch_add(&checkins[id], 1, __ATOMIC_SEQ_CST);
	for (;;) {
		if (spin[id])
			__asm__ volatile("sti; pause; cli" : : : "memory");
		else
			__asm__ volatile("sti; hlt; cli" : : : "memory");
		heartbeat[id]++;
	}
}

/* ---- the BSP's waiting: HLT woken by its 1 kHz timer (or by the IPI it
 * waits for), or PAUSE if the timer would not run. */

static void idle(void)
{
	if (use_hlt)
		__asm__ volatile("sti; hlt; cli" : : : "memory");
	else
		__asm__ volatile("pause" : : : "memory");
}

/* Whether cond came true within ns of the hypervisor's clock. cond is
 * checked with interrupts off and STI's shadow covers the HLT, so an
 * interrupt cannot slip in between the check and the sleep. */
#define WAIT_UNTIL(cond, ns)                                            \
	({                                                              \
		uint64_t dl_ = 0;                                       \
		bool ok_;                                               \
		for (;;) {                                              \
			if (cond) {                                     \
				ok_ = true;                             \
				break;                                  \
			}                                               \
			uint64_t t_ = now_ns();                         \
			if (!dl_) {                                     \
				dl_ = t_ + (ns);                        \
			} else if (t_ >= dl_) {                         \
				ok_ = false;                            \
				break;                                  \
			}                                               \
			idle();                                         \
		}                                                       \
		ok_;                                                    \
	})

static void delay(uint64_t ns)
{
	uint64_t end = now_ns() + ns;

	while (now_ns() < end) {
		if (ns >= MS)
			idle();
		else
			__asm__ volatile("pause");
	}
}

/* ICR high, then low (the write that sends); delivery status must read 0. */
static void send_ipi(uint32_t dest, uint32_t lo)
{
	*reg(ICR_HI) = dest << 24;
	*reg(ICR_LO) = lo;
	sends++;
	if (*reg(ICR_LO) & ICR_BUSY)
		busy++;
}

/* The APIC timer's rate over 5 ms, then periodic at 1 kHz (vector 0x40). */
static void start_tick(void)
{
	uint64_t t0, dt, rate;
	uint32_t left;

	*reg(TDCR) = 0x3;                        /* divide by 16 */
	*reg(LVT_TIMER) = 1u << 16 | TICK_VEC;   /* masked while measuring */
	*reg(TMICT) = 0xffffffff;
	t0 = now_ns();
	while (now_ns() - t0 < 5 * MS)
		;
	left = *reg(TMCCT);
	dt = now_ns() - t0;
	rate = (uint64_t)(0xffffffffu - left) * 1000000000 / dt;
	if (rate >= 10000) {
		*reg(LVT_TIMER) = 1u << 17 | TICK_VEC;
		*reg(TMICT) = (uint32_t)(rate / 1000);
		use_hlt = true;
	} else {
		*reg(TMICT) = 0;
	}
	EXPECT(use_hlt, "the BSP's APIC timer wakes its waits at 1 kHz (%lu Hz after the divider)", rate);
}

static uint32_t sum(const volatile uint32_t *a, uint32_t n)
{
	uint32_t s = 0;

	for (uint32_t i = 0; i < n; i++)
		s += a[i];
	return s;
}

/* ---- the checks */

static bool all_in(uint32_t n, uint32_t want)
{
	for (uint32_t i = 1; i < n; i++)
		if (checkins[i] < want)
			return false;
	return true;
}

static void start_aps(uint32_t n)
{
	volatile uint8_t *dst = (volatile uint8_t *)(uintptr_t)TRAMP;
	volatile struct tramp_params *p;
	uint64_t cr0, cr3, cr4, efer;
	uint32_t lo, hi, once = 0, vcpu_ok = 0;
	bool ok;

	for (const uint8_t *s = tramp_start; s < tramp_end; s++)
		*dst++ = *s;
	__asm__ volatile("mov %%cr0, %0; mov %%cr3, %1; mov %%cr4, %2" : "=r"(cr0), "=r"(cr3), "=r"(cr4));
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(0xc0000080));
	efer = ((uint64_t)hi << 32 | lo) & ~(1ULL << 10);   /* LMA is the CPU's to set */
	p = (volatile struct tramp_params *)((uintptr_t)TRAMP + (uintptr_t)(tramp_params - tramp_start));
	p->cr4 = (uint32_t)(cr4 & ~(1ULL << 17));            /* no PCIDE outside long mode */
	p->cr3 = (uint32_t)cr3;
	p->efer = efer;
	p->cr0 = (uint32_t)cr0;
	if (cr3 >> 32)
		rt_printf("smpipi: CR3 %lx is above 4 GiB: the trampoline cannot load it\n", cr3);
	__asm__ volatile("sidt %0" : "=m"(bsp_idt.limit) : : "memory");

	for (uint32_t i = 1; i < n; i++) {
		send_ipi(i, ICR_INIT | ICR_ASSERT);
		delay(10000);
		send_ipi(i, ICR_SIPI | SIPI_VEC);
		delay(200000);
		send_ipi(i, ICR_SIPI | SIPI_VEC);
	}
	ok = WAIT_UNTIL(all_in(n, 1), 1000 * MS);
	delay(5 * MS);                           /* a second start would show by now */
	for (uint32_t i = 1; i < n; i++) {
		once += checkins[i] == 1;
		vcpu_ok += ap_vcpu[i] == i;
	}
	EXPECT(ok && once == n - 1, "every AP started by INIT-SIPI-SIPI (%u of %u checked in once)", once, n - 1);
	EXPECT(vcpu_ok == n - 1, "each AP's vcpu_info names it as its APIC ID does (%u of %u)", vcpu_ok, n - 1);
}

static void ping_pong(uint32_t n)
{
	uint64_t t0 = now_ns(), dt;
	uint32_t i;

	for (i = 0; i < ROUNDS; i++) {
		send_ipi(1, VEC(V_PING));
		if (!WAIT_UNTIL(hits[V_PONG][0] > i, 100 * MS))
			break;
	}
	dt = now_ns() - t0;
	delay(2 * MS);
	EXPECT(i == ROUNDS && hits[V_PING][1] == ROUNDS && hits[V_PONG][0] == ROUNDS &&
	       sum(hits[V_PING], n) == ROUNDS && sum(hits[V_PONG], n) == ROUNDS,
	       "1000 IPIs each way between vCPU 0 and vCPU 1, counted exactly (%u pings, %u pongs)",
	       hits[V_PING][1], hits[V_PONG][0]);
	rt_printf("smpipi: 1000 round trips took %lu us\n", dt / 1000);
}

/* Whether hits[slot] is exactly 1 at the APIC IDs in mask and 0 elsewhere. */
static bool exactly(int slot, uint32_t mask, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (hits[slot][i] != (mask >> i & 1))
			return false;
	return true;
}

static bool arrived(int slot, uint32_t mask, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if ((mask >> i & 1) && !hits[slot][i])
			return false;
	return true;
}

static void shorthands(uint32_t n)
{
	uint32_t all = (1u << n) - 1, aps = all & ~1u, logical = n >= 3 ? 0x6 : 0x2;

	send_ipi(0, ICR_OTHERS | VEC(V_OTHERS));
	(void)WAIT_UNTIL(arrived(V_OTHERS, aps, n), 1000 * MS);
	delay(5 * MS);
	EXPECT(exactly(V_OTHERS, aps, n), "all-but-self IPI: once at each AP, not at the BSP");

	send_ipi(0, ICR_SELF | VEC(V_SELF));
	(void)WAIT_UNTIL(arrived(V_SELF, 1, n), 1000 * MS);
	delay(5 * MS);
	EXPECT(exactly(V_SELF, 1, n), "self IPI: once at the BSP only");

	send_ipi(0, ICR_ALL | VEC(V_ALL));
	(void)WAIT_UNTIL(arrived(V_ALL, all, n), 1000 * MS);
	delay(5 * MS);
	EXPECT(exactly(V_ALL, all, n), "all-including-self IPI: once at every vCPU");

	*reg(DFR) = 0xffffffff;
	*reg(LDR) = 1u << 24;                    /* the BSP is logical 0x01: not in the mask */
	send_ipi(logical, ICR_LOGICAL | VEC(V_LOGICAL));
	(void)WAIT_UNTIL(arrived(V_LOGICAL, logical, n), 1000 * MS);
	delay(5 * MS);
	EXPECT(exactly(V_LOGICAL, logical, n), "logical flat IPI to mask %x: once at exactly those APs",
	       logical);

	/* NMI IPIs are not modelled yet (core/irq/vlapic.c drops them) */
	send_ipi(1, ICR_NMI);
	delay(5 * MS);
	EXPECT(sum(nmis, n) == 0, "NMI IPI: dropped (not modelled)");

	EXPECT(busy == 0, "the ICR's delivery-status bit read 0 after every send (%u sends)", sends);
}

/* AP n-1: spinning, stopped by INIT, started again by SIPI (only once). */
static void init_midrun(uint32_t n)
{
	uint32_t ap = n - 1;
	uint64_t h0, h1, h2;
	bool ok;

	spin[ap] = 1;
	h0 = heartbeat[ap];
	send_ipi(ap, VEC(V_KICK));               /* out of its HLT, into the spin */
	ok = WAIT_UNTIL(heartbeat[ap] > h0 + 1000, 1000 * MS);
	EXPECT(ok, "AP %u spins: its heartbeat advances", ap);

	send_ipi(ap, ICR_INIT | ICR_ASSERT);
	delay(5 * MS);
	h1 = heartbeat[ap];
	delay(20 * MS);
	h2 = heartbeat[ap];
	EXPECT(h1 == h2, "an AP sent INIT stops until SIPI (heartbeat %lu, 20 ms later %lu)", h1, h2);

	send_ipi(ap, ICR_SIPI | SIPI_VEC);
	ok = WAIT_UNTIL(checkins[ap] >= 2, 1000 * MS);
	h1 = heartbeat[ap];
	ok = ok && WAIT_UNTIL(heartbeat[ap] > h1 + 1000, 1000 * MS);
	EXPECT(ok && checkins[ap] == 2, "SIPI restarts it through the trampoline (checked in %u times, spinning)",
	       checkins[ap]);

	send_ipi(ap, ICR_SIPI | SIPI_VEC);
	delay(5 * MS);
	h1 = heartbeat[ap];
	ok = WAIT_UNTIL(heartbeat[ap] > h1 + 1000, 1000 * MS);
	EXPECT(ok && checkins[ap] == 2, "a SIPI to a running AP is ignored (checked in %u times, still spinning)",
	       checkins[ap]);
}

/* IPIs to APIC IDs nobody has: physical n and 0xfe (0xff would be the
 * broadcast), and a logical mask of no vCPU. Nothing may arrive anywhere. */
static void nowhere(uint32_t n)
{
	uint32_t before[NV], nmi_before = sum(nmis, n), in_before = sum(checkins, n), same = 1;
	uint32_t dests[2] = { n, 0xfe };

	for (int s = 0; s < NV; s++)
		before[s] = sum(hits[s], n);
	for (int d = 0; d < 2; d++) {
		send_ipi(dests[d], VEC(V_LOST));
		send_ipi(dests[d], ICR_NMI);
		send_ipi(dests[d], ICR_INIT | ICR_ASSERT);
		send_ipi(dests[d], ICR_SIPI | SIPI_VEC);
	}
	if (n < 8)
		send_ipi((0xffu << n) & 0xff, ICR_LOGICAL | VEC(V_LOST));
	delay(10 * MS);
	for (int s = 0; s < NV; s++)
		same &= before[s] == sum(hits[s], n);
	EXPECT(same && nmi_before == sum(nmis, n) && in_before == sum(checkins, n),
	       "IPIs, NMI, INIT and SIPI to APIC IDs %u and 0xfe are dropped", n);

	/* and vCPU 1 still answers */
	before[0] = hits[V_PONG][0];
	send_ipi(1, VEC(V_PING));
	EXPECT(WAIT_UNTIL(hits[V_PONG][0] > before[0], 1000 * MS), "vCPU 1 still answers a ping");
}

int main(void)
{
	static struct hv4_guest_info gi;
	struct hc_result r;
	uint32_t n;

	amd = rt_amd();
	r = hc(HV4_NR(HV4_VCPU_INFO), 0, 0);
	n = r.status == HV4_OK ? (uint32_t)r.r2 : 0;
	rt_printf("smpipi: %u vCPUs\n", n);
	EXPECT(r.status == HV4_OK && r.r1 == 0 && apic_id() == 0, "the BSP is vCPU 0 with APIC ID 0");
	r = hc(HV4_NR(HV4_GUEST_INFO), (uintptr_t)&gi, sizeof(gi));
	EXPECT(r.status == (int64_t)sizeof(gi) && gi.vcpu_count == n, "guest_info agrees: %u vCPUs", gi.vcpu_count);
	if (n < 2 || n > MAX_CPUS) {
		rt_printf("FAILED: this test needs 2 to %d vCPUs\n", MAX_CPUS);
		rt_printf("smpipi: %d failures\n", rt_failures + 1);
		rt_exit(1);
	}

	rt_idt_set(2, nmi_stub, 0);
	rt_idt_set(TICK_VEC, tick_stub, 0);
	rt_idt_set(VEC(V_PING), ping_stub, 0);
	rt_idt_set(VEC(V_PONG), pong_stub, 0);
	rt_idt_set(VEC(V_OTHERS), others_stub, 0);
	rt_idt_set(VEC(V_SELF), self_stub, 0);
	rt_idt_set(VEC(V_LOGICAL), logical_stub, 0);
	rt_idt_set(VEC(V_ALL), all_stub, 0);
	rt_idt_set(VEC(V_KICK), kick_stub, 0);
	rt_idt_set(VEC(V_LOST), lost_stub, 0);
	*reg(SVR) = 0x1ff;
	start_tick();

	start_aps(n);
	ping_pong(n);
	shorthands(n);
	init_midrun(n);
	nowhere(n);

	rt_printf("smpipi: %d failures\n", rt_failures);
	rt_exit(rt_failures ? 1 : 0);
}
