/* The reset controls at 0xcf9 and 0x92 (core/dev/vreset.c). No state. */
#ifndef CORE_DEV_VRESET_H
#define CORE_DEV_VRESET_H

#include "core/vm/device.h"

extern const struct pio_dev vreset_cf9, vreset_92;

#endif
