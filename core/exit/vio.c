/* Port I/O exits: find the device, move the data in or out of RAX. */
#include "core/exit/exit.h"
#include "core/dev/vdebugexit.h"
#include "core/dev/vfwcfg.h"
#include "core/dev/vpci.h"
#include "core/dev/vpm.h"
#include "core/dev/vreset.h"
#include "core/dev/vrtc.h"
#include "core/dev/vuart.h"
#include "core/irq/vpic.h"
#include "core/irq/vpit.h"
#include "core/vm/vcpu_util.h"

/* The first device whose range holds the port wins: the byte register
 * 0xcf9 (reset) lies inside the PCI window 0xcf8-0xcff and comes first. */
static const struct pio_dev *const devices[] = {
	&vuart_com1, &vrtc, &vreset_cf9, &vpci, &vpit, &vport61, &vpic_master, &vpic_slave, &velcr,
	&vpm, &vreset_92, &vdebug_exit, &vfwcfg,
};

static const struct pio_dev *find(u16 port)
{
	for (size_t i = 0; i < ARRAY_SIZE(devices); i++)
		if (port >= devices[i]->base && port - devices[i]->base < devices[i]->count)
			return devices[i];
	return NULL;
}

struct act exit_io(struct vcpu *v, struct exit_info *ei)
{
	const struct pio_dev *d = find(ei->io.port);
	u8 size = ei->io.size;
	u64 mask = width_mask(size);

	struct act next = act_resume();

	if (ei->io.string)
		return guest_stop(v->guest, "string port I/O (INS/OUTS) at port %x is not emulated", ei->io.port);
	if (ei->io.in) {
		u64 val = d ? d->read(v->guest, ei->io.port, size) & mask : mask;

		/* a 32-bit IN clears the upper half of RAX, as on hardware */
		v->gprs.rax = size == 4 ? val : (v->gprs.rax & ~mask) | val;
	} else if (d) {
		next = d->write(v->guest, ei->io.port, size, (u32)(v->gprs.rax & mask));
	}
	vcpu_skip(v, ei->insn_len);   /* the access completed, whatever comes next */
	return next;
}
