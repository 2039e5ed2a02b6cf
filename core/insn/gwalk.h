/* Translating guest-virtual addresses by walking the guest's own page
 * tables in guest memory: paging off, 32-bit, PAE and 4-level. Used to read
 * the instruction a guest exited on. */
#ifndef CORE_GWALK_H
#define CORE_GWALK_H

#include "mm/gmem.h"

struct guest_paging {
	u64 cr0, cr3, cr4, efer;
};

/* Translates a linear address; 0, or -1 when it is not mapped or a table
 * lies outside guest memory. */
int gwalk(const struct gmem *m, const struct guest_paging *p, u64 gva, u64 *gpa);

/* Reads len bytes at linear address gva (may cross pages); 0 or -1. */
int gwalk_read(const struct gmem *m, const struct guest_paging *p, u64 gva,
	       void *buf, u64 len);

#endif
