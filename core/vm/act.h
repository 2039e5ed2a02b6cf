/* What the run loop (core/guest/run.c) does after an exit. Every exit
 * handler, hypercall and port write that can end or change the guest's
 * run says so by returning one of these; nothing is left in struct guest
 * for the loop to find. */
#ifndef CORE_VM_ACT_H
#define CORE_VM_ACT_H

#include "core/lib/types.h"

enum act_kind {
	ACT_RESUME,    /* enter the guest again while its slice lasts */
	ACT_YIELD,     /* end the slice; the guest stays runnable */
	ACT_BLOCK,     /* end the slice; runnable again once the clock reaches until_ns (> 0) */
	ACT_REBOOT,    /* start again from the image, RAM wiped first in its own slices */
	ACT_STOP,      /* stopped for good: only guest_stop returns it, with the reason */
};

struct act {
	enum act_kind kind;
	u64 until_ns;              /* ACT_BLOCK */
};

static inline struct act act_resume(void)
{
	return (struct act){ ACT_RESUME, 0 };
}

static inline struct act act_yield(void)
{
	return (struct act){ ACT_YIELD, 0 };
}

static inline struct act act_block(u64 until_ns)
{
	return (struct act){ ACT_BLOCK, until_ns };
}

static inline struct act act_reboot(void)
{
	return (struct act){ ACT_REBOOT, 0 };
}

#endif
