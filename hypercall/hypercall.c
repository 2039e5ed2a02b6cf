/* Hypercall implementations. */
#include "hypercall/hypercall.h"
#include "core/gcons.h"
#include "core/vcpu_util.h"
#include "mm/gmem.h"

int hc_console_write(struct guest *g, u64 gpa, u64 len)
{
	const char *p = gmem_ptr(g, gpa, len);

	if (!p)
		return -1;
	for (u64 i = 0; i < len; i++)
		gcons_putc(g, p[i]);
	return 0;
}

void hc_shutdown(struct guest *g, u64 code)
{
	gcons_flush(g);
	g->exit_code = code;
	guest_stop(g, "shutdown (code %lu)", code);
}
