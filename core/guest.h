/* Building and running the configured guests. */
#ifndef CORE_GUEST_H
#define CORE_GUEST_H

#include "core/boot_info.h"
#include "core/config.h"
#include "core/vcpu.h"

/* Picks and starts the backend for this CPU. 0, or < 0 after printing why
 * no guest can run here. */
int virt_init(void);

/* Creates every configured guest and runs each until it stops; a guest that
 * cannot be created or misbehaves is stopped alone. Returns the number of
 * guests that could not be created. */
u32 guests_run(const struct config *cfg, const struct boot_info *bi);

/* Guest number id (configuration order), or NULL when there is none. */
struct guest *guest_by_id(u32 id);

#endif
