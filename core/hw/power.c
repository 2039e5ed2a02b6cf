/* Power-off paths, tried from the most specific to the most generic. */
#include "core/hw/power.h"
#include "core/hw/acpi.h"
#include "core/console/console.h"
#include "core/hw/cpu.h"
#include "core/hw/percpu.h"
#include "core/lib/string.h"

#define QEMU_DEBUG_EXIT_PORT 0xf4
#define QEMU_FW_CFG_SEL 0x510
#define QEMU_FW_CFG_DATA 0x511
#define BOCHS_SHUTDOWN_PORT 0x8900

static void (*fw_power_off)(void);
static struct acpi_info acpi;

void power_init(const struct boot_info *bi)
{
	fw_power_off = bi->fw_power_off;
}

/* QEMU is recognised by its fw_cfg signature, probed only when CPUID says a
 * hypervisor is present: bare metal never sees the probe. */
static bool under_qemu(void)
{
	char sig[4];

	if (!(cpuid(1, 0).ecx & (1u << 31)))
		return false;
	outw(QEMU_FW_CFG_SEL, 0);
	for (int i = 0; i < 4; i++)
		sig[i] = (char)inb(QEMU_FW_CFG_DATA);
	return !memcmp(sig, "QEMU", 4);
}

void acpi_init(u64 rsdp)
{
	if (acpi_parse(rsdp, &acpi)) {
		log_info("acpi: no valid RSDP\n");
		return;
	}
	log_info("acpi: RSDP %lx rev %u oem '%s', FADT %lx, MADT %lx, S5 %s\n",
		 acpi.rsdp, acpi.revision, acpi.oem, acpi.fadt, acpi.madt,
		 acpi.s5 ? "yes" : "no");
}

u64 acpi_madt(void)
{
	return acpi.madt;
}

u16 acpi_pm_timer(u32 *mask)
{
	*mask = acpi.pm_tmr_32 ? 0xffffffffu : 0xffffffu;
	return acpi.pm_tmr <= 0xffff ? (u16)acpi.pm_tmr : 0;
}

#define SLP_EN (1u << 13)

void acpi_power_off(void)
{
	if (!acpi.s5 || !acpi.pm1a_cnt || acpi.pm1a_cnt > 0xffff)
		return;
	outw((u16)acpi.pm1a_cnt, (u16)(acpi.slp_typa << 10 | SLP_EN));
	if (acpi.pm1b_cnt && acpi.pm1b_cnt <= 0xffff)
		outw((u16)acpi.pm1b_cnt, (u16)(acpi.slp_typb << 10 | SLP_EN));
	for (int i = 0; i < 1000000; i++)
		cpu_relax();
}

static void bochs_shutdown(void)
{
	for (const char *s = "Shutdown"; *s; s++)
		outb(BOCHS_SHUTDOWN_PORT, (u8)*s);
}

void machine_take(void)
{
	if (!cpus_stop_others())
		cpu_halt_forever();   /* another CPU is ending the run */
	console_share(false);
}

void power_off(int status)
{
	machine_take();
	kprintf("hv: power off (status %d)\n", status);
	console_flush();
	if (under_qemu())
		outb(QEMU_DEBUG_EXIT_PORT, (u8)status);
	if (fw_power_off)
		fw_power_off();
	acpi_power_off();
	bochs_shutdown();
	kprintf("hv: could not power off; halted\n");
	console_flush();
	cpu_halt_forever();
}

void panic(const char *fmt, ...)
{
	static bool in_panic;
	va_list ap;

	machine_take();
	if (in_panic)
		cpu_halt_forever();
	in_panic = true;
	kprintf("\nhv: PANIC: ");
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
	power_off(HV_EXIT_PANIC);
}
