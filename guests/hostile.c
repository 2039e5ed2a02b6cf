/* hostile: attacks the hypervisor from inside a guest while a victim runs
 * beside it. Every attack must end in a defined error or a fault injected
 * into this guest, and change nothing outside it (the victim checks its
 * own memory; the hypervisor must go on). */
#include "compat/abi/hv_v1.h"
#include "compat/abi/hv_v4.h"
#include "guests/rt/rt.h"

static uint64_t ram;

/* ---- hypercalls with hostile addresses and lengths */

static void bad_buffers(void)
{
	static const uint64_t outside[] = {
		0x100000000ULL,          /* where a host's memory might be: not ours */
		0xfee00000ULL,           /* the local APIC */
		0xffffffffffff0000ULL,   /* the top of the address space */
	};
	static struct hv4_guest_info gi;
	uint64_t needed;

	for (unsigned i = 0; i < sizeof(outside) / sizeof(outside[0]); i++) {
		EXPECT(hv1_console_write(outside[i], 16) == HV1_EFAULT, "console_write from %lx: EFAULT", outside[i]);
		EXPECT(hv1_guest_info(outside[i]) == HV1_EFAULT, "guest_info to %lx: EFAULT", outside[i]);
		EXPECT(hv4_sched_set(outside[i], 24) == HV4_EFAULT, "sched_set from %lx: EFAULT", outside[i]);
	}
	EXPECT(hv1_console_write(ram, 1) == HV1_EFAULT, "console_write from the first byte past RAM: EFAULT");
	EXPECT(hv1_console_write(ram - 8, 16) == HV1_EFAULT, "console_write across the end of RAM: EFAULT");
	EXPECT(hv1_console_write(~0ULL - 7, 16) == HV1_EFAULT, "console_write whose end wraps: EFAULT");
	EXPECT(hv1_console_write(0x1000, ~0ULL - 0xfff) == HV1_EINVAL, "console_write of 2^64 bytes: EINVAL");
	EXPECT(hv4_guest_info(ram - 16, sizeof(gi), &needed) == HV4_EFAULT, "guest_info across the end: EFAULT");
	EXPECT(hv4_guest_info((uintptr_t)&gi + 1, sizeof(gi), &needed) == HV4_EINVAL, "guest_info misaligned: EINVAL");
}

/* A buffer crossing a page boundary inside RAM is fine. */
static void page_crossing(void)
{
	static char page[2 * 4096] __attribute__((aligned(4096)));
	static const char msg[] = "a line that crosses a page boundary\n";
	char *p = page + 4096 - 10;

	for (unsigned i = 0; i < sizeof(msg); i++)
		p[i] = msg[i];
	EXPECT(hv1_console_write((uintptr_t)p, sizeof(msg) - 1) == (int64_t)sizeof(msg) - 1,
	       "console_write across a page boundary inside RAM works");
}

static void bad_numbers(void)
{
	EXPECT(hv_vmcall(HC(1, 0x7fff), 0, 0, 0, 0).status == HV1_ENOSYS, "v1 function 0x7fff: ENOSYS");
	EXPECT(hv_vmcall(HC(0xbeef, 0), 0, 0, 0, 0).status == HV1_EVERSION, "version 0xbeef: EVERSION");
	EXPECT(rt_user_hypercall(HC(1, HV1_SHUTDOWN), 0, 0, 0) == HV1_EPERM, "shutdown from CPL 3: EPERM");
	EXPECT(rt_user_hypercall(HC(4, HV4_SCHED_SET), 0, 0, 1) == HV4_EPERM, "sched_set from CPL 3: EPERM");
}

/* ---- privileged state the guest must not change */

static void set_cr4_vmxe(void *p)
{
	uint64_t cr4;

	(void)p;
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	cr4 |= 1u << 13;
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4));
}

static void privileged_state(void)
{
	static const struct { uint32_t msr; uint64_t val; const char *what; } writes[] = {
		{ 0xc0000080, 0x1d01, "EFER with SVME" },
		{ 0x3a, 5, "IA32_FEATURE_CONTROL" },
		{ 0xc0010114, 0, "VM_CR" },
		{ 0xc0010117, 0x1000, "VM_HSAVE_PA" },
		{ 0x1b, 0x12345900, "IA32_APIC_BASE" },
		{ 0x480, 0, "IA32_VMX_BASIC" },
	};
	struct rt_msr efer = { 0xc0000080, 0 };
	uint64_t cr4;
	int v;

	for (unsigned i = 0; i < sizeof(writes) / sizeof(writes[0]); i++) {
		struct rt_msr op = { writes[i].msr, writes[i].val };

		v = rt_try(rt_wrmsr_fn, &op);
		EXPECT(v == 13, "write %s: #GP (vector %d)", writes[i].what, v);
	}
	/* the TSC is each vCPU's own to set (an offset in its VMCS/VMCB) */
	v = rt_try(rt_wrmsr_fn, &(struct rt_msr){ 0x10, 0 });
	EXPECT(v == -1 && rt_rdtsc() < 1ULL << 32, "write the TSC: this vCPU's own (vector %d)", v);
	v = rt_try(rt_rdmsr_fn, &(struct rt_msr){ 0x480, 0 });
	EXPECT(v == 13, "read IA32_VMX_BASIC: #GP (vector %d)", v);
	rt_try(rt_rdmsr_fn, &efer);
	EXPECT(!(efer.val & (1u << 12)), "EFER.SVME reads 0 (EFER %lx)", efer.val);
	v = rt_try(set_cr4_vmxe, NULL);
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	EXPECT(v == 13 && !(cr4 & (1u << 13)), "set CR4.VMXE: #GP, CR4 %lx unchanged", cr4);
}

/* ---- virtualization instructions: #UD in the guest */

#define INSN(name, bytes)                                               \
	static void name(void *p)                                       \
	{                                                               \
		(void)p;                                                \
		__asm__ volatile(bytes : : "a"(0), "c"(0) : "memory");   \
	}

INSN(do_vmxon, ".byte 0xf3, 0x0f, 0xc7, 0x30")        /* vmxon (%rax) */
INSN(do_vmread, ".byte 0x0f, 0x78, 0xc1")             /* vmread %rax, %rcx */
INSN(do_vmlaunch, ".byte 0x0f, 0x01, 0xc2")
INSN(do_invept, ".byte 0x66, 0x0f, 0x38, 0x80, 0x08")  /* invept (%rax), %rcx */
INSN(do_vmrun, ".byte 0x0f, 0x01, 0xd8")
INSN(do_vmload, ".byte 0x0f, 0x01, 0xda")
INSN(do_vmsave, ".byte 0x0f, 0x01, 0xdb")
INSN(do_stgi, ".byte 0x0f, 0x01, 0xdc")
INSN(do_clgi, ".byte 0x0f, 0x01, 0xdd")
INSN(do_invlpga, ".byte 0x0f, 0x01, 0xdf")

static void virt_insns(void)
{
	static const struct { void (*fn)(void *); const char *name; } insns[] = {
		{ do_vmxon, "VMXON" }, { do_vmread, "VMREAD" }, { do_vmlaunch, "VMLAUNCH" },
		{ do_invept, "INVEPT" }, { do_vmrun, "VMRUN" }, { do_vmload, "VMLOAD" },
		{ do_vmsave, "VMSAVE" }, { do_stgi, "STGI" }, { do_clgi, "CLGI" }, { do_invlpga, "INVLPGA" },
	};

	for (unsigned i = 0; i < sizeof(insns) / sizeof(insns[0]); i++) {
		int v = rt_try(insns[i].fn, NULL);

		EXPECT(v == 6, "%s: #UD (vector %d)", insns[i].name, v);
	}
}

/* ---- ports: nothing outside the guest's own COM1 reaches hardware */

static void ports(void)
{
	rt_outb(0x64, 0xfe);     /* reset through a keyboard controller (there is none) */
	rt_outb(0x43, 0x30);     /* reprogram the PIT */
	rt_outb(0x40, 0x01);
	rt_outb(0x21, 0x00);     /* unmask every PIC line */
	rt_outb(0xf4, 0x00);     /* QEMU's debug-exit port */
	EXPECT(rt_inb(0x64) == 0xff && rt_inl(0xcfc) == 0xffffffff, "unowned ports read all-ones");
}

/* ---- the APIC pages: all-ones in every register, IPIs to everyone with
 * an illegal vector and as INIT; read-only registers stay, nothing fires */

static void apic_pages(void)
{
	volatile uint32_t *lapic = (volatile uint32_t *)0xfee00000UL;
	volatile uint32_t *io = (volatile uint32_t *)0xfec00000UL;
	uint32_t ioapic_version;

	for (uint32_t off = 0; off < 0x1000; off += 16)
		if (off != 0x300)
			lapic[off / 4] = 0xffffffff;
	lapic[0x310 / 4] = 0xff000000;
	lapic[0x300 / 4] = 0x000c0002;   /* to all including self, vector 2 */
	lapic[0x300 / 4] = 0x000c0500;   /* INIT to all */
	for (uint32_t r = 0; r < 256; r++) {
		io[0] = r;
		io[4] = 0xffffffff;
	}
	io[0] = 1;
	ioapic_version = io[4];
	io[0] = 0x7ff;                   /* past the table */
	EXPECT(lapic[0x30 / 4] == 0x50014 && lapic[0x20 / 4] == 0 && ioapic_version == 0x170011 && io[4] == 0,
	       "APIC and IOAPIC registers took all-ones; version and ID read-only");
	EXPECT(lapic[0x200 / 4] == 0 && lapic[0x100 / 4] == 0,
	       "no interrupt from an illegal vector, nothing in service");
	lapic[0xf0 / 4] = 0xff;          /* leave the APIC software-disabled */
}

/* ---- a storm of exits: #UD from UD2, reflected back every time */

static void do_ud2(void *p)
{
	(void)p;
	__asm__ volatile("ud2");
}

static void storm(void)
{
	int ok = 0;

	for (int i = 0; i < 20000; i++)
		ok += rt_try(do_ud2, NULL) == 6;
	EXPECT(ok == 20000, "20000 UD2 exits, each reflected as #UD (%d)", ok);
}

int main(void)
{
	static struct hv1_guest_info gi;

	hv1_guest_info((uintptr_t)&gi);
	ram = gi.ram_size;
	/* the resets restart this guest alone, the way a PC's do: the first
	 * start ends with port 0xcf9's, the second with port 0x92's fast one */
	if (gi.boot_count == 2) {
		rt_outb(0x92, 0x01);
		rt_printf("hostile: the fast reset through port 0x92 returned\n");
		return 1;
	}
	if (gi.boot_count > 2) {
		rt_printf("hostile: started again by both resets (start %u)\n", gi.boot_count);
		return 0;
	}
	bad_buffers();
	page_crossing();
	bad_numbers();
	privileged_state();
	virt_insns();
	ports();
	apic_pages();
	storm();
	rt_printf("hostile: %d attacks not refused\n", rt_failures);
	/* last: a hard reset starts this guest again (a reset ignored ends
	 * in the shutdown below instead, with a code the expect file refuses) */
	rt_outb(0xcf9, 0x06);
	rt_printf("hostile: the reset through port 0xcf9 returned\n");
	return rt_failures + 1;
}
