/* Exit dispatch. A backend translated its own code into enum exit_reason;
 * every reason has exactly one handler here, and any slot left empty goes
 * to exit_unknown, which prints the guest's state and stops that guest
 * alone. */
#include "core/exit/exit.h"
#include "core/hw/cpu.h"
#include "core/hw/time.h"
#include "core/vm/vfpu.h"
#include "core/irq/virq.h"
#include "core/exit/vmmio.h"
#include "core/console/console.h"
#include "core/vm/vcpu_util.h"
#include "compat/compat.h"

typedef struct act (*exit_handler)(struct vcpu *v, struct exit_info *ei);

static void dump_guest(struct vcpu *v)
{
	const struct gprs *r = &v->gprs;

	kprintf("  rip %016lx rsp %016lx rflags %016lx cpl %lu\n", backend->get(v, VREG_RIP),
		backend->get(v, VREG_RSP), backend->get(v, VREG_RFLAGS), backend->get(v, VREG_CPL));
	kprintf("  cr0 %016lx cr3 %016lx cr4 %016lx efer %016lx\n", backend->get(v, VREG_CR0),
		backend->get(v, VREG_CR3), backend->get(v, VREG_CR4), backend->get(v, VREG_EFER));
	kprintf("  rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", r->rax, r->rbx, r->rcx, r->rdx);
	kprintf("  rsi %016lx rdi %016lx rbp %016lx r8  %016lx\n", r->rsi, r->rdi, r->rbp, r->r8);
}

static struct act exit_unknown(struct vcpu *v, struct exit_info *ei)
{
	kprintf("hv: guest '%s': unhandled exit (%s code %u, qualification %lx)\n",
		v->guest->name, backend->name, ei->raw, ei->qual);
	dump_guest(v);
	return guest_stop(v->guest, "unhandled exit %u at rip %lx", ei->raw, backend->get(v, VREG_RIP));
}

/* HLT with interrupts on waits, in the scheduler, for the vCPU's next
 * timer interrupt, or with several vCPUs for an IPI too (for good if no
 * timer counts: another vCPU's IPI or a device wakes it, vcpu_wake).
 * With interrupts off, or with nothing that could ever interrupt it, a
 * guest's only vCPU, or its vCPU 0, has halted for good and the guest is
 * stopped; any other vCPU sleeps until an INIT or an NMI. A pending NMI
 * ends any HLT at once. A HLT in STI's shadow (sti; hlt) has completed
 * once skipped: the shadow ends, so the interrupt that wakes it comes
 * before the next instruction, as on hardware. */
static struct act exit_hlt(struct vcpu *v, struct exit_info *ei)
{
	struct guest *g = v->guest;
	bool irqs = backend->get(v, VREG_RFLAGS) & RFLAGS_IF;
	u64 next;

	/* a wake asked before now is for what is looked at here: its sender
	 * set the IRR under the guest's lock, held here, before asking */
	if (g->nvcpus > 1)
		__atomic_store_n(&v->se.wake_pending, false, __ATOMIC_RELAXED);
	if (irqs || v->nmi_pending)
		backend->set(v, VREG_SHADOW, 0);
	if (v->nmi_pending)
		return vcpu_skip(v, ei->insn_len);
	if (irqs) {
		next = virq_poll(v, time_now_ns());
		if (virq_pending(v) >= 0)
			return vcpu_skip(v, ei->insn_len);
		if (next || g->nvcpus > 1) {
			vcpu_skip(v, ei->insn_len);
			return act_block(next);
		}
	} else if (v->id) {
		vcpu_skip(v, ei->insn_len);
		return act_block(0);
	}
	return guest_stop(g, "halted (HLT with nothing to wake it) at rip %lx", backend->get(v, VREG_RIP));
}

static struct act exit_hypercall(struct vcpu *v, struct exit_info *ei)
{
	return compat_dispatch(v, ei);
}

/* An access outside guest RAM: a device's MMIO, or the guest is stopped. */
static struct act exit_slat_fault(struct vcpu *v, struct exit_info *ei)
{
	const struct mmio_dev *d = ei->slat.exec ? NULL : vmmio_find(ei->slat.gpa);

	if (d)
		return vmmio_exit(v, ei, d);
	return guest_stop(v->guest, "%s guest-physical %lx, outside its %lu KiB of memory, at rip %lx",
		   ei->slat.exec ? "executed at" : ei->slat.write ? "wrote to" : "read from",
		   ei->slat.gpa, v->guest->mem.size >> 10, backend->get(v, VREG_RIP));
}

static struct act exit_triple_fault(struct vcpu *v, struct exit_info *ei)
{
	(void)ei;
	dump_guest(v);
	return guest_stop(v->guest, "triple fault at rip %lx", backend->get(v, VREG_RIP));
}

static struct act exit_nothing(struct vcpu *v, struct exit_info *ei)
{
	(void)v;
	(void)ei;
	return act_resume();
}

static struct act exit_virt_insn(struct vcpu *v, struct exit_info *ei)
{
	(void)ei;
	return vcpu_inject_ud(v);
}

/* WBINVD and INVD. Nothing for a cache flush to write back: guest RAM is
 * write-back and no device reads it behind the CPU's back. Intercepted so
 * that a guest cannot flush the caches every other guest depends on, nor
 * (INVD) throw away their dirty lines: INVD is done as WBINVD, as a guest
 * may not tell the two apart except by losing data. */
static struct act exit_wbinvd(struct vcpu *v, struct exit_info *ei)
{
	return vcpu_skip(v, ei->insn_len);
}

/* RDPMC: AMD's four legacy counters (core/exit/vmsr.c), at CPL 0 or
 * with CR4.PCE; anything else #GP, as on a CPU whose CPUID offers no
 * other counters (leaf 0xA hidden on Intel). */
static struct act exit_rdpmc(struct vcpu *v, struct exit_info *ei)
{
	u64 val;

	if ((backend->get(v, VREG_CPL) && !(backend->get(v, VREG_CR4) & CR4_PCE)) ||
	    vmsr_rdpmc(v, (u32)v->gprs.rcx, &val))
		return vcpu_inject_gp(v);
	v->gprs.rax = (u32)val;
	v->gprs.rdx = val >> 32;
	return vcpu_skip(v, ei->insn_len);
}

static struct act exit_entry_failed(struct vcpu *v, struct exit_info *ei)
{
	kprintf("hv: guest '%s': VM entry failed: %s\n", v->guest->name, ei->entry.what);
	dump_guest(v);
	return guest_stop(v->guest, "VM entry failed");
}

static const exit_handler handlers[EXIT_REASON_COUNT] = {
	[EXIT_UNKNOWN] = exit_unknown,
	[EXIT_CPUID] = exit_cpuid,
	[EXIT_MSR_READ] = exit_msr_read,
	[EXIT_MSR_WRITE] = exit_msr_write,
	[EXIT_IO] = exit_io,
	[EXIT_HLT] = exit_hlt,
	[EXIT_HYPERCALL] = exit_hypercall,
	[EXIT_SLAT_FAULT] = exit_slat_fault,
	[EXIT_TRIPLE_FAULT] = exit_triple_fault,
	[EXIT_TIMER] = exit_nothing,
	[EXIT_EXT_INTR] = exit_nothing,
	[EXIT_VIRT_INSN] = exit_virt_insn,
	[EXIT_ENTRY_FAILED] = exit_entry_failed,
	[EXIT_IRQ_WINDOW] = exit_nothing,       /* core/irq/virq.c injects before the next entry */
	[EXIT_XSETBV] = exit_xsetbv,
	[EXIT_BACKEND] = exit_nothing,
	[EXIT_WBINVD] = exit_wbinvd,
	[EXIT_RDPMC] = exit_rdpmc,
};

/* With several vCPUs, every handler but the hypercalls' runs under the
 * guest's lock (its devices are theirs to share); the hypercalls that
 * touch what the vCPUs share take it themselves (hypercall/hypercall.c),
 * as the short way serves them too. */
struct act exit_handle(struct vcpu *v, struct exit_info *ei)
{
	exit_handler h = ei->reason < EXIT_REASON_COUNT ? handlers[ei->reason] : NULL;
	bool locked;
	struct act act;

	v->exit_counts[ei->reason < ARRAY_SIZE(v->exit_counts) ? ei->reason : 0]++;
	if (ei->reason == EXIT_HYPERCALL)
		return exit_hypercall(v, ei);
	locked = guest_lock(v->guest);
	act = (h ? h : exit_unknown)(v, ei);
	guest_unlock(v->guest, locked);
	return act;
}
