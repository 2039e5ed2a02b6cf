/* AP start-up (core/smp/smp.h), by INIT and two start-up IPIs, as the
 * Intel SDM (Vol. 3, 8.4.4) and AMD APM (Vol. 2, 16.5) describe it; the
 * real-mode part is core/smp/ap_boot.asm. One AP at a time: the boot CPU
 * fills the page's parameter block, sends the IPIs and waits for the AP
 * to say it is online (or failed) before the next one. */
#include "core/smp/smp.h"
#include "core/hw/acpi.h"
#include "core/hw/cpu.h"
#include "core/hw/lapic.h"
#include "core/hw/time.h"
#include "core/console/console.h"
#include "core/config/config.h"
#include "core/lib/string.h"
#include "mm/mm.h"

_Static_assert(HV_MAX_CPUS == CFG_CPUS_MAX, "cpus= and the CPU table agree");

#define AP_STACK_PAGES 4
#define INIT_WAIT_NS 10000000ULL        /* INIT to the first start-up IPI */
#define SIPI_WAIT_NS 200000ULL          /* between the two */
#define ONLINE_WAIT_NS 200000000ULL     /* then for the AP to say how it went */

/* The parameter block of ap_boot.asm (its P_* offsets). */
struct ap_params {
	u16 gdt_limit;
	u32 gdt_base;
	u32 pm32;
	u16 pm32_sel;
	u32 entry64;
	u16 entry64_sel;
	u32 cr0, cr3, cr4, efer;
	u64 stack, cpu;
} __attribute__((packed));

_Static_assert(__builtin_offsetof(struct ap_params, pm32) == 6, "P_PM32");
_Static_assert(__builtin_offsetof(struct ap_params, entry64) == 12, "P_ENTRY64");
_Static_assert(__builtin_offsetof(struct ap_params, cr0) == 18, "P_CR0");
_Static_assert(__builtin_offsetof(struct ap_params, efer) == 30, "P_EFER");
_Static_assert(__builtin_offsetof(struct ap_params, stack) == 34, "P_STACK");
_Static_assert(sizeof(struct ap_params) == 50, "P_SIZE");

extern const u8 ap_tramp_start[], ap_tramp_pm32[], ap_tramp_gdt[], ap_tramp_params[], ap_tramp_end[];
void ap_entry64(void);
NORETURN void ap_main(struct cpu *c);

enum ap_state { AP_WAITING, AP_ONLINE, AP_FAILED };

/* Written by the AP being started, read by the boot CPU. */
static volatile u32 ap_state;
/* Set by the boot CPU before it sends the IPIs, read by the AP. */
static u64 bsp_cr4, bsp_pat;
static int (*ap_per_cpu)(void);
bool smp_call(u32 id, void (*fn)(void))
{
	struct cpu *c = cpu_by_id(id);

	if (!id || !c)
		return false;
	while (__atomic_load_n(&c->work, __ATOMIC_ACQUIRE))
		cpu_relax();
	__atomic_store_n(&c->work, fn, __ATOMIC_RELEASE);
	lapic_send_ipi(c->apic_id, ICR_FIXED(LAPIC_KICK_VECTOR));
	return true;
}

void smp_report(void)
{
	for (u32 i = 0; i < HV_MAX_CPUS; i++) {
		const struct cpu *c = cpu_by_id(i);

		if (c && c->nmis)
			log_info("cpu: CPU %u took %lu NMIs, %lu of them while a guest ran\n", i, c->nmis,
				 c->guest_nmis);
	}
}

/* The AP, from ap_entry64 on its own stack: the boot CPU's PAT and CR4
 * (less VMXE, which per_cpu sets), its local APIC, its tables, then
 * per_cpu. An AP that is not the one this block was filled for (one that
 * woke too late despite the INIT it was sent) halts for good at once,
 * saying nothing; one whose per_cpu failed says so and halts for good. An online one halts with
 * interrupts on (it takes only kicks) and does the work smp_call gives
 * it, one at a time. */
void ap_main(struct cpu *c)
{
	bool ok;

	wrmsr(MSR_PAT, bsp_pat);
	write_cr4(bsp_cr4 & ~CR4_VMXE);
	write_cr3(read_cr3());          /* a TLB flush after the PAT change */
	lapic_cpu_init();
	if (lapic_id() != c->apic_id)
		cpu_halt_forever();     /* before touching c, or the state of the AP it is for */
	cpu_tables_init(c);
	ok = !ap_per_cpu();
	__atomic_store_n(&ap_state, ok ? AP_ONLINE : AP_FAILED, __ATOMIC_RELEASE);
	if (!ok)
		cpu_halt_forever();
	for (;;) {
		void (*fn)(void) = __atomic_exchange_n(&c->work, NULL, __ATOMIC_ACQ_REL);

		if (fn)
			fn();
		else
			__asm__ volatile("sti; hlt; cli" : : : "memory");   /* a kick ends the HLT */
	}
}

/* Waits until the AP has answered or until deadline_ns. */
static u32 wait_answer(u64 deadline_ns)
{
	u32 s;

	while ((s = __atomic_load_n(&ap_state, __ATOMIC_ACQUIRE)) == AP_WAITING && time_now_ns() < deadline_ns)
		cpu_relax();
	return s;
}

/* INIT, then start-up IPIs at the page until the AP answers: its state.
 * One that has not answered in time is sent INIT again, back to waiting
 * for a start-up IPI, so that it cannot wake later on the next AP's
 * parameter block or after the page stopped being executable. */
static u32 init_sipi(u32 apic_id, u64 page)
{
	u32 s;

	lapic_send_ipi(apic_id, ICR_INIT);
	time_wait_until(time_now_ns() + INIT_WAIT_NS);
	lapic_send_ipi(apic_id, ICR_SIPI((u32)(page >> 12)));
	s = wait_answer(time_now_ns() + SIPI_WAIT_NS);
	if (s == AP_WAITING) {
		lapic_send_ipi(apic_id, ICR_SIPI((u32)(page >> 12)));
		s = wait_answer(time_now_ns() + ONLINE_WAIT_NS);
	}
	if (s == AP_WAITING)
		lapic_send_ipi(apic_id, ICR_INIT);
	return s;
}

/* A struct cpu and a stack for CPU number id, whose APIC ID is apic_id,
 * in the page's parameter block; false when out of memory. */
static bool prepare(struct ap_params *p, u32 id, u32 apic_id)
{
	u64 pages = ALIGN_UP(sizeof(struct cpu), PAGE_SIZE) / PAGE_SIZE;
	u64 cpu_pa = frames_alloc_filled(pages, 0), stack = frames_alloc_filled(AP_STACK_PAGES, 0);
	struct cpu *c = (struct cpu *)(uintptr_t)cpu_pa;

	if (!cpu_pa || !stack)
		return false;
	c->id = id;
	c->apic_id = apic_id;
	p->cpu = cpu_pa;
	p->stack = stack + AP_STACK_PAGES * PAGE_SIZE;
	return true;
}

/* Starts the AP apic_id as CPU number id: true when it is online. A CPU
 * that did not come online keeps the memory it was given: it may have
 * used it before INIT stopped it. */
static bool start_ap(struct ap_params *p, u64 page, u32 id, u32 apic_id)
{
	u32 s;

	if (!prepare(p, id, apic_id)) {
		log_warn("cpu: no memory to start the CPU with APIC ID %u; left out\n", apic_id);
		return false;
	}
	ap_state = AP_WAITING;
	s = init_sipi(apic_id, page);
	if (s != AP_ONLINE) {
		log_warn("cpu: the CPU with APIC ID %u %s; left out\n", apic_id,
			 s == AP_FAILED ? "could not turn virtualization on" : "did not come up in 200 ms");
		return false;
	}
	cpu_set_online((struct cpu *)(uintptr_t)p->cpu);
	log_info("cpu: CPU %u (APIC ID %u) online\n", id, apic_id);
	return true;
}

/* Copies the start code to page and fills in what does not change from
 * one AP to the next; NULL (after saying why) when the APs cannot be
 * started here. */
static struct ap_params *set_up_page(u64 page)
{
	u8 *base = (u8 *)(uintptr_t)page;
	struct ap_params *p = (struct ap_params *)(base + (ap_tramp_params - ap_tramp_start));
	u64 entry = (u64)(uintptr_t)ap_entry64, cr3 = read_cr3();

	if (!page || entry >> 32 || cr3 >> 32) {
		log_warn("cpu: %s: only the boot CPU runs\n",
			 !page ? "no free page below 640 KiB for the APs' start" : "the image or the page tables lie above 4 GiB");
		return NULL;
	}
	memcpy(base, ap_tramp_start, (size_t)(ap_tramp_end - ap_tramp_start));
	p->gdt_limit = 4 * 8 - 1;
	p->gdt_base = (u32)(page + (u64)(ap_tramp_gdt - ap_tramp_start));
	p->pm32 = (u32)(page + (u64)(ap_tramp_pm32 - ap_tramp_start));
	p->pm32_sel = 0x08;
	p->entry64 = (u32)entry;
	p->entry64_sel = 0x18;
	p->cr0 = (u32)read_cr0();
	p->cr3 = (u32)cr3;
	p->cr4 = (u32)CR4_PAE;
	p->efer = (u32)(rdmsr(MSR_EFER) & (EFER_LME | EFER_NXE));
	return p;
}

/* Work for each AP once the start page is no longer executable: any
 * translation of it its TLB may still hold goes (smp_start waits until
 * every AP has taken it). */
static void flush_tlb(void)
{
	write_cr3(read_cr3());
}

/* An xAPIC's ICR names 8-bit destinations, and 0xff is the broadcast:
 * a CPU with a larger APIC ID needs x2APIC mode. */
static bool reachable(u32 apic_id)
{
	if (lapic_x2apic() || apic_id < 0xff)
		return true;
	log_warn("cpu: the CPU with APIC ID %u needs x2APIC mode; left out\n", apic_id);
	return false;
}

u32 smp_start(u32 max, int (*per_cpu)(void))
{
	u32 ids[HV_MAX_CPUS], n = acpi_madt_cpus(acpi_madt(), ids, HV_MAX_CPUS), self = lapic_id(), count = 1;
	u64 page = mm_low_page();
	struct ap_params *p;

	this_cpu()->apic_id = self;
	cpu_set_online(this_cpu());
	max = max ? max : HV_MAX_CPUS;
	if (n > HV_MAX_CPUS)
		log_warn("cpu: the MADT lists %u CPUs; the first %u are used\n", n, HV_MAX_CPUS);
	if (n > 1 && max > 1 && (p = set_up_page(page))) {
		bsp_cr4 = read_cr4();
		bsp_pat = rdmsr(MSR_PAT);
		ap_per_cpu = per_cpu;
		console_share(true);   /* from now on another CPU may print */
		mm_host_protect(page, PAGE_SIZE, PT_R | PT_W | PT_X);   /* fetched with paging on */
		for (u32 i = 0; i < MIN(n, HV_MAX_CPUS) && count < max; i++)
			if (ids[i] != self && reachable(ids[i]) && start_ap(p, page, count, ids[i]))
				count++;
		mm_host_protect(page, PAGE_SIZE, PT_R | PT_W);
		for (u32 i = 1; i < count; i++)
			smp_call(i, flush_tlb);
		for (u32 i = 1; i < count; i++)
			while (__atomic_load_n(&cpu_by_id(i)->work, __ATOMIC_ACQUIRE))
				cpu_relax();
	}
	log_info("cpu: %u of %u CPUs online\n", count, MAX(n, 1));
	return count;
}
