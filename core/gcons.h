/* A guest's console output on the hypervisor console, one line at a time,
 * prefixed with the guest's name: "[hello] text". Both the emulated COM1
 * and the console-write hypercall end here. */
#ifndef CORE_GCONS_H
#define CORE_GCONS_H

#include "core/vcpu.h"

void gcons_putc(struct guest *g, char c);
void gcons_flush(struct guest *g);

#endif
