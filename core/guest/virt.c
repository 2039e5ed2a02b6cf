/* Choosing the virtualization backend: the one place that names both. */
#include "core/guest/guest.h"
#include "core/console/console.h"
#include "core/hw/cpu_info.h"
#include "core/hw/lapic.h"
#include "core/smp/smp.h"
#include "core/hw/time.h"
#include "core/hw/wallclock.h"
#include "core/svm/svm.h"
#include "core/vm/vfpu.h"
#include "core/vm/vswitch.h"
#include "core/vmx/vmx.h"

/* What each CPU does before it runs guests (the boot CPU's first). */
static int cpu_on(void)
{
	vswitch_cpu_init();
	return backend->cpu_init();
}

int virt_init(u32 cpus)
{
	const struct cpu_info *ci = &boot_cpu_info;

	if (time_init() || lapic_init())
		return -1;
	wallclock_init();
	fpu_init();
	vswitch_init();
	if (ci->vmx)
		backend = &vmx_backend;
	else if (ci->svm)
		backend = &svm_backend;
	if (!backend) {
		log_err("virt: this CPU has neither VMX nor SVM\n");
		return -1;
	}
	if (backend->probe() || cpu_on()) {
		log_err("virt: cannot run guests with %s on this CPU\n", backend->name);
		backend = NULL;
		return -1;
	}
	smp_start(cpus, cpu_on);
	return 0;
}
