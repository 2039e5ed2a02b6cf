/* Console output: formats with core/fmt and hands each character to the
 * active device. A "\n" is sent as "\r\n" for terminals.
 *
 * Every entry point below takes the console lock once several CPUs run
 * (console_share): the ring, its indices and the device are the lock's.
 * A kprintf's text (up to KPRINTF_PIECE bytes) and a console_put's bytes
 * go into the ring in one piece, so a line printed by one call never
 * interleaves another CPU's; nobody waits for the device with the lock
 * held longer than one byte's time. */
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

/* n bytes (at most the ring's size) into the ring, in one piece; the
 * lock is held. */
static void copy_in(const char *s, u32 n)
{
	u32 tail = (ring_head + ring_used) % ring_size, k = MIN(n, ring_size - tail);

	memcpy(ring + tail, s, k);
	memcpy(ring, s + k, n - k);
	ring_used += n;
}

/* Waits, with the lock held, until n bytes fit: at most one byte's time
 * of the device at a time, then lets the other CPUs in before it looks
 * again. True with the lock held and the room there; false (lock not
 * held) when there is no console. */
static bool take_room(u32 n)
{
	for (;;) {
		take();
		if (!con_ops) {
			give();
			return false;
		}
		if (ring_size - ring_used >= n)
			return true;
		send_one(true);
		give();
		__asm__ volatile("pause");
	}
}

void console_put(const char *s, u32 n)
{
	while (n) {
		u32 k = MIN(n, ring_size);

		if (!take_room(k))
			return;
		copy_in(s, k);
		give();
		s += k;
		n -= k;
	}
}

bool console_try_put(const char *s, u32 n)
{
	bool ok;

	take();
	ok = con_ops && ring_size - ring_used >= n;
	if (ok)
		copy_in(s, n);
	give();
	return ok || !con_ops;
}

/* kvprintf's text, gathered in pieces of KPRINTF_PIECE bytes (a "\n" as
 * "\r\n"), each put into the ring whole. */
#define KPRINTF_PIECE 240

struct piece {
	char buf[KPRINTF_PIECE];
	u32 len;
};

static void piece_put(void *ctx, char c)
{
	struct piece *p = ctx;

	if (p->len + 2 > sizeof(p->buf)) {
		console_put(p->buf, p->len);
		p->len = 0;
	}
	if (c == '\n')
		p->buf[p->len++] = '\r';
	p->buf[p->len++] = c;
}

int kvprintf(const char *fmt, va_list ap)
{
	struct piece p;
	int n;

	p.len = 0;
	n = vformat(piece_put, &p, fmt, ap);
	console_put(p.buf, p.len);
	console_poll();
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
