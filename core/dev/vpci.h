/* PCI configuration mechanism 1 at 0xcf8-0xcff (core/dev/vpci.c): no
 * devices on the bus. State: struct guest's pci_address. */
#ifndef CORE_DEV_VPCI_H
#define CORE_DEV_VPCI_H

#include "core/vm/device.h"

extern const struct pio_dev vpci;

#endif
