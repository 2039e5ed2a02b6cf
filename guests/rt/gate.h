/* An x86-64 interrupt gate, shared by the runtime's two IDTs (rt.c, and
 * rt_user.c's for trips to CPL 3). */
#ifndef GUESTS_RT_GATE_H
#define GUESTS_RT_GATE_H

#include <stdint.h>

struct rt_gate {
	uint16_t off0, sel;
	uint8_t ist, attr;
	uint16_t off1;
	uint32_t off2, zero;
} __attribute__((packed));

/* A present interrupt gate to handler in code segment 0x08, callable from
 * CPL <= dpl. */
static inline struct rt_gate rt_gate(const void *handler, int dpl)
{
	uint64_t a = (uint64_t)(uintptr_t)handler;

	return (struct rt_gate){ (uint16_t)a, 0x08, 0, (uint8_t)(0x8e | dpl << 5), (uint16_t)(a >> 16),
				 (uint32_t)(a >> 32), 0 };
}

#endif
