/* The few C string and memory functions the hypervisor uses. On target they
 * come from core/lib/string.c; on the host (unit tests) from the C library. */
#ifndef CORE_STRING_H
#define CORE_STRING_H

#include "core/lib/types.h"

void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/* Copies at most size-1 bytes of src and always terminates d (size > 0).
 * Returns strlen(src), so a result >= size means src was cut. */
size_t strlcpy(char *d, const char *s, size_t size);

#endif
