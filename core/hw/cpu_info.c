/* CPUID decoding for the banner and for the choice of backend. */
#include "core/hw/cpu_info.h"
#include "core/console/console.h"
#include "core/hw/cpu.h"
#include "core/lib/string.h"

struct cpu_info boot_cpu_info;

static void copy_regs(char *d, const u32 *regs, int n)
{
	memcpy(d, regs, (size_t)n * 4);
}

static void read_brand(struct cpu_info *ci, u32 max_ext)
{
	char *p = ci->brand;

	if (max_ext < 0x80000004)
		return;
	for (u32 leaf = 0x80000002; leaf <= 0x80000004; leaf++, p += 16) {
		struct cpuid_regs r = cpuid(leaf, 0);

		copy_regs(p, (u32[]){ r.eax, r.ebx, r.ecx, r.edx }, 4);
	}
	ci->brand[48] = 0;
	for (p = ci->brand; *p == ' '; p++)
		;
	memmove(ci->brand, p, strlen(p) + 1);
}

static void read_svm(struct cpu_info *ci, u32 max_ext)
{
	struct cpuid_regs r;

	if (!ci->svm || max_ext < 0x8000000a)
		return;
	r = cpuid(0x8000000a, 0);
	ci->svm_rev = r.eax & 0xff;
	ci->asids = r.ebx;
	ci->npt = r.edx & 1;
	ci->nrips = r.edx >> 3 & 1;
	ci->decode_assists = r.edx >> 7 & 1;
}

void cpu_info_read(struct cpu_info *ci)
{
	struct cpuid_regs r = cpuid(0, 0), f, e;
	u32 max_ext = cpuid(0x80000000, 0).eax;

	memset(ci, 0, sizeof(*ci));
	copy_regs(ci->vendor, (u32[]){ r.ebx, r.edx, r.ecx }, 3);
	ci->amd = r.ebx == 0x68747541 || r.ebx == 0x6f677948;   /* "Auth", "Hygo" */
	f = cpuid(1, 0);
	ci->family = (f.eax >> 8 & 0xf) + ((f.eax >> 8 & 0xf) == 0xf ? (f.eax >> 20 & 0xff) : 0);
	ci->model = (f.eax >> 4 & 0xf) | ((f.eax >> 16 & 0xf) << 4);
	ci->stepping = f.eax & 0xf;
	ci->vmx = f.ecx >> 5 & 1;
	ci->hypervisor = f.ecx >> 31 & 1;
	e = max_ext >= 0x80000001 ? cpuid(0x80000001, 0) : (struct cpuid_regs){ 0 };
	ci->svm = e.ecx >> 2 & 1;
	ci->nx = e.edx >> 20 & 1;
	ci->page1g = e.edx >> 26 & 1;
	ci->phys_bits = max_ext >= 0x80000008 ? (cpuid(0x80000008, 0).eax & 0xff) : 36;
	read_brand(ci, max_ext);
	read_svm(ci, max_ext);
}

static const char *yn(bool b)
{
	return b ? "yes" : "no";
}

void cpu_info_print(const struct cpu_info *ci)
{
	log_info("cpu: %s family %u model %u stepping %u \"%s\"\n",
		 ci->vendor, ci->family, ci->model, ci->stepping, ci->brand);
	log_info("cpu: %u physical address bits, nx %s, 1g pages %s, under a hypervisor %s\n",
		 ci->phys_bits, yn(ci->nx), yn(ci->page1g), yn(ci->hypervisor));
	if (ci->svm)
		log_info("cpu: virtualization: SVM rev %u, NPT %s, %u ASIDs, NRIPS %s, decode assists %s\n",
			 ci->svm_rev, yn(ci->npt), ci->asids, yn(ci->nrips), yn(ci->decode_assists));
	else if (ci->vmx)
		log_info("cpu: virtualization: VMX\n");
	else
		log_info("cpu: virtualization: none (no VMX, no SVM)\n");
}
