/* The debug console (core/guest/dbgcon.h). Commands run between slices, with no
 * guest on the CPU; each is one table entry. */
#include "core/guest/dbgcon.h"
#include "core/vm/backend.h"
#include "core/config/config.h"
#include "core/console/console.h"
#include "core/hw/cpu.h"
#include "core/dev/gcons.h"
#include "core/guest/guest.h"
#include "core/guest/run_trace.h"
#include "core/lib/string.h"
#include "core/hw/time.h"

#define LINE 80
#define ARGS 4

struct cmd {
	const char *name, *args, *help;
	bool (*run)(struct scheduler *s, struct guest *g, char **argv, int argc);   /* false: leave */
	bool needs_guest;
};

static const char *const states[] = { "runnable", "running", "blocked", "stopped", "moving" };

static bool cmd_guests(struct scheduler *s, struct guest *g, char **argv, int argc)
{
	(void)g, (void)argv, (void)argc;
	kprintf("  id name             state     cpu-ms  weight  ABI versions used\n");
	for (u32 i = 0; i < nguests; i++) {
		struct guest *x = &guests[i];
		const char *st = x->state == GUEST_STOPPED ? "stopped" :
				 x->paused ? "paused" : x->vcpu ? states[x->vcpu->se.state] : "absent";

		kprintf("  %2u %-16s %-9s %6lu  %6u ", x->id, x->name, st,
			x->vcpu ? x->vcpu->se.runtime_ns / 1000000 : 0, x->vcpu ? x->vcpu->se.params.weight : 0);
		for (u32 v = 0; v < 32; v++)
			if (x->abi_used[v])
				kprintf(" v%u", v);
		kprintf("\n");
	}
	(void)s;
	return true;
}

static const struct { const char *name; enum vreg r; } vregs[] = {
	{ "rip", VREG_RIP }, { "rsp", VREG_RSP }, { "rflags", VREG_RFLAGS }, { "cr0", VREG_CR0 },
	{ "cr3", VREG_CR3 }, { "cr4", VREG_CR4 }, { "efer", VREG_EFER },
};

static bool cmd_regs(struct scheduler *s, struct guest *g, char **argv, int argc)
{
	const u64 *r = &g->vcpu->gprs.rax;
	static const char *const names[] = { "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "r8",
					     "r9", "r10", "r11", "r12", "r13", "r14", "r15" };

	(void)s, (void)argv, (void)argc;
	for (u32 i = 0; i < ARRAY_SIZE(names); i++)
		kprintf("  %-6s %016lx%s", names[i], r[i], i % 3 == 2 ? "\n" : "");
	for (u32 i = 0; i < ARRAY_SIZE(vregs); i++)
		kprintf("  %-6s %016lx%s", vregs[i].name, backend->get(g->vcpu, vregs[i].r), i % 3 == 2 ? "\n" : "");
	kprintf("\n");
	return true;
}

static bool cmd_pause(struct scheduler *s, struct guest *g, char **argv, int argc)
{
	(void)argv, (void)argc;
	for (u32 i = 0; i < g->nvcpus; i++)
		sched_pause(s, &g->vcpu[i].se);
	g->paused = true;
	kprintf("  '%s' paused\n", g->name);
	return true;
}

static bool cmd_resume(struct scheduler *s, struct guest *g, char **argv, int argc)
{
	(void)argv, (void)argc;
	for (u32 i = 0; g->paused && i < g->nvcpus; i++)   /* one waiting for a SIPI sleeps again */
		sched_resume(s, &g->vcpu[i].se, time_now_ns());
	g->paused = false;
	kprintf("  '%s' resumed\n", g->name);
	return true;
}

static bool cmd_restart(struct scheduler *s, struct guest *g, char **argv, int argc)
{
	(void)argv, (void)argc;
	guest_wipe(g);
	if (guest_start(g, 0)) {
		kprintf("  '%s' could not be restarted\n", g->name);
		return true;
	}
	g->paused = false;
	for (u32 i = 0; i < g->nvcpus; i++) {
		sched_revive(s, &g->vcpu[i].se, time_now_ns());
		sched_resume(s, &g->vcpu[i].se, time_now_ns());
	}
	kprintf("  '%s' restarted (start %u)\n", g->name, g->boot_count);
	return true;
}

static bool cmd_sched(struct scheduler *s, struct guest *g, char **argv, int argc)
{
	(void)g, (void)argv, (void)argc;
	kprintf("  policy %s, slice %lu us\n", s->ops->name, s->cpus[0].slice_ns / 1000);
	for (u32 i = 0; i < s->n; i++) {
		const struct sched_entity *e = s->all[i];

		kprintf("  %-16s weight %u budget %lu us period %lu us: ran %lu us in %lu slices, %lu misses\n",
			e->name, e->params.weight, e->params.budget_ns / 1000, e->params.period_ns / 1000,
			e->runtime_ns / 1000, e->switches, e->misses);
	}
	return true;
}

/* set NAME weight=N budget=D period=D: any of them, checked by the policy. */
static bool cmd_set(struct scheduler *s, struct guest *g, char **argv, int argc)
{
	struct sched_params p = g->vcpu->se.params;
	char err[160];

	for (int i = 2; i < argc; i++) {
		char *v = argv[i];
		u64 n;

		while (*v && *v != '=')
			v++;
		v = *v ? (*v = 0, v + 1) : NULL;
		if (v && !strcmp(argv[i], "weight") && config_parse_size(v, &n) && n >= 1 && n <= CFG_WEIGHT_MAX)
			p.weight = (u32)n;
		else if (v && !strcmp(argv[i], "budget") && config_parse_duration(v, &n))
			p.budget_ns = n;
		else if (v && !strcmp(argv[i], "period") && config_parse_duration(v, &n))
			p.period_ns = n;
		else
			return kprintf("  bad setting '%s%s%s' (weight=1..%u, budget=DURATION, period=DURATION)\n",
				       argv[i], v ? "=" : "", v ? v : "", CFG_WEIGHT_MAX), true;
	}
	if (!p.budget_ns != !p.period_ns || p.budget_ns > p.period_ns)
		return kprintf("  budget and period go together, budget at most period\n"), true;
	for (u32 i = 0; i < g->nvcpus; i++)   /* each vCPU the same */
		if (sched_set_params(s, &g->vcpu[i].se, &p, time_now_ns(), err, sizeof(err)))
			return kprintf("  refused: %s\n", err), true;
	kprintf("  '%s': weight %u, budget %lu us, period %lu us\n", g->name, p.weight, p.budget_ns / 1000,
		p.period_ns / 1000);
	return true;
}

static bool cmd_trace(struct scheduler *s, struct guest *g, char **argv, int argc)
{
	(void)g, (void)argv, (void)argc;
	if (!run_trace_dump(s))
		kprintf("  no trace: boot with trace=on\n");
	return true;
}

static bool cmd_continue(struct scheduler *s, struct guest *g, char **argv, int argc)
{
	(void)s, (void)g, (void)argv, (void)argc;
	return false;
}

static bool cmd_help(struct scheduler *s, struct guest *g, char **argv, int argc);

static const struct cmd cmds[] = {
	{ "guests", "", "each guest: state, CPU time, weight, ABI versions used", cmd_guests, false },
	{ "regs", "NAME", "a guest's registers", cmd_regs, true },
	{ "pause", "NAME", "stop running a guest", cmd_pause, true },
	{ "resume", "NAME", "run a paused guest again", cmd_resume, true },
	{ "restart", "NAME", "start a guest again from its image", cmd_restart, true },
	{ "sched", "", "the policy and every guest's parameters and accounting", cmd_sched, false },
	{ "set", "NAME weight=N budget=D period=D", "change a guest's parameters", cmd_set, true },
	{ "trace", "", "print the schedule trace (trace=on)", cmd_trace, false },
	{ "continue", "", "leave the console; the guests run again (also Ctrl-])", cmd_continue, false },
	{ "help", "", "this list", cmd_help, false },
};

static bool cmd_help(struct scheduler *s, struct guest *g, char **argv, int argc)
{
	(void)s, (void)g, (void)argv, (void)argc;
	for (u32 i = 0; i < ARRAY_SIZE(cmds); i++)
		kprintf("  %-8s %-34s %s\n", cmds[i].name, cmds[i].args, cmds[i].help);
	return true;
}

/* Reads a line, echoing it; Ctrl-] alone means "continue". */
static void read_line(char *buf)
{
	u32 n = 0;
	int c;

	for (;;) {
		while ((c = console_getc()) < 0) {
			console_poll();
			cpu_relax();
		}
		if (c == '\r' || c == '\n' || c == DBGCON_KEY)
			break;
		if ((c == 8 || c == 127) && n) {
			n--;
			kprintf("\b \b");
		} else if (c >= ' ' && c < 127 && n + 1 < LINE) {
			buf[n++] = (char)c;
			kprintf("%c", c);
		}
	}
	buf[n] = 0;
	if (c == DBGCON_KEY && !n)
		strlcpy(buf, "continue", LINE);
	kprintf("\n");
}

static int split_words(char *line, char **argv)
{
	int argc = 0;

	for (char *p = line; *p && argc < ARGS;) {
		while (*p == ' ')
			*p++ = 0;
		if (!*p)
			break;
		argv[argc++] = p;
		while (*p && *p != ' ')
			p++;
	}
	return argc;
}

static struct guest *find_guest(const char *name)
{
	for (u32 i = 0; i < nguests; i++)
		if (!strcmp(guests[i].name, name) && guests[i].vcpu)
			return &guests[i];
	return NULL;
}

/* Runs one command line; false when the console should close. */
static bool run_line(struct scheduler *s, char *line)
{
	char *argv[ARGS];
	int argc = split_words(line, argv);
	struct guest *g = NULL;

	if (!argc)
		return true;
	for (u32 i = 0; i < ARRAY_SIZE(cmds); i++) {
		if (strcmp(cmds[i].name, argv[0]))
			continue;
		if (cmds[i].needs_guest && (argc < 2 || !(g = find_guest(argv[1]))))
			return kprintf("  usage: %s %s (a guest's name: see 'guests')\n", cmds[i].name, cmds[i].args), true;
		return cmds[i].run(s, g, argv, argc);
	}
	kprintf("  unknown command '%s': 'help' lists them\n", argv[0]);
	return true;
}

void dbgcon_poll(struct scheduler *s, void (*hold)(bool on))
{
	char line[LINE];

	if (!gcons_input(DBGCON_KEY))   /* other bytes go to a guest's COM1 */
		return;
	hold(true);
	kprintf("\nhv console: guests paused; 'help' lists the commands, 'continue' or Ctrl-] resumes\n");
	do
		kprintf("hv> ");
	while ((read_line(line), run_line(s, line)));
	kprintf("hv console: guests resumed\n");
	hold(false);
}
