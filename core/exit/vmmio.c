/* MMIO exits (core/exit/vmmio.h): find the device, make sure the instruction
 * at RIP is what touched it, decode the MOV, move the data between the
 * device and the guest's register or immediate. */
#include "core/exit/vmmio.h"
#include "core/irq/vioapic.h"
#include "core/irq/vlapic.h"
#include "core/insn/insn_mem.h"
#include "core/vm/vcpu_util.h"

static const struct mmio_dev *const devices[] = { &vlapic_mmio, &vioapic_mmio };

const struct mmio_dev *vmmio_find(u64 gpa)
{
	for (size_t i = 0; i < ARRAY_SIZE(devices); i++)
		if (gpa >= devices[i]->base && gpa - devices[i]->base < devices[i]->size)
			return devices[i];
	return NULL;
}

_Static_assert((int)INSN_ES == (int)SEG_ES && (int)INSN_CS == (int)SEG_CS && (int)INSN_SS == (int)SEG_SS &&
	       (int)INSN_DS == (int)SEG_DS && (int)INSN_FS == (int)SEG_FS && (int)INSN_GS == (int)SEG_GS,
	       "enum insn_seg follows enum seg_id");

static const u8 seg_base[] = { [SEG_ES] = VREG_ES_BASE, [SEG_CS] = VREG_CS_BASE, [SEG_SS] = VREG_SS_BASE,
			       [SEG_DS] = VREG_DS_BASE, [SEG_FS] = VREG_FS_BASE, [SEG_GS] = VREG_GS_BASE };

/* The linear address the decoded instruction accesses. In 64-bit code only
 * FS and GS have bases; elsewhere every segment's base counts. */
static u64 linear(struct vcpu *v, const struct insn_mem *m, enum code_mode mode)
{
	u64 a = m->disp;

	if (m->base >= 0)
		a += vcpu_gpr(v, (unsigned)m->base);
	if (m->index >= 0)
		a += vcpu_gpr(v, (unsigned)m->index) * m->scale;
	if (m->rip_rel)
		a += backend->get(v, VREG_RIP) + m->len;
	if (m->addr32)
		a &= 0xffffffff;
	if (mode != CODE64 || m->seg == SEG_FS || m->seg == SEG_GS)
		a += backend->get(v, seg_base[m->seg]);
	return mode == CODE64 ? a : a & 0xffffffff;
}

/* Why this fault is not the instruction at RIP touching the device, or
 * NULL. A fault while delivering an event (the frame pushed onto a stack,
 * a descriptor read from a table on the page) or from the guest's own page
 * walk (a table on the page) is no MOV of the guest's; nor is one whose
 * decoded access goes the other way or elsewhere. Each stops the guest. */
static const char *mismatch(struct vcpu *v, const struct exit_info *ei, const struct insn_mem *m,
			    enum code_mode mode)
{
	u64 gpa;

	if (ei->slat.delivery)
		return "touched while delivering an event (a stack or descriptor table on the page)";
	if (ei->slat.walk)
		return "touched by the guest's page walk (a page table on the page)";
	if (ei->slat.exec)
		return "executed";
	if (m->write != ei->slat.write)
		return m->write ? "read, but the instruction at rip stores" : "written, but the instruction at rip loads";
	if (vcpu_translate(v, linear(v, m, mode), &gpa) || gpa != ei->slat.gpa)
		return "touched, but not at the address the instruction at rip accesses";
	return NULL;
}

static enum code_mode mode_of(struct vcpu *v)
{
	u64 ar = backend->get(v, VREG_CS_AR);

	return ar >> 13 & 1 ? CODE64 : ar >> 14 & 1 ? CODE32 : CODE16;
}

/* The value a store writes: its immediate or its source register. */
static u64 source(struct vcpu *v, const struct insn_mem *m)
{
	if (m->has_imm)
		return m->imm;
	if (m->high8)
		return vcpu_gpr(v, m->reg - 4) >> 8;
	return vcpu_gpr(v, m->reg);
}

/* A load's result into its register: 32-bit results clear the upper
 * half, 8- and 16-bit ones keep the rest, as the CPU does. */
static void dest(struct vcpu *v, const struct insn_mem *m, u64 val)
{
	u64 mask = width_mask(m->reg_size);

	if (m->high8)
		vcpu_set_gpr(v, m->reg - 4, (vcpu_gpr(v, m->reg - 4) & ~0xff00ULL) | (val & 0xff) << 8);
	else if (m->reg_size >= 4)
		vcpu_set_gpr(v, m->reg, val & mask);
	else
		vcpu_set_gpr(v, m->reg, (vcpu_gpr(v, m->reg) & ~mask) | (val & mask));
}

/* One access of `size` bytes at off, which stays inside one 4-byte
 * register, or is an aligned 8-byte pair of them. */
static u64 load(struct vcpu *v, const struct mmio_dev *d, u32 off, u32 size)
{
	u32 shift = (off & 3) * 8;

	if (size == 8)
		return d->read(v, off) | (u64)d->read(v, off + 4) << 32;
	return (d->read(v, off & ~3u) >> shift) & width_mask(size);
}

static void store(struct vcpu *v, const struct mmio_dev *d, u32 off, u32 size, u64 val)
{
	u32 shift = (off & 3) * 8, reg;

	if (size == 8) {
		d->write(v, off, (u32)val);
		d->write(v, off + 4, (u32)(val >> 32));
	} else if (size == 4) {
		d->write(v, off, (u32)val);
	} else {
		reg = d->read(v, off & ~3u) & ~(u32)(width_mask(size) << shift);
		d->write(v, off & ~3u, reg | (u32)((val & width_mask(size)) << shift));
	}
}

struct act vmmio_exit(struct vcpu *v, struct exit_info *ei, const struct mmio_dev *d)
{
	u8 buf[INSN_MAX] = { 0 };
	enum code_mode mode = mode_of(v);
	const char *why;
	struct insn_mem m;
	u32 off;
	int n;

	off = (u32)(ei->slat.gpa - d->base);
	if (ei->slat.delivery || ei->slat.walk || ei->slat.exec)
		return guest_stop(v->guest, "%s register %x %s", d->name, off, mismatch(v, ei, NULL, mode));
	n = vcpu_fetch_insn(v, buf);
	if (n <= 0 || insn_decode_mem(buf, (u32)n, mode, &m))
		return guest_stop(v->guest, "%s register %x: the instruction at rip %lx (%02x %02x %02x %02x) is not an emulated MOV",
				  d->name, off, backend->get(v, VREG_RIP), buf[0], buf[1], buf[2], buf[3]);
	why = mismatch(v, ei, &m, mode);
	if (why)
		return guest_stop(v->guest, "%s register %x %s (rip %lx)", d->name, off, why, backend->get(v, VREG_RIP));
	if (m.size == 8 ? (off & 7) : (off & 3) + m.size > 4)
		return guest_stop(v->guest, "%s register %x: a %u-byte access crosses a register", d->name, off, m.size);
	if (m.write)
		store(v, d, off, m.size, source(v, &m));
	else
		dest(v, &m, load(v, d, off, m.size));
	return vcpu_skip(v, m.len);
}
