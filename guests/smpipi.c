/* smpipi: a multi-vCPU guest (vcpus=N, N >= 2) bringing its APs up the way
 * kernels do and exchanging IPIs through the xAPIC's ICR. vCPU 0 (the BSP)
 * starts every AP with INIT-SIPI-SIPI into a 16-bit trampoline at 0x8000
 * (SIPI vector 0x08) that enters long mode on the BSP's own page tables;
 * then 1000 fixed IPIs each way between vCPU 0 and vCPU 1, counted exactly;
 * the shorthands (self, all, all but self), a logical-destination IPI in
 * flat mode, each reaching exactly its targets, and NMI IPIs the same
 * way; an INIT to a running AP stops it until the next SIPI, which starts it again through
 * the trampoline, while a SIPI to a running AP is ignored; IPIs to APIC IDs
 * that do not exist are dropped. Every wait is bounded by the hypervisor's
 * clock (the BSP's APIC timer at 1 kHz wakes its HLTs), so a broken
 * hypervisor gives a FAILED line, not a hang. Only the BSP prints and
 * exits; the APs just count. The trampoline and the INIT-SIPI-SIPI are
 * the runtime's (guests/rt/rt_smp.h). */
#include "compat/abi/hv_v4.h"
#include "guests/rt/rt.h"
#include "guests/rt/rt_smp.h"

#define MAX_CPUS 16               /* the stubs index their counters by APIC ID & 15 */
#define AP_STACK 8192
#define SIPI_VEC RT_SMP_SIPI_VEC
#define ROUNDS 1000
#define MS 1000000ULL
#define TICK_VEC 0x40

/* Vectors 0x50 + slot; hits[slot][apic id] counts each arrival. */
enum { V_PING, V_PONG, V_OTHERS, V_SELF, V_LOGICAL, V_ALL, V_KICK, V_LOST, NV };
#define VEC(slot) (0x50 + (slot))

enum { LVT_TIMER = 0x320, TMICT = 0x380, TMCCT = 0x390, TDCR = 0x3e0 };

_Static_assert(MAX_CPUS == 16, "the asm below hard-codes it");

/* Shared with the asm stubs and the APs. */
volatile uint32_t hits[NV][MAX_CPUS];
volatile uint32_t nmis[MAX_CPUS], nmi_hold[MAX_CPUS], nmi_nested;
volatile uint32_t ticks;
volatile uint32_t checkins[MAX_CPUS];     /* ap_main entries, per APIC ID */
volatile uint64_t heartbeat[MAX_CPUS];    /* an AP's wake-ups (or spins) */
volatile uint32_t spin[MAX_CPUS];         /* set: the AP spins instead of halting */
volatile uint64_t ap_vcpu[MAX_CPUS];      /* what vcpu_info told each AP */
volatile uint32_t ap_x2id[MAX_CPUS];      /* CPUID 0xb's x2APIC ID, each AP's (~0: no leaf 0xb) */
volatile uint32_t ap_topo[MAX_CPUS];      /* 1: its leaf 1 (and AMD's 0x80000008) agree with the MADT */
/* What an AP found in XMM0, DR0 and CR2 at its first and second check-in
 * (INIT's state: 0), before it wrote its own values into them. */
volatile uint64_t found[MAX_CPUS][2][3];
static uint8_t ap_stacks[MAX_CPUS][AP_STACK] __attribute__((aligned(16)));

static bool use_hlt;

void ping_stub(void), pong_stub(void), nmi_stub(void), tick_stub(void);
void others_stub(void), self_stub(void), logical_stub(void), all_stub(void), kick_stub(void),
	lost_stub(void);
void ap_main(uint32_t id) __attribute__((noreturn));

#define STR_(x) #x
#define STR(x) STR_(x)

/* A counting stub: hits[slot][own APIC ID]++, EOI. */
#define HIT_STUB(name, slot) \
	__asm__(".pushsection .text\n" \
		RT_SMP_STUB_HEAD(name, 15) \
		"	lock incl hits+64*" STR(slot) "(,%rax,4)\n" \
		RT_SMP_STUB_EOI \
		RT_SMP_STUB_END \
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
 * the plain counting one. NMIs are counted per APIC ID, with no EOI, by
 * the runtime's stub, which can hold a vCPU in its handler. */
__asm__(".pushsection .text\n"
	RT_SMP_STUB_HEAD(ping_stub, 15)
	"	lock incl hits+64*0(,%rax,4)\n"
	"	mov $0xfee00000, %eax\n"
	"	movl $0, 0xb0(%rax)\n"          /* EOI */
	"	movl $0, 0x310(%rax)\n"         /* ICR high: APIC ID 0 */
	"	movl $0x51, 0x300(%rax)\n"      /* ICR low: fixed, physical, no shorthand */
	RT_SMP_STUB_END
	RT_SMP_STUB_HEAD(pong_stub, 15)
	"	lock incl hits+64*1(,%rax,4)\n"
	RT_SMP_STUB_EOI
	RT_SMP_STUB_END
	RT_SMP_NMI_STUB(nmi_stub, nmis, nmi_nested, nmi_hold)
	".globl tick_stub\n"
	"tick_stub:\n"
	"	push %rax\n"
	"	lock incl ticks(%rip)\n"
	"	mov $0xfee000b0, %eax\n"
	"	movl $0, (%rax)\n"
	"	pop %rax\n"
	"	iretq\n"
	".popsection\n");

/* ---- the APs */

/* Whether CPUID leaf 1 shows the calling AP as APIC ID id of one package
 * with 8 addressable IDs (HTT set), and on AMD whether 0x80000008 counts
 * the guest's vcpus as that package's cores. */
static uint32_t topology_ok(uint32_t id, uint32_t vcpus)
{
	struct cpuid l1 = rt_cpuid(1, 0);
	bool amd = rt_cpuid(0, 0).b == 0x68747541;   /* "Auth" */

	if (l1.b >> 24 != id || (l1.b >> 16 & 0xff) != 8 || !(l1.d >> 28 & 1))
		return 0;
	return !amd || rt_cpuid(0x80000000, 0).a < 0x80000008 || (rt_cpuid(0x80000008, 0).c & 0xff) == vcpus - 1;
}

/* The runtime loaded the BSP's IDT and gave it its stack. */
/* Records XMM0, DR0 and CR2 as this start found them into found[id][k],
 * then leaves values of its own there, which an INIT must not carry into
 * the next start. */
static void ap_state(uint32_t id, uint32_t k)
{
	uint64_t x, d, c, cr4, mine = 0x5a5a0000ULL + id;

	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | 1u << 9));   /* OSFXSR: SSE on */
	__asm__ volatile("movq %%xmm0, %0; mov %%dr0, %1; mov %%cr2, %2" : "=r"(x), "=r"(d), "=r"(c));
	if (k < 2) {
		found[id][k][0] = x;
		found[id][k][1] = d;
		found[id][k][2] = c;
	}
	__asm__ volatile("movq %0, %%xmm0; mov %0, %%dr0; mov %0, %%cr2" : : "r"(mine));
}

void ap_main(uint32_t id)
{
	uint64_t vcpu, count;

	ap_state(id, checkins[id]);

	*rt_apic(RT_APIC_SVR) = 0x1ff;
	*rt_apic(RT_APIC_DFR) = 0xffffffff;       /* flat */
	*rt_apic(RT_APIC_LDR) = id < 8 ? 1u << (24 + id) : 0;
	ap_vcpu[id] = rt_smp_vcpu_info(&vcpu, &count) ? vcpu : ~0ULL;
	ap_x2id[id] = rt_cpuid(0, 0).a >= 0xb ? rt_cpuid(0xb, 0).d : ~0u;
	ap_topo[id] = topology_ok(id, (uint32_t)count);
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
			uint64_t t_ = rt_smp_now();                     \
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
	uint64_t end = rt_smp_now() + ns;

	while (rt_smp_now() < end) {
		if (ns >= MS)
			idle();
		else
			__asm__ volatile("pause");
	}
}

/* The APIC timer's rate over 5 ms, then periodic at 1 kHz (vector 0x40). */
static void start_tick(void)
{
	uint64_t t0, dt, rate;
	uint32_t left;

	*rt_apic(TDCR) = 0x3;                    /* divide by 16 */
	*rt_apic(LVT_TIMER) = 1u << 16 | TICK_VEC;   /* masked while measuring */
	*rt_apic(TMICT) = 0xffffffff;
	t0 = rt_smp_now();
	while (rt_smp_now() - t0 < 5 * MS)
		;
	left = *rt_apic(TMCCT);
	dt = rt_smp_now() - t0;
	rate = (uint64_t)(0xffffffffu - left) * 1000000000 / dt;
	if (rate >= 10000) {
		*rt_apic(LVT_TIMER) = 1u << 17 | TICK_VEC;
		*rt_apic(TMICT) = (uint32_t)(rate / 1000);
		use_hlt = true;
	} else {
		*rt_apic(TMICT) = 0;
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
	uint32_t once = 0, vcpu_ok = 0, x2_ok = 0, topo_ok = 0;
	bool ok;

	if (!rt_smp_prepare(ap_main, ap_stacks, AP_STACK, MAX_CPUS)) {
		uint64_t cr3;

		__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
		rt_printf("smpipi: CR3 %lx is above 4 GiB: the trampoline cannot load it\n", cr3);
	}
	for (uint32_t i = 1; i < n; i++)
		rt_smp_start(i);
	ok = WAIT_UNTIL(all_in(n, 1), 1000 * MS);
	delay(5 * MS);                           /* a second start would show by now */
	for (uint32_t i = 1; i < n; i++) {
		once += checkins[i] == 1;
		vcpu_ok += ap_vcpu[i] == i;
		x2_ok += ap_x2id[i] == i || ap_x2id[i] == ~0u;
		topo_ok += ap_topo[i];
	}
	EXPECT(ok && once == n - 1, "every AP started by INIT-SIPI-SIPI (%u of %u checked in once)", once, n - 1);
	EXPECT(vcpu_ok == n - 1, "each AP's vcpu_info names it as its APIC ID does (%u of %u)", vcpu_ok, n - 1);
	EXPECT(x2_ok == n - 1, "each AP's CPUID 0xb x2APIC ID is its APIC ID, not its CPU's (%u of %u; AP 1: %x)",
	       x2_ok, n - 1, ap_x2id[1]);
	EXPECT(topo_ok == n - 1, "each AP's CPUID leaf 1 gives its APIC ID and one package (%u of %u)", topo_ok,
	       n - 1);
}

/* A ping to vCPU 1: ICR high, then the ICR low write that sends it, timed
 * by the TSC from just before to the next instruction (make bench reads
 * the least). */
static uint64_t timed_ping(void)
{
	uint64_t t;

	*rt_apic(RT_APIC_ICR_HI) = 1u << 24;
	t = rt_rdtsc();
	*rt_apic(RT_APIC_ICR_LO) = VEC(V_PING);
	t = rt_rdtsc() - t;
	rt_smp_sends++;
	rt_smp_busy += !!(*rt_apic(RT_APIC_ICR_LO) & RT_ICR_BUSY);
	return t;
}

static void ping_pong(uint32_t n)
{
	uint64_t t0 = rt_smp_now(), dt, send_min = ~0ULL;
	uint32_t i;

	for (i = 0; i < ROUNDS; i++) {
		uint64_t t = timed_ping();

		send_min = t < send_min ? t : send_min;
		if (!WAIT_UNTIL(hits[V_PONG][0] > i, 100 * MS))
			break;
	}
	dt = rt_smp_now() - t0;
	delay(2 * MS);
	EXPECT(i == ROUNDS && hits[V_PING][1] == ROUNDS && hits[V_PONG][0] == ROUNDS &&
	       sum(hits[V_PING], n) == ROUNDS && sum(hits[V_PONG], n) == ROUNDS,
	       "1000 IPIs each way between vCPU 0 and vCPU 1, counted exactly (%u pings, %u pongs)",
	       hits[V_PING][1], hits[V_PONG][0]);
	rt_printf("smpipi: 1000 round trips took %lu us\n", dt / 1000);
	/* make bench reads this line */
	rt_printf("smpipi: IPI send: min %lu ticks from the ICR write to the next instruction\n", send_min);
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

	rt_smp_send(0, RT_ICR_OTHERS | VEC(V_OTHERS));
	(void)WAIT_UNTIL(arrived(V_OTHERS, aps, n), 1000 * MS);
	delay(5 * MS);
	EXPECT(exactly(V_OTHERS, aps, n), "all-but-self IPI: once at each AP, not at the BSP");

	rt_smp_send(0, RT_ICR_SELF | VEC(V_SELF));
	(void)WAIT_UNTIL(arrived(V_SELF, 1, n), 1000 * MS);
	delay(5 * MS);
	EXPECT(exactly(V_SELF, 1, n), "self IPI: once at the BSP only");

	rt_smp_send(0, RT_ICR_ALL | VEC(V_ALL));
	(void)WAIT_UNTIL(arrived(V_ALL, all, n), 1000 * MS);
	delay(5 * MS);
	EXPECT(exactly(V_ALL, all, n), "all-including-self IPI: once at every vCPU");

	*rt_apic(RT_APIC_DFR) = 0xffffffff;
	*rt_apic(RT_APIC_LDR) = 1u << 24;        /* the BSP is logical 0x01: not in the mask */
	rt_smp_send(logical, RT_ICR_LOGICAL | VEC(V_LOGICAL));
	(void)WAIT_UNTIL(arrived(V_LOGICAL, logical, n), 1000 * MS);
	delay(5 * MS);
	EXPECT(exactly(V_LOGICAL, logical, n), "logical flat IPI to mask %x: once at exactly those APs",
	       logical);

	EXPECT(rt_smp_busy == 0, "the ICR's delivery-status bit read 0 after every send (%u sends)", rt_smp_sends);
}

/* Whether nmis is exactly want[i] at each APIC ID i. */
static bool nmis_are(const uint32_t *want, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (nmis[i] != want[i])
			return false;
	return true;
}

/* NMI IPIs: to one AP, by shorthand, to itself, each taken once where
 * sent (hostile-ipistorm holds an AP inside its handler). */
static void nmi_ipis(uint32_t n)
{
	uint32_t want[MAX_CPUS] = { 0 };

	rt_smp_send(1, RT_ICR_NMI);
	want[1] = 1;
	(void)WAIT_UNTIL(nmis[1] >= 1, 1000 * MS);
	delay(5 * MS);
	EXPECT(nmis_are(want, n), "NMI IPI to AP 1: taken once there, nowhere else");

	rt_smp_send(0, RT_ICR_OTHERS | RT_ICR_NMI);
	for (uint32_t i = 1; i < n; i++)
		want[i]++;
	(void)WAIT_UNTIL(nmis_are(want, n), 1000 * MS);
	delay(5 * MS);
	EXPECT(nmis_are(want, n), "all-but-self NMI: once at each AP, not at the BSP");

	rt_smp_send(0, RT_ICR_SELF | RT_ICR_NMI);
	want[0]++;
	(void)WAIT_UNTIL(nmis[0] >= want[0], 1000 * MS);
	delay(5 * MS);
	EXPECT(nmis_are(want, n), "self NMI: once at the BSP only");
	EXPECT(nmi_nested == 0, "no NMI landed inside an NMI handler (%u did)", nmi_nested);
}

/* AP n-1: spinning, stopped by INIT, started again by SIPI (only once). */
static void init_midrun(uint32_t n)
{
	uint32_t ap = n - 1;
	uint64_t h0, h1, h2;
	bool ok;

	spin[ap] = 1;
	h0 = heartbeat[ap];
	rt_smp_send(ap, VEC(V_KICK));            /* out of its HLT, into the spin */
	ok = WAIT_UNTIL(heartbeat[ap] > h0 + 1000, 1000 * MS);
	EXPECT(ok, "AP %u spins: its heartbeat advances", ap);

	rt_smp_send(ap, RT_ICR_INIT | RT_ICR_ASSERT);
	delay(5 * MS);
	h1 = heartbeat[ap];
	delay(20 * MS);
	h2 = heartbeat[ap];
	EXPECT(h1 == h2, "an AP sent INIT stops until SIPI (heartbeat %lu, 20 ms later %lu)", h1, h2);

	rt_smp_send(ap, RT_ICR_SIPI | SIPI_VEC);
	ok = WAIT_UNTIL(checkins[ap] >= 2, 1000 * MS);
	h1 = heartbeat[ap];
	ok = ok && WAIT_UNTIL(heartbeat[ap] > h1 + 1000, 1000 * MS);
	EXPECT(ok && checkins[ap] == 2, "SIPI restarts it through the trampoline (checked in %u times, spinning)",
	       checkins[ap]);
	EXPECT(!found[ap][0][0] && !found[ap][0][1] && !found[ap][0][2] && !found[ap][1][0] && !found[ap][1][1] &&
	       !found[ap][1][2], "both starts found INIT's XMM0, DR0 and CR2, not the values it left (%lx %lx %lx)",
	       found[ap][1][0], found[ap][1][1], found[ap][1][2]);

	rt_smp_send(ap, RT_ICR_SIPI | SIPI_VEC);
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
		rt_smp_send(dests[d], VEC(V_LOST));
		rt_smp_send(dests[d], RT_ICR_NMI);
		rt_smp_send(dests[d], RT_ICR_INIT | RT_ICR_ASSERT);
		rt_smp_send(dests[d], RT_ICR_SIPI | SIPI_VEC);
	}
	if (n < 8)
		rt_smp_send((0xffu << n) & 0xff, RT_ICR_LOGICAL | VEC(V_LOST));
	delay(10 * MS);
	for (int s = 0; s < NV; s++)
		same &= before[s] == sum(hits[s], n);
	EXPECT(same && nmi_before == sum(nmis, n) && in_before == sum(checkins, n),
	       "IPIs, NMI, INIT and SIPI to APIC IDs %u and 0xfe are dropped", n);

	/* and vCPU 1 still answers */
	before[0] = hits[V_PONG][0];
	rt_smp_send(1, VEC(V_PING));
	EXPECT(WAIT_UNTIL(hits[V_PONG][0] > before[0], 1000 * MS), "vCPU 1 still answers a ping");
}

int main(void)
{
	static struct hv4_guest_info gi;
	struct hc_result r;
	uint64_t vcpu = 0, count = 0;
	uint32_t n;
	bool ok;

	ok = rt_smp_vcpu_info(&vcpu, &count);
	n = ok ? (uint32_t)count : 0;
	rt_printf("smpipi: %u vCPUs\n", n);
	EXPECT(ok && vcpu == 0 && rt_apic_id() == 0, "the BSP is vCPU 0 with APIC ID 0");
	r = rt_smp_hc(HV4_NR(HV4_GUEST_INFO), (uintptr_t)&gi, sizeof(gi));
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
	*rt_apic(RT_APIC_SVR) = 0x1ff;
	start_tick();

	start_aps(n);
	ping_pong(n);
	shorthands(n);
	nmi_ipis(n);
	init_midrun(n);
	nowhere(n);
	EXPECT(rt_smp_masked == 0, "no fixed IPI arrived while interrupts were off (%u did)", rt_smp_masked);

	rt_printf("smpipi: %d failures\n", rt_failures);
	rt_exit(rt_failures ? 1 : 0);
}
