/* The built-in default scenario: when the boot door found no
 * configuration, these images stand in as boot modules, so a bare hv.efi
 * or hv.elf still runs guests (config_default_text names them). */
#ifndef CORE_BUILTIN_H
#define CORE_BUILTIN_H

#include "core/config/boot_info.h"

/* Adds the built-in images to bi's modules. */
void builtin_add_modules(struct boot_info *bi);

#endif
