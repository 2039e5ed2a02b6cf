/* Fixed-width types and small helpers shared by every part of the hypervisor.
 * Only freestanding compiler headers are used, so this also builds on the host
 * for unit tests. */
#ifndef CORE_TYPES_H
#define CORE_TYPES_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

#define KiB(x) ((u64)(x) << 10)
#define MiB(x) ((u64)(x) << 20)
#define GiB(x) ((u64)(x) << 30)

#define PAGE_SIZE ((u64)4096)
#define PAGE_SHIFT 12

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_DOWN(x, a) ((x) & ~((u64)(a) - 1))
#define ALIGN_UP(x, a) ALIGN_DOWN((u64)(x) + (a) - 1, (a))
#define IS_ALIGNED(x, a) (((u64)(x) & ((u64)(a) - 1)) == 0)
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

/* The low `bytes` bytes (1, 2, 4 or 8) of a value: an access's width. */
static inline u64 width_mask(u32 bytes)
{
	return bytes >= 8 ? ~0ULL : (1ULL << 8 * bytes) - 1;
}

#define NORETURN __attribute__((noreturn))
#define PRINTF(f, a) __attribute__((format(printf, f, a)))
#define UNUSED __attribute__((unused))

#endif
