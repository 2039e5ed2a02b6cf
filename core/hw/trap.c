/* The IDT and what happens when the hypervisor itself takes a trap. */
#include "core/hw/trap.h"
#include "core/console/console.h"
#include "core/hw/cpu.h"
#include "core/hw/image.h"
#include "core/hw/percpu.h"
#include "core/hw/power.h"

struct idt_entry {
	u16 off_lo, sel;
	u8 ist, attr;
	u16 off_mid;
	u32 off_hi, zero;
} __attribute__((packed));

extern const u8 trap_stubs[];
static struct idt_entry idt[256] __attribute__((aligned(16)));

static const char *const exc_names[32] = {
	[0] = "#DE divide error", [1] = "#DB debug", [2] = "NMI",
	[3] = "#BP breakpoint", [4] = "#OF overflow", [5] = "#BR bound range",
	[6] = "#UD invalid opcode", [7] = "#NM device not available",
	[8] = "#DF double fault", [10] = "#TS invalid TSS",
	[11] = "#NP segment not present", [12] = "#SS stack fault",
	[13] = "#GP general protection", [14] = "#PF page fault",
	[16] = "#MF x87 error", [17] = "#AC alignment check",
	[18] = "#MC machine check", [19] = "#XM SIMD error",
	[20] = "#VE virtualization exception", [21] = "#CP control protection",
};

static irq_handler irqs[256];

void trap_set_irq(u8 vector, irq_handler fn)
{
	if (vector >= 32)
		irqs[vector] = fn;
}

static const u8 ist_of[32] = { [2] = IST_NMI, [8] = IST_DF, [18] = IST_MC };

void trap_nmi(void)
{
	cpu_nmi_stop();
	this_cpu()->nmis++;
}

/* The hypervisor takes no interrupt from the legacy 8259 pair; firmware
 * leaves at least the PIT's IRQ 0 unmasked, and nothing here would ever
 * acknowledge it: left pending, it would end every VM entry at once. */
static void mask_legacy_pics(void)
{
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
}

void idt_init(void)
{
	mask_legacy_pics();
	irqs[2] = trap_nmi;
	for (int v = 0; v < 256; v++) {
		u64 a = (u64)(uintptr_t)(trap_stubs + 16 * v);

		idt[v] = (struct idt_entry){
			.off_lo = (u16)a, .sel = SEL_CODE,
			.ist = v < 32 ? ist_of[v] : 0, .attr = 0x8e, /* interrupt gate */
			.off_mid = (u16)(a >> 16), .off_hi = (u32)(a >> 32),
		};
	}
}

void idt_load(void)
{
	struct {
		u16 limit;
		u64 base;
	} __attribute__((packed)) p = { sizeof(idt) - 1, (u64)(uintptr_t)idt };

	__asm__ volatile("lidt %0" : : "m"(p));
}

static void dump_frame(const struct trap_frame *tf)
{
	u64 base = image_base();

	kprintf("  rip %016lx (hv+%lx) cs %04lx rflags %016lx\n",
		tf->rip, tf->rip - base, tf->cs, tf->rflags);
	kprintf("  rsp %016lx ss %04lx error %016lx\n", tf->rsp, tf->ss, tf->error);
	kprintf("  cr0 %016lx cr2 %016lx cr3 %016lx cr4 %016lx\n",
		read_cr0(), read_cr2(), read_cr3(), read_cr4());
	kprintf("  rax %016lx rbx %016lx rcx %016lx rdx %016lx\n",
		tf->rax, tf->rbx, tf->rcx, tf->rdx);
	kprintf("  rsi %016lx rdi %016lx rbp %016lx r8  %016lx\n",
		tf->rsi, tf->rdi, tf->rbp, tf->r8);
	kprintf("  r9  %016lx r10 %016lx r11 %016lx r12 %016lx\n",
		tf->r9, tf->r10, tf->r11, tf->r12);
	kprintf("  r13 %016lx r14 %016lx r15 %016lx\n", tf->r13, tf->r14, tf->r15);
	kprintf("  image base %016lx (see docs/debugging.md to resolve hv+ offsets)\n", base);
}

/* Frame-pointer walk, staying inside the boot image (the boot CPU's stack
 * lives there; an AP's does not, and its backtrace is empty). */
static void backtrace(u64 rbp)
{
	kprintf("  backtrace:");
	for (int i = 0; i < 8 && image_contains(rbp, 16) && IS_ALIGNED(rbp, 8); i++) {
		const u64 *f = (const u64 *)(uintptr_t)rbp;

		kprintf(" hv+%lx", f[1] - image_base());
		rbp = f[0];
	}
	kprintf("\n");
}

void trap_dispatch(struct trap_frame *tf)
{
	struct cpu *c = this_cpu();
	const char *name = tf->vector < 32 ? exc_names[tf->vector] : NULL;

	if (tf->vector < 256 && irqs[tf->vector]) {
		irqs[tf->vector]();
		return;
	}
	machine_take();
	if (c->trap_depth++) {
		kprintf("\nhv: EXCEPTION vector %lu inside the exception handler at %016lx\n",
			tf->vector, tf->rip);
		power_off(HV_EXIT_PANIC);
	}
	kprintf("\nhv: EXCEPTION %s (vector %lu) on cpu %u\n",
		name ? name : (tf->vector < 32 ? "reserved" : "unexpected interrupt"),
		tf->vector, c->id);
	dump_frame(tf);
	backtrace(tf->rbp);
	power_off(HV_EXIT_PANIC);
}
