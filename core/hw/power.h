/* Ending a run: the status is what a test harness sees (QEMU's
 * isa-debug-exit returns it as (status << 1) | 1). */
#ifndef CORE_POWER_H
#define CORE_POWER_H

#include "core/config/boot_info.h"

enum hv_exit {
	HV_EXIT_OK = 0,
	HV_EXIT_PANIC = 1,
	HV_EXIT_CONFIG = 2,
	HV_EXIT_UNSUPPORTED = 3,  /* the CPU lacks a required feature */
	HV_EXIT_GUEST = 4,        /* a configured guest could not be created (the others ran) */
};

/* Remembers the firmware's way to power off, if the boot door gave one. */
void power_init(const struct boot_info *bi);

/* The other CPUs stopped for good (cpus_stop_others) and the console
 * unlocked, so that this CPU can say what happened whatever they held; if
 * another CPU took the machine first, this one halts. Every ending below
 * starts with it. */
void machine_take(void);

/* Prints the status and turns the machine off: QEMU's debug-exit device if
 * present, then the firmware (UEFI), then ACPI S5, then Bochs's shutdown
 * port; halts if all of them return. */
NORETURN void power_off(int status);

NORETURN void panic(const char *fmt, ...) PRINTF(1, 2);

#endif
