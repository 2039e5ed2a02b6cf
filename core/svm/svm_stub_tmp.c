#include "core/backend.h"
#include "core/console.h"
static int p(void) { log_err("svm: backend not written yet\n"); return -1; }
const struct backend_ops svm_backend = { .name = "AMD-V", .probe = p };
