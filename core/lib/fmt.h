/* A small printf engine, independent of any output device.
 * Conversions: %s %c %d %i %u %x %X %p %%, with the l, ll and z length
 * modifiers, the '-' and '0' flags, a field width (digits or *) and a
 * precision for %s (digits or *). An unknown conversion is printed as is. */
#ifndef CORE_FMT_H
#define CORE_FMT_H

#include "core/lib/types.h"

/* Receives each produced character in order. */
typedef void (*fmt_sink)(void *ctx, char c);

/* Formats into sink; returns the number of characters produced. */
int vformat(fmt_sink sink, void *ctx, const char *fmt, va_list ap);

/* Formats into buf (size > 0), always terminated, cut to fit. Returns the
 * length the full result would have, as snprintf does. */
int vsnformat(char *buf, size_t size, const char *fmt, va_list ap);
int snformat(char *buf, size_t size, const char *fmt, ...) PRINTF(3, 4);

/* snformat for an error message; returns -1, for "return errformat(...)". */
int errformat(char *buf, size_t size, const char *fmt, ...) PRINTF(3, 4);

#endif
