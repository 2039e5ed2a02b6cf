/* core/lib/fmt.c: the printf engine. */
#include <limits.h>
#include <stdlib.h>

#include "core/lib/fmt.h"
#include "tests/unit/test.h"

/* Formats without the compiler's format checks, so that deliberately odd
 * formats (unknown conversions, a NULL %s) can be tested. */
static int fmt(char *buf, size_t size, const char *f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = vsnformat(buf, size, f, ap);
	va_end(ap);
	return n;
}

struct counter {
	char text[64];
	int calls;
};

static void count_sink(void *ctx, char c)
{
	struct counter *k = ctx;

	if (k->calls < (int)sizeof(k->text) - 1)
		k->text[k->calls] = c;
	k->calls++;
}

static int vcount(struct counter *k, const char *f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = vformat(count_sink, k, f, ap);
	va_end(ap);
	return n;
}

TEST(fmt_literal_and_percent)
{
	char b[64];

	CHECK_EQ(fmt(b, sizeof(b), "plain text"), 10);
	CHECK_STR(b, "plain text");
	CHECK_EQ(fmt(b, sizeof(b), "100%% sure %%%d", 5), 12);
	CHECK_STR(b, "100% sure %5");
	CHECK_EQ(fmt(b, sizeof(b), ""), 0);
	CHECK_STR(b, "");
}

TEST(fmt_string_and_char)
{
	char b[64];

	CHECK_EQ(fmt(b, sizeof(b), "[%s][%c%c][%5s][%-5s][%3c]", "hv", 'o', 'k',
		     "ab", "cd", 'x'), 27);
	CHECK_STR(b, "[hv][ok][   ab][cd   ][  x]");
	/* A width smaller than the string does not cut it. */
	fmt(b, sizeof(b), "[%2s]", "longer");
	CHECK_STR(b, "[longer]");
	/* A precision applies to %s only, never to %c. */
	fmt(b, sizeof(b), "[%.0c]", 'z');
	CHECK_STR(b, "[z]");
}

TEST(fmt_signed_decimal)
{
	char b[64];

	fmt(b, sizeof(b), "%d %d %i %d", 0, -1, 42, 7);
	CHECK_STR(b, "0 -1 42 7");
	fmt(b, sizeof(b), "%d %d", INT_MAX, INT_MIN);
	CHECK_STR(b, "2147483647 -2147483648");
	CHECK_EQ(fmt(b, sizeof(b), "%ld", INT64_MIN), 20);
	CHECK_STR(b, "-9223372036854775808");
	fmt(b, sizeof(b), "%lld %li", (long long)INT64_MAX, -1234567890123L);
	CHECK_STR(b, "9223372036854775807 -1234567890123");
	fmt(b, sizeof(b), "%zd", (long)-5);
	CHECK_STR(b, "-5");
	/* Without 'l' only an int is taken: the upper half is ignored. */
	fmt(b, sizeof(b), "%d", (int)0xffffffff);
	CHECK_STR(b, "-1");
}

TEST(fmt_unsigned_and_hex)
{
	char b[96];

	fmt(b, sizeof(b), "%u %u %lu", 0u, UINT_MAX, UINT64_MAX);
	CHECK_STR(b, "0 4294967295 18446744073709551615");
	fmt(b, sizeof(b), "%zu %llu", (size_t)4096, 10ULL);
	CHECK_STR(b, "4096 10");
	fmt(b, sizeof(b), "%x %X %x", 0xdeadbeefu, 0xdeadbeefu, 0u);
	CHECK_STR(b, "deadbeef DEADBEEF 0");
	CHECK_EQ(fmt(b, sizeof(b), "%lx", 0xfedcba9876543210ULL), 16);
	CHECK_STR(b, "fedcba9876543210");
	fmt(b, sizeof(b), "%lX %llx %zx", 0x1234567890abcdefULL, ~0ULL, (size_t)0x1000);
	CHECK_STR(b, "1234567890ABCDEF ffffffffffffffff 1000");
	/* -1 as %u is UINT_MAX, not a negative number. */
	fmt(b, sizeof(b), "%u %x", -1, -1);
	CHECK_STR(b, "4294967295 ffffffff");
}

TEST(fmt_width_zero_left)
{
	char b[96];

	fmt(b, sizeof(b), "[%5d][%-5d][%05d][%5u]", 42, 42, 42, 7u);
	CHECK_STR(b, "[   42][42   ][00042][    7]");
	/* The sign goes before the zeros; '-' beats '0'. */
	fmt(b, sizeof(b), "[%05d][%5d][%-05d][%-6d]", -42, -42, 42, -42);
	CHECK_STR(b, "[-0042][  -42][42   ][-42   ]");
	fmt(b, sizeof(b), "[%08x][%016lx][%4X]", 0xbeefu, 0x1000ULL, 0xabu);
	CHECK_STR(b, "[0000beef][0000000000001000][  AB]");
	/* A number wider than its field is printed whole. */
	fmt(b, sizeof(b), "[%3d][%02x]", 123456, 0x12345u);
	CHECK_STR(b, "[123456][12345]");
	fmt(b, sizeof(b), "[%020ld]", INT64_MIN);
	CHECK_STR(b, "[-9223372036854775808]");
}

TEST(fmt_star_width_and_precision)
{
	char b[64];

	fmt(b, sizeof(b), "[%*d][%-*s][%0*x]", 6, 12, 4, "ab", 4, 0xfu);
	CHECK_STR(b, "[    12][ab  ][000f]");
	fmt(b, sizeof(b), "[%.3s][%.*s][%.0s][%.10s]", "abcdef", 2, "xyz", "gone", "short");
	CHECK_STR(b, "[abc][xy][][short]");
	fmt(b, sizeof(b), "[%8.3s][%-6.2s][%*.*s]", "abcdef", "hello", 5, 1, "qrs");
	CHECK_STR(b, "[     abc][he    ][    q]");
	/* A negative precision counts as none. */
	fmt(b, sizeof(b), "[%.*s]", -1, "all");
	CHECK_STR(b, "[all]");
}

TEST(fmt_precision_reads_no_further)
{
	char b[16];
	/* Not NUL-terminated: only the precision's worth may be read (ASan). */
	char *raw = malloc(3);

	CHECK(raw);
	memcpy(raw, "xyz", 3);
	CHECK_EQ(fmt(b, sizeof(b), "<%.3s>", raw), 5);
	CHECK_STR(b, "<xyz>");
	CHECK_EQ(fmt(b, sizeof(b), "<%.*s>", 2, raw), 4);
	free(raw);
	CHECK_STR(b, "<xy>");
}

TEST(fmt_pointer_and_null)
{
	char b[64];

	fmt(b, sizeof(b), "%p %p", (void *)0x1234, (void *)0);
	CHECK_STR(b, "0x1234 0x0");
	fmt(b, sizeof(b), "%p", (void *)0xffff800000001000ULL);
	CHECK_STR(b, "0xffff800000001000");
	fmt(b, sizeof(b), "[%018p][%-8p][%8p]", (void *)0xabc, (void *)0x1, (void *)0x1);
	CHECK_STR(b, "[0x0000000000000abc][0x1     ][     0x1]");
	CHECK_EQ(fmt(b, sizeof(b), "%s", (char *)NULL), 6);
	CHECK_STR(b, "(null)");
	fmt(b, sizeof(b), "[%8s][%.3s]", (char *)NULL, (char *)NULL);
	CHECK_STR(b, "[  (null)][(nu]");
}

TEST(fmt_truncation)
{
	char b[16];

	memset(b, 'Z', sizeof(b));
	/* Size 8: seven characters and the terminator; the rest untouched. */
	CHECK_EQ(fmt(b, 8, "hello %s", "world"), 11);
	CHECK_STR(b, "hello w");
	CHECK_EQ(b[8], 'Z');
	/* Exactly fitting. */
	CHECK_EQ(fmt(b, 6, "%d", 12345), 5);
	CHECK_STR(b, "12345");
	CHECK_EQ(fmt(b, 5, "%d", 12345), 5);
	CHECK_STR(b, "1234");
	/* Size 1: only the terminator. */
	b[1] = 'Z';
	CHECK_EQ(fmt(b, 1, "%lx", 0xfedcba9876543210ULL), 16);
	CHECK_EQ(b[0], 0);
	CHECK_EQ(b[1], 'Z');
	/* The returned length counts padding that did not fit. */
	CHECK_EQ(fmt(b, 4, "%-20s|", "ab"), 21);
	CHECK_STR(b, "ab ");
}

TEST(fmt_unknown_conversion)
{
	char b[64];

	CHECK_EQ(fmt(b, sizeof(b), "a%qb"), 4);
	CHECK_STR(b, "a%qb");
	/* Flags and width of an unknown conversion are dropped; no argument
	 * is taken, so the next conversion still gets the first one. */
	fmt(b, sizeof(b), "%5y %d", 9);
	CHECK_STR(b, "%y 9");
	fmt(b, sizeof(b), "%hd", 3);
	CHECK_STR(b, "%hd");
	/* A lone '%' at the end stays, and the terminator is not skipped. */
	CHECK_EQ(fmt(b, sizeof(b), "50%"), 3);
	CHECK_STR(b, "50%");
	CHECK_EQ(fmt(b, sizeof(b), "x%-0l"), 2);
	CHECK_STR(b, "x%");
}

TEST(fmt_vformat_sink)
{
	struct counter k = { { 0 }, 0 };

	CHECK_EQ(vcount(&k, "%s=%03d%c", "n", 7, '!'), 6);
	CHECK_EQ(k.calls, 6);
	CHECK_STR(k.text, "n=007!");
	k = (struct counter){ { 0 }, 0 };
	CHECK_EQ(vcount(&k, "%-4x|", 0xau), 5);
	CHECK_STR(k.text, "a   |");
}
