/* PCI configuration mechanism #1 at 0xcf8 (address) and 0xcfc-0xcff (data)
 * with no device behind it: the address register keeps what the guest
 * writes, so probing finds the mechanism, and every configuration read is
 * all ones, so it finds no device. */
#include "core/dev/vpci.h"

static u32 vpci_read(struct guest *g, u16 port, u8 size)
{
	if (port == 0xcf8 && size == 4)
		return g->pci_address;
	return 0xffffffff;
}

static struct act vpci_write(struct guest *g, u16 port, u8 size, u32 val)
{
	if (port == 0xcf8 && size == 4)
		g->pci_address = val & 0x80fffffc;
	return act_resume();
}

const struct pio_dev vpci = { "pci", 0xcf8, 8, vpci_read, vpci_write };
