/* ipistorm: a hostile guest of two vCPUs (vcpus=2) that floods its local
 * APIC's ICR. The BSP starts AP 1 through the runtime (guests/rt/rt_smp.h);
 * AP 1 checks in, turns interrupts off and spins for good, counting. For
 * 300 ms of the hypervisor's clock the BSP then sends IPIs as fast as it
 * can, cycling through: fixed to AP 1, fixed to all but itself, NMI to
 * AP 1, fixed logical to mask 0xff, lowest priority to the physical
 * broadcast, SMI to AP 1, INIT to the absent APIC IDs 2..254 (0xff, the
 * broadcast, would reach AP 1), SIPI to APIC IDs 2..255 and to AP 1 (a
 * running AP ignores it), INIT to itself (the hypervisor ignores INIT to
 * vCPU 0) and a fixed IPI with the illegal vector 0x05 to AP 1. None of it
 * may stop AP 1, hang or fault the BSP, or reach another guest (a victim
 * runs beside it). AP 1 keeps interrupts off throughout: the fixed IPIs
 * pile up in its IRR, none may be delivered. Last, an INIT to AP 1 must
 * stop it though its interrupts are off. Every wait is bounded by the
 * hypervisor's clock; any failure gives a FAILED line and exit code 1.
 * The NMIs do reach AP 1, interrupts off and all, one at a time: none may
 * land inside its NMI handler, up to and including that handler's IRET;
 * after the storm AP 1 is held inside its handler while two more come,
 * which must arrive as one, after that handler's IRET. */
#include "guests/rt/rt.h"
#include "guests/rt/rt_smp.h"

#define MS 1000000ULL
#define STORM_NS (300 * MS)
#define VEC 0x50                  /* the fixed and lowest-priority IPIs' vector */
#define BAD_VEC 0x05              /* illegal: vectors 0-15 */
#define STACK 8192

/* Per APIC ID: arrivals of VEC (& 1) and of NMIs (& 15), at the stubs
 * below; NMIs that landed inside the NMI handler. */
volatile uint32_t got[2], nmis[16], nmi_hold[16], nmi_nested;
volatile uint32_t checkin;        /* AP 1 entered ap_main */
volatile uint64_t spins;          /* AP 1's spins, interrupts off */
static uint8_t ap_stacks[2][STACK] __attribute__((aligned(16)));   /* slot 0 unused */

void vec_stub(void), nmi_stub(void);
void ap_main(uint32_t id) __attribute__((noreturn));

/* VEC: counted, EOI. NMI: counted, no EOI (the runtime's stub). */
__asm__(".pushsection .text\n"
	RT_SMP_STUB_HEAD(vec_stub, 1)
	"	lock incl got(,%rax,4)\n"
	RT_SMP_STUB_EOI
	RT_SMP_STUB_END
	RT_SMP_NMI_STUB(nmi_stub, nmis, nmi_nested, nmi_hold)
	".popsection\n");

/* AP 1, on the BSP's IDT and its own stack: the APIC on as smpipi's APs
 * set it, the check-in, then a spin with interrupts off that never halts. */
void ap_main(uint32_t id)
{
	*rt_apic(RT_APIC_SVR) = 0x1ff;
	*rt_apic(RT_APIC_DFR) = 0xffffffff;       /* flat */
	*rt_apic(RT_APIC_LDR) = 1u << (24 + id);
	__atomic_store_n(&checkin, 1, __ATOMIC_SEQ_CST);
	__asm__ volatile("cli");
	for (;;)
		spins++;
}

static void fail(const char *what, uint64_t a, uint64_t b)
{
	rt_failures++;
	rt_printf("FAILED: %s (%lu, %lu)\n", what, a, b);
}

/* The storm, for ns of the hypervisor's clock: the number of IPIs sent.
 * The clock is read once a round, so that the ICR gets nearly all the
 * exits. Interrupts are on: the BSP takes its share of the broadcasts. */
static uint64_t storm(uint64_t ns)
{
	uint64_t sent = 0, end = rt_smp_now() + ns;
	uint32_t i = 0;

	__asm__ volatile("sti" : : : "memory");
	do {
		rt_apic_icr(1, RT_ICR_FIXED | VEC);
		rt_apic_icr(0, RT_ICR_OTHERS | RT_ICR_FIXED | VEC);
		rt_apic_icr(1, RT_ICR_NMI);
		rt_apic_icr(0xff, RT_ICR_LOGICAL | RT_ICR_FIXED | VEC);
		rt_apic_icr(0xff, RT_ICR_LOWEST | VEC);
		rt_apic_icr(1, RT_ICR_SMI);
		rt_apic_icr(2 + i % 253, RT_ICR_INIT | RT_ICR_ASSERT);   /* 2..254 */
		rt_apic_icr(2 + i % 254, RT_ICR_SIPI | (i & 0xff));      /* 2..255 */
		rt_apic_icr(1, RT_ICR_SIPI | (i & 0xff));
		rt_apic_icr(0, RT_ICR_INIT | RT_ICR_ASSERT);
		rt_apic_icr(1, RT_ICR_FIXED | BAD_VEC);
		sent += 11;
		i++;
	} while (rt_smp_now() < end);
	__asm__ volatile("cli" : : : "memory");
	return sent;
}

/* Whether spins passes from within ns. */
static bool spinning(uint64_t from, uint64_t ns)
{
	uint64_t end = rt_smp_now() + ns;

	while (spins <= from)
		if (rt_smp_now() >= end)
			return false;
	return true;
}

/* AP 1 held inside its NMI handler while two more NMIs come: it takes
 * none there; they are one, taken after the handler's IRET, not before. */
static void nmi_held(void)
{
	uint32_t n0 = nmis[1];
	uint64_t t0;

	nmi_hold[1] = 1;
	rt_apic_icr(1, RT_ICR_NMI);
	t0 = rt_smp_now();
	while (nmis[1] == n0 && rt_smp_now() - t0 < 1000 * MS)
		__asm__ volatile("pause");
	rt_apic_icr(1, RT_ICR_NMI);
	rt_apic_icr(1, RT_ICR_NMI);
	rt_smp_delay(20 * MS);
	if (nmis[1] == n0 + 1)
		rt_printf("ok: AP 1 in its NMI handler takes no NMI\n");
	else
		fail("AP 1 in its NMI handler: NMIs taken (want 1) 20 ms after two more", nmis[1] - n0, 1);
	nmi_hold[1] = 0;
	t0 = rt_smp_now();
	while (nmis[1] < n0 + 2 && rt_smp_now() - t0 < 1000 * MS)
		__asm__ volatile("pause");
	rt_smp_delay(20 * MS);
	if (nmis[1] == n0 + 2 && !nmi_nested)
		rt_printf("ok: the two NMIs sent meanwhile came as one, after its IRET\n");
	else
		fail("the two NMIs sent to a held handler: taken (want 2), inside the handler (want 0)",
		     nmis[1] - n0, nmi_nested);
}

int main(void)
{
	uint64_t t0, s0, s1, s2, sent;
	uint32_t n = rt_smp_count();

	if (n != 2) {
		rt_printf("FAILED: this test needs exactly 2 vCPUs (vcpus=2), not %u\n", n);
		rt_printf("storm: %d failures\n", rt_failures + 1);
		rt_exit(1);
	}
	rt_idt_set(VEC, vec_stub, 0);
	rt_idt_set(2, nmi_stub, 0);
	*rt_apic(RT_APIC_SVR) = 0x1ff;

	if (!rt_smp_prepare(ap_main, ap_stacks, STACK, 2)) {
		rt_failures++;
		rt_printf("FAILED: CR3 lies above 4 GiB: the trampoline cannot load it\n");
	}
	rt_smp_start(1);
	t0 = rt_smp_now();
	while (!__atomic_load_n(&checkin, __ATOMIC_SEQ_CST) && rt_smp_now() - t0 < 1000 * MS)
		__asm__ volatile("pause");
	if (!checkin) {
		rt_printf("FAILED: AP 1 did not check in within 1 s of INIT-SIPI-SIPI\n");
		rt_printf("storm: %d failures\n", rt_failures + 1);
		rt_exit(1);
	}

	s0 = spins;
	sent = storm(STORM_NS);
	s1 = spins;
	if (s1 > s0 && spinning(s1, 1000 * MS))
		rt_printf("storm: %lu IPIs sent in 300 ms, AP 1 still spinning\n", sent);
	else
		fail("AP 1's counter did not advance over the storm and the second after it", s0, s1);
	rt_printf("storm: the BSP took %u of the broadcasts (vector 0x50) and %u NMIs\n", got[0], nmis[0]);
	if (got[1] || rt_smp_masked)
		fail("AP 1 took interrupts with interrupts off, or one came at IF=0 (vector 0x50 at AP 1, anywhere)",
		     got[1], rt_smp_masked);
	if (nmis[1] && !nmi_nested)
		rt_printf("storm: AP 1 took %u NMIs, interrupts off, none inside its NMI handler\n", nmis[1]);
	else
		fail("AP 1's NMIs: none taken, or one inside the handler (taken, nested)", nmis[1], nmi_nested);
	nmi_held();

	/* Last, the one INIT AP 1 gets: it stops spinning, interrupts off or not. */
	rt_apic_icr(1, RT_ICR_INIT | RT_ICR_ASSERT);
	rt_smp_delay(5 * MS);
	s1 = spins;
	rt_smp_delay(20 * MS);
	s2 = spins;
	if (s1 == s2)
		rt_printf("ok: INIT stopped the AP spinning with interrupts off\n");
	else
		fail("INIT did not stop the AP spinning with interrupts off (spins 5 ms after it, 20 ms later)",
		     s1, s2);

	rt_printf("storm: %d failures\n", rt_failures);
	rt_exit(rt_failures ? 1 : 0);
}
