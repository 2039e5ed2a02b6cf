/* MMIO exits (core/vmmio.h): find the device, decode the MOV, move the
 * data between the device and the guest's register or immediate. */
#include "core/vmmio.h"
#include "core/insn_mem.h"
#include "core/vcpu_util.h"

static const struct mmio_dev *const devices[] = { &vlapic_mmio, &vioapic_mmio };

static const struct mmio_dev *find(u64 gpa)
{
	for (size_t i = 0; i < ARRAY_SIZE(devices); i++)
		if (gpa >= devices[i]->base && gpa - devices[i]->base < devices[i]->size)
			return devices[i];
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

bool vmmio_exit(struct vcpu *v, struct exit_info *ei)
{
	const struct mmio_dev *d = find(ei->slat.gpa);
	u8 buf[INSN_MAX] = { 0 };
	struct insn_mem m;
	u32 off;
	int n;

	if (!d)
		return false;
	off = (u32)(ei->slat.gpa - d->base);
	n = vcpu_fetch_insn(v, buf);
	if (n <= 0 || insn_decode_mem(buf, (u32)n, mode_of(v), &m)) {
		guest_stop(v->guest, "%s register %x: the instruction at rip %lx (%02x %02x %02x %02x) is not an emulated MOV",
			   d->name, off, backend->get(v, VREG_RIP), buf[0], buf[1], buf[2], buf[3]);
		return true;
	}
	if (m.size == 8 ? (off & 7) : (off & 3) + m.size > 4) {
		guest_stop(v->guest, "%s register %x: a %u-byte access crosses a register", d->name, off, m.size);
		return true;
	}
	if (m.write)
		store(v, d, off, m.size, source(v, &m));
	else
		dest(v, &m, load(v, d, off, m.size));
	vcpu_skip(v, m.len);
	return true;
}
