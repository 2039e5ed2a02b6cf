/* What the boot CPU is and which virtualization features CPUID shows.
 * Detailed VMX/SVM capabilities are read by the backends themselves. */
#ifndef CORE_CPU_INFO_H
#define CORE_CPU_INFO_H

#include "core/lib/types.h"

struct cpu_info {
	char vendor[13];
	bool amd;           /* AuthenticAMD or HygonGenuine: AMD's CPUID leaves */
	char brand[49];
	u32 family, model, stepping;
	u32 phys_bits;
	bool hypervisor;    /* running under another hypervisor or emulator */
	bool nx, page1g;
	bool vmx;
	bool svm, npt, nrips, decode_assists;
	u32 svm_rev, asids;
};

extern struct cpu_info boot_cpu_info;

void cpu_info_read(struct cpu_info *ci);
void cpu_info_print(const struct cpu_info *ci);

#endif
