/* Console output: formats with core/fmt and hands each character to the
 * active device. A "\n" is sent as "\r\n" for terminals. */
#include "core/console.h"
#include "core/fmt.h"

static const struct console_ops *con_ops;
static void *con_dev;
static u8 log_level = LOG_INFO;

void console_set(const struct console_ops *ops, void *dev)
{
	con_ops = ops;
	con_dev = dev;
}

int console_getc(void)
{
	return con_ops && con_ops->getc ? con_ops->getc(con_dev) : -1;
}

static void con_put(void *ctx, char c)
{
	(void)ctx;
	if (!con_ops)
		return;
	if (c == '\n')
		con_ops->putc(con_dev, '\r');
	con_ops->putc(con_dev, c);
}

int kvprintf(const char *fmt, va_list ap)
{
	return vformat(con_put, NULL, fmt, ap);
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
