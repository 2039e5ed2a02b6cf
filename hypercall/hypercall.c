/* Hypercall implementations. */
#include "hypercall/hypercall.h"
#include "core/lib/spinlock.h"
#include "core/console/console.h"
#include "core/dev/gcons.h"
#include "core/lib/string.h"
#include "core/hw/time.h"
#include "core/vm/vcpu_util.h"
#include "mm/gmem.h"

u32 hc_feature_bits;

void hc_init(void)
{
	hc_feature_bits = (time_tsc_invariant() ? HC_F_INVARIANT_TSC : 0) | HC_F_NOTIFY;
}

int hc_console_write(struct guest *g, u64 gpa, u64 len)
{
	bool locked;
	int r = 1;

	if (!gmem_contains(&g->mem, gpa, len))
		return -1;
	locked = guest_lock(g);   /* its vCPUs share the console */
	if (gcons_room(g, len)) {
		for (u64 n; len; gpa += n, len -= n) {   /* range by range: RAM may be in pieces */
			const char *p = gmem_piece(&g->mem, gpa, len, &n);

			gcons_write(g, p, (u32)n);
		}
		r = 0;
	}
	guest_unlock(g, locked);
	return r;
}

void hc_get_time(struct hc_time *t)
{
	t->tsc_hz = time_tsc_hz();
	t->now_ns = time_now_ns();
}

struct act hc_yield(struct vcpu *v)
{
	(void)v;
	return act_yield();
}

/* A deadline already past ends the slice; 0, the past before the clock
 * began, returns at once. */
struct act hc_sleep_until(struct vcpu *v, u64 deadline_ns)
{
	(void)v;
	return deadline_ns ? act_block(deadline_ns) : act_resume();
}

void hc_guest_info(const struct guest *g, struct hc_guest_info *gi)
{
	*gi = (struct hc_guest_info){
		.ram_base = 0, .ram_size = gmem_low_end(&g->mem),   /* RAM above 4 GiB: not in any version's info */
		.free_base = g->free_base, .free_end = g->free_end,
		.guest_id = g->id, .boot_count = g->boot_count, .vcpu_count = g->nvcpus,
	};
}

void hc_vcpu_info(const struct vcpu *v, struct hc_vcpu_info *vi)
{
	vi->id = v->id;
	vi->count = v->guest->nvcpus;
}

void hc_sched_info(const struct vcpu *v, struct hc_sched_info *si)
{
	const struct scheduler *s = v->guest->sched;

	memset(si, 0, sizeof(*si));
	si->slice_ns = s ? s->cpus[v->se.cpu].slice_ns : 1;
	si->weight = MAX(v->se.params.weight, 1u);
	strlcpy(si->policy, s ? s->ops->name : "none", sizeof(si->policy));
}

void hc_sched_get(const struct vcpu *v, struct sched_params *p)
{
	*p = v->se.params;
}

/* Whether p stays within the ceiling g's configuration sets (max_weight,
 * max_share; by default what it was configured with). */
static bool within_ceiling(const struct guest_cfg *c, const struct sched_params *p)
{
	u32 max_weight = c->max_weight ? c->max_weight : c->weight;
	u64 share = c->max_share >= 0 ? (u64)c->max_share : 0;

	if (p->weight > max_weight)
		return false;
	if (!p->budget_ns)
		return true;
	if (c->max_share < 0)   /* the configured reservation's share */
		return c->period_ns && p->budget_ns * c->period_ns <= c->budget_ns * p->period_ns;
	return p->budget_ns * 100 <= share * p->period_ns;
}

/* Every entity's parameters: written only under it (or with the other
 * CPUs parked), since admission reads them all. */
static struct spinlock params_lock = SPINLOCK("sched params");

int hc_sched_set(struct vcpu *v, const struct sched_params *p)
{
	struct guest *g = v->guest;
	struct scheduler *s = g->sched;
	char err[160];
	int r;

	if (!p->weight || p->weight > CFG_WEIGHT_MAX || !p->budget_ns != !p->period_ns ||
	    p->budget_ns > p->period_ns)
		return -1;
	if (!within_ceiling(g->cfg, p)) {
		log_debug("guest '%s': sched_set refused: above its configured ceiling\n", g->name);
		return -2;
	}
	spin_lock(&params_lock);
	r = s ? sched_set_params(s, &v->se, p, time_now_ns(), err, sizeof(err)) : -1;
	spin_unlock(&params_lock);
	if (r) {
		log_debug("guest '%s': sched_set refused: %s\n", g->name, s ? err : "no scheduler");
		return -2;
	}
	log_debug("guest '%s': now weight %u, budget %lu us, period %lu us\n", g->name, p->weight,
		 p->budget_ns / 1000, p->period_ns / 1000);
	return 0;
}

int hc_notify(u32 target, u64 bits)
{
	struct guest *t = guest_by_id(target);

	if (!t)
		return -1;
	__atomic_fetch_or(&t->notify_bits, bits, __ATOMIC_RELEASE);   /* t may run on another CPU */
	return 0;
}

u64 hc_notify_poll(struct guest *g)
{
	return __atomic_exchange_n(&g->notify_bits, 0, __ATOMIC_ACQUIRE);
}

struct act hc_poweroff(struct guest *g, u64 code)
{
	bool locked = guest_lock(g);
	struct act act;

	if (g->state != GUEST_STOPPED)
		g->exit_code = code;
	act = guest_stop(g, "shutdown (code %lu)", code);
	guest_unlock(g, locked);
	return act;
}

struct act hc_reboot(struct guest *g)
{
	(void)g;
	return act_reboot();
}
