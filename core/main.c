/* hv_main: the core's boot sequence, the same for both boot doors.
 *
 *   configuration -> console -> banner -> CPU tables -> memory -> guests
 *
 * The configuration is parsed first, before anything is printed, because
 * it names the console; its errors are printed once the console is up. */
#include "core/hw/acpi.h"
#include "core/config/boot_info.h"
#include "core/config/builtin.h"
#include "core/config/config.h"
#include "core/console/console.h"
#include "core/hw/cpu_info.h"
#include "core/guest/guest.h"
#include "core/hw/image.h"
#include "core/hw/lapic.h"
#include "core/hw/percpu.h"
#include "core/smp/smp.h"
#include "core/hw/time.h"
#include "core/hw/power.h"
#include "core/lib/string.h"
#include "sched/sched.h"
#include "core/hw/uart16550.h"
#include "core/lib/version.h"
#include "mm/mm.h"

static struct config cfg;
static struct uart16550 uart;

static void load_config(struct boot_info *bi)
{
	if (bi->ncfg == 0) {
		config_parse(&cfg, "built-in", config_default_text, strlen(config_default_text));
		builtin_add_modules(bi);
		return;
	}
	for (u32 i = 0; i < bi->ncfg; i++)
		config_parse(&cfg, bi->cfg[i].name, bi->cfg[i].text, bi->cfg[i].len);
}

static void start_console(void)
{
	if (!cfg.console_port)
		return;
	uart.port = cfg.console_port;
	uart16550_init(&uart);
	console_set(&uart16550_console, &uart);
	log_set_level(cfg.log_level);
}

static void print_build_id(void)
{
	const u8 *note = __build_id_start;
	u32 namesz, descsz;

	if (__build_id_end - __build_id_start < 16) {
		kprintf("none");
		return;
	}
	memcpy(&namesz, note, 4);
	memcpy(&descsz, note + 4, 4);
	note += 12 + ALIGN_UP(namesz, 4);
	for (u32 i = 0; i < descsz && i < 8; i++)
		kprintf("%02x", note[i]);
}

static void banner(const struct boot_info *bi)
{
	kprintf("\n%s %s, build ", HV_NAME, HV_VERSION);
	print_build_id();
	kprintf(", booted by %s, image at %lx-%lx\n", bi->door_name, image_base(), image_end());
	cpu_info_read(&boot_cpu_info);
	cpu_info_print(&boot_cpu_info);
}

/* The console's full output ring, from the heap; the boot one if none. */
static void console_use_heap(void)
{
	char *buf = kzalloc(CONSOLE_RING);

	if (buf)
		console_set_ring(buf, CONSOLE_RING);
}

static void print_config(const struct boot_info *bi)
{
	if (bi->ncfg == 0)
		log_info("config: no configuration found; using the built-in default scenario\n");
	for (u32 i = 0; i < bi->ncfg; i++)
		log_info("config: read %s (%lu bytes)\n", bi->cfg[i].name, bi->cfg[i].len);
	log_info("config: console=%s log=%s, %u guest(s)\n",
		 cfg.console_port ? "serial" : "none", config_log_level_name(cfg.log_level),
		 cfg.nguests);
	for (u32 i = 0; i < cfg.nerrors && i < CFG_MAX_ERRORS; i++)
		log_err("config: %s\n", cfg.errors[i]);
	if (cfg.nerrors > CFG_MAX_ERRORS)
		log_err("config: ... and %u more errors\n", cfg.nerrors - CFG_MAX_ERRORS);
}

/* Checks that every configured guest has its image; returns the errors. */
static void list_policy(const struct sched_ops *ops, void *arg)
{
	kprintf("%s%s", *(bool *)arg ? ", " : "", ops->name);
	*(bool *)arg = true;
}

/* The policy must be one linked in. 0, or 1 after listing them. */
static u32 check_sched(void)
{
	bool more = false;

	if (sched_policy_find(cfg.sched))
		return 0;
	log_err("config: no scheduling policy '%s' (sched=): this build has ", cfg.sched);
	sched_policy_each(list_policy, &more);
	kprintf("\n");
	return 1;
}

/* key=name must name a guest (input= may also be none). 0, or 1 after
 * saying so. */
static u32 check_names_guest(const char *key, const char *name)
{
	if (!name[0] || (!strcmp(key, "input") && !strcmp(name, "none")))
		return 0;
	for (u32 i = 0; i < cfg.nguests; i++)
		if (!strcmp(cfg.guests[i].name, name))
			return 0;
	log_err("config: %s=%s names no guest\n", key, name);
	return 1;
}

static u32 check_guests(const struct boot_info *bi)
{
	u32 errors = check_sched() + check_names_guest("input", cfg.input) +
		     check_names_guest("run_until", cfg.run_until);

	for (u32 i = 0; i < cfg.nguests; i++) {
		const struct guest_cfg *g = &cfg.guests[i];
		const struct boot_module *m = boot_find_module(bi, g->image);

		if (!m || !m->size) {
			log_err("guest '%s': image '%s' %s (%s:%u)\n", g->name, g->image,
				m ? "is empty" : "was not found", g->src, g->line);
			errors++;
			continue;
		}
		log_info("guest '%s': image '%s' %lu bytes at %lx, memory %lu MiB\n",
			 g->name, g->image, m->size, m->base, g->mem >> 20);
		for (u32 k = 0; k < g->nmodules; k++) {
			if (!boot_find_module(bi, g->modules[k])) {
				log_err("guest '%s': module '%s' was not found (%s:%u)\n", g->name, g->modules[k],
					g->src, g->line);
				errors++;
			}
		}
	}
	return errors;
}

/* selftest=nmi: CPU 1 sends CPU 0 NMI_STORM NMIs, one every NMI_GAP_NS,
 * while the guests start and run there: each must reach the host
 * (smp_report counts them), none a guest. */
#define NMI_STORM 100
#define NMI_GAP_NS 2000000

static void nmi_storm(void)
{
	for (int i = 0; i < NMI_STORM; i++) {
		lapic_send_ipi(cpu_by_id(0)->apic_id, ICR_NMI);
		time_wait_until(time_now_ns() + NMI_GAP_NS);
	}
}

static void start_nmi_storm(void)
{
	if (smp_call(1, nmi_storm))
		log_info("selftest: CPU 1 sends CPU 0 %d NMIs\n", NMI_STORM);
	else
		log_err("selftest: nmi needs a second CPU\n");
}

/* Deliberate faults, so the exception path can be tested end to end. */
static void run_selftest(u8 which)
{
	static u8 ret_insn[16] = { 0xc3 };   /* data, not executable */

	if (which != SELFTEST_UD && which != SELFTEST_WRITE_TEXT && which != SELFTEST_EXEC_DATA)
		return;
	log_info("selftest: provoking a fault on purpose\n");
	if (which == SELFTEST_UD)
		__asm__ volatile("ud2");
	if (which == SELFTEST_WRITE_TEXT)
		*(volatile u8 *)(uintptr_t)__text_start = 0x90;
	if (which == SELFTEST_EXEC_DATA)
		((void (*)(void))(uintptr_t)ret_insn)();
	log_err("selftest: the fault did not happen\n");
	power_off(HV_EXIT_PANIC);
}

void hv_main(struct boot_info *bi)
{
	struct cpu *bsp = cpu_boot_init();
	u32 failed = 0;   /* guests that could not be created */

	config_init(&cfg);
	if (bi->magic != BOOT_INFO_MAGIC) {
		start_console();
		panic("boot: bad boot_info magic %x", bi->magic);
	}
	load_config(bi);
	start_console();
	banner(bi);
	if (bi->error[0])
		panic("boot: %s", bi->error);
	idt_init();
	cpu_tables_init(bsp);
	power_init(bi);
	acpi_init(bi->rsdp);
	mm_init(bi);
	console_use_heap();
	print_config(bi);
	if (cfg.nerrors + check_guests(bi)) {
		log_err("config: not starting: fix the errors above\n");
		power_off(HV_EXIT_CONFIG);
	}
	run_selftest(cfg.selftest);
	if (virt_init(cfg.cpus) && cfg.nguests)
		power_off(HV_EXIT_UNSUPPORTED);
	if (cfg.selftest == SELFTEST_NMI)
		start_nmi_storm();
	if (cfg.nguests)
		failed = guests_run(&cfg, bi);
	smp_report();
	log_info("hv: done\n");
	if (failed)
		log_err("guests: %u could not be created (said above)\n", failed);
	power_off(failed ? HV_EXIT_GUEST : HV_EXIT_OK);
}
