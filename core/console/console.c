/* Console output: formats with core/fmt and hands each character to the
 * active device. A "\n" is sent as "\r\n" for terminals.
 *
 * Every entry point below takes the console lock once several CPUs run
 * (console_share): the ring, its indices and the device are the lock's.
 * A kprintf's text, and a console_put's bytes, go into the ring in one
 * piece, so a line printed by one call never interleaves another CPU's. */
#include "core/console/console.h"
#include "core/lib/spinlock.h"
#include "core/lib/fmt.h"
#include "core/lib/string.h"

static struct spinlock lock = SPINLOCK("console");
static bool shared;   /* several CPUs print: take the lock */

static void take(void)
{
	if (shared)
		spin_lock(&lock);
}

static void give(void)
{
	if (shared)
		spin_unlock(&lock);
}

void console_share(bool on)
{
	shared = on;
}

static const struct console_ops *con_ops;
static void *con_dev;
static u8 log_level = LOG_INFO;
/* The output ring: a static one for the first messages, until
 * console_set_ring gives the full CONSOLE_RING bytes from the heap. */
static char boot_ring[1024];
static char *ring = boot_ring;
static u32 ring_size = sizeof(boot_ring);
static u32 ring_head, ring_used;   /* the oldest byte waiting, bytes waiting */

/* What waits in the boot ring moves over (size is larger), so no message
 * of the boot waits for the device. */
void console_set_ring(char *buf, u32 size)
{
	for (u32 i = 0; i < ring_used; i++)
		buf[i] = ring[(ring_head + i) % ring_size];
	ring = buf;
	ring_size = size;
	ring_head = 0;
}

void console_set(const struct console_ops *ops, void *dev)
{
	con_ops = ops;
	con_dev = dev;
}

int console_getc(void)
{
	int c;

	take();
	c = con_ops && con_ops->getc ? con_ops->getc(con_dev) : -1;
	give();
	return c;
}

/* Sends the oldest waiting byte: true when it went. */
static bool send_one(bool wait)
{
	char c = ring[ring_head];

	if (wait || !con_ops->try_putc)
		con_ops->putc(con_dev, c);
	else if (!con_ops->try_putc(con_dev, c))
		return false;
	ring_head = (ring_head + 1) % ring_size;
	ring_used--;
	return true;
}

static void send(u32 n)
{
	while (con_ops && ring_used && n-- && send_one(false))
		;
}

void console_send(u32 n)
{
	take();
	send(n);
	give();
}

void console_poll(void)
{
	console_send(CONSOLE_POLL_MAX);
}

u32 console_waiting(void)
{
	return ring_used;
}

void console_flush(void)
{
	take();
	while (con_ops && ring_used)
		send_one(true);
	give();
}

bool console_room(u32 n)
{
	return ring_size - ring_used >= n;
}

void console_put(const char *s, u32 n)
{
	take();
	while (con_ops && n) {
		u32 tail, k;

		if (ring_used == ring_size)
			send_one(true);
		tail = (ring_head + ring_used) % ring_size;
		k = MIN(n, MIN(ring_size - ring_used, ring_size - tail));
		memcpy(ring + tail, s, k);
		ring_used += k;
		s += k;
		n -= k;
	}
	give();
}

static void ring_put(char c)
{
	if (ring_used == ring_size)
		send_one(true);
	ring[(ring_head + ring_used++) % ring_size] = c;
}

static void con_put(void *ctx, char c)
{
	(void)ctx;
	if (!con_ops)
		return;
	if (c == '\n')
		ring_put('\r');
	ring_put(c);
}

int kvprintf(const char *fmt, va_list ap)
{
	int n;

	take();
	n = vformat(con_put, NULL, fmt, ap);
	send(CONSOLE_POLL_MAX);
	give();
	return n;
}

int kprintf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvprintf(fmt, ap);
	va_end(ap);
	return n;
}

void log_set_level(u8 level)
{
	log_level = level;
}

void klog(u8 level, const char *fmt, ...)
{
	va_list ap;

	if (level > log_level)
		return;
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}
