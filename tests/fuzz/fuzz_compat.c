/* libFuzzer target: the hypercall path from compat_dispatch down through
 * every version's decoders into hypercall/, with the hypervisor around them
 * replaced by the stubs below. Input: RAX, RBX, RCX, RDX, RSI, then a mode
 * byte (bit 0: CPL 3, bit 1: 32-bit code), then the guest's memory (64 KiB,
 * a heap block AddressSanitizer watches). The status must be a success or
 * a defined error, and nothing outside guest memory may be touched. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "compat/compat.h"
#include "core/console/console.h"
#include "core/dev/gcons.h"
#include "core/hw/time.h"
#include "core/vm/vcpu_util.h"
#include "hypercall/hypercall.h"

#define MEM KiB(64)
#define STATUS_MIN (-7)   /* EREFUSED, the lowest error any version defines */

static struct guest guest;
static struct vcpu vcpu;
static u8 mode;
static u64 clock_ns;
static struct scheduler sched;
static struct sched_cpu cpu;
static struct sched_entity *all[1];

/* ---- the hypervisor, as far as the hypercall path sees it */

static u64 stub_get(struct vcpu *v, enum vreg r)
{
	(void)v, (void)r;
	return 0;
}

static void stub_set(struct vcpu *v, enum vreg r, u64 val)
{
	(void)v, (void)r, (void)val;
}

static void stub_skip(struct vcpu *v, u64 len)
{
	(void)v, (void)len;
}

static const struct backend_ops stub_backend = { .name = "stub", .get = stub_get, .set = stub_set,
						 .skip = stub_skip };
const struct backend_ops *backend = &stub_backend;

void gcons_write(struct guest *g, const char *src, u32 len) { (void)g, (void)src, (void)len; }
bool gcons_room(struct guest *g, u64 len) { (void)g, (void)len; return true; }
void klog(u8 level, const char *fmt, ...) { (void)level, (void)fmt; }
u64 time_tsc_hz(void) { return 1000000000; }
bool time_tsc_invariant(void) { return true; }
u64 time_now_ns(void) { return clock_ns += 1000; }
u64 time_tsc_to_ns(u64 ticks) { return ticks; }
struct guest *guest_by_id(u32 id) { return id == 0 ? &guest : NULL; }

struct act guest_stop(struct guest *g, const char *fmt, ...)
{
	(void)fmt;
	g->state = GUEST_STOPPED;
	return (struct act){ ACT_STOP, 0 };
}

static void setup(void)
{
	static char err[160];

	static const struct guest_cfg cfg = { .weight = 4, .max_weight = 8, .max_share = 50 };

	guest.cfg = &cfg;
	guest.vcpu = &vcpu;
	guest.sched = &sched;
	vcpu.guest = &guest;
	vcpu.se.name = "fuzz";
	vcpu.se.params.weight = 1;
	all[0] = &vcpu.se;
	hc_init();
	if (sched_init(&sched, sched_policy_find("edf"), &cpu, 1, all, 1, 1000000, 0, err, sizeof(err)))
		abort();
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	u64 regs[5] = { 0 };
	struct act act;
	u8 *mem;

	if (!guest.vcpu)
		setup();
	memcpy(regs, data, MIN(size, sizeof(regs)));
	mode = size > sizeof(regs) ? data[sizeof(regs)] : 0;
	mem = calloc(1, MEM);
	if (!mem)
		abort();
	if (size > sizeof(regs) + 1)
		memcpy(mem, data + sizeof(regs) + 1, MIN(size - sizeof(regs) - 1, MEM));
	gmem_init(&guest.mem, (u64)(uintptr_t)mem, MEM);
	guest.state = GUEST_RUNNABLE;
	vcpu.gprs = (struct gprs){ .rax = regs[0], .rbx = regs[1], .rcx = regs[2], .rdx = regs[3], .rsi = regs[4] };
	act = compat_dispatch(&vcpu, &(struct exit_info){ .insn_len = 3, .cpl = mode & 1 ? 3 : 0,
							  .code64 = !(mode & 2) });
	if ((act.kind == ACT_STOP) != (guest.state == GUEST_STOPPED) || act.kind > ACT_STOP)
		abort();
	/* a call the guest returns from leaves a success or a defined error */
	if (act.kind != ACT_STOP && act.kind != ACT_REBOOT && (s64)vcpu.gprs.rax < STATUS_MIN)
		abort();
	free(mem);
	return 0;
}
