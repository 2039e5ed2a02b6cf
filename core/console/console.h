/* The hypervisor console: one output device behind an ops struct, the
 * printf family on top, and log levels. Output goes through one ring of
 * CONSOLE_RING bytes, in order: printing waits only while the ring is full
 * (one byte's time of the device per byte), and console_poll sends what
 * the device takes without waiting, so a slow serial line is not paid for
 * inside a guest's exit. */
#ifndef CORE_CONSOLE_H
#define CORE_CONSOLE_H

#include "core/config/config.h"
#include "core/lib/types.h"

struct console_ops {
	const char *name;
	void (*putc)(void *dev, char c);       /* waits (a bounded time) for room */
	bool (*try_putc)(void *dev, char c);   /* optional: false when it has no room now */
	int (*getc)(void *dev);    /* optional: a received byte, or -1 (never waits) */
};

/* From on (on = true), every console call takes the console lock: before
 * a second CPU starts. Off again (power-off, panic) once the other CPUs
 * are stopped, whatever lock they held. */
void console_share(bool on);

/* Makes ops/dev the console; NULL ops silences it. */
void console_set(const struct console_ops *ops, void *dev);

#define CONSOLE_RING 4096

/* Sends waiting output while the device takes it without waiting, at most
 * CONSOLE_POLL_MAX bytes: a 16550's FIFO, what a real line takes at once
 * (16 bytes per 1 ms slice outruns 115200 baud), so the device's port
 * accesses between two slices stay short whoever wrote the output. */
#define CONSOLE_POLL_MAX 16
void console_poll(void);

/* The same for at most n bytes: a guest's slice sends as many as it just
 * handed to the ring (core/guest/run.c), so each guest pays for its own volume. */
void console_send(u32 n);

/* Once the heap exists: the ring becomes buf (size bytes, CONSOLE_RING, at
 * least the boot ring's 1024), keeping what waits in it. */
void console_set_ring(char *buf, u32 size);

/* Bytes in the ring the device has not taken yet. */
u32 console_waiting(void);

/* Sends all waiting output, waiting for the device (power-off, panic). */
void console_flush(void);

/* Whether n more bytes fit in the ring without waiting. */
bool console_room(u32 n);

/* n bytes as they are (no "\n" translation) into the ring, in one piece
 * if they fit in it (no other CPU's output in between); waits for the
 * device only while the ring has no room for them, at most a byte's time
 * with the console lock held. */
void console_put(const char *s, u32 n);

/* The same if the ring has room for all n bytes now; false (nothing put)
 * if not. */
bool console_try_put(const char *s, u32 n);

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
