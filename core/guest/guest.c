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

/* Gives back the host runs of m. */
static void free_pieces(struct gmem *m)
{
	for (u32 i = 0; i < m->n; i++)
		frames_free(m->r[i].hpa, m->r[i].size / PAGE_SIZE);
	gmem_init_empty(m);
}

/* Host memory for size bytes of guest RAM into m: one block where the
 * allocator has one (2 MiB-aligned when large enough for large
 * second-level pages), else pieces, each the largest 2 MiB-aligned run of
 * a halved request that the allocator has. Every piece but the last is a
 * 2 MiB multiple and the last is at least 2 MiB, so no boundary falls
 * inside a 2 MiB page or the loader's 64 KiB area. 0, or -1 with nothing
 * kept. */
static int alloc_pieces(struct gmem *m, u64 size)
{
	u64 align = size >= MiB(2) ? MiB(2) : PAGE_SIZE, hpa = frames_alloc(size / PAGE_SIZE, align);
	u64 left = size, want;

	gmem_init_empty(m);
	if (hpa)
		return gmem_add(m, hpa, size);
	for (; left; left -= want) {
		for (want = left; !(hpa = frames_alloc(want / PAGE_SIZE, MiB(2)));) {
			want = ALIGN_DOWN(want / 2, MiB(2));   /* at most half: the rest stays >= 2 MiB */
			if (want < MiB(2))
				return free_pieces(m), -1;
		}
		if (gmem_add(m, hpa, want))
			return frames_free(hpa, want / PAGE_SIZE), free_pieces(m), -1;
	}
	return 0;
}

/* Zeroed guest RAM (alloc_pieces), each of its ranges (mm/gmem.h: below
 * 3 GiB, the rest above 4 GiB; a range per host piece) mapped
 * read-write-execute. */
static int setup_memory(struct guest *g, u64 size)
{
	if (alloc_pieces(&g->mem, size))
		return -1;
	for (u32 i = 0; i < g->mem.n; i++)
		memset((void *)(uintptr_t)g->mem.r[i].hpa, 0, g->mem.r[i].size);
	if (pt_init(&g->slat, backend->slat_format, backend->slat_max_leaf(), mm_table_alloc, NULL))
		return -1;
	for (u32 i = 0; i < g->mem.n; i++)
		if (pt_map(&g->slat, g->mem.r[i].gpa, g->mem.r[i].hpa, g->mem.r[i].size, PT_R | PT_W | PT_X))
			return -1;
	return 0;
}

void guest_wipe(struct guest *g)
{
	for (u32 i = 0; i < g->mem.n; i++)
		memset((void *)(uintptr_t)g->mem.r[i].hpa, 0, g->mem.r[i].size);
	g->wipe_next = 0;
	gcons_cancel(g);
}

/* v as at power-on: running if it is vCPU 0, else waiting for a SIPI
 * with its local APIC software-disabled. Not while v runs. */
static void vcpu_power_on(struct vcpu *v)
{
	v->init_pending = false;
	v->sipi_vector = -1;
	vmsr_power_on(v);
	v->mp = v->id ? VCPU_WAIT_SIPI : VCPU_RUNNING;
	if (v->id)
		vlapic_reset(v, false);
	__atomic_store_n(&v->hold, v->id != 0, __ATOMIC_RELEASE);
}

/* g's nvcpus vCPUs, made once, each with its local APIC, FPU area and
 * backend state, all in the start state s (the others than vCPU 0 are
 * put in theirs when they start: guest_vcpu_take). */
static int vcpus_create(struct guest *g, const struct vcpu_state *s)
{
	g->vcpu = kzalloc(g->nvcpus * sizeof(*g->vcpu));
	if (!g->vcpu)
		return -1;
	for (u32 i = g->nvcpus; i-- > 0;) {   /* vCPU 0's state last: loaded here */
		struct vcpu *v = &g->vcpu[i];

		v->id = i;
		v->guest = g;
		v->lapic = kzalloc(sizeof(*v->lapic));
		if (!v->lapic || fpu_vcpu_init(v) || backend->vcpu_init(v, s))
			return -1;
	}
	return 0;
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
		if (vcpus_create(g, &s))
			return log_err("guest '%s': cannot create its %u vCPU(s)\n", g->name, g->nvcpus), -1;
	} else {
		memset(&g->vcpu->gprs, 0, sizeof(g->vcpu->gprs));
		fpu_vcpu_reset(g->vcpu);
		vswitch_reset(g->vcpu);
		backend->vcpu_reset(g->vcpu, &s);
	}
	virq_reset(g);
	vpm_reset(g);
	g->fw_cfg_key = 0, g->fw_cfg_off = 0;   /* core/dev/vfwcfg.c, as at power-on */
	for (u32 i = 0; i < g->nvcpus; i++)   /* the others were parked, not running */
		vcpu_power_on(&g->vcpu[i]);
	vmsr_load(g->vcpu);
	g->vcpu->gprs.rax = s.rax;
	g->vcpu->gprs.rbx = s.rbx;
	g->vcpu->gprs.rsi = s.rsi;
	backend->set_slat_root(g->vcpu, g->slat.root);
	g->boot_count++;
	g->stop_said = false;
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
	g->nvcpus = gc->vcpus;
	g->lock = (struct spinlock)SPINLOCK("guest");
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
	if (setup_memory(g, gc->mem)) {
		free_pieces(&g->mem);   /* its RAM goes back to the guests after it */
		return log_err("guest '%s': no room for %lu MiB of guest memory\n", g->name, gc->mem >> 20), -1;
	}
	if (guest_start(g, selftest))
		return free_pieces(&g->mem), -1;
	log_info("guest '%s': %lu MiB at host %lx, %s tables (%lu), entry %lx in %s mode\n",
		 g->name, g->mem.size >> 20, g->mem.r[0].hpa, backend->slat_format->name, g->slat.tables,
		 backend->get(g->vcpu, VREG_RIP),
		 backend->get(g->vcpu, VREG_EFER) & (1ULL << 10) ? "64-bit" :
		 backend->get(g->vcpu, VREG_CR0) & 1 ? "32-bit protected" : "real");
	if (gmem_high_size(&g->mem))
		log_info("guest '%s': RAM at [0, %lx) and [%lx, %lx), the hole between for the APICs\n", g->name,
			 gmem_low_end(&g->mem), (u64)GMEM_HIGH_BASE, (u64)GMEM_HIGH_BASE + gmem_high_size(&g->mem));
	if (g->mem.n > 1 + (gmem_high_size(&g->mem) != 0))
		log_info("guest '%s': RAM in %u runs of host memory (no free block of %lu MiB)\n", g->name,
			 g->mem.n, g->mem.size >> 20);
	if (g->nvcpus > 1)
		log_info("guest '%s': %u vCPUs, the others waiting for a start-up IPI\n", g->name, g->nvcpus);
	return 0;
}

/* v starts at vector's page in real mode, its registers as INIT leaves
 * them. */
static void start_at(struct vcpu *v, u8 vector)
{
	struct vcpu_state s;

	vcpu_state_real_mode(&s, (u16)(vector << 8));
	memset(&v->gprs, 0, sizeof(v->gprs));
	fpu_vcpu_reset(v);
	vswitch_reset(v);
	backend->vcpu_reset(v, &s);
	vmsr_load(v);   /* INIT keeps the TSC */
	backend->set_slat_root(v, v->guest->slat.root);
}

bool guest_vcpu_take(struct vcpu *v)
{
	if (v->init_pending) {
		v->init_pending = false;
		vlapic_reset(v, false);
		virq_vcpu_reset(v);
		v->mp = VCPU_WAIT_SIPI;
	}
	if (v->mp == VCPU_RUNNING)
		return true;
	if (v->sipi_vector < 0) {
		v->hold = 1;   /* woken for anything else, it looks again and sleeps */
		return false;
	}
	start_at(v, (u8)v->sipi_vector);
	v->sipi_vector = -1;
	v->mp = VCPU_RUNNING;
	return true;
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
	log_info("guest '%s': %lu exits%s%s\n", v->se.name ? v->se.name : v->guest->name, exits, line,
		 exits ? ")" : "");
	if (v->takes)   /* make bench reads this line */
		log_info("guest '%s': %lu interrupts injected after a kick, at least %lu TSC ticks after it\n",
			 v->se.name ? v->se.name : v->guest->name, v->takes, v->take_min);
}
