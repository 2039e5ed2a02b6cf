/* The guest's CMOS at 0x70/0x71 (core/dev/vrtc.c): the hypervisor's date
 * and time, read only, and CMOS RAM. State: struct guest's cmos_index and
 * cmos_ram. */
#ifndef CORE_DEV_VRTC_H
#define CORE_DEV_VRTC_H

#include "core/vm/device.h"

extern const struct pio_dev vrtc;

#endif
