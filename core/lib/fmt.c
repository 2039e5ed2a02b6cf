/* The printf engine: one pass over the format, one sink call per character. */
#include "core/lib/fmt.h"

struct spec {
	bool left;      /* '-': pad on the right */
	bool zero;      /* '0': pad numbers with zeros */
	int width;
	int prec;       /* -1 when absent; used by %s only */
	int lmod;       /* number of 'l' (a 'z' counts as one) */
};

struct out {
	fmt_sink sink;
	void *ctx;
	int n;
};

static void put(struct out *o, char c)
{
	o->sink(o->ctx, c);
	o->n++;
}

static void pad(struct out *o, int count, char c)
{
	while (count-- > 0)
		put(o, c);
}

static void emit_str(struct out *o, const struct spec *sp, const char *s)
{
	int len = 0;

	if (!s)
		s = "(null)";
	while ((sp->prec < 0 || len < sp->prec) && s[len])
		len++;
	if (!sp->left)
		pad(o, sp->width - len, ' ');
	for (int i = 0; i < len; i++)
		put(o, s[i]);
	if (sp->left)
		pad(o, sp->width - len, ' ');
}

/* Prints v in base 10 or 16, with an optional minus sign and prefix. */
static void emit_num(struct out *o, const struct spec *sp, u64 v, bool neg,
		     unsigned base, bool upper, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	int len = 0, plen = (int)(neg ? 1 : 0);

	do {
		buf[len++] = digits[v % base];
		v /= base;
	} while (v);
	for (const char *p = prefix; *p; p++)
		plen++;
	int fill = sp->width - len - plen;

	if (!sp->left && !sp->zero)
		pad(o, fill, ' ');
	if (neg)
		put(o, '-');
	for (const char *p = prefix; *p; p++)
		put(o, *p);
	if (!sp->left && sp->zero)
		pad(o, fill, '0');
	while (len)
		put(o, buf[--len]);
	if (sp->left)
		pad(o, fill, ' ');
}

static u64 arg_unsigned(va_list *ap, int lmod)
{
	return lmod ? va_arg(*ap, u64) : va_arg(*ap, unsigned int);
}

static s64 arg_signed(va_list *ap, int lmod)
{
	return lmod ? va_arg(*ap, s64) : va_arg(*ap, int);
}

/* Reads flags, width, precision and length; returns the conversion char. */
static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	*sp = (struct spec){ .prec = -1 };
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		f++;
	}
	for (; *f >= '0' && *f <= '9'; f++)
		sp->width = sp->width * 10 + (*f - '0');
	if (*f == '.') {
		sp->prec = 0;
		if (*++f == '*') {
			sp->prec = va_arg(*ap, int);
			f++;
		}
		for (; *f >= '0' && *f <= '9'; f++)
			sp->prec = sp->prec * 10 + (*f - '0');
	}
	for (; *f == 'l' || *f == 'z'; f++)
		sp->lmod++;
	return f;
}

static void convert(struct out *o, struct spec *sp, char c, va_list *ap)
{
	s64 sv;

	switch (c) {
	case 's':
		emit_str(o, sp, va_arg(*ap, const char *));
		break;
	case 'c':
		sp->prec = -1;
		emit_str(o, sp, (char[]){ (char)va_arg(*ap, int), 0 });
		break;
	case 'd':
	case 'i':
		sv = arg_signed(ap, sp->lmod);
		emit_num(o, sp, sv < 0 ? -(u64)sv : (u64)sv, sv < 0, 10, false, "");
		break;
	case 'u':
		emit_num(o, sp, arg_unsigned(ap, sp->lmod), false, 10, false, "");
		break;
	case 'x':
	case 'X':
		emit_num(o, sp, arg_unsigned(ap, sp->lmod), false, 16, c == 'X', "");
		break;
	case 'p':
		emit_num(o, sp, (u64)(uintptr_t)va_arg(*ap, void *), false, 16, false, "0x");
		break;
	case '%':
		put(o, '%');
		break;
	default:
		put(o, '%');
		if (c)
			put(o, c);
	}
}

int vformat(fmt_sink sink, void *ctx, const char *fmt, va_list ap)
{
	struct out o = { sink, ctx, 0 };
	struct spec sp;
	va_list aq;

	va_copy(aq, ap);
	while (*fmt) {
		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp, &aq);
		convert(&o, &sp, *fmt, &aq);
		if (*fmt)
			fmt++;
	}
	va_end(aq);
	return o.n;
}

struct bufsink {
	char *buf;
	size_t size, len;
};

static void buf_put(void *ctx, char c)
{
	struct bufsink *b = ctx;

	if (b->len + 1 < b->size)
		b->buf[b->len++] = c;
}

int vsnformat(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct bufsink b = { buf, size, 0 };
	int n = vformat(buf_put, &b, fmt, ap);

	if (size)
		buf[b.len] = 0;
	return n;
}

int errformat(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnformat(buf, size, fmt, ap);
	va_end(ap);
	return -1;
}

int snformat(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnformat(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
