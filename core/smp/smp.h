/* Starting the application processors: the CPUs the ACPI MADT lists, each
 * brought from INIT through a real-mode page below 1 MiB into the core,
 * onto its own GDT, TSS, IDT, stacks and struct cpu (core/hw/percpu.h),
 * with its local APIC on and the boot CPU's CR0, CR4, PAT and EFER.LME/NXE
 * (MTRRs and the like stay as the firmware set them: INIT keeps them). Until the scheduler runs guests on them, a started AP halts
 * until smp_call gives it work. */
#ifndef CORE_SMP_SMP_H
#define CORE_SMP_SMP_H

#include "core/hw/percpu.h"

/* Starts the APs, one at a time, until max CPUs (0: all) are online; each
 * runs per_cpu (turning virtualization on for itself: 0 or < 0) before it
 * counts. A CPU that does not come up within a bound, or whose per_cpu
 * fails, is reported and left out; the rest go on. Logs "cpu: N of M CPUs
 * online" and returns N (at least 1, the boot CPU). On the boot CPU,
 * after mm_init, lapic_init and time_init. */
u32 smp_start(u32 max, int (*per_cpu)(void));

/* Has AP number id run fn (with interrupts off) once it is idle: waits
 * until it has taken its previous work, sets this one and kicks it. False
 * when id is the boot CPU or not online. Nothing waits for fn: it says
 * when it is done, if anyone needs to know. One caller at a time (today
 * only the boot CPU calls it). */
bool smp_call(u32 id, void (*fn)(void));

/* Logs, for each CPU, the NMIs it took (when it took any), and how many
 * of them came while a guest ran. */
void smp_report(void);

#endif
