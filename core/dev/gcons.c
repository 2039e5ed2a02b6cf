/* Guest console lines. Control characters other than tab are shown as '.',
 * so a guest cannot drive the operator's terminal. */
#include "core/dev/gcons.h"
#include "core/console/console.h"
#include "core/dev/vuart.h"
#include "mm/mm.h"
#include "core/lib/string.h"

/* Typed bytes the input guest's FIFO had no room for yet. */
#define HELD 256

struct guest *gcons_input_guest;
static u8 held[HELD];
/* One producer (gcons_input, on the boot CPU), one consumer (gcons_feed,
 * on the input guest's CPU): each index is written by one side only. */
static u32 held_head, held_tail;

/* Length of the oldest waiting line, its newline included. */
static u32 line_len(const struct guest *g)
{
	u32 n = 0;

	while (n < g->cons->used && g->cons->ring[(g->cons->head + n) % GCONS_RING] != '\n')
		n++;
	return n + 1;
}

/* n bytes of g's ring from offset `at` to dst, in at most two copies. */
static void ring_copy(const struct guest *g, u32 at, char *dst, u32 n)
{
	u32 first = MIN(n, GCONS_RING - at);

	memcpy(dst, g->cons->ring + at, first);
	memcpy(dst + first, g->cons->ring, n - first);
}

/* Hands the oldest waiting line to the console as "[name] text\r\n",
 * whole; if wait, waiting for room in the console's ring if need be, else
 * only if there is room now. Its length with the newline, or 0 if it did
 * not go. Block copies: cheap whatever the line. */
static u32 print_line(struct guest *g, bool wait)
{
	char out[CFG_NAME_MAX + 3 + GCONS_LINE + 2];
	u32 n = line_len(g), name = (u32)strlen(g->name), k = 0;

	out[k++] = '[';
	memcpy(out + k, g->name, name);
	k += name;
	out[k++] = ']';
	out[k++] = ' ';
	ring_copy(g, g->cons->head, out + k, n - 1);
	k += n - 1;
	out[k++] = '\r';
	out[k++] = '\n';
	if (wait)
		console_put(out, k);
	else if (!console_try_put(out, k))
		return 0;
	g->cons->head = (g->cons->head + n) % GCONS_RING;
	g->cons->used -= n;
	return n;
}

/* "[name] " and "\r\n" around a line on the console. */
static u32 framing(const struct guest *g)
{
	return (u32)strlen(g->name) + 5;
}

u32 gcons_drain(struct guest *g)
{
	u32 moved = 0, sent = 0, n;

	while (g->cons->used && moved < GCONS_DRAIN && (n = print_line(g, false))) {
		sent += framing(g) - 1;   /* the line's own newline is in both */
		moved += n;
	}
	return moved + sent;
}

/* The line being assembled goes into the ring. When the ring is full and
 * the console takes nothing now, one line waits for the console (at most
 * one line's time of the device). */
static void finish_line(struct guest *g)
{
	if (GCONS_RING - g->cons->used < g->cons->len + 1)
		gcons_drain(g);
	if (GCONS_RING - g->cons->used < g->cons->len + 1)
		print_line(g, true);
	g->cons->line[g->cons->len++] = '\n';
	for (u32 done = 0, at, k; done < g->cons->len; done += k) {
		at = (g->cons->head + g->cons->used) % GCONS_RING;
		k = MIN(g->cons->len - done, GCONS_RING - at);
		memcpy(g->cons->ring + at, g->cons->line + done, k);
		g->cons->used += k;
	}
	g->cons->len = 0;
}

bool gcons_room(struct guest *g, u64 len)
{
	/* len bytes make at most len / GCONS_LINE + 1 lines, each with a '\n' */
	u64 need = len + len / GCONS_LINE + 1 + g->cons->len;

	if (GCONS_RING - g->cons->used >= need)
		return true;
	gcons_drain(g);
	return false;
}

int gcons_create(struct guest *g)
{
	g->cons = kzalloc(sizeof(*g->cons));
	if (!g->cons)
		return -1;
	g->cons->ring = (char *)(uintptr_t)frames_alloc_filled(GCONS_RING / PAGE_SIZE, 0);
	return g->cons->ring ? 0 : -1;
}

void gcons_cancel(struct guest *g)
{
	g->cons->todo = 0;
}

void gcons_write(struct guest *g, const char *src, u32 len)
{
	g->cons->src = src;
	g->cons->todo = len;
}

static void take(struct guest *g, u32 n)
{
	for (u32 i = 0; i < n; i++)
		gcons_putc(g, g->cons->src[i]);
	g->cons->src += n;
	g->cons->todo -= n;
}

bool gcons_write_step(struct guest *g)
{
	take(g, MIN(g->cons->todo, (u32)GCONS_STEP));
	return !g->cons->todo;
}

void gcons_flush(struct guest *g)
{
	take(g, g->cons->todo);
	if (g->cons->len)
		finish_line(g);
	while (g->cons->used)
		print_line(g, true);
}

void gcons_putc(struct guest *g, char c)
{
	if (c == '\n') {
		finish_line(g);
		return;
	}
	if (c == '\r')
		return;
	if ((c < 0x20 && c != '\t') || c == 0x7f)
		c = '.';
	g->cons->line[g->cons->len++] = c;
	if (g->cons->len == GCONS_LINE)
		finish_line(g);
}

void gcons_set_input(struct guest *g)
{
	gcons_input_guest = g;
}

void gcons_feed(struct guest *g)
{
	u32 head = held_head;

	while (head != __atomic_load_n(&held_tail, __ATOMIC_ACQUIRE) && vuart_receive(g, held[head % HELD]))
		head++;
	__atomic_store_n(&held_head, head, __ATOMIC_RELEASE);
}

bool gcons_input(int key)
{
	int c;

	while ((c = console_getc()) >= 0) {
		if (c == key)
			return true;
		if (gcons_input_guest && held_tail - __atomic_load_n(&held_head, __ATOMIC_ACQUIRE) < HELD) {
			held[held_tail % HELD] = (u8)c;
			__atomic_store_n(&held_tail, held_tail + 1, __ATOMIC_RELEASE);
		}
	}
	return false;
}
