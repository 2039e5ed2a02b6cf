/* A guest's console output on the hypervisor console, one line at a time,
 * prefixed with the guest's name: "[hello] text". Both the emulated COM1
 * and the console-write hypercall end here. */
#ifndef CORE_GCONS_H
#define CORE_GCONS_H

#include "core/vcpu.h"

void gcons_putc(struct guest *g, char c);
void gcons_flush(struct guest *g);

/* Console input: bytes typed on the hypervisor's console go to the COM1 of
 * the guest set here (NULL: nowhere; a stopped guest gets nothing), up to
 * 256 held back while its FIFO is full (more are dropped). gcons_input
 * moves what is waiting and returns true, leaving the rest, when it meets
 * the byte `key` (the debug console's). */
void gcons_set_input(struct guest *g);
bool gcons_input(int key);

#endif
