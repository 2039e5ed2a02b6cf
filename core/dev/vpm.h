/* The guest's ACPI fixed-hardware registers (core/dev/vpm.c), at the ports
 * its tables (core/dev/vacpi.h) name. State: struct guest's pm. */
#ifndef CORE_DEV_VPM_H
#define CORE_DEV_VPM_H

#include "core/vm/device.h"

struct vpm {
	u16 pm1_sts, pm1_en, pm1_cnt;
};

extern const struct pio_dev vpm;

/* As the firmware leaves them: SCI_EN set, nothing pending. */
void vpm_reset(struct guest *g);

#endif
