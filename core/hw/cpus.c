/* The online CPUs (core/hw/percpu.h): their table, the lock checks that
 * need to know which CPU runs, and stopping the others for good. */
#include "core/hw/percpu.h"
#include "core/hw/cpu.h"
#include "core/hw/lapic.h"
#include "core/hw/power.h"
#include "core/lib/spinlock.h"

#define STOP_WAIT_TSC (1ULL << 28)   /* ~0.1 s at 2.5 GHz: a stopped CPU answers at once */

/* Written by the boot CPU only, each entry before anyone reads it. */
static struct cpu *online[HV_MAX_CPUS];
static u32 count;
/* The number + 1 of the CPU that stops the others (0: none), set once;
 * each stopped one counts itself. */
static u32 stopper, stopped;

static u32 self_id(void)
{
	return this_cpu()->id;
}

/* IF set, unless GIF holds interrupts off (AMD-V's short way). */
static bool irqs_on(void)
{
	u64 f;

	__asm__ volatile("pushfq; pop %0" : "=r"(f));
	return (f & (1ULL << 9)) && !this_cpu()->gif_clear;
}

static NORETURN void misuse(const struct spinlock *l, const char *what)
{
	panic("lock '%s' %s (CPU %u)", l->name, what, this_cpu()->id);
}

static const struct spin_checks checks = { self_id, irqs_on, misuse };

void cpu_set_online(struct cpu *c)
{
	online[c->id] = c;
	count++;
	spin_checks = &checks;
}

struct cpu *cpu_by_id(u32 id)
{
	return id < HV_MAX_CPUS ? online[id] : NULL;
}

u32 cpus_online(void)
{
	return count;
}

void cpu_nmi_stop(void)
{
	u32 s = __atomic_load_n(&stopper, __ATOMIC_ACQUIRE);

	if (!s || s == this_cpu()->id + 1)
		return;   /* not stopping, or this is the stopper (an NMI still on its way) */
	__atomic_add_fetch(&stopped, 1, __ATOMIC_RELEASE);
	cpu_halt_forever();
}

bool cpus_stop_others(void)
{
	u32 me, want = 0, none = 0;
	u64 t0;

	if (!count)
		return true;   /* early in the boot: one CPU, and no per-CPU data yet */
	me = this_cpu()->id;
	if (!__atomic_compare_exchange_n(&stopper, &none, me + 1, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return none == me + 1;   /* else another CPU stops the machine: its NMI is on the way */
	for (u32 i = 0; i < HV_MAX_CPUS; i++)
		if (online[i] && i != me) {
			lapic_send_ipi(online[i]->apic_id, ICR_NMI);
			want++;
		}
	for (t0 = rdtsc(); __atomic_load_n(&stopped, __ATOMIC_ACQUIRE) < want && rdtsc() - t0 < STOP_WAIT_TSC;)
		cpu_relax();
	return true;
}
