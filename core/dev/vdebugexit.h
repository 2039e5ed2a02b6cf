/* QEMU's isa-debug-exit device at ports 0xf4-0xf7, for the guest whose
 * line says debug_exit=on (core/dev/vdebugexit.c). No state. */
#ifndef CORE_DEV_VDEBUGEXIT_H
#define CORE_DEV_VDEBUGEXIT_H

#include "core/vm/device.h"

extern const struct pio_dev vdebug_exit;

#endif
