/* Guest console lines. Control characters other than tab are shown as '.',
 * so a guest cannot drive the operator's terminal. */
#include "core/gcons.h"
#include "core/console.h"
#include "core/vio.h"

/* Typed bytes the input guest's FIFO had no room for yet. */
#define HELD 256

static struct guest *input;
static u8 held[HELD];
static u32 held_head, held_len;

void gcons_flush(struct guest *g)
{
	if (!g->con_len)
		return;
	kprintf("[%s] %.*s\n", g->name, (int)g->con_len, g->con_line);
	g->con_len = 0;
}

void gcons_putc(struct guest *g, char c)
{
	if (c == '\n') {
		gcons_flush(g);
		return;
	}
	if (c == '\r')
		return;
	if ((c < 0x20 && c != '\t') || c == 0x7f)
		c = '.';
	g->con_line[g->con_len++] = c;
	if (g->con_len == GCONS_LINE)
		gcons_flush(g);
}

void gcons_set_input(struct guest *g)
{
	input = g;
}

/* Moves held bytes into the guest's FIFO while it has room. */
static void feed(void)
{
	while (held_len && vuart_receive(input, held[held_head])) {
		held_head = (held_head + 1) % HELD;
		held_len--;
	}
}

bool gcons_input(int key)
{
	int c;

	while ((c = console_getc()) >= 0) {
		if (c == key)
			return true;
		if (input && held_len < HELD)
			held[(held_head + held_len++) % HELD] = (u8)c;
	}
	if (held_len && input->state != GUEST_STOPPED)
		feed();
	return false;
}
