/* strlcpy: shared by target and host builds (the host C library lacks it). */
#include "core/lib/string.h"

size_t strlcpy(char *d, const char *s, size_t size)
{
	size_t len = strlen(s);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(d, s, n);
		d[n] = 0;
	}
	return len;
}
