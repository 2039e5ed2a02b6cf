/* One 4-level page-table builder for every kind of table the hypervisor
 * makes: the host's own tables, Intel EPT and AMD NPT. The kinds differ only
 * in which bits mean what, so a kind is a struct pt_format of bit masks.
 *
 * Tables are reached through their physical address cast to a pointer: the
 * hypervisor runs identity-mapped, and the host unit tests use the address
 * of a host allocation as its "physical" address. */
#ifndef MM_PAGETABLE_H
#define MM_PAGETABLE_H

#include "core/lib/types.h"

enum pt_prot { PT_R = 1, PT_W = 2, PT_X = 4 };

enum pt_err { PT_OK = 0, PT_EINVAL = -1, PT_ENOMEM = -2, PT_ENOENT = -3 };

/* Page sizes by level: 1 = 4 KiB, 2 = 2 MiB, 3 = 1 GiB. */
#define PT_LEVEL_SIZE(l) (1ULL << (12 + 9 * ((l) - 1)))

struct pt_format {
	const char *name;
	u64 table;      /* bits of an entry that points to a lower table */
	u64 leaf;       /* bits every leaf has (present, memory type, user) */
	u64 read;       /* set for PT_R (0 where present implies read) */
	u64 write;      /* set for PT_W */
	u64 exec;       /* set for PT_X (EPT) */
	u64 nx;         /* set without PT_X (x86, NPT) */
	u64 large;      /* page-size bit of 2 MiB and 1 GiB leaves */
	u64 present;    /* an entry with any of these bits is present */
};

extern const struct pt_format pt_x86;   /* host tables */
extern const struct pt_format pt_npt;   /* AMD nested tables: x86 + user */
extern const struct pt_format pt_ept;   /* Intel EPT, write-back */

/* Returns a zeroed, 4 KiB-aligned table and its physical address, or NULL. */
typedef void *(*pt_alloc_fn)(void *ctx, u64 *pa);

struct pagetable {
	const struct pt_format *fmt;
	u64 root;           /* physical address of the top table */
	u8 max_leaf;        /* largest page level to use: 1, 2 or 3 */
	pt_alloc_fn alloc;
	void *ctx;
	u64 tables;         /* number of tables allocated, root included */
};

/* Sets up an empty table. Returns PT_OK or PT_ENOMEM. */
int pt_init(struct pagetable *pt, const struct pt_format *fmt, u8 max_leaf,
	    pt_alloc_fn alloc, void *ctx);

/* Maps [va, va+size) to [pa, pa+size) with prot (PT_R required), replacing
 * what was mapped there and splitting larger pages where needed. Uses the
 * largest pages that alignment and max_leaf allow. va, pa and size must be
 * 4 KiB-aligned and va+size within 48 bits. Returns PT_OK, PT_EINVAL, or
 * PT_ENOMEM (then part of the range may be mapped). */
int pt_map(struct pagetable *pt, u64 va, u64 pa, u64 size, u32 prot);

/* Translates va. Returns PT_OK and fills the non-NULL outputs, or PT_ENOENT. */
int pt_lookup(const struct pagetable *pt, u64 va, u64 *pa, u32 *prot, u8 *level);

#endif
