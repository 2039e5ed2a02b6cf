/* The run loops, one on every online CPU: each asks the scheduler (sched/)
 * what runs next on its own queue, runs that vCPU until its slice ends or
 * it yields, sleeps, reboots or stops, and tells the scheduler how long it
 * ran. Preemption does not need the guest: the backend's timer (VMX
 * preemption timer, LAPIC timer on AMD-V) forces an exit when the slice is
 * over, interrupts masked or not.
 *
 * Who owns what: a vCPU, its guest's devices and its CPU's queue belong to
 * the CPU the scheduler placed it on, which alone runs it, until the load
 * balancing hands it to another CPU (balance: released here first); no
 * lock is held across a VM entry. The boot CPU
 * alone reads console input, runs the debug console (with the others
 * parked: hold), decides when the run is over, and reports. What two CPUs
 * share: the console (its lock), memory allocation (mm's lock), the
 * shares' snapshot (stats_lock), the trace ring (its lock), and the flags
 * below, written by the boot CPU and read between slices. */
#include "core/guest/guest.h"
#include "core/vm/backend.h"
#include "core/console/console.h"
#include "core/guest/dbgcon.h"
#include "core/hw/cpu.h"
#include "core/exit/exit.h"
#include "core/lib/fmt.h"
#include "core/dev/gcons.h"
#include "core/hw/power.h"
#include "core/guest/run_trace.h"
#include "core/lib/string.h"
#include "core/hw/time.h"
#include "core/vm/vswitch.h"
#include "core/irq/virq.h"
#include "mm/mm.h"
#include "core/vm/vcpu_util.h"
#include "hypercall/hypercall.h"
#include "core/hw/lapic.h"
#include "core/hw/percpu.h"
#include "core/lib/spinlock.h"
#include "core/smp/smp.h"
#include "core/vm/vmp.h"

static struct scheduler sched;
static struct sched_cpu queues[HV_MAX_CPUS];   /* by CPU number */
static u32 ncpus;

/* Written by the boot CPU, read by every loop between slices; the kick
 * that follows each change ends an idle CPU's HLT, or the slice of a CPU
 * in a guest (run_exits). */
static volatile bool run_over, park_asked;
static u32 parked, loops_running;       /* atomics: the APs count themselves */
/* Each CPU's own: it had nothing to run, now or ever, when it last looked
 * (reset by the boot CPU while the others are parked). */
static volatile bool idle_forever[HV_MAX_CPUS];
static struct spinlock stats_lock = SPINLOCK("run stats");

/* CPU time of every guest when the first one stopped: the shares while
 * all of them competed. */
static u64 first_stop_ns, runtime_at_first_stop[CFG_MAX_VCPUS];

/* The shares as they stand at now, if no guest has stopped before. */
static void note_first_stop(u64 now)
{
	spin_lock(&stats_lock);
	if (!first_stop_ns) {
		first_stop_ns = now;
		for (u32 i = 0; i < sched.n; i++)
			runtime_at_first_stop[i] = sched.all[i]->runtime_ns;
	}
	spin_unlock(&stats_lock);
}

/* The restart bound (restart_due): restarts of one guest in a second. */
#define RESTARTS_PER_S 10
#define RESTART_WINDOW_NS 1000000000ULL

/* A guest's stop, said once it is over, by the first of its vCPUs to
 * see it: its last console lines, why it stopped (guest_stop), the exits
 * of each vCPU, the restarts the bound delayed. The guest's lock held
 * (its console is its vCPUs'). */
static void say_stopped(struct guest *g)
{
	if (__atomic_exchange_n(&g->stop_said, true, __ATOMIC_ACQ_REL))
		return;
	gcons_flush(g);
	kprintf("hv: guest '%s' stopped: %s\n", g->name, g->stop_reason);
	for (u32 i = 0; g->vcpu && i < g->nvcpus; i++)
		guest_print_exits(&g->vcpu[i]);
	if (g->restarts_delayed)
		kprintf("hv: guest '%s': %u restarts waited for the bound of %u a second\n", g->name,
			g->restarts_delayed, RESTARTS_PER_S);
}

static __attribute__((noinline)) void stopped(struct guest *g)
{
	bool locked = guest_lock(g);

	say_stopped(g);
	guest_unlock(g, locked);
}

/* TSC ticks until the next exit must come: the slice's end (limit ticks
 * from start), or a device timer due at due_ns (0 = none) if that comes
 * first, but no sooner than ENTRY_MIN_NS: a guest whose timer is always
 * due (an APIC timer of one count) still runs the handler of what was just
 * injected, instead of exiting before its first instruction, forever. At
 * least 1. Computed before every entry from what is left of the slice, so
 * the slice counts down across entries whatever the guest does between
 * them. */
#define ENTRY_MIN_NS 20000

static inline __attribute__((always_inline)) u64 ticks_left(u64 due_ns, u64 left)
{
	u64 now;

	if (due_ns) {
		now = time_now_ns();
		left = MIN(left, time_ns_to_tsc(MAX(due_ns > now ? due_ns - now : 0, ENTRY_MIN_NS)));
	}
	return MAX(left, 1);
}

/* "reboot (start N)": always for the first REBOOTS_SHOWN starts, then
 * only when the console's ring has room for it, so a reboot loop does not
 * wait for the serial line in its slices. Lines left out are counted on
 * the next one shown. */
#define REBOOT_LINE 96
#define REBOOTS_SHOWN 8

static void log_reboot(struct guest *g)
{
	if (g->boot_count >= REBOOTS_SHOWN && !console_room(REBOOT_LINE)) {
		g->reboots_unlogged++;
		return;
	}
	if (g->reboots_unlogged)
		log_info("guest '%s': reboot (start %u; %u reboots before it not shown)\n", g->name,
			 g->boot_count + 1, g->reboots_unlogged);
	else
		log_info("guest '%s': reboot (start %u)\n", g->name, g->boot_count + 1);
	g->reboots_unlogged = 0;
}

/* Wipes a rebooting guest's RAM in pieces, in its own slices, then starts
 * it again at the start of its next slice: the work is the guest's, no
 * exit does more than one piece past the slice's end (WIPE_CHUNK, 4 KiB),
 * and the reload (the image and the loader's tables, one step) begins a
 * slice instead of landing at the end of one. True when it may run. */
#define WIPE_CHUNK 4096

static bool reboot_step(struct guest *g, u64 start, u64 limit)
{
	bool wiped = false;

	while (g->wipe_next < g->mem.size) {
		u64 n;
		void *p = gmem_at(&g->mem, g->wipe_next, WIPE_CHUNK, &n);

		memset(p, 0, n);
		g->wipe_next += n;
		wiped = true;
		if (rdtsc() - start >= limit)
			return false;
	}
	if (wiped)
		return false;   /* the reload, one step, opens the guest's next slice */
	g->wipe_next = 0;
	gcons_flush(g);
	log_reboot(g);
	if (guest_start(g, 0))
		guest_stop(g, "cannot restart after a reboot");
	return g->state == GUEST_RUNNABLE;
}

/* One step of gcons_write_step, under the guest's lock: its vCPUs share
 * the console. */
static bool write_one_step(struct guest *g)
{
	bool locked = guest_lock(g), done = gcons_write_step(g);

	guest_unlock(g, locked);
	return done;
}

/* Takes an accepted console_write's bytes, GCONS_STEP at a time, in the
 * writer's slice, before it runs again. True when it may run. */
static bool write_step(struct guest *g, u64 start, u64 limit)
{
	while (!write_one_step(g))
		if (rdtsc() - start >= limit)
			return false;
	return true;
}

/* A reboot, as the guest's vCPU 0 sees it before an entry: it waits
 * (yields) until every other vCPU is parked waiting for a SIPI, and
 * (blocked) until the restart bound lets it (restart_due), then wipes and
 * reloads (reboot_step). An other vCPU parks. -1 when it may run; else
 * why the slice ends, and for a timed block until when. */
static int rebooting(struct vcpu *v, u64 start, u64 limit, u64 *wake_ns)
{
	struct guest *g = v->guest;

	if (v->id) {
		__atomic_store_n(&v->mp, VCPU_WAIT_SIPI, __ATOMIC_RELEASE);
		return SCHED_BLOCKS;
	}
	if (!vmp_all_parked(g))
		return SCHED_YIELDED;
	if (g->restart_due_ns > time_now_ns()) {
		*wake_ns = g->restart_due_ns;
		return SCHED_BLOCKS;
	}
	if (!reboot_step(g, start, limit))
		return g->state == GUEST_STOPPED ? say_stopped(g), SCHED_EXITS : SCHED_PREEMPTED;
	return -1;
}

/* The slow way before an entry, when v->hold says to look: its guest has
 * stopped or reboots, or v was sent an INIT or a SIPI (core/vm/vmp.c).
 * Under the guest's lock. -1 when v may run now; else why its slice
 * ends: blocked until *wake_ns (a restart the bound holds back), or for
 * good when *wake_ns stays 0 (until a SIPI or a stop wakes it). */
static __attribute__((noinline)) int held(struct vcpu *v, u64 start, u64 limit, u64 *wake_ns)
{
	struct guest *g = v->guest;
	bool locked = guest_lock(g);
	int why = -1;

	__atomic_store_n(&v->hold, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&v->se.wake_pending, false, __ATOMIC_SEQ_CST);   /* what it was for is looked at now */
	if (g->state == GUEST_STOPPED) {
		v->hold = 1;
		why = SCHED_EXITS;
	} else if (g->state == GUEST_REBOOTING) {
		v->hold = 1;
		why = rebooting(v, start, limit, wake_ns);
	} else if (!guest_vcpu_take(v)) {
		why = SCHED_BLOCKS;
	}
	guest_unlock(g, locked);
	return why;
}

/* At most RESTARTS_PER_S restarts of one guest (the reboot call or a
 * reset port: a PC that resets itself in a loop) in each second from the
 * first of them; one over waits, blocked, for the next second, where it
 * is the first. The wipe and reload are in the guest's own slices either
 * way: the bound keeps its restarts from becoming most of the work. When
 * the restart asked for now may begin (0: at once). */
static u64 restart_due(struct guest *g, u64 now)
{
	if (!g->restart_window_ns || now - g->restart_window_ns >= RESTART_WINDOW_NS) {
		g->restart_window_ns = now;
		g->restarts_in_window = 0;
	}
	if (g->restarts_in_window++ < RESTARTS_PER_S)
		return 0;
	g->restart_window_ns += RESTART_WINDOW_NS;
	g->restarts_in_window = 1;
	g->restarts_delayed++;
	return g->restart_window_ns;
}

/* An exit asked for a reboot: every vCPU of the guest looks (held), the
 * first wipes and restarts it when the bound allows, the others park. A
 * guest that stopped meanwhile stays stopped. */
static __attribute__((noinline)) void reboot_ask(struct vcpu *v)
{
	struct guest *g = v->guest;
	bool locked = guest_lock(g);

	if (g->state == GUEST_RUNNABLE) {
		g->state = GUEST_REBOOTING;
		g->restart_due_ns = restart_due(g, time_now_ns());
		vmp_hold_all(g);
	}
	guest_unlock(g, locked);
}

/* What the scheduler hears when an exit's action ends the slice. */
static const enum sched_why slice_end[] = {
	[ACT_YIELD] = SCHED_YIELDED, [ACT_BLOCK] = SCHED_BLOCKS, [ACT_STOP] = SCHED_EXITS,
};

/* An interrupt injected for the entry that follows a kick of this CPU:
 * the ticks since the kick's handler are v's take (guest_print_exits
 * says the least; make bench reads it). */
static __attribute__((noinline)) void count_take(struct vcpu *v)
{
	struct cpu *c = this_cpu();
	u64 t;

	v->injected = false;
	if (!c->kick_tsc)
		return;
	t = rdtsc() - c->kick_tsc;
	c->kick_tsc = 0;
	v->takes++;
	if (!v->take_min || t < v->take_min)
		v->take_min = t;
}

/* Runs v for up to slice_ns; says why it came back. Every exit, whichever
 * layer handled it, is counted (exit_handle, or exit_hypercall_fast on the
 * short way) and comes back here, its action taken and the slice checked,
 * so a slice ends at most one exit's handling past its end. The exception
 * is a hypercall the short way served and resumed: the backend enters the
 * guest again itself, within the ticks given to run here. */
static inline __attribute__((always_inline)) enum sched_why run_exits(struct vcpu *v, u64 slice_ns,
								      u64 *wake_ns)
{
	struct guest *g = v->guest;
	u64 limit = time_ns_to_tsc(slice_ns), start, now, due;
	struct exit_info ei;
	struct act act;

	vswitch_to(v);
	start = now = rdtsc();   /* the switch was the scheduler's time: its slice starts here */
	for (;; now = rdtsc()) {
		if (v->hold) {
			int why = held(v, start, limit, wake_ns);

			if (why >= 0)
				return (enum sched_why)why;
			now = rdtsc();
		}
		if (g->cons->todo) {
			if (!write_step(g, start, limit))
				return SCHED_PREEMPTED;
			now = rdtsc();
		}
		if (now - start >= limit)
			return SCHED_PREEMPTED;
		due = 0;
		if (virq_wanted(v)) {
			due = virq_deliver(v);
			if (v->injected)
				count_take(v);
		}
		backend->run(v, ticks_left(due, limit - (now - start)), &ei);
		act = exit_dispatch(v, &ei);
		if (act.kind == ACT_REBOOT) {
			reboot_ask(v);   /* wiped and reloaded from the top of the loop */
		} else if (act.kind != ACT_RESUME) {
			if (act.kind == ACT_STOP)
				stopped(g);
			*wake_ns = act.until_ns;
			return slice_end[act.kind];
		} else if (ei.reason == EXIT_EXT_INTR && (park_asked || run_over)) {
			return SCHED_PREEMPTED;   /* kicked: the boot CPU waits for this one between slices */
		}
	}
}

/* The guest's waiting console lines to the console's ring, under its
 * lock (its vCPUs share them). */
static __attribute__((noinline)) void drain(struct guest *g)
{
	bool locked = guest_lock(g);

	console_send(gcons_drain(g));
	guest_unlock(g, locked);
}

/* A slice, then the guest's waiting console lines (one) handed to the
 * console's ring, and as many bytes sent to the device as it takes without
 * waiting, up to that line's: all in the guest's time. What the device
 * did not take goes between slices, CONSOLE_POLL_MAX at a time (schedule). */
static inline __attribute__((always_inline)) enum sched_why run_slice(struct vcpu *v, u64 slice_ns,
								      u64 *wake_ns)
{
	enum sched_why why = run_exits(v, slice_ns, wake_ns);

	if (v->guest->cons->used)
		drain(v->guest);
	return why;
}

/* TSC ticks from the boot door's entry to the run loop's first decision
 * (the first guest's entry is that decision and a switch later: a switch
 * does not pay for the check), printed at the end (printing now would be
 * charged to the first guest's slice). */
static u64 boot_ticks;

/* CPU i is halted in halt_until: a vCPU posted to it comes with a kick
 * (vcpu_wake). Written by CPU i alone. */
static volatile bool halted[HV_MAX_CPUS];

/* CPU c halted until about t, or until an interrupt (a kick) comes first:
 * the local APIC timer wakes it. Hardware saves the power, and an
 * emulator skips the time (QEMU under icount would otherwise execute a
 * second of spinning for each second of a guest's sleep). Where the timer
 * is not set up (VT-x preempts with its own), one spin. Interrupts off. */
static void halt_until(struct sched_cpu *c, u64 t)
{
	u64 now = time_now_ns();

	if (!lapic_timer_ready() || t <= now) {
		cpu_relax();
		return;
	}
	lapic_timer_start(time_ns_to_tsc(t - now));
	__atomic_store_n(&halted[c->id], true, __ATOMIC_SEQ_CST);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);   /* the flag, then the inbox (vcpu_wake: the reverse) */
	if (!__atomic_load_n(&c->inbox, __ATOMIC_RELAXED))
		__asm__ volatile("sti; hlt; cli" : : : "memory");
	__atomic_store_n(&halted[c->id], false, __ATOMIC_RELAXED);
	lapic_timer_stop();         /* woken early by a kick: the countdown is not the next guest's */
	lapic_timer_take_fired();   /* an idle wake, not a guest's slice */
}

/* Nothing to run on c until t, or until another CPU hands c a vCPU (a
 * kick ends the halt): the console's waiting output goes meanwhile,
 * polled without halting. */
static void idle_until(struct sched_cpu *c, u64 t)
{
	while (time_now_ns() < t && !__atomic_load_n(&c->inbox, __ATOMIC_RELAXED)) {
		if (console_waiting()) {
			console_poll();
			cpu_relax();
		} else {
			halt_until(c, t);
		}
	}
}

/* The guest whose stop ends the run (run_until=), or NULL. */
static const struct guest *run_until;

/* Every guest still running is stopped where it is, for why: once the
 * other CPUs have left their loops. */
static void stop_the_rest(const char *why)
{
	note_first_stop(time_now_ns());
	for (u32 i = 0; i < nguests; i++)
		if (guests[i].state != GUEST_STOPPED) {
			guest_stop(&guests[i], "%s", why);
			stopped(&guests[i]);
		}
}

/* Whether the run is over at now: run_for's time is up, or run_until's
 * guest stopped. Then why says which. */
static bool time_is_up(u64 t0, u64 run_for_ns, u64 now, char *why, size_t len)
{
	if (run_until && __atomic_load_n(&run_until->state, __ATOMIC_RELAXED) == GUEST_STOPPED)
		snformat(why, len, "run_until: guest '%s' stopped", run_until->name);
	else if (run_for_ns && now - t0 >= run_for_ns)
		snformat(why, len, "run_for (%lu ms) is over", run_for_ns / 1000000);
	else
		return false;
	return true;
}

/* Between slices, at most this often: typed input (a guest's COM1, the
 * debug console) is looked at, so a keystroke waits at most a
 * millisecond, and so is the run's end (run_for, run_until, every guest
 * stopped), which comes at most a millisecond late; and waiting console
 * output is handed to the device, which at 115200 baud sends a byte about
 * every 87 us (the driver gives it one when its transmitter is empty). A
 * switch does not pay for any of it. */
#define INPUT_POLL_NS 1000000
#define OUTPUT_POLL_NS 100000

/* Kicks every other CPU in a loop: one that idles in HLT looks at the
 * flags again; one in a guest exits and ends its slice. */
static void kick_others(void)
{
	for (u32 i = 1; i < ncpus; i++)
		lapic_send_ipi(cpu_by_id(i)->apic_id, ICR_FIXED(LAPIC_KICK_VECTOR));
}

/* This CPU lets go of every vCPU it holds anything of, so that another
 * CPU may read, change or restart it (vswitch_release). */
static void release_all(void)
{
	for (u32 i = 0; i < nguests; i++)
		for (u32 k = 0; guests[i].vcpu && k < guests[i].nvcpus; k++)
			vswitch_release(&guests[i].vcpu[k]);
}

/* An AP, asked to park: holds nothing of any vCPU, then waits. */
static void park(void)
{
	release_all();
	__atomic_add_fetch(&parked, 1, __ATOMIC_ACQ_REL);
	while (park_asked)
		cpu_relax();
	__atomic_sub_fetch(&parked, 1, __ATOMIC_ACQ_REL);
}

/* The boot CPU holds the others (on) until it lets them go (off): the
 * debug console's pause. Every guest is still in between, and any vCPU
 * may be touched from here. */
static void hold_others(bool on)
{
	if (on) {
		park_asked = true;
		kick_others();
		while (__atomic_load_n(&parked, __ATOMIC_ACQUIRE) < __atomic_load_n(&loops_running, __ATOMIC_ACQUIRE))
			cpu_relax();
		for (u32 i = 0; i < ncpus; i++)   /* none left on its way: each is in a queue */
			sched_take_posted(&sched, &queues[i], time_now_ns());
		return;
	}
	release_all();   /* what the console touched here runs elsewhere again */
	for (u32 i = 0; i < ncpus; i++)
		idle_forever[i] = false;
	park_asked = false;
}

/* CPU c's part of the load balancing: a vCPU it may give away (to a CPU
 * with at least two fewer ready vCPUs; sched_balance) leaves with all that
 * c holds of it (vswitch_release) before the other CPU can see it, and
 * that CPU is kicked. The move's work is c's: the hypervisor's time
 * between two of c's slices, charged to the slice that follows. */
static void balance(struct sched_cpu *c)
{
	u64 t0 = rdtsc();
	struct sched_entity *e = sched_balance(&sched, c);

	if (!e)
		return;
	vswitch_release(e->owner);
	sched_post(&sched, e);
	lapic_send_ipi(cpu_by_id(e->cpu)->apic_id, ICR_FIXED(LAPIC_KICK_VECTOR));
	/* make bench reads this line */
	log_info("sched: guest '%s' moves from CPU %u to CPU %u (%lu TSC ticks to let it go)\n", e->name, c->id,
		 e->cpu, rdtsc() - t0);
}

/* What other CPUs handed c while it idled joins its queue (sched_next
 * takes it too, if it comes while c is busy): taken here to say what it
 * cost. */
static void take_in(struct sched_cpu *c, u64 now)
{
	u64 t0 = rdtsc(), t;
	u32 moved = sched_take_posted(&sched, c, now);

	t = rdtsc() - t0;
	if (moved)   /* make bench reads this line; a wake (vcpu_wake) says nothing */
		log_info("sched: CPU %u took a guest in (%lu TSC ticks)\n", c->id, t);
}

/* Typed input for the input guest, moved into its COM1 by the CPU it runs
 * on (gcons_feed); the boot CPU reads the console itself first. Then the
 * load balancing: on the same pace, once a millisecond. */
static void poll_input(struct sched_cpu *c)
{
	struct guest *in = gcons_input_guest;

	if (c->id == 0)
		dbgcon_poll(&sched, hold_others);
	if (in && in->vcpu && in->vcpu->se.cpu == c->id && in->state != GUEST_STOPPED) {
		bool locked = guest_lock(in);

		gcons_feed(in);   /* into its COM1, on vCPU 0's CPU */
		guest_unlock(in, locked);
	}
	balance(c);
}

/* e's slice on c, from now: its time goes to the scheduler, and now moves
 * to the slice's end. One clock read a switch: the end of a slice is the
 * start of the next decision, so the scheduler's own time between two
 * slices is charged to the slice that follows it. */
static inline __attribute__((always_inline)) void run_one(struct sched_cpu *c, struct sched_entity *e,
							  u64 slice, u64 *now)
{
	u64 wake = 0, end;
	enum sched_why why = run_slice(e->owner, slice, &wake);

	end = time_now_ns();
	run_trace_record(*now, end - *now, c->id, e->id);
	sched_ran(&sched, e, end - *now, end, why, wake);
	if (why == SCHED_EXITS)
		note_first_stop(end);
	*now = end;
}

/* Whether every CPU has nothing to run, ever: nothing can wake anyone.
 * A vCPU on its way to another CPU counts as ready there. */
static bool all_idle_forever(void)
{
	for (u32 i = 0; i < ncpus; i++)
		if (!idle_forever[i] || __atomic_load_n(&queues[i].load, __ATOMIC_RELAXED))
			return false;
	return true;
}

/* The boot CPU's loop: also the run's clock, the console's input and
 * output, and the end. Returns why the run ended early (run_for,
 * run_until), or an empty string. */
static void schedule(u64 entry_tsc, u64 t0, u64 run_for_ns, char *why, size_t len)
{
	struct sched_cpu *c = &queues[0];
	u64 next_input_ns = 0, next_output_ns = 0, now = time_now_ns();

	why[0] = 0;
	for (;;) {
		u64 slice, until;
		struct sched_entity *e;

		if (now >= next_input_ns) {   /* the run's end too: a switch does not pay for it */
			if (!sched_alive(&sched) || time_is_up(t0, run_for_ns, now, why, len))
				break;
			poll_input(c);
			if (!boot_ticks)
				boot_ticks = rdtsc() - entry_tsc;
			now = time_now_ns();
			next_input_ns = now + INPUT_POLL_NS;
		}
		if (now >= next_output_ns && console_waiting()) {
			console_poll();   /* between slices: no guest waits for the device */
			next_output_ns = now + OUTPUT_POLL_NS;
		}
		e = sched_next(&sched, c, now, &slice, &until);
		if (!e) {
			idle_forever[0] = until == SCHED_NEVER;
			if (all_idle_forever())
				break;
			/* the others' guests and the console still need this CPU's eye */
			idle_until(c, MIN(until, now + INPUT_POLL_NS));
			now = time_now_ns();
			if (__atomic_load_n(&c->inbox, __ATOMIC_RELAXED))
				take_in(c, now);
			continue;
		}
		run_one(c, e, slice, &now);
	}
}

/* An AP with nothing to run until `until`: halts if nothing ever will
 * (a kick wakes it), else waits. Either way it comes back early for the
 * boot CPU's flags. */
static void ap_idle(struct sched_cpu *c, u64 until)
{
	if (until == SCHED_NEVER) {
		/* idle_forever is set: a vCPU woken here from now on (vcpu_wake)
		 * comes with a kick, one woken before is in the inbox */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (!__atomic_load_n(&c->inbox, __ATOMIC_RELAXED))
			__asm__ volatile("sti; hlt; cli" : : : "memory");
		return;
	}
	while (time_now_ns() < until && !run_over && !park_asked && !__atomic_load_n(&c->inbox, __ATOMIC_RELAXED))
		halt_until(c, until);
}

/* An AP's loop, from smp_call: its own queue until the run is over. */
static void ap_schedule(void)
{
	struct sched_cpu *c = &queues[this_cpu()->id];
	u64 next_input_ns = 0, now = time_now_ns();

	while (!run_over) {
		u64 slice, until;
		struct sched_entity *e;

		if (park_asked) {
			park();
			now = time_now_ns();
			continue;
		}
		if (now >= next_input_ns) {
			poll_input(c);
			next_input_ns = now + INPUT_POLL_NS;
		}
		e = sched_next(&sched, c, now, &slice, &until);
		if (e) {
			idle_forever[c->id] = false;
			run_one(c, e, slice, &now);
			continue;
		}
		idle_forever[c->id] = until == SCHED_NEVER;
		ap_idle(c, until);
		now = time_now_ns();
		if (__atomic_load_n(&c->inbox, __ATOMIC_RELAXED))
			take_in(c, now);
	}
	__atomic_sub_fetch(&loops_running, 1, __ATOMIC_ACQ_REL);
}

/* The boot CPU ends the run: every AP leaves its loop before it goes on. */
static void end_run(void)
{
	run_over = true;
	kick_others();
	while (__atomic_load_n(&loops_running, __ATOMIC_ACQUIRE))
		cpu_relax();
}

/* " name 12.3%" for each guest: its share of total. */
static void print_shares(const u64 *runtime, u64 total)
{
	for (u32 i = 0; i < sched.n; i++)
		log_info(" %s %lu.%lu%%", sched.all[i]->name, runtime[i] * 100 / MAX(total, 1),
			 runtime[i] * 1000 / MAX(total, 1) % 10);
	log_info("\n");
}

static void report(u64 t0, u64 elapsed)
{
	u64 runtime[CFG_MAX_VCPUS], sum = 0;

	/* make bench reads this line */
	log_info("boot: %lu TSC ticks from the hypervisor's entry to the first scheduling decision\n", boot_ticks);
	for (u32 i = 0; i < sched.n; i++)
		sum += runtime_at_first_stop[i];
	log_info("sched: shares until the first guest stopped (%lu ms):", (first_stop_ns - t0) / 1000000);
	print_shares(runtime_at_first_stop, sum);
	for (u32 i = 0; i < sched.n; i++)
		runtime[i] = sched.all[i]->runtime_ns;
	log_info("sched: %s over %lu ms:", sched.ops->name, elapsed / 1000000);
	print_shares(runtime, elapsed);
	for (u32 i = 0; i < sched.n; i++) {
		const struct sched_entity *e = sched.all[i];
		u64 window = MAX(first_stop_ns - t0, 1);

		log_info("sched: guest '%s' ran %lu us in %lu slices (weight %u), %lu deadline misses\n", e->name,
			 e->runtime_ns / 1000, e->switches, e->params.weight, e->misses);
		/* tests/e2e/smp-burn reads this line */
		log_info("sched: guest '%s' had %lu.%lu%% of a CPU until the first guest stopped (ends on CPU %u)\n",
			 e->name, runtime_at_first_stop[i] * 100 / window, runtime_at_first_stop[i] * 1000 / window % 10,
			 e->cpu);
	}
}

/* Entities for the vCPUs of the guests that could be created, named
 * "guest" for vCPU 0 and "guest/N" for vCPU N; their count. */
static u32 entities(const struct config *cfg, struct sched_entity **all)
{
	u32 n = 0;

	for (u32 i = 0; i < nguests; i++) {
		struct guest *g = &guests[i];

		if (g->state != GUEST_RUNNABLE)
			continue;
		for (u32 k = 0; k < g->nvcpus; k++) {
			struct vcpu *v = &g->vcpu[k];
			struct sched_entity *e = &v->se;

			snformat(v->se_name, sizeof(v->se_name), k ? "%s/%u" : "%s", g->name, k);
			e->name = v->se_name;
			e->owner = v;
			e->params = (struct sched_params){ cfg->guests[i].weight, cfg->guests[i].budget_ns,
							   cfg->guests[i].period_ns };
			e->cpus_allowed = cfg->guests[i].cpus;
			all[n++] = e;
		}
	}
	return n;
}

/* The vCPUs waiting for a SIPI do not run until one comes (vcpu_wake). */
static void park_waiting(void)
{
	for (u32 i = 0; i < sched.n; i++)
		if (((struct vcpu *)sched.all[i]->owner)->mp == VCPU_WAIT_SIPI)
			sched_sleep(&sched, sched.all[i], 0);
}

/* From any CPU (core/vm/vmp.h): t's sleep ends through its CPU's inbox;
 * its CPU is kicked if it runs t (to exit and look) or halts, for good or
 * until a time (to take t in). The vCPU running here needs neither. */
void vcpu_wake(struct vcpu *t)
{
	struct sched_entity *e = &t->se;
	u32 me = this_cpu()->id, cpu = __atomic_load_n(&e->cpu, __ATOMIC_ACQUIRE);
	bool woken;

	if (!t->guest->sched || (cpu == me && e->state == SCHED_RUNNING))
		return;
	woken = sched_wake_remote(&sched, e);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);   /* the post, then the idle flag (ap_idle) */
	cpu = __atomic_load_n(&e->cpu, __ATOMIC_ACQUIRE);
	if (cpu != me && (woken ? idle_forever[cpu] || halted[cpu] :
			  __atomic_load_n(&e->state, __ATOMIC_RELAXED) == SCHED_RUNNING))
		lapic_send_ipi(cpu_by_id(cpu)->apic_id, ICR_FIXED(LAPIC_KICK_VECTOR));
}

/* Where the guests run: one CPU says so in one line, several in one more
 * line per guest. */
static void announce(const struct config *cfg, u32 n)
{
	if (ncpus == 1) {
		log_info("sched: policy %s, slice %lu us, %u guest(s) on CPU 0\n", sched.ops->name,
			 cfg->slice_ns / 1000, n);
		return;
	}
	log_info("sched: policy %s, slice %lu us, %u guest(s) on %u CPUs\n", sched.ops->name, cfg->slice_ns / 1000,
		 n, ncpus);
	for (u32 i = 0; i < sched.n; i++)
		log_info("sched: guest '%s' runs on CPU %u\n", sched.all[i]->name, sched.all[i]->cpu);
}

/* Where console input goes (input=): the named guest, the first, or none. */
static struct guest *input_guest(const struct config *cfg)
{
	if (!strcmp(cfg->input, "none"))
		return NULL;
	for (u32 i = 0; i < nguests; i++)
		if (!cfg->input[0] || !strcmp(guests[i].name, cfg->input))
			return &guests[i];
	return NULL;
}

u32 guests_run(const struct config *cfg, const struct boot_info *bi)
{
	struct sched_entity *all[CFG_MAX_VCPUS];
	u32 failed = 0, n;
	char err[160], why[64];
	u64 t0;

	guests = kzalloc(cfg->nguests * sizeof(*guests));
	if (!guests)
		panic("guests: no memory for %u guests", cfg->nguests);
	nguests = cfg->nguests;
	hc_init();
	for (u32 i = 0; i < nguests; i++) {
		if (guest_create(&guests[i], i, &cfg->guests[i], bi, cfg->selftest)) {
			guests[i].state = GUEST_STOPPED;
			failed++;
		}
	}
	n = entities(cfg, all);
	if (!n)
		return failed;
	ncpus = cpus_online();
	t0 = time_now_ns();
	if (sched_init(&sched, sched_policy_find(cfg->sched), queues, ncpus, all, n, cfg->slice_ns, t0, err,
		       sizeof(err))) {
		log_err("%s\n", err);
		log_err("config: not starting: the scheduling policy refused the guests\n");
		power_off(HV_EXIT_CONFIG);
	}
	for (u32 i = 0; i < nguests; i++)
		guests[i].sched = &sched;
	park_waiting();
	gcons_set_input(input_guest(cfg));
	for (u32 i = 0; i < nguests; i++)
		if (!strcmp(guests[i].name, cfg->run_until))
			run_until = &guests[i];
	run_trace_init(cfg->trace);
	announce(cfg, n);
	release_all();   /* made here, they run anywhere */
	loops_running = ncpus - 1;
	for (u32 i = 1; i < ncpus; i++)
		smp_call(i, ap_schedule);
	schedule(bi->entry_tsc, t0, cfg->run_for_ns, why, sizeof(why));
	end_run();
	if (why[0])
		stop_the_rest(why);
	note_first_stop(time_now_ns());   /* none stopped: the run ended with all asleep for good */
	report(t0, time_now_ns() - t0);
	run_trace_dump(&sched);
	return failed;
}
