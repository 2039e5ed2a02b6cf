/* Guests: memory, second-level tables, image, vCPU. core/guest/run.c runs them. */
#include "core/guest/guest.h"
#include "core/vm/backend.h"
#include "core/console/console.h"
#include "core/lib/fmt.h"
#include "core/hw/cpu_info.h"
#include "core/exit/exit.h"
#include "core/dev/gcons.h"
#include "core/load/loader.h"
#include "core/lib/string.h"
#include "core/hw/time.h"
#include "core/hw/wallclock.h"
#include "core/vm/vcpu_util.h"
#include "mm/mm.h"
#include "core/vm/vfpu.h"
#include "core/vm/vswitch.h"
#include "core/dev/vpm.h"
#include "core/dev/vuart.h"
#include "core/irq/vioapic.h"
#include "core/irq/virq.h"
#include "core/irq/vlapic.h"
#include "core/irq/vpic.h"
#include "core/irq/vpit.h"

/* Zeroed, contiguous guest RAM, 2 MiB-aligned when large enough for large
 * second-level pages, mapped read-write-execute at guest-physical 0. */
static int setup_memory(struct guest *g, u64 size)
{
	u64 align = size >= MiB(2) ? MiB(2) : PAGE_SIZE;

	g->mem.hpa = frames_alloc(size / PAGE_SIZE, align);
	if (!g->mem.hpa)
		return -1;
	g->mem.size = size;
	memset((void *)(uintptr_t)g->mem.hpa, 0, size);
	if (pt_init(&g->slat, backend->slat_format, backend->slat_max_leaf(), mm_table_alloc, NULL) ||
	    pt_map(&g->slat, 0, g->mem.hpa, size, PT_R | PT_W | PT_X))
		return -1;
	return 0;
}

void guest_wipe(struct guest *g)
{
	memset((void *)(uintptr_t)g->mem.hpa, 0, g->mem.size);
	g->wipe_next = 0;
	gcons_cancel(g);
}

int guest_start(struct guest *g, u8 selftest)
{
	struct vcpu_state s;
	char err[160];

	if (loader_load(g, g->image, g->image_size, g->cfg, &s, err, sizeof(err)))
		return log_err("guest '%s': cannot load '%s': %s\n", g->name, g->cfg->image, err), -1;
	if (selftest == SELFTEST_BAD_GUEST_STATE && g->id == 0)
		s.seg[SEG_CS].ar |= 1u << 14 | 1u << 13;   /* L and D/B: invalid */
	if (!g->vcpu) {
		g->vcpu = kzalloc(sizeof(*g->vcpu));
		if (!g->vcpu || !(g->vcpu->lapic = kzalloc(sizeof(*g->vcpu->lapic))))
			return log_err("guest '%s': out of memory\n", g->name), -1;
		g->vcpu->guest = g;
		if (fpu_vcpu_init(g->vcpu) || backend->vcpu_init(g->vcpu, &s))
			return log_err("guest '%s': cannot create its vCPU\n", g->name), -1;
	} else {
		memset(&g->vcpu->gprs, 0, sizeof(g->vcpu->gprs));
		fpu_vcpu_reset(g->vcpu);
		vswitch_reset(g->vcpu);
		backend->vcpu_reset(g->vcpu, &s);
	}
	virq_reset(g);
	vpm_reset(g);
	g->vcpu->gprs.rax = s.rax;
	g->vcpu->gprs.rbx = s.rbx;
	g->vcpu->gprs.rsi = s.rsi;
	backend->set_slat_root(g->vcpu, g->slat.root);
	g->boot_count++;
	g->state = GUEST_RUNNABLE;
	return 0;
}

/* Every device's state, zeroed (each resets its own at guest_start). */
static int devices_create(struct guest *g)
{
	g->com1 = kzalloc(sizeof(*g->com1));
	g->pit = kzalloc(sizeof(*g->pit));
	g->pic = kzalloc(2 * sizeof(*g->pic));
	g->ioapic = kzalloc(sizeof(*g->ioapic));
	g->pm = kzalloc(sizeof(*g->pm));
	if (!g->com1 || !g->pit || !g->pic || !g->ioapic || !g->pm)
		return -1;
	return gcons_create(g);
}

int guest_create(struct guest *g, u32 id, const struct guest_cfg *gc, const struct boot_info *bi,
		  u8 selftest)
{
	const struct boot_module *m = boot_find_module(bi, gc->image);

	g->id = id;
	g->cfg = gc;
	strlcpy(g->name, gc->name, sizeof(g->name));
	if (!m)
		return log_err("guest '%s': image '%s' not loaded\n", g->name, gc->image), -1;
	g->image = (const u8 *)(uintptr_t)m->base;
	g->image_size = m->size;
	for (u32 i = 0; i < gc->nmodules; i++) {
		const struct boot_module *mod = boot_find_module(bi, gc->modules[i]);

		if (!mod)
			return log_err("guest '%s': module '%s' not loaded\n", g->name, gc->modules[i]), -1;
		g->mod_base[i] = (const u8 *)(uintptr_t)mod->base;
		g->mod_size[i] = mod->size;
	}
	if (devices_create(g))
		return log_err("guest '%s': out of memory for its devices\n", g->name), -1;
	if (setup_memory(g, gc->mem))
		return log_err("guest '%s': no room for %lu MiB of guest memory\n", g->name, gc->mem >> 20), -1;
	if (guest_start(g, selftest))
		return -1;
	log_info("guest '%s': %lu MiB at host %lx, %s tables (%lu), entry %lx in %s mode\n",
		 g->name, g->mem.size >> 20, g->mem.hpa, backend->slat_format->name, g->slat.tables,
		 backend->get(g->vcpu, VREG_RIP),
		 backend->get(g->vcpu, VREG_EFER) & (1ULL << 10) ? "64-bit" :
		 backend->get(g->vcpu, VREG_CR0) & 1 ? "32-bit protected" : "real");
	return 0;
}

static const char *const reason_names[EXIT_REASON_COUNT] = {
	[EXIT_UNKNOWN] = "unknown", [EXIT_CPUID] = "cpuid", [EXIT_MSR_READ] = "rdmsr",
	[EXIT_MSR_WRITE] = "wrmsr", [EXIT_IO] = "io", [EXIT_HLT] = "hlt",
	[EXIT_HYPERCALL] = "hypercall", [EXIT_SLAT_FAULT] = "slat-fault",
	[EXIT_TRIPLE_FAULT] = "triple-fault", [EXIT_TIMER] = "timer",
	[EXIT_EXT_INTR] = "interrupt", [EXIT_VIRT_INSN] = "virt-insn",
	[EXIT_ENTRY_FAILED] = "entry-failed", [EXIT_IRQ_WINDOW] = "irq-window",
	[EXIT_XSETBV] = "xsetbv", [EXIT_BACKEND] = "backend", [EXIT_WBINVD] = "wbinvd",
	[EXIT_RDPMC] = "rdpmc",
};

/* One line, printed in one call: other CPUs print meanwhile. */
void guest_print_exits(const struct vcpu *v)
{
	const char *sep = " (";
	char line[640];
	size_t n = 0;
	u64 exits = 0;

	for (int r = 0; r < EXIT_REASON_COUNT; r++)
		exits += v->exit_counts[r];
	for (int r = 0; r < EXIT_REASON_COUNT && n < sizeof(line); r++) {
		if (v->exit_counts[r]) {
			n += (size_t)snformat(line + n, sizeof(line) - n, "%s%s %lu", sep, reason_names[r],
					      v->exit_counts[r]);
			sep = ", ";
		}
	}
	line[MIN(n, sizeof(line) - 1)] = 0;
	log_info("guest '%s': %lu exits%s%s\n", v->guest->name, exits, line, exits ? ")" : "");
}
