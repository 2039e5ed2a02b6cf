/* core/irq/vlapic.c and core/irq/vioapic.c: priorities, EOI, the IOAPIC's routing
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
	CHECK_EQ(ioapic_rd(0), 8u << 24);                /* no vCPU's APIC ID */
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
	rig_v.nmi_pending = false;
	apic_wr(0x300, 0x4fc);                          /* NMI: pending beside the vectors */
	CHECK_EQ(vlapic_pending(&rig_v), -1);
	CHECK(rig_v.nmi_pending);
	rig_v.nmi_pending = false;
	rig_v.init_pending = true;                      /* a vCPU on its way to wait-for-SIPI */
	apic_wr(0x300, 0x4fc);
	CHECK(!rig_v.nmi_pending);
	rig_v.init_pending = false;
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

/* ---- core/irq/vpic.c, core/irq/vpit.c and core/irq/virq.c on the same rig */

static void pic_out(u16 port, u8 v) { (port >= 0xa0 ? vpic_slave : vpic_master).write(&rig_g, port, 1, v); }
static u8 pic_in(u16 port) { return (u8)(port >= 0xa0 ? vpic_slave : vpic_master).read(&rig_g, port, 1); }

/* The usual PC programming: master at base, slave at base + 8 on line 2. */
static void pic_init(u8 base, bool aeoi)
{
	pic_out(0x20, 0x11);
	pic_out(0x21, base);
	pic_out(0x21, 0x04);
	pic_out(0x21, aeoi ? 0x03 : 0x01);
	pic_out(0xa0, 0x11);
	pic_out(0xa1, (u8)(base + 8));
	pic_out(0xa1, 0x02);
	pic_out(0xa1, aeoi ? 0x03 : 0x01);
}

TEST(pic_nesting_mask_and_eoi)
{
	fresh();
	vpic_raise(&rig_g, 1);
	CHECK_EQ(vpic_pending(&rig_g), -1);             /* not initialized yet */
	pic_init(0x20, false);                          /* ICW1 starts over: the request is gone */
	CHECK_EQ(vpic_pending(&rig_g), -1);
	vpic_raise(&rig_g, 1);
	CHECK_EQ(vpic_pending(&rig_g), 0x21);
	vpic_ack(&rig_g);
	vpic_raise(&rig_g, 3);
	CHECK_EQ(vpic_pending(&rig_g), -1);             /* line 1 in service holds off 3 */
	pic_out(0x20, 0x0b);                            /* OCW3: read ISR */
	CHECK_EQ(pic_in(0x20), 0x02);
	pic_out(0x20, 0x0a);                            /* OCW3: read IRR */
	CHECK_EQ(pic_in(0x20), 0x08);
	pic_out(0x20, 0x20);                            /* non-specific EOI */
	CHECK_EQ(vpic_pending(&rig_g), 0x23);
	pic_out(0x21, 0x08);                            /* OCW1: mask line 3 */
	CHECK_EQ(pic_in(0x21), 0x08);
	CHECK_EQ(vpic_pending(&rig_g), -1);
	pic_out(0x21, 0x00);
	vpic_ack(&rig_g);
	pic_out(0x20, 0x63);                            /* specific EOI, line 3 */
	pic_out(0x20, 0x0b);
	CHECK_EQ(pic_in(0x20), 0);
	vpic_ack(&rig_g);                               /* nothing requested: no change */
	CHECK_EQ(pic_in(0x20), 0);
}

TEST(pic_cascade_and_auto_eoi)
{
	fresh();
	pic_init(0x30, true);
	vpic_raise(&rig_g, 10);
	CHECK_EQ(vpic_pending(&rig_g), 0x3a);           /* through the master's line 2 */
	vpic_ack(&rig_g);
	CHECK_EQ(vpic_pending(&rig_g), -1);
	pic_out(0xa0, 0x0b);
	CHECK_EQ(pic_in(0xa0), 0);                      /* automatic EOI: nothing in service */
	pic_out(0xa1, 0x04);                            /* slave masks line 10 */
	vpic_raise(&rig_g, 10);
	CHECK_EQ(vpic_pending(&rig_g), -1);
	velcr.write(&rig_g, 0x4d0, 1, 0xff);
	velcr.write(&rig_g, 0x4d1, 1, 0xff);
	CHECK_EQ(velcr.read(&rig_g, 0x4d0, 1), 0xf8);   /* lines 0-2 stay edge */
	CHECK_EQ(velcr.read(&rig_g, 0x4d1, 1), 0xde);   /* lines 8 and 13 too */
}

static void pit_out(u16 port, u8 v) { (port == 0x61 ? vport61 : vpit).write(&rig_g, port, 1, v); }
static u8 pit_in(u16 port) { return (u8)(port == 0x61 ? vport61 : vpit).read(&rig_g, port, 1); }

TEST(pit_periodic_irq0_and_latch)
{
	u32 lo, hi;

	fresh();
	pic_init(0x20, false);
	pit_out(0x43, 0x34);                            /* channel 0, lo/hi, mode 2 */
	pit_out(0x40, 1193 & 0xff);
	CHECK_EQ(vpit_poll(&rig_g, rig_now), 0);        /* not counting before the high byte */
	pit_out(0x40, 1193 >> 8);
	CHECK_EQ(vpit_poll(&rig_g, rig_now), 1000 + 999847);   /* 1193 ticks of 1.193182 MHz */
	rig_now += 500000;
	pit_out(0x43, 0x00);                            /* latch channel 0 */
	rig_now += 100000;                              /* the latch keeps its value */
	lo = pit_in(0x40);
	hi = pit_in(0x40);
	CHECK_EQ(lo | hi << 8, 1193 - 596);
	rig_now += 500000;
	CHECK_EQ(vpit_poll(&rig_g, rig_now), 1000 + 2 * 999847);
	CHECK_EQ(vpic_pending(&rig_g), 0x20);           /* IRQ 0 */
	CHECK_EQ(pit_in(0x43), 0xff);
	pit_out(0x43, 0xc2);                            /* read-back: ignored */
	CHECK_EQ(vpit_poll(&rig_g, rig_now), 1000 + 2 * 999847);
}

TEST(pit_one_shot_and_port61)
{
	fresh();
	pit_out(0x43, 0x10);                            /* channel 0, low byte only, mode 0 */
	pit_out(0x40, 100);
	rig_now += 100000;                              /* 100 ticks take 83.8 us */
	CHECK_EQ(vpit_poll(&rig_g, rig_now), 0);        /* fired once, no more */
	CHECK(rig_g.pic[0].irr & 1);
	pit_out(0x43, 0xb0);                            /* channel 2, lo/hi, mode 0 */
	pit_out(0x42, 0xff);
	pit_out(0x42, 0xff);
	CHECK_EQ(pit_in(0x61) & 0x20, 0);               /* gate low: not counting, OUT low */
	pit_out(0x61, 0x01);                            /* gate 2 rises */
	rig_now += 60000000;                            /* past 65535 ticks */
	CHECK_EQ(pit_in(0x61) & 0x21, 0x21);            /* OUT2 high, the gate reads back */
	CHECK_EQ((pit_in(0x61) ^ pit_in(0x61)) & 0x10, 0x10);   /* the refresh bit toggles */
	pit_out(0x43, 0xa0);                            /* channel 2, high byte only */
	pit_out(0x42, 0x12);
	CHECK_EQ(pit_in(0x42), 0x12);
	pit_out(0x43, 0x96);                            /* channel 2, low byte, mode 3 */
	pit_out(0x42, 0x40);
	CHECK_EQ(pit_in(0x42), 0x40);
}

/* A backend that only records what virq_deliver asks of it. */
static bool fake_ready, fake_nmi_ready, fake_nmi_exact;
static int fake_injected = -1, fake_window, fake_nmi_window, fake_type;

static bool fake_irq_ready(struct vcpu *v) { (void)v; return fake_ready; }
static void fake_irq_window(struct vcpu *v, bool on) { (void)v; fake_window = on; }
static bool fake_nmi_ready_op(struct vcpu *v) { (void)v; return fake_nmi_ready; }
static bool fake_nmi_window_op(struct vcpu *v, bool on)
{
	(void)v;
	fake_nmi_window = on;
	return fake_nmi_exact;
}
static void fake_inject(struct vcpu *v, u8 vector, enum event_type type, bool has_error, u32 error)
{
	(void)v, (void)has_error, (void)error;
	fake_injected = vector;
	fake_type = type;
}

static const struct backend_ops fake_backend = {
	.inject = fake_inject, .irq_ready = fake_irq_ready, .irq_window = fake_irq_window,
	.nmi_ready = fake_nmi_ready_op, .nmi_window = fake_nmi_window_op,
};

/* An NMI IPI goes before a pending vector, waits while the guest cannot
 * take it (a window asked for, or a bounded poll where the backend has
 * no window), and takes the entry's one event: the vector waits. */
TEST(virq_nmi_first)
{
	fresh();
	backend = &fake_backend;
	virq_reset(&rig_g);
	fake_ready = true;
	fake_nmi_ready = false;
	fake_nmi_exact = true;
	fake_injected = -1;
	vlapic_accept(&rig_v, 0x50, false);
	apic_wr(0x300, 0x40000 | 0x400);                /* NMI to self */
	virq_deliver(&rig_v);
	CHECK_EQ(fake_injected, 0x50);                  /* the NMI cannot go: the vector may */
	CHECK_EQ(fake_nmi_window, 1);
	CHECK(rig_v.nmi_pending && rig_v.virq_check);
	fake_nmi_exact = false;
	CHECK_EQ(virq_deliver(&rig_v), rig_now + VIRQ_NMI_POLL_NS);   /* no window: a poll */
	fake_nmi_ready = true;
	vlapic_accept(&rig_v, 0x60, false);
	fake_injected = -1;
	virq_deliver(&rig_v);
	CHECK_EQ(fake_injected, 2);
	CHECK_EQ(fake_type, EVENT_NMI);
	CHECK(!rig_v.nmi_pending);
	CHECK_EQ(fake_nmi_window, 0);
	CHECK_EQ(fake_window, 1);                       /* 0x60 waits for the next window */
	apic_wr(0x300, 0x40000 | 0x400);                /* two NMIs while one is held: one */
	apic_wr(0x300, 0x40000 | 0x400);
	fake_nmi_ready = false;
	virq_deliver(&rig_v);
	virq_reset(&rig_g);                             /* a reset drops it */
	CHECK(!rig_v.nmi_pending);
	fake_injected = -1;
	backend = NULL;
}

TEST(virq_routes_and_delivers)
{
	fresh();
	backend = &fake_backend;
	virq_reset(&rig_g);
	pic_init(0x20, false);
	fake_ready = false;
	virq_raise(&rig_g, 0);                          /* PIC line 0, IOAPIC pin 2 (masked) */
	CHECK_EQ(virq_pending(&rig_v), 0x20);           /* through LINT0 ExtINT */
	virq_deliver(&rig_v);
	CHECK_EQ(fake_injected, -1);
	CHECK_EQ(fake_window, 1);                       /* not ready: a window is asked for */
	fake_ready = true;
	virq_deliver(&rig_v);
	CHECK_EQ(fake_injected, 0x20);
	CHECK_EQ(fake_window, 0);
	vlapic_accept(&rig_v, 0x50, false);             /* the APIC's own vectors come first */
	vpic_raise(&rig_g, 1);
	virq_deliver(&rig_v);
	CHECK_EQ(fake_injected, 0x50);
	apic_wr(0xb0, 0);
	pic_out(0x20, 0x20);
	virq_deliver(&rig_v);
	CHECK_EQ(fake_injected, 0x21);
	fake_injected = -1;
	pit_out(0x43, 0x34);
	pit_out(0x40, 0);
	pit_out(0x40, 1);                               /* 256 ticks: 214552 ns */
	apic_wr(0x3e0, 0xb);
	apic_wr(0x320, 0xec);
	apic_wr(0x380, 100000);
	CHECK_EQ(virq_poll(&rig_v, rig_now), rig_now + 100000);   /* the sooner of the two */
	apic_wr(0x380, 0);
	CHECK_EQ(virq_poll(&rig_v, rig_now), rig_now + 214552);
	CHECK_EQ(virq_deliver(&rig_v), rig_now + 214552);
	CHECK_EQ(fake_injected, -1);                    /* nothing waits */
	backend = NULL;
}
