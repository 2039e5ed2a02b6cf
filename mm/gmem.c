/* Guest-physical memory access with bounds checks. */
#include "mm/gmem.h"
#include "core/lib/string.h"

int copy_from_guest(const struct gmem *m, void *dst, u64 gpa, u64 len)
{
	const void *p = gmem_ptr(m, gpa, len);

	if (!p)
		return -1;
	memcpy(dst, p, len);
	return 0;
}

int copy_to_guest(const struct gmem *m, u64 gpa, const void *src, u64 len)
{
	void *p = gmem_ptr(m, gpa, len);

	if (!p)
		return -1;
	memcpy(p, src, len);
	return 0;
}
