/* The backend in use (core/vm/backend.h). */
#include "core/vm/backend.h"

const struct backend_ops *backend;
