/* The current implementation of every hypercall. Knows nothing of ABI
 * versions: compat/ decodes and validates each version's registers and
 * structures, calls these, and encodes their results as that version
 * defined them. Arguments reaching here are already checked, except guest
 * addresses, which these functions check against the guest's memory. A
 * call that changes how the caller runs on returns it (core/vm/act.h);
 * nothing here reaches up into the run loop. */
#ifndef HYPERCALL_HYPERCALL_H
#define HYPERCALL_HYPERCALL_H

#include "core/vm/act.h"
#include "core/vm/vcpu.h"

/* Optional services, as bits; each version reports the ones it defines. */
#define HC_F_INVARIANT_TSC (1u << 0)
#define HC_F_NOTIFY (1u << 1)

/* The services this hypervisor offers, fixed by hc_init once the clock
 * is known (before the first guest is built); read on the null call. */
extern u32 hc_feature_bits;

void hc_init(void);

static inline u32 hc_features(void)
{
	return hc_feature_bits;
}

/* Writes len bytes (at most 4096) at guest-physical gpa to the guest's
 * console. 0: accepted, the bytes taken in the guest's own slices before
 * it runs again (gcons_write); -1
 * when the buffer is not wholly inside the guest's memory; 1 when the
 * guest's console ring has no room yet (the call is to be made again in
 * its next slice: compat_retry). */
int hc_console_write(struct guest *g, u64 gpa, u64 len);

struct hc_time {
	u64 tsc_hz;
	u64 now_ns;                /* monotonic, since the hypervisor started */
};

void hc_get_time(struct hc_time *t);

/* Gives the CPU to other guests, if any can run. */
struct act hc_yield(struct vcpu *v);

/* The vCPU runs again once the clock reaches deadline_ns. */
struct act hc_sleep_until(struct vcpu *v, u64 deadline_ns);

struct hc_guest_info {
	u64 ram_base, ram_size;
	u64 free_base, free_end;
	u32 guest_id, boot_count, vcpu_count;
};

void hc_guest_info(const struct guest *g, struct hc_guest_info *gi);

struct hc_vcpu_info {
	u32 id, count;
};

void hc_vcpu_info(const struct vcpu *v, struct hc_vcpu_info *vi);

#define HC_POLICY_NAME 16

struct hc_sched_info {
	u64 slice_ns;
	u32 weight;
	char policy[HC_POLICY_NAME];   /* NUL-terminated */
};

/* The calling vCPU's: each vCPU is scheduled on its own. */
void hc_sched_info(const struct vcpu *v, struct hc_sched_info *si);

/* The calling vCPU's scheduling parameters, and changing them (its
 * guest's other vCPUs keep theirs: each runs on its own CPU's queue): 0,
 * -1 when the values are out of range (weight 1..CFG_WEIGHT_MAX, budget
 * and period both or neither, budget <= period), -2 when the policy
 * refuses them. */
void hc_sched_get(const struct vcpu *v, struct sched_params *p);
int hc_sched_set(struct vcpu *v, const struct sched_params *p);

/* ORs bits into guest target's notification word. 0, or -1 when no guest
 * has that id. */
int hc_notify(u32 target, u64 bits);

/* Returns the caller's notification word and clears it. */
u64 hc_notify_poll(struct guest *g);

/* Stops the guest at its own request. */
struct act hc_poweroff(struct guest *g, u64 code);

/* Starts the guest again from its image once this exit is handled. */
struct act hc_reboot(struct guest *g);

#endif
