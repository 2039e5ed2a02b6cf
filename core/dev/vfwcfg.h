/* QEMU's fw_cfg interface at ports 0x510 (selector) and 0x511 (data),
 * the traditional one without DMA (core/dev/vfwcfg.c). State: struct
 * guest's fw_cfg_key and fw_cfg_off. */
#ifndef CORE_DEV_VFWCFG_H
#define CORE_DEV_VFWCFG_H

#include "core/vm/device.h"

extern const struct pio_dev vfwcfg;

#endif
