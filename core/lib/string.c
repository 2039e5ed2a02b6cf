/* Freestanding memory and string functions (target only: the host build of
 * the unit tests uses the C library's). The compiler may emit calls to
 * memset/memcpy/memmove/memcmp itself, so these names are fixed. */
#include "core/lib/string.h"

/* String instructions, eight bytes a time, then the rest a byte at a time:
 * fast on any CPU, and an emulator counts every repetition as an
 * instruction (QEMU and Bochs both do), so a byte-wise copy of a guest's
 * RAM would cost eight times as many. */
void *memset(void *d, int c, size_t n)
{
	u64 q = (u8)c * 0x0101010101010101ULL;
	size_t words = n / 8, rest = n % 8;
	void *p = d;

	__asm__ volatile("rep stosq" : "+D"(p), "+c"(words) : "a"(q) : "memory");
	__asm__ volatile("rep stosb" : "+D"(p), "+c"(rest) : "a"(q) : "memory");
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	size_t words = n / 8, rest = n % 8;
	void *p = d;

	__asm__ volatile("rep movsq" : "+D"(p), "+S"(s), "+c"(words) : : "memory");
	__asm__ volatile("rep movsb" : "+D"(p), "+S"(s), "+c"(rest) : : "memory");
	return d;
}

void *memmove(void *d, const void *s, size_t n)
{
	u8 *dp = d;
	const u8 *sp = s;

	if (dp <= sp || dp >= sp + n)
		return memcpy(d, s, n);
	while (n--)
		dp[n] = sp[n];
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (u8)*a - (u8)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

int strcmp(const char *a, const char *b)
{
	return strncmp(a, b, (size_t)-1);
}
