/* core/vlapic.c and core/vioapic.c: priorities, EOI, the IOAPIC's routing
 * and remote IRR, the APIC timer's count, on a host-side clock. */
#include "tests/virq_rig.h"
#include "tests/unit/test.h"

static void fresh(void)
{
	rig_reset(1000);
}

static u32 apic_rd(u32 off) { return vlapic_mmio.read(&rig_v, off); }
static void apic_wr(u32 off, u32 val) { vlapic_mmio.write(&rig_v, off, val); }

static void ioapic_wr(u32 reg, u32 val)
{
	vioapic_mmio.write(&rig_v, 0x00, reg);
	vioapic_mmio.write(&rig_v, 0x10, val);
}

static u32 ioapic_rd(u32 reg)
{
	vioapic_mmio.write(&rig_v, 0x00, reg);
	return vioapic_mmio.read(&rig_v, 0x10);
}

/* Takes the pending vector as the CPU would; -1 if none. */
static int take(void)
{
	int vec = vlapic_pending(&rig_v);

	if (vec >= 0)
		vlapic_ack(&rig_v, (u8)vec);
	return vec;
}

TEST(apic_firmware_state)
{
	fresh();
	CHECK(vlapic_extint(&rig_v));                       /* virtual wire: LINT0 ExtINT */
	CHECK_EQ(apic_rd(0x30) & 0xff, 0x14);
	CHECK_EQ(apic_rd(0xf0) & 0x100, 0x100);
	CHECK_EQ(vlapic_base_msr(&rig_v), 0xfee00900);
	CHECK_EQ(ioapic_rd(1), 0x00170011);
	CHECK_EQ(ioapic_rd(0), 1u << 24);
	CHECK_EQ(ioapic_rd(0x10) & (1u << 16), 1u << 16);   /* pins start masked */
}

TEST(apic_priorities_and_eoi)
{
	fresh();
	vlapic_accept(&rig_v, 0x31, false);
	vlapic_accept(&rig_v, 0x52, false);
	CHECK_EQ(take(), 0x52);
	CHECK_EQ(vlapic_pending(&rig_v), -1);               /* 0x31 is below 0x52 in service */
	CHECK_EQ(apic_rd(0xa0), 0x50);                  /* PPR */
	apic_wr(0xb0, 0);                               /* EOI */
	CHECK_EQ(take(), 0x31);
	apic_wr(0xb0, 0);
	apic_wr(0x80, 0x40);                            /* TPR holds off class 3 */
	vlapic_accept(&rig_v, 0x3f, false);
	CHECK_EQ(vlapic_pending(&rig_v), -1);
	apic_wr(0x80, 0);
	CHECK_EQ(take(), 0x3f);
	vlapic_accept(&rig_v, 5, false);                    /* illegal vector: dropped */
	apic_wr(0xb0, 0);
	CHECK_EQ(vlapic_pending(&rig_v), -1);
}

TEST(apic_disabled)
{
	fresh();
	apic_wr(0xf0, 0xff);                            /* software disable */
	vlapic_accept(&rig_v, 0x40, false);
	CHECK_EQ(vlapic_pending(&rig_v), -1);
	CHECK(!vlapic_extint(&rig_v));                      /* LINT0 masked with it */
	CHECK_EQ(vlapic_set_base_msr(&rig_v, 0xfee00000), 0);   /* hardware disable */
	CHECK(vlapic_extint(&rig_v));                       /* INTR straight to the CPU */
	CHECK_EQ(vlapic_base_msr(&rig_v), 0xfee00100);
	CHECK_EQ(vlapic_set_base_msr(&rig_v, 0xfed00900), -1);  /* moving it: #GP */
	CHECK_EQ(vlapic_set_base_msr(&rig_v, 0xfee00d00), -1);  /* x2APIC: #GP */
	CHECK_EQ(vlapic_set_base_msr(&rig_v, 0xfee00900), 0);
	CHECK_EQ(apic_rd(0xf0) & 0x100, 0);             /* back in power-on state */
	CHECK_EQ(apic_rd(0x350), 1u << 16);
}

TEST(apic_self_ipi)
{
	fresh();
	apic_wr(0x300, 0x40000 | 0xfd);                 /* shorthand self, fixed */
	CHECK_EQ(take(), 0xfd);
	apic_wr(0x310, 0x01000000);                     /* to APIC 1: not us */
	apic_wr(0x300, 0xfc);
	CHECK_EQ(vlapic_pending(&rig_v), -1);
	apic_wr(0x310, 0);
	apic_wr(0x300, 0x4fc);                          /* NMI: no model */
	CHECK_EQ(vlapic_pending(&rig_v), -1);
}

TEST(ioapic_edge_routing)
{
	fresh();
	ioapic_wr(0x10 + 2 * 2, 0x30);                  /* pin 2: vector 0x30, edge, physical, unmasked */
	ioapic_wr(0x11 + 2 * 2, 0);                     /* to APIC 0 */
	virq_raise(&rig_g, 0);                              /* IRQ 0 -> pin 2 */
	CHECK_EQ(take(), 0x30);
	apic_wr(0xb0, 0);
	ioapic_wr(0x11 + 2 * 2, 5u << 24);              /* to APIC 5: nobody */
	virq_raise(&rig_g, 0);
	CHECK_EQ(vlapic_pending(&rig_v), -1);
	apic_wr(0xd0, 1u << 24);                        /* logical ID 1, flat */
	ioapic_wr(0x10 + 2 * 2, 0x30 | 1u << 11);
	ioapic_wr(0x11 + 2 * 2, 1u << 24);
	virq_raise(&rig_g, 0);
	CHECK_EQ(take(), 0x30);
	ioapic_wr(0x10 + 2 * 2, 0x30 | 1u << 16);       /* masked: the edge is lost */
	apic_wr(0xb0, 0);
	virq_raise(&rig_g, 0);
	CHECK_EQ(vlapic_pending(&rig_v), -1);
	CHECK(rig_g.pic[0].irr & 1);                        /* the 8259 saw the line too */
}

TEST(ioapic_level_remote_irr)
{
	fresh();
	ioapic_wr(0x10 + 2 * 9, 0x41 | 1u << 15);       /* pin 9: level */
	vioapic_raise(&rig_g, 9);
	CHECK(ioapic_rd(0x10 + 2 * 9) & 1u << 14);      /* remote IRR */
	CHECK_EQ(take(), 0x41);
	vioapic_raise(&rig_g, 9);                           /* held: remote IRR still set */
	CHECK_EQ(vlapic_pending(&rig_v), -1);
	apic_wr(0xb0, 0);                               /* level EOI reaches the IOAPIC */
	CHECK_EQ(take(), 0x41);
	apic_wr(0xb0, 0);
	CHECK_EQ(ioapic_rd(0x10 + 2 * 9) & 1u << 14, 0);
	ioapic_wr(0x10 + 2 * 9, 0xffffffff);            /* remote IRR is read-only */
	CHECK_EQ(ioapic_rd(0x10 + 2 * 9) & (1u << 14 | 1u << 12), 0);
}

TEST(apic_timer_one_shot_and_periodic)
{
	fresh();
	apic_wr(0x3e0, 0xb);                            /* divide by 1 */
	apic_wr(0x320, 0xec);                           /* one shot, vector 0xec */
	apic_wr(0x380, 1000);
	rig_now += 400;
	CHECK_EQ(apic_rd(0x390), 600);
	CHECK_EQ(vlapic_poll(&rig_v, rig_now), 2000);        /* due at start + 1000 */
	rig_now += 600;
	CHECK_EQ(vlapic_poll(&rig_v, rig_now), 0);
	CHECK_EQ(apic_rd(0x390), 0);
	CHECK_EQ(take(), 0xec);
	apic_wr(0xb0, 0);
	apic_wr(0x3e0, 0x3);                            /* divide by 16 */
	apic_wr(0x320, 0xec | 1u << 17);                /* periodic */
	apic_wr(0x380, 100);                            /* 1600 ns periods */
	rig_now += 1700;
	CHECK_EQ(apic_rd(0x390), 100 - 106 % 100);
	CHECK_EQ(vlapic_poll(&rig_v, rig_now), 2000 + 3200);
	CHECK_EQ(take(), 0xec);
	apic_wr(0xb0, 0);
	rig_now += 10000;                                /* missed periods collapse into one */
	CHECK_EQ(vlapic_poll(&rig_v, rig_now), rig_now + 1600);
	CHECK_EQ(take(), 0xec);
	CHECK_EQ(vlapic_pending(&rig_v), -1);
	apic_wr(0x320, 0xec | 1u << 16 | 1u << 17);     /* masked: counts, no interrupt */
	apic_wr(0xb0, 0);
	rig_now += 1600;
	vlapic_poll(&rig_v, rig_now);
	CHECK_EQ(vlapic_pending(&rig_v), -1);
}
