/* The debug console: Ctrl-] on the hypervisor's serial console pauses every
 * guest and reads commands (help lists them) until "continue". Anything
 * else typed goes to the input guest's COM1 (core/dev/gcons.h). */
#ifndef CORE_DBGCON_H
#define CORE_DBGCON_H

#include "sched/sched.h"

#define DBGCON_KEY 0x1d   /* Ctrl-] */

/* Between slices: enters the console if its key was typed. */
void dbgcon_poll(struct scheduler *s);

#endif
