/* The isa-debug-exit port, as guest test suites written for QEMU use it
 * (kvm-unit-tests: `-device isa-debug-exit,iobase=0xf4,iosize=4`): a write
 * of any width of value N stops the guest with status (N << 1) | 1, the
 * exit status QEMU would give, in the stop line "debug exit (status S)".
 * Only for a guest whose line says debug_exit=on;
 * for the others the ports are like any unclaimed one (reads all-ones,
 * writes ignored), so a stray write there ends nothing. */
#include "core/dev/vdebugexit.h"
#include "core/vm/vcpu_util.h"

static u32 debug_exit_read(struct guest *g, u16 port, u8 size)
{
	(void)g, (void)port, (void)size;
	return ~0u;
}

static struct act debug_exit_write(struct guest *g, u16 port, u8 size, u32 val)
{
	(void)port, (void)size;
	if (!g->cfg->debug_exit)
		return act_resume();
	return guest_stop(g, "debug exit (status %lu)", (u64)val << 1 | 1);
}

const struct pio_dev vdebug_exit = { "debug-exit", 0xf4, 4, debug_exit_read, debug_exit_write };
