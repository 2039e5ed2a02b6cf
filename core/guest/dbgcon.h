/* The debug console: Ctrl-] on the hypervisor's serial console pauses every
 * guest and reads commands (help lists them) until "continue". Anything
 * else typed goes to the input guest's COM1 (core/dev/gcons.h). */
#ifndef CORE_DBGCON_H
#define CORE_DBGCON_H

#include "sched/sched.h"

#define DBGCON_KEY 0x1d   /* Ctrl-] */

/* Between the boot CPU's slices: enters the console if its key was typed,
 * with the other CPUs held (hold(true) before, hold(false) after: the
 * run loop parks them, so that every guest is still while it runs). */
void dbgcon_poll(struct scheduler *s, void (*hold)(bool on));

#endif
