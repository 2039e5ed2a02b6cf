/* The hypervisor console: one output device behind an ops struct, the
 * printf family on top, and log levels. */
#ifndef CORE_CONSOLE_H
#define CORE_CONSOLE_H

#include "core/config.h"
#include "core/types.h"

struct console_ops {
	const char *name;
	void (*putc)(void *dev, char c);
	int (*getc)(void *dev);    /* optional: a received byte, or -1 (never waits) */
};

/* Makes ops/dev the console; NULL ops silences it. */
void console_set(const struct console_ops *ops, void *dev);

/* A byte typed on the console, or -1 when none is waiting. */
int console_getc(void);

int kprintf(const char *fmt, ...) PRINTF(1, 2);
int kvprintf(const char *fmt, va_list ap);

/* Messages above the level are dropped. */
void log_set_level(u8 level);
void klog(u8 level, const char *fmt, ...) PRINTF(2, 3);

#define log_err(...) klog(LOG_ERROR, "error: " __VA_ARGS__)
#define log_warn(...) klog(LOG_WARN, "warning: " __VA_ARGS__)
#define log_info(...) klog(LOG_INFO, __VA_ARGS__)
#define log_debug(...) klog(LOG_DEBUG, __VA_ARGS__)

#endif
