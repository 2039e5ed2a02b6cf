/* The few fw_cfg items guest test suites written for QEMU read
 * (kvm-unit-tests: the CPU count and the RAM size), through the
 * traditional port interface: a 16-bit write to the selector at 0x510
 * picks an item and rewinds it, each byte read from 0x511 is the next one
 * of it, 0 past its end or for an item not modelled. Items: the signature
 * "QEMU", the interface ID (1: no DMA), RAM size (u64, all of it, as
 * QEMU's: below 3 GiB and above 4 GiB together), the CPU count and the most
 * CPUs (u16, the guest's vCPUs). Little-endian, as QEMU's. */
#include "core/dev/vfwcfg.h"
#include "mm/gmem.h"

enum { FW_CFG_SIGNATURE = 0x00, FW_CFG_ID = 0x01, FW_CFG_RAM_SIZE = 0x03, FW_CFG_NB_CPUS = 0x05,
       FW_CFG_MAX_CPUS = 0x0f };

/* The selected item's value, in at most 8 bytes, little-endian. */
static u64 item(const struct guest *g, u16 key)
{
	switch (key) {
	case FW_CFG_SIGNATURE: return 0x554d4551;   /* "QEMU" */
	case FW_CFG_ID: return 1;
	case FW_CFG_RAM_SIZE: return g->mem.size;
	case FW_CFG_NB_CPUS:
	case FW_CFG_MAX_CPUS: return g->nvcpus;
	default: return 0;
	}
}

static u32 fwcfg_read(struct guest *g, u16 port, u8 size)
{
	u32 v = 0;

	if (port == 0x510)
		return 0xffffffff;   /* the selector is write-only */
	for (u8 i = 0; i < size && g->fw_cfg_off < 8; i++, g->fw_cfg_off++)
		v |= (u32)(item(g, g->fw_cfg_key) >> (8 * g->fw_cfg_off) & 0xff) << (8 * i);
	return v;
}

static struct act fwcfg_write(struct guest *g, u16 port, u8 size, u32 val)
{
	if (port == 0x510 && size == 2) {
		g->fw_cfg_key = (u16)val;
		g->fw_cfg_off = 0;
	}
	return act_resume();
}

const struct pio_dev vfwcfg = { "fw_cfg", 0x510, 2, fwcfg_read, fwcfg_write };
