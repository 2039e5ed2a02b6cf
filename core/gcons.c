/* Guest console lines. Control characters other than tab are shown as '.',
 * so a guest cannot drive the operator's terminal. */
#include "core/gcons.h"
#include "core/console.h"

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
