/* Configuration parser: words, then key=value, then one table entry per key.
 * Pure logic: no output, no allocation, every error kept in struct config. */
#include "core/config/config.h"
#include "core/lib/fmt.h"
#include "core/lib/string.h"

const char config_default_text[] =
	"# built-in default scenario: four guests at once, their images built\n"
	"# into the hypervisor (core/config/builtin.c), shared by weight\n"
	"console=com1 log=info sched=wfs slice=2ms\n"
	"guest=hello,image=hello.elf,mem=2M,weight=1\n"
	"guest=light,image=burn.elf,mem=2M,weight=1\n"
	"guest=middle,image=burn.elf,mem=2M,weight=2\n"
	"guest=heavy,image=burn.elf,mem=2M,weight=4\n";

/* Parsing state for one source. */
struct cursor {
	struct config *c;
	const char *src;
	u32 line;
};

struct key {
	const char *name;
	/* Applies value v; returns false after recording an error. */
	bool (*set)(struct cursor *cur, const char *v);
	bool raw;	/* v keeps its quotes: the setter splits it further */
};

struct choice {
	const char *name;
	u32 value;
};

PRINTF(2, 3) static bool fail(struct cursor *cur, const char *fmt, ...)
{
	struct config *c = cur->c;
	va_list ap;

	if (c->nerrors < CFG_MAX_ERRORS) {
		char *e = c->errors[c->nerrors];
		int n = snformat(e, CFG_ERROR_LEN, "%s:%u: ", cur->src, cur->line);

		n = MIN(n, CFG_ERROR_LEN - 1);	/* a long src was cut */
		va_start(ap, fmt);
		vsnformat(e + n, CFG_ERROR_LEN - (size_t)n, fmt, ap);
		va_end(ap);
	}
	c->nerrors++;
	return false;
}

static bool pick(const struct choice *tab, size_t n, const char *v, u32 *out)
{
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(tab[i].name, v)) {
			*out = tab[i].value;
			return true;
		}
	}
	return false;
}

static const struct choice consoles[] = {
	{ "com1", 0x3f8 }, { "com2", 0x2f8 }, { "com3", 0x3e8 },
	{ "com4", 0x2e8 }, { "none", 0 },
};

static const struct choice log_levels[] = {
	{ "error", LOG_ERROR }, { "warn", LOG_WARN },
	{ "info", LOG_INFO }, { "debug", LOG_DEBUG },
};

static const struct choice selftests[] = {
	{ "none", SELFTEST_NONE }, { "ud", SELFTEST_UD },
	{ "write-text", SELFTEST_WRITE_TEXT }, { "exec-data", SELFTEST_EXEC_DATA },
	{ "bad-guest-state", SELFTEST_BAD_GUEST_STATE }, { "nmi", SELFTEST_NMI },
};

const char *config_log_level_name(u8 level)
{
	return level < ARRAY_SIZE(log_levels) ? log_levels[level].name : "?";
}

static bool set_console(struct cursor *cur, const char *v)
{
	u32 port;

	if (!pick(consoles, ARRAY_SIZE(consoles), v, &port))
		return fail(cur, "bad value '%s' for 'console' (expected com1, com2, com3, com4 or none)", v);
	cur->c->console_port = (u16)port;
	return true;
}

static bool set_log(struct cursor *cur, const char *v)
{
	u32 level;

	if (!pick(log_levels, ARRAY_SIZE(log_levels), v, &level))
		return fail(cur, "bad value '%s' for 'log' (expected error, warn, info or debug)", v);
	cur->c->log_level = (u8)level;
	return true;
}

static bool set_selftest(struct cursor *cur, const char *v)
{
	u32 t;

	if (!pick(selftests, ARRAY_SIZE(selftests), v, &t))
		return fail(cur, "bad value '%s' for 'selftest' (expected none, ud, write-text, exec-data, bad-guest-state or nmi)", v);
	cur->c->selftest = (u8)t;
	return true;
}

static bool set_sched(struct cursor *cur, const char *v)
{
	size_t n = strlen(v);

	if (!n || n >= CFG_POLICY_MAX)
		return fail(cur, "bad value '%s' for 'sched' (a policy name of 1 to %d characters)", v,
			    CFG_POLICY_MAX - 1);
	strlcpy(cur->c->sched, v, sizeof(cur->c->sched));
	return true;
}

static bool set_slice(struct cursor *cur, const char *v)
{
	u64 ns;

	if (!config_parse_duration(v, &ns) || ns < CFG_SLICE_MIN || ns > CFG_SLICE_MAX)
		return fail(cur, "bad value '%s' for 'slice' (a duration such as 2ms: 10us to 1s)", v);
	cur->c->slice_ns = ns;
	return true;
}

static bool set_run_for(struct cursor *cur, const char *v)
{
	u64 ns;

	if (!config_parse_duration(v, &ns))
		return fail(cur, "bad value '%s' for 'run_for' (a duration such as 2s)", v);
	cur->c->run_for_ns = ns;
	return true;
}

static bool set_cpus(struct cursor *cur, const char *v)
{
	u64 n;

	if (!config_parse_size(v, &n) || n < 1 || n > CFG_CPUS_MAX)
		return fail(cur, "bad value '%s' for 'cpus' (a number of CPUs from 1 to %d)", v, CFG_CPUS_MAX);
	cur->c->cpus = (u32)n;
	return true;
}

static const struct choice on_off[] = { { "off", 0 }, { "on", 1 } };

static bool set_trace(struct cursor *cur, const char *v)
{
	u32 on;

	if (!pick(on_off, ARRAY_SIZE(on_off), v, &on))
		return fail(cur, "bad value '%s' for 'trace' (expected on or off)", v);
	cur->c->trace = on;
	return true;
}

static bool set_run_until(struct cursor *cur, const char *v)
{
	size_t n = strlen(v);

	if (!n || n >= CFG_NAME_MAX)
		return fail(cur, "bad value '%s' for 'run_until' (a guest's name)", v);
	strlcpy(cur->c->run_until, v, sizeof(cur->c->run_until));
	return true;
}

static bool set_input(struct cursor *cur, const char *v)
{
	size_t n = strlen(v);

	if (!n || n >= CFG_NAME_MAX)
		return fail(cur, "bad value '%s' for 'input' (a guest's name or none)", v);
	strlcpy(cur->c->input, v, sizeof(cur->c->input));
	return true;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool parse_hex(const char *s, u64 *out)
{
	u64 v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		int d = hex_digit(*s);

		if (d < 0 || v >> 60)
			return false;
		v = v << 4 | (u64)d;
	}
	*out = v;
	return true;
}

/* Reads the decimal digits at *s (at least one) into *v, moving *s past
 * them. False on no digit or overflow. */
static bool parse_decimal(const char **s, u64 *v)
{
	const char *p = *s;

	*v = 0;
	if (*p < '0' || *p > '9')
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (*v > (~0ULL - (u64)(*p - '0')) / 10)
			return false;
		*v = *v * 10 + (u64)(*p - '0');
	}
	*s = p;
	return true;
}

bool config_parse_size(const char *s, u64 *out)
{
	u64 v;
	unsigned shift = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return parse_hex(s + 2, out);
	if (!parse_decimal(&s, &v))
		return false;
	if (*s == 'K' || *s == 'k')
		shift = 10;
	else if (*s == 'M' || *s == 'm')
		shift = 20;
	else if (*s == 'G' || *s == 'g')
		shift = 30;
	if (shift)
		s++;
	if (*s || (shift && v > (~0ULL >> shift)))
		return false;
	*out = v << shift;
	return true;
}

static const struct choice duration_units[] = {
	{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", 1000000000 },
};

bool config_parse_duration(const char *s, u64 *out)
{
	u64 v;
	u32 unit;

	if (!parse_decimal(&s, &v))
		return false;
	if (!pick(duration_units, ARRAY_SIZE(duration_units), s, &unit) || v > ~0ULL / unit)
		return false;
	*out = v * unit;
	return true;
}

/* ---- words ------------------------------------------------------------ */

/* Removes the double quotes of a value in place. */
static void unquote(char *s)
{
	char *d = s;

	for (; *s; s++)
		if (*s != '"')
			*d++ = *s;
	*d = 0;
}

/* Splits s at the first c outside quotes: returns the rest, or NULL. */
static char *split(char *s, char c)
{
	bool q = false;

	for (; *s; s++) {
		if (*s == '"')
			q = !q;
		else if (*s == c && !q) {
			*s = 0;
			return s + 1;
		}
	}
	return NULL;
}

/* ---- guests ----------------------------------------------------------- */

static bool valid_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= CFG_NAME_MAX)
		return false;
	for (; *s; s++) {
		char ch = *s;
		bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			  (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';

		if (!ok)
			return false;
	}
	return true;
}

static bool guest_image(struct cursor *cur, struct guest_cfg *g, const char *v)
{
	if (!*v || strlen(v) >= CFG_IMAGE_MAX)
		return fail(cur, "guest '%s': bad value '%s' for 'image' (a file name of 1 to %d characters)",
			    g->name, v, CFG_IMAGE_MAX - 1);
	strlcpy(g->image, v, sizeof(g->image));
	return true;
}

static bool guest_mem(struct cursor *cur, struct guest_cfg *g, const char *v)
{
	u64 m;

	if (!config_parse_size(v, &m) || !IS_ALIGNED(m, PAGE_SIZE) ||
	    m < CFG_MEM_MIN || m > CFG_MEM_MAX)
		return fail(cur, "guest '%s': bad value '%s' for 'mem' (a size such as 16M: 1M to 64G, a multiple of 4K)",
			    g->name, v);
	g->mem = m;
	return true;
}

static const struct choice kinds[] = {
	{ "auto", IMAGE_AUTO }, { "elf", IMAGE_ELF }, { "flat", IMAGE_FLAT }, { "multiboot", IMAGE_MULTIBOOT },
	{ "linux", IMAGE_LINUX },
};

static bool guest_kind(struct cursor *cur, struct guest_cfg *g, const char *v)
{
	u32 k;

	if (!pick(kinds, ARRAY_SIZE(kinds), v, &k))
		return fail(cur, "guest '%s': bad value '%s' for 'kind' (expected auto, elf, flat, multiboot or linux)",
			    g->name, v);
	g->kind = (u8)k;
	return true;
}

static bool guest_load(struct cursor *cur, struct guest_cfg *g, const char *v)
{
	u64 a;

	if (!config_parse_size(v, &a) || a >= MiB(1))
		return fail(cur, "guest '%s': bad value '%s' for 'load' (an address below 1M, such as 0x7c00)",
			    g->name, v);
	g->load = a;
	return true;
}

/* v as a number from 1 to max, into *out; else the error names key. */
static bool guest_count(struct cursor *cur, struct guest_cfg *g, const char *key, const char *v, u32 max,
			u32 *out)
{
	u64 n;

	if (!config_parse_size(v, &n) || n < 1 || n > max)
		return fail(cur, "guest '%s': bad value '%s' for '%s' (a number from 1 to %u)", g->name, v, key,
			    max);
	*out = (u32)n;
	return true;
}

static bool guest_weight(struct cursor *cur, struct guest_cfg *g, const char *v)
{
	return guest_count(cur, g, "weight", v, CFG_WEIGHT_MAX, &g->weight);
}

/* "N", "N-M", joined by '+' (the guest line's fields take the commas):
 * the set of CPUs, bit n for CPU n. False on anything else, a reversed
 * range or a CPU number of CFG_CPUS_MAX or more. */
bool config_parse_cpuset(const char *v, u64 *set)
{
	*set = 0;
	for (;;) {
		u64 lo, hi;

		if (!parse_decimal(&v, &lo))
			return false;
		hi = lo;
		if (*v == '-' && (v++, !parse_decimal(&v, &hi)))
			return false;
		if (lo > hi || hi >= CFG_CPUS_MAX)
			return false;
		for (u64 n = lo; n <= hi; n++)
			*set |= 1ULL << n;
		if (!*v)
			return true;
		if (*v++ != '+')
			return false;
	}
}

static bool guest_cpus(struct cursor *cur, struct guest_cfg *g, const char *v)
{
	if (!config_parse_cpuset(v, &g->cpus))
		return fail(cur, "guest '%s': bad value '%s' for 'cpus' (CPU numbers from 0 to %d, such as 1 or 0-1+3)",
			    g->name, v, CFG_CPUS_MAX - 1);
	return true;
}

static bool guest_vcpus(struct cursor *cur, struct guest_cfg *g, const char *v)
{
	return guest_count(cur, g, "vcpus", v, CFG_VCPUS_MAX, &g->vcpus);
}

static bool guest_max_weight(struct cursor *cur, struct guest_cfg *g, const char *v)
{
	return guest_count(cur, g, "max_weight", v, CFG_WEIGHT_MAX, &g->max_weight);
}

static bool guest_max_share(struct cursor *cur, struct guest_cfg *g, const char *v)
{
	u64 pc;

	if (!config_parse_size(v, &pc) || pc > 100)
		return fail(cur, "guest '%s': bad value '%s' for 'max_share' (a percentage from 0 to 100)",
			    g->name, v);
	g->max_share = (s32)pc;
	return true;
}

static bool guest_duration(struct cursor *cur, struct guest_cfg *g, const char *key, const char *v, u64 *out)
{
	if (!config_parse_duration(v, out) || !*out)
		return fail(cur, "guest '%s': bad value '%s' for '%s' (a duration such as 2ms, not 0)", g->name,
			    v, key);
	return true;
}

static bool guest_budget(struct cursor *cur, struct guest_cfg *g, const char *v)
{
	return guest_duration(cur, g, "budget", v, &g->budget_ns);
}

static bool guest_period(struct cursor *cur, struct guest_cfg *g, const char *v)
{
	return guest_duration(cur, g, "period", v, &g->period_ns);
}

static bool guest_cmdline(struct cursor *cur, struct guest_cfg *g, const char *v)
{
	if (strlen(v) >= CFG_CMDLINE_MAX)
		return fail(cur, "guest '%s': 'cmdline' is longer than %d characters", g->name, CFG_CMDLINE_MAX - 1);
	strlcpy(g->cmdline, v, sizeof(g->cmdline));
	return true;
}

static bool guest_module(struct cursor *cur, struct guest_cfg *g, const char *v)
{
	if (!*v || strlen(v) >= CFG_IMAGE_MAX)
		return fail(cur, "guest '%s': bad value '%s' for 'module' (a file name of 1 to %d characters)",
			    g->name, v, CFG_IMAGE_MAX - 1);
	if (g->nmodules == CFG_MAX_MODULES)
		return fail(cur, "guest '%s': too many modules (at most %d)", g->name, CFG_MAX_MODULES);
	strlcpy(g->modules[g->nmodules++], v, CFG_IMAGE_MAX);
	return true;
}

static bool guest_debug_exit(struct cursor *cur, struct guest_cfg *g, const char *v)
{
	u32 on;

	if (!pick(on_off, ARRAY_SIZE(on_off), v, &on))
		return fail(cur, "guest '%s': bad value '%s' for 'debug_exit' (expected on or off)", g->name, v);
	g->debug_exit = on;
	return true;
}

struct guest_key {
	const char *name;
	bool (*set)(struct cursor *cur, struct guest_cfg *g, const char *v);
};

static const struct guest_key guest_keys[] = {
	{ "image", guest_image },
	{ "mem", guest_mem },
	{ "kind", guest_kind },
	{ "load", guest_load },
	{ "weight", guest_weight },
	{ "cpus", guest_cpus },
	{ "vcpus", guest_vcpus },
	{ "max_weight", guest_max_weight },
	{ "max_share", guest_max_share },
	{ "budget", guest_budget },
	{ "period", guest_period },
	{ "cmdline", guest_cmdline },
	{ "module", guest_module },
	{ "initrd", guest_module },    /* Linux's word for a module */
	{ "debug_exit", guest_debug_exit },
};

static bool guest_field(struct cursor *cur, struct guest_cfg *g, char *field)
{
	char *v = split(field, '=');

	if (!v)
		return fail(cur, "guest '%s': '%s' is not key=value", g->name, field);
	unquote(v);
	for (size_t i = 0; i < ARRAY_SIZE(guest_keys); i++)
		if (!strcmp(guest_keys[i].name, field))
			return guest_keys[i].set(cur, g, v);
	return fail(cur, "guest '%s': unknown key '%s' (expected image, mem, kind, load, weight, cpus, vcpus, max_weight, budget, period, max_share, cmdline, module, initrd or debug_exit)",
		    g->name, field);
}

static struct guest_cfg *find_guest(struct config *c, const char *name)
{
	for (u32 i = 0; i < c->nguests; i++)
		if (!strcmp(c->guests[i].name, name))
			return &c->guests[i];
	return NULL;
}

u32 config_vcpus(const struct config *c)
{
	u32 n = 0;

	for (u32 i = 0; i < c->nguests; i++)
		n += c->guests[i].vcpus;
	return n;
}

/* v is "NAME,key=value,...": checked whole before the guest is added. */
static bool set_guest(struct cursor *cur, const char *value)
{
	struct config *c = cur->c;
	struct guest_cfg g = { .mem = CFG_MEM_DEFAULT, .load = CFG_LOAD_DEFAULT, .weight = 1, .vcpus = 1,
			       .max_share = -1, .src = cur->src, .line = cur->line };
	char buf[CFG_WORD_MAX];
	char *name = buf, *rest;
	bool ok = true;

	strlcpy(buf, value, sizeof(buf));
	rest = split(name, ',');
	if (!valid_name(name))
		return fail(cur, "guest: bad name '%s' (1 to %d letters, digits, '-' or '_')",
			    name, CFG_NAME_MAX - 1);
	strlcpy(g.name, name, sizeof(g.name));
	while (rest) {
		char *field = rest;

		rest = split(field, ',');
		ok = guest_field(cur, &g, field) && ok;
	}
	if (!ok)
		return false;
	if (!g.image[0])
		return fail(cur, "guest '%s': no image given (add image=FILE)", g.name);
	if (!g.budget_ns != !g.period_ns || g.budget_ns > g.period_ns)
		return fail(cur, "guest '%s': budget and period go together, budget at most period", g.name);
	if (g.max_weight && g.max_weight < g.weight)
		return fail(cur, "guest '%s': max_weight %u is below its weight %u", g.name, g.max_weight, g.weight);
	if (find_guest(c, g.name))
		return fail(cur, "guest '%s' is defined twice", g.name);
	if (c->nguests == CFG_MAX_GUESTS)
		return fail(cur, "guest '%s': too many guests (at most %d)", g.name, CFG_MAX_GUESTS);
	if (config_vcpus(c) + g.vcpus > CFG_MAX_VCPUS)
		return fail(cur, "guest '%s': too many vCPUs (at most %d in all guests)", g.name, CFG_MAX_VCPUS);
	c->guests[c->nguests++] = g;
	return true;
}

static const struct key keys[] = {
	{ "console", set_console, false },
	{ "log", set_log, false },
	{ "guest", set_guest, true },
	{ "selftest", set_selftest, false },
	{ "sched", set_sched, false },
	{ "slice", set_slice, false },
	{ "trace", set_trace, false },
	{ "run_for", set_run_for, false },
	{ "input", set_input, false },
	{ "run_until", set_run_until, false },
	{ "cpus", set_cpus, false },
};

static void apply_word(struct cursor *cur, char *word)
{
	char *v = split(word, '=');

	if (!v) {
		fail(cur, "'%s' is not key=value", word);
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		if (!strcmp(keys[i].name, word)) {
			if (!keys[i].raw)
				unquote(v);
			keys[i].set(cur, v);
			return;
		}
	}
	fail(cur, "unknown key '%s' (expected console, log, guest, selftest, sched, slice, trace, run_for, run_until, input or cpus)", word);
}

/* Reads one word starting at text[i] into word; returns the index after it,
 * or 0 after recording an error (the rest of the line is then skipped). */
static size_t read_word(struct cursor *cur, const char *t, size_t i, size_t len,
			char *word)
{
	size_t n = 0;
	bool q = false;

	for (; i < len && t[i] && t[i] != '\n' &&
	       (q || (t[i] != ' ' && t[i] != '\t' && t[i] != '\r')); i++) {
		if (t[i] == '"')
			q = !q;
		if (n + 1 == CFG_WORD_MAX) {
			fail(cur, "word too long (at most %d characters)", CFG_WORD_MAX - 1);
			return 0;
		}
		word[n++] = t[i];
	}
	word[n] = 0;
	if (q) {
		fail(cur, "unterminated quote in '%s'", word);
		return 0;
	}
	return i;
}

static size_t skip_line(const char *t, size_t i, size_t len)
{
	while (i < len && t[i] && t[i] != '\n')
		i++;
	return i;
}

void config_init(struct config *c)
{
	memset(c, 0, sizeof(*c));
	c->console_port = 0x3f8;
	c->log_level = LOG_INFO;
	strlcpy(c->sched, "rr", sizeof(c->sched));
	c->slice_ns = CFG_SLICE_DEFAULT;
}

u32 config_parse(struct config *c, const char *src, const char *text, size_t len)
{
	struct cursor cur = { c, src, 1 };
	u32 before = c->nerrors;
	char word[CFG_WORD_MAX];
	size_t i = 0;

	while (i < len && text[i]) {
		char ch = text[i];

		if (ch == '\n')
			cur.line++;
		if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') {
			i++;
		} else if (ch == '#') {
			i = skip_line(text, i, len);
		} else {
			size_t next = read_word(&cur, text, i, len, word);

			if (next)
				apply_word(&cur, word);
			i = next ? next : skip_line(text, i, len);
		}
	}
	return c->nerrors - before;
}
