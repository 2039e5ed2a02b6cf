/* The guest's ACPI fixed-hardware registers, as the FADT (core/dev/vacpi.c)
 * names them: the PM1a event block (status, write 1 to clear; enable),
 * the PM1a control block (SCI_EN always set; SLP_TYP 5 with SLP_EN is S5:
 * the guest is powered off, which stops it alone) and the 24-bit PM timer
 * at 3.579545 MHz of the hypervisor's clock. */
#include "core/dev/vpm.h"
#include "core/dev/vacpi.h"
#include "core/hw/time.h"
#include "core/vm/vcpu_util.h"

#define SLP_EN (1u << 13)
#define PM_TIMER_HZ 3579545ULL

static u32 pm_read(struct guest *g, u16 port, u8 size)
{
	u32 v;

	if (port >= VACPI_PM_TMR)
		v = (u32)(time_now_ns() / 1000 * PM_TIMER_HZ / 1000000) & 0xffffff;
	else if (port >= VACPI_PM1_CNT)
		v = g->pm->pm1_cnt;
	else
		v = g->pm->pm1_sts | (u32)g->pm->pm1_en << 16;
	return v >> 8 * (port & 3) & (u32)width_mask(size);
}

/* val was written at port with size bytes: the block's bits it covers. */
static u32 written_mask(u16 port, u8 size)
{
	return (u32)width_mask(size) << 8 * (port & 3);
}

static struct act pm_write(struct guest *g, u16 port, u8 size, u32 val)
{
	struct vpm *a = g->pm;
	u32 mask = written_mask(port, size), v = val << 8 * (port & 3) & mask;

	if (port >= VACPI_PM_TMR)
		return act_resume();
	if (port >= VACPI_PM1_CNT) {
		a->pm1_cnt = (u16)(((a->pm1_cnt & ~mask) | v) & ~SLP_EN) | VACPI_SCI_EN;
		if ((v & SLP_EN) && (v >> 10 & 7) == VACPI_SLP_TYP_S5)
			return guest_stop(g, "powered off (ACPI S5)");
		return act_resume();
	}
	a->pm1_sts &= (u16)~v;                              /* status bits: write 1 to clear */
	a->pm1_en = (u16)(((a->pm1_en & ~(mask >> 16)) | v >> 16));
	return act_resume();
}

void vpm_reset(struct guest *g)
{
	*g->pm = (struct vpm){ .pm1_cnt = VACPI_SCI_EN };
}

const struct pio_dev vpm = { "acpi-pm", VACPI_PM1_EVT, VACPI_PM_PORTS, pm_read, pm_write };
