/* libFuzzer target: the guest's interrupt controllers (core/irq/vlapic.c,
 * core/irq/vioapic.c, core/irq/vpic.c, core/irq/vpit.c through core/irq/virq.c) driven as a
 * hostile guest would: each 6-byte record is an APIC or IOAPIC register
 * write or read, a PIC or PIT port write, a raised ISA line, a taken
 * interrupt, or time passing. After each: the IRR count matches the IRR
 * bits, and a pending vector is one the APIC holds. */
#include "tests/virq_rig.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

static void check(const struct vcpu *v)
{
	u32 bits = 0;
	int vec = vlapic_pending(v);

	for (int w = 0; w < 8; w++)
		bits += (u32)__builtin_popcount(v->lapic->irr[w]);
	if (bits != v->lapic->nirr)
		abort();
	if (vec >= 0 && (vec < 16 || !(v->lapic->irr[vec / 32] >> (vec % 32) & 1)))
		abort();
}

static void step(struct guest *g, struct vcpu *v, const u8 *r)
{
	u32 val = (u32)r[2] | (u32)r[3] << 8 | (u32)r[4] << 16 | (u32)r[5] << 24;
	u32 off = ((u32)r[1] << 4) & 0xff0;
	int vec;

	switch (r[0] % 8) {
	case 0: vlapic_mmio.write(v, off, val); break;
	case 1: (void)vlapic_mmio.read(v, off); break;
	case 2: vioapic_mmio.write(v, off & 0x10, val); break;
	case 3: (void)vioapic_mmio.read(v, off & 0x10); break;
	case 4: (r[1] & 1 ? vpic_slave : vpic_master).write(g, (u16)((r[1] & 1 ? 0xa0 : 0x20) + (r[2] & 1)), 1, r[3]); break;
	case 5: vpit.write(g, (u16)(0x40 + r[1] % 4), 1, r[2]); break;
	case 6: virq_raise(g, r[1] % 16); break;
	default:
		rig_now += val % 100000000;
		virq_poll(v, rig_now);
		if ((vec = vlapic_pending(v)) >= 0)
			vlapic_ack(v, (u8)vec);
		else if (vlapic_extint(v) && vpic_pending(g) >= 0)
			vpic_ack(g);
		break;
	}
	check(v);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	rig_reset(1);
	for (size_t i = 0; i + 6 <= size; i += 6)
		step(&rig_g, &rig_v, data + i);
	return 0;
}
