/* core/config/config.c: the configuration parser. */
#include <stdlib.h>

#include "core/config/config.h"
#include "tests/unit/test.h"

static u32 parse(struct config *c, const char *text)
{
	return config_parse(c, "t", text, strlen(text));
}

/* Parses text into a fresh configuration that must yield one error, and
 * checks that error's message. */
static const char *one_error(struct config *c, const char *text)
{
	config_init(c);
	if (parse(c, text) != 1 || c->nerrors != 1)
		return "(not exactly one error)";
	return c->errors[0];
}

TEST(config_defaults)
{
	struct config c;

	memset(&c, 0xa5, sizeof(c));
	config_init(&c);
	CHECK_EQ(c.console_port, 0x3f8);
	CHECK_EQ(c.log_level, LOG_INFO);
	CHECK_EQ(c.selftest, SELFTEST_NONE);
	CHECK_EQ(c.nguests, 0);
	CHECK_EQ(c.nerrors, 0);
	CHECK_EQ(config_parse(&c, "default", config_default_text,
			      strlen(config_default_text)), 0);
	CHECK_EQ(c.console_port, 0x3f8);
	CHECK_EQ(c.log_level, LOG_INFO);
	CHECK_EQ(c.nguests, 4);   /* images built in: core/config/builtin.c */
	CHECK_STR(c.sched, "wfs");
	CHECK_STR(c.guests[3].image, "burn.elf");
	CHECK_EQ(c.guests[3].weight, 4);
	CHECK_STR(config_log_level_name(LOG_ERROR), "error");
	CHECK_STR(config_log_level_name(LOG_DEBUG), "debug");
	CHECK_STR(config_log_level_name(4), "?");
	CHECK_STR(config_log_level_name(255), "?");
	/* Empty and blank texts are fine. */
	CHECK_EQ(parse(&c, ""), 0);
	CHECK_EQ(parse(&c, " \t\r\n\n# only a comment"), 0);
	CHECK_EQ(c.nerrors, 0);
}

TEST(config_console_log_selftest)
{
	static const struct { const char *v; u16 port; } cons[] = {
		{ "com1", 0x3f8 }, { "com2", 0x2f8 }, { "com3", 0x3e8 },
		{ "com4", 0x2e8 }, { "none", 0 },
	};
	static const struct { const char *text; u8 level; } logs[] = {
		{ "log=error", LOG_ERROR }, { "log=warn", LOG_WARN },
		{ "log=info", LOG_INFO }, { "log=debug", LOG_DEBUG },
	};
	static const struct { const char *text; u8 t; } tests[] = {
		{ "selftest=ud", SELFTEST_UD },
		{ "selftest=write-text", SELFTEST_WRITE_TEXT },
		{ "selftest=exec-data", SELFTEST_EXEC_DATA },
		{ "selftest=bad-guest-state", SELFTEST_BAD_GUEST_STATE },
		{ "selftest=nmi", SELFTEST_NMI },
		{ "selftest=none", SELFTEST_NONE },
	};
	struct config c;
	char text[32];

	config_init(&c);
	for (size_t i = 0; i < ARRAY_SIZE(cons); i++) {
		snprintf(text, sizeof(text), "console=%s", cons[i].v);
		CHECK_EQ(parse(&c, text), 0);
		CHECK_EQ(c.console_port, cons[i].port);
	}
	for (size_t i = 0; i < ARRAY_SIZE(logs); i++) {
		CHECK_EQ(parse(&c, logs[i].text), 0);
		CHECK_EQ(c.log_level, logs[i].level);
	}
	for (size_t i = 0; i < ARRAY_SIZE(tests); i++) {
		CHECK_EQ(parse(&c, tests[i].text), 0);
		CHECK_EQ(c.selftest, tests[i].t);
	}
	/* Values are case-sensitive; the later of two settings wins. */
	CHECK_EQ(parse(&c, "console=COM1"), 1);
	CHECK_EQ(parse(&c, "log=warn log=debug console=com2 console=com3"), 0);
	CHECK_EQ(c.log_level, LOG_DEBUG);
	CHECK_EQ(c.console_port, 0x3e8);
}

TEST(config_guests)
{
	struct config c;

	config_init(&c);
	CHECK_EQ(parse(&c, "guest=vm1,image=linux.bin,mem=64M\n"
			   "guest=vm-2,image=b.elf\n"
			   "guest=Big_3,mem=2G,image=c\n"
			   "guest=k,image=k,mem=1048576K guest=b,image=b,mem=16777216\n"
			   "guest=lower,image=l,mem=3m guest=top,image=t,mem=64g\n"), 0);
	CHECK_EQ(c.nguests, 7);
	CHECK_STR(c.guests[0].name, "vm1");
	CHECK_STR(c.guests[0].image, "linux.bin");
	CHECK_EQ(c.guests[0].mem, MiB(64));
	CHECK_STR(c.guests[0].src, "t");
	CHECK_EQ(c.guests[0].line, 1);
	CHECK_STR(c.guests[1].name, "vm-2");
	CHECK_EQ(c.guests[1].mem, CFG_MEM_DEFAULT);
	CHECK_EQ(c.guests[1].mem, MiB(16));
	CHECK_EQ(c.guests[1].line, 2);
	CHECK_STR(c.guests[2].name, "Big_3");
	CHECK_STR(c.guests[2].image, "c");
	CHECK_EQ(c.guests[2].mem, GiB(2));
	CHECK_EQ(c.guests[3].mem, GiB(1));
	CHECK_EQ(c.guests[3].line, 4);
	CHECK_EQ(c.guests[4].mem, MiB(16));
	CHECK_EQ(c.guests[5].mem, MiB(3));
	CHECK_EQ(c.guests[6].mem, GiB(64));
	CHECK_EQ(c.guests[6].line, 5);
	/* A later mem= of the same word wins; the limits are inclusive. */
	CHECK_EQ(parse(&c, "guest=twice,image=x,mem=1M,mem=4M guest=min,image=m,mem=1M"), 0);
	CHECK_EQ(c.guests[7].mem, MiB(4));
	CHECK_EQ(c.guests[8].mem, MiB(1));
}

TEST(config_guest_kind_and_load)
{
	struct config c;

	config_init(&c);
	CHECK_EQ(parse(&c, "guest=a,image=a guest=b,image=b,kind=flat,load=0x8000 "
			   "guest=c,image=c,kind=elf,load=4K guest=d,image=d,kind=auto,load=0"), 0);
	CHECK_EQ(c.nguests, 4);
	CHECK_EQ(c.guests[0].kind, IMAGE_AUTO);
	CHECK_EQ(c.guests[0].load, CFG_LOAD_DEFAULT);
	CHECK_EQ(c.guests[1].kind, IMAGE_FLAT);
	CHECK_EQ(c.guests[1].load, 0x8000);
	CHECK_EQ(c.guests[2].kind, IMAGE_ELF);
	CHECK_EQ(c.guests[2].load, 0x1000);
	CHECK_EQ(c.guests[3].load, 0);
	CHECK_STR(one_error(&c, "guest=vm,image=a,kind=exe"),
		  "t:1: guest 'vm': bad value 'exe' for 'kind' (expected auto, elf, flat, multiboot or linux)");
	CHECK_STR(one_error(&c, "guest=vm,image=a,load=0x100000"),
		  "t:1: guest 'vm': bad value '0x100000' for 'load' (an address below 1M, such as 0x7c00)");
	CHECK_STR(one_error(&c, "guest=vm,image=a,load=1M"),
		  "t:1: guest 'vm': bad value '1M' for 'load' (an address below 1M, such as 0x7c00)");
	CHECK_EQ(c.nguests, 0);
}

TEST(config_quotes)
{
	struct config c;

	config_init(&c);
	CHECK_EQ(parse(&c, "guest=vm,image=\"my image.bin\",mem=\"32M\" "
			   "log=\"debug\" console=\"com2\" "
			   "guest=q,image=\"a,b c.bin\""), 0);
	CHECK_EQ(c.nguests, 2);
	CHECK_STR(c.guests[0].image, "my image.bin");
	CHECK_EQ(c.guests[0].mem, MiB(32));
	CHECK_EQ(c.log_level, LOG_DEBUG);
	CHECK_EQ(c.console_port, 0x2f8);
	/* The comma inside the quotes belongs to the image name. */
	CHECK_STR(c.guests[1].image, "a,b c.bin");
	/* Quotes may sit in the middle of a value; '#' inside is no comment. */
	CHECK_EQ(parse(&c, "guest=m,image=dir/\"with # hash\".img"), 0);
	CHECK_STR(c.guests[2].image, "dir/with # hash.img");
}

TEST(config_comments_and_line_numbers)
{
	struct config c;

	config_init(&c);
	CHECK_EQ(parse(&c, "# header\n"
			   "console=com2 # trailing comment log=debug\n"
			   "\n"
			   "  log=warn\t# tab before\r\n"
			   "#console=none\n"), 0);
	CHECK_EQ(c.console_port, 0x2f8);
	CHECK_EQ(c.log_level, LOG_WARN);

	config_init(&c);
	CHECK_EQ(parse(&c, "console=com1\r\n"
			   "\n"
			   "bogus\n"
			   "# log=x\n"
			   "log=loud guest=g,image=i\n"
			   "\n\n"
			   "\tconsole=com9"), 3);
	CHECK_STR(c.errors[0], "t:3: 'bogus' is not key=value");
	CHECK_STR(c.errors[1], "t:5: bad value 'loud' for 'log' (expected error, warn, info or debug)");
	CHECK_STR(c.errors[2], "t:8: bad value 'com9' for 'console' (expected com1, com2, com3, com4 or none)");
	CHECK_EQ(c.nguests, 1);
	CHECK_EQ(c.guests[0].line, 5);
}

TEST(config_errors_keys_and_values)
{
	struct config c;

	CHECK_STR(one_error(&c, "verbose"), "t:1: 'verbose' is not key=value");
	CHECK_STR(one_error(&c, "foo=1"),
		  "t:1: unknown key 'foo' (expected console, log, guest, selftest, sched, slice, trace, run_for, run_until, input or cpus)");
	CHECK_STR(one_error(&c, "=com1"),
		  "t:1: unknown key '' (expected console, log, guest, selftest, sched, slice, trace, run_for, run_until, input or cpus)");
	CHECK_STR(one_error(&c, "\"console\"=com1"),
		  "t:1: unknown key '\"console\"' (expected console, log, guest, selftest, sched, slice, trace, run_for, run_until, input or cpus)");
	CHECK_STR(one_error(&c, "console=com5"),
		  "t:1: bad value 'com5' for 'console' (expected com1, com2, com3, com4 or none)");
	CHECK_STR(one_error(&c, "console="),
		  "t:1: bad value '' for 'console' (expected com1, com2, com3, com4 or none)");
	CHECK_STR(one_error(&c, "selftest=crash"),
		  "t:1: bad value 'crash' for 'selftest' (expected none, ud, write-text, exec-data, bad-guest-state or nmi)");
	CHECK_STR(one_error(&c, "log=info=debug"),
		  "t:1: bad value 'info=debug' for 'log' (expected error, warn, info or debug)");
	CHECK_STR(one_error(&c, "cpus=0"), "t:1: bad value '0' for 'cpus' (a number of CPUs from 1 to 64)");
	CHECK_STR(one_error(&c, "cpus=65"), "t:1: bad value '65' for 'cpus' (a number of CPUs from 1 to 64)");
	CHECK_STR(one_error(&c, "cpus=two"), "t:1: bad value 'two' for 'cpus' (a number of CPUs from 1 to 64)");
}

TEST(config_cpus)
{
	struct config c;

	config_init(&c);
	CHECK_EQ(c.cpus, 0);   /* all */
	CHECK_EQ(config_parse(&c, "t", "cpus=2", 6), 0);
	CHECK_EQ(c.cpus, 2);
}

TEST(config_errors_guest_mem)
{
	static const char *const bad[] = {
		"big", "", "16MB", "-16M", "1M6", "0x", "0x10000000000000000", "M",
		"4097",                 /* not a multiple of 4K */
		"1025K",                /* not a multiple of 4K */
		"1020K", "0", "4K",     /* below 1M */
		"65G", "65537M", "68719480832", /* above 64G (64G + 4K) */
		"99999999999999999999G", "18446744073709551616", /* overflow */
		"17179869184G",         /* 2^64: overflows only by the suffix */
	};
	struct config c;
	char text[96], want[192];

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(text, sizeof(text), "guest=vm,image=a,mem=%s", bad[i]);
		snprintf(want, sizeof(want),
			 "t:1: guest 'vm': bad value '%s' for 'mem' (a size such as 16M: 1M to 64G, a multiple of 4K)",
			 bad[i]);
		CHECK_STR(one_error(&c, text), want);
		CHECK_EQ(c.nguests, 0);
	}
}

TEST(config_errors_guest_structure)
{
	struct config c;
	char text[160];

	CHECK_STR(one_error(&c, "guest=vm,mem=32M"),
		  "t:1: guest 'vm': no image given (add image=FILE)");
	CHECK_STR(one_error(&c, "guest=vm"),
		  "t:1: guest 'vm': no image given (add image=FILE)");
	CHECK_STR(one_error(&c, "guest=my.vm,image=a"),
		  "t:1: guest: bad name 'my.vm' (1 to 31 letters, digits, '-' or '_')");
	CHECK_STR(one_error(&c, "guest=,image=a"),
		  "t:1: guest: bad name '' (1 to 31 letters, digits, '-' or '_')");
	CHECK_STR(one_error(&c, "guest=image=a"),
		  "t:1: guest: bad name 'image=a' (1 to 31 letters, digits, '-' or '_')");
	CHECK_STR(one_error(&c, "guest=vm,image=a,cores=2"),
		  "t:1: guest 'vm': unknown key 'cores' (expected image, mem, kind, load, weight, cpus, vcpus, max_weight, budget, period, max_share, cmdline, module, initrd or debug_exit)");
	CHECK_STR(one_error(&c, "guest=vm,image=a,vcpus=0"),
		  "t:1: guest 'vm': bad value '0' for 'vcpus' (a number from 1 to 8)");
	CHECK_STR(one_error(&c, "guest=vm,image=a,vcpus=9"),
		  "t:1: guest 'vm': bad value '9' for 'vcpus' (a number from 1 to 8)");
	CHECK_STR(one_error(&c, "guest=a,image=a,vcpus=8 guest=b,image=a,vcpus=8 guest=c,image=a,vcpus=8 guest=d,image=a,vcpus=8 guest=e,image=a"),
		  "t:1: guest 'e': too many vCPUs (at most 32 in all guests)");
	CHECK_STR(one_error(&c, "guest=vm,image=a,fast"),
		  "t:1: guest 'vm': 'fast' is not key=value");
	CHECK_STR(one_error(&c, "guest=vm,image="),
		  "t:1: guest 'vm': bad value '' for 'image' (a file name of 1 to 63 characters)");
	/* Names: 31 characters fit, 32 do not. Images: 63 fit, 64 do not. */
	snprintf(text, sizeof(text), "guest=%031d,image=a", 0);
	config_init(&c);
	CHECK_EQ(parse(&c, text), 0);
	CHECK_EQ(strlen(c.guests[0].name), 31);
	snprintf(text, sizeof(text), "guest=%032d,image=a", 0);
	CHECK_EQ(parse(&c, text), 1);
	snprintf(text, sizeof(text), "guest=i,image=%063d", 0);
	CHECK_EQ(parse(&c, text), 0);
	CHECK_EQ(strlen(c.guests[1].image), 63);
	snprintf(text, sizeof(text), "guest=j,image=%064d", 0);
	CHECK_EQ(parse(&c, text), 1);
	CHECK_EQ(c.nguests, 2);
	/* Every bad field of one word is reported; the guest is not added. */
	config_init(&c);
	CHECK_EQ(parse(&c, "guest=vm,image=,mem=3,x=1"), 3);
	CHECK_EQ(c.nguests, 0);
	CHECK_STR(c.errors[2], "t:1: guest 'vm': unknown key 'x' (expected image, mem, kind, load, weight, cpus, vcpus, max_weight, budget, period, max_share, cmdline, module, initrd or debug_exit)");
}

TEST(config_duplicate_and_too_many_guests)
{
	struct config c;
	char text[64];

	config_init(&c);
	CHECK_EQ(parse(&c, "guest=a,image=x\nguest=a,image=y,mem=32M"), 1);
	CHECK_STR(c.errors[0], "t:2: guest 'a' is defined twice");
	CHECK_EQ(c.nguests, 1);
	CHECK_STR(c.guests[0].image, "x");
	CHECK_EQ(c.guests[0].mem, MiB(16));

	config_init(&c);
	for (int i = 0; i < CFG_MAX_GUESTS; i++) {
		snprintf(text, sizeof(text), "guest=g%d,image=img%d", i, i);
		CHECK_EQ(parse(&c, text), 0);
	}
	CHECK_EQ(c.nguests, 16);
	CHECK_EQ(parse(&c, "guest=g16,image=img16"), 1);
	CHECK_STR(c.errors[0], "t:1: guest 'g16': too many guests (at most 16)");
	CHECK_EQ(c.nguests, 16);
	CHECK_STR(c.guests[15].name, "g15");
	/* A duplicate is still reported as such when the table is full. */
	CHECK_EQ(parse(&c, "guest=g3,image=z"), 1);
	CHECK_STR(c.errors[1], "t:1: guest 'g3' is defined twice");
}

TEST(config_unterminated_quote)
{
	struct config c;

	config_init(&c);
	/* The quote runs to the end of the line, which is then skipped. */
	CHECK_EQ(parse(&c, "log=\"debug console=com2\nlog=warn"), 1);
	CHECK_STR(c.errors[0], "t:1: unterminated quote in 'log=\"debug console=com2'");
	CHECK_EQ(c.console_port, 0x3f8);
	CHECK_EQ(c.log_level, LOG_WARN);
	CHECK_EQ(parse(&c, "console=com2 guest=vm,image=\"a.bin"), 1);
	CHECK_STR(c.errors[1], "t:1: unterminated quote in 'guest=vm,image=\"a.bin'");
	CHECK_EQ(c.console_port, 0x2f8);
	CHECK_EQ(c.nguests, 0);
}

TEST(config_word_too_long)
{
	struct config c;
	char text[600];
	size_t n;

	/* 255 characters are a word (here with a bad value)... */
	config_init(&c);
	n = (size_t)snprintf(text, sizeof(text), "log=%0251d", 0);
	CHECK_EQ(n, 255);
	CHECK_EQ(parse(&c, text), 1);
	CHECK(!strncmp(c.errors[0], "t:1: bad value '0000", 20));
	CHECK_EQ(strlen(c.errors[0]), CFG_ERROR_LEN - 1);
	/* ...256 are too long; the rest of that line is skipped. */
	config_init(&c);
	snprintf(text, sizeof(text), "\nlog=%0252d console=none\nlog=debug", 0);
	CHECK_EQ(parse(&c, text), 1);
	CHECK_STR(c.errors[0], "t:2: word too long (at most 255 characters)");
	CHECK_EQ(c.console_port, 0x3f8);
	CHECK_EQ(c.log_level, LOG_DEBUG);
}

TEST(config_bad_word_changes_nothing)
{
	static const char *const bad[] = {
		"console=com7", "log=trace", "selftest=boom", "nothing", "x=y",
		"guest=vm,image=a,mem=1K", "guest=vm,image=a,bad=1",
		"guest=new,mem=32M", "guest=good,image=again", "guest=b@d,image=z",
		"console=\"none", "guest=vm,image=b,mem=1M,mem=7",
	};
	struct config c;
	struct guest_cfg saved[CFG_MAX_GUESTS];

	config_init(&c);
	CHECK_EQ(parse(&c, "console=com4 log=error selftest=ud guest=good,image=g.bin,mem=8M"), 0);
	memcpy(saved, c.guests, sizeof(saved));
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		CHECK_EQ(parse(&c, bad[i]), 1);
		CHECK_EQ(c.console_port, 0x2e8);
		CHECK_EQ(c.log_level, LOG_ERROR);
		CHECK_EQ(c.selftest, SELFTEST_UD);
		CHECK_EQ(c.nguests, 1);
		CHECK(!memcmp(saved, c.guests, sizeof(saved)));
	}
	CHECK_EQ(c.nerrors, ARRAY_SIZE(bad));
}

TEST(config_error_overflow)
{
	struct config c;
	char text[256] = "";
	char want[64];

	config_init(&c);
	for (int i = 0; i < 11; i++) {
		size_t l = strlen(text);

		snprintf(text + l, sizeof(text) - l, "w%d\n", i);
	}
	CHECK_EQ(parse(&c, text), 11);
	CHECK_EQ(c.nerrors, 11);
	for (int i = 0; i < CFG_MAX_ERRORS; i++) {
		snprintf(want, sizeof(want), "t:%d: 'w%d' is not key=value", i + 1, i);
		CHECK_STR(c.errors[i], want);
	}
	/* Further errors are counted, the parse still applies good words. */
	CHECK_EQ(parse(&c, "junk log=debug"), 1);
	CHECK_EQ(c.nerrors, 12);
	CHECK_EQ(c.log_level, LOG_DEBUG);
	CHECK_STR(c.errors[7], "t:8: 'w7' is not key=value");
}

TEST(config_two_sources)
{
	static const char cfg[] = "console=com2 log=debug guest=a,image=a.bin\nbad\n";
	static const char cmd[] = "console=none guest=b,image=b.bin guest=a,image=z oops";
	struct config c;

	config_init(&c);
	CHECK_EQ(config_parse(&c, "hv.cfg", cfg, strlen(cfg)), 1);
	CHECK_EQ(config_parse(&c, "cmdline", cmd, strlen(cmd)), 2);
	CHECK_EQ(c.nerrors, 3);
	CHECK_EQ(c.console_port, 0);
	CHECK_EQ(c.log_level, LOG_DEBUG);
	CHECK_EQ(c.nguests, 2);
	CHECK_STR(c.guests[0].src, "hv.cfg");
	CHECK_STR(c.guests[0].image, "a.bin");
	CHECK_STR(c.guests[1].src, "cmdline");
	CHECK_EQ(c.guests[1].line, 1);
	CHECK_STR(c.errors[0], "hv.cfg:2: 'bad' is not key=value");
	CHECK_STR(c.errors[1], "cmdline:1: guest 'a' is defined twice");
	CHECK_STR(c.errors[2], "cmdline:1: 'oops' is not key=value");
}

TEST(config_length_respected)
{
	struct config c;
	char *t = malloc(12);

	/* Exactly 12 bytes, no terminator: ASan would catch a read past it. */
	CHECK(t);
	memcpy(t, "console=com2", 12);
	config_init(&c);
	CHECK_EQ(config_parse(&c, "t", t, 12), 0);
	CHECK_EQ(c.console_port, 0x2f8);
	/* A length that cuts a word leaves what is before the cut. */
	CHECK_EQ(config_parse(&c, "t", t, 11), 1);
	free(t);
	CHECK_STR(c.errors[0], "t:1: bad value 'com' for 'console' (expected com1, com2, com3, com4 or none)");
	CHECK_EQ(config_parse(&c, "t", "log=debug log=warn", 9), 0);
	CHECK_EQ(c.log_level, LOG_DEBUG);
	/* A NUL before len ends the text. */
	CHECK_EQ(config_parse(&c, "t", "log=error\0log=warn", 18), 0);
	CHECK_EQ(c.log_level, LOG_ERROR);
	CHECK_EQ(config_parse(&c, "t", "console=com4", 0), 0);
	CHECK_EQ(c.console_port, 0x2f8);
}

TEST(config_long_source_name)
{
	static struct config c;
	struct config *h = malloc(sizeof(*h));
	char src[300], zero[CFG_ERROR_LEN] = { 0 };
	u32 n, last_len;

	CHECK(h);
	memset(src, 's', sizeof(src) - 1);
	src[sizeof(src) - 1] = 0;
	/* In the last slot, at the very end of an allocation (ASan). */
	config_init(h);
	config_parse(h, "t", "1 2 3 4 5 6 7", 13);
	config_parse(h, src, "x", 1);
	n = h->nerrors;
	last_len = (u32)strlen(h->errors[7]);
	free(h);
	CHECK_EQ(n, 8);
	CHECK_EQ(last_len, CFG_ERROR_LEN - 1);
	/* The message is cut to fit its slot; the other slots are untouched. */
	config_init(&c);
	CHECK_EQ(config_parse(&c, src, "bad", 3), 1);
	CHECK_EQ(strlen(c.errors[0]), CFG_ERROR_LEN - 1);
	CHECK(!strncmp(c.errors[0], src, CFG_ERROR_LEN - 1));
	for (int i = 1; i < CFG_MAX_ERRORS; i++)
		CHECK(!memcmp(c.errors[i], zero, CFG_ERROR_LEN));
}

TEST(config_parse_size_edges)
{
	static const struct { const char *s; u64 v; } good[] = {
		{ "0", 0 }, { "1", 1 }, { "4096", 4096 }, { "16M", MiB(16) },
		{ "16m", MiB(16) }, { "4k", KiB(4) }, { "3G", GiB(3) },
		{ "007K", KiB(7) }, { "0G", 0 },
		{ "18446744073709551615", ~0ULL },
		{ "18446744073709551610", ~0ULL - 5 },
		{ "17179869183G", ~0ULL << 30 },
		{ "17592186044415M", ~0ULL << 20 },
		{ "0x7c00", 0x7c00 }, { "0XaBcD", 0xabcd }, { "0x0", 0 },
		{ "0xffffffffffffffff", ~0ULL },
	};
	static const char *const bad[] = {
		"", "K", "-1", "+1", " 1", "1 ", "1KB", "1T", "1.5M", "0x", "0x10K",
		"0xg", "x10", "0x10000000000000000",
		"1MK", "18446744073709551616", "99999999999999999999",
		"17179869184G", "17592186044416M", "99999999999999999999G",
	};
	u64 v;

	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		v = 12345;
		CHECK(config_parse_size(good[i].s, &v));
		CHECK_EQ(v, good[i].v);
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		v = 12345;
		CHECK(!config_parse_size(bad[i], &v));
		CHECK_EQ(v, 12345);
	}
}

TEST(config_sched_keys)
{
	struct config c;

	config_init(&c);
	CHECK_STR(c.sched, "rr");
	CHECK_EQ(c.slice_ns, CFG_SLICE_DEFAULT);
	CHECK_EQ(c.trace, false);
	CHECK_EQ(parse(&c, "sched=wfs slice=250us trace=on\n"
			   "guest=a,image=a.elf,weight=7\n"
			   "guest=b,image=b.elf,budget=2ms,period=10ms\n"), 0);
	CHECK_STR(c.sched, "wfs");
	CHECK_EQ(c.slice_ns, 250000);
	CHECK_EQ(c.trace, true);
	CHECK_EQ(c.guests[0].weight, 7);
	CHECK_EQ(c.guests[0].budget_ns, 0);
	CHECK_EQ(c.guests[1].weight, 1);
	CHECK_EQ(c.guests[1].budget_ns, 2000000);
	CHECK_EQ(c.guests[1].period_ns, 10000000);
	CHECK_STR(one_error(&c, "slice=5us"), "t:1: bad value '5us' for 'slice' (a duration such as 2ms: 10us to 1s)");
	CHECK_STR(one_error(&c, "slice=2"), "t:1: bad value '2' for 'slice' (a duration such as 2ms: 10us to 1s)");
	CHECK_STR(one_error(&c, "trace=yes"), "t:1: bad value 'yes' for 'trace' (expected on or off)");
	CHECK_STR(one_error(&c, "sched=averyveryverylongname"),
		  "t:1: bad value 'averyveryverylongname' for 'sched' (a policy name of 1 to 15 characters)");
	CHECK_STR(one_error(&c, "guest=a,image=a,weight=0"),
		  "t:1: guest 'a': bad value '0' for 'weight' (a number from 1 to 10000)");
	CHECK_STR(one_error(&c, "guest=a,image=a,budget=0ms,period=1ms"),
		  "t:1: guest 'a': bad value '0ms' for 'budget' (a duration such as 2ms, not 0)");
	CHECK_STR(one_error(&c, "guest=a,image=a,budget=2ms"),
		  "t:1: guest 'a': budget and period go together, budget at most period");
	CHECK_STR(one_error(&c, "guest=a,image=a,budget=2ms,period=1ms"),
		  "t:1: guest 'a': budget and period go together, budget at most period");
}

TEST(config_guest_cpus)
{
	struct config c;
	u64 set;

	CHECK(config_parse_cpuset("1", &set) && set == 2);
	CHECK(config_parse_cpuset("0-1+3", &set) && set == 0xb);
	CHECK(config_parse_cpuset("63", &set) && set == 1ULL << 63);
	CHECK(!config_parse_cpuset("64", &set));
	CHECK(!config_parse_cpuset("3-1", &set));
	CHECK(!config_parse_cpuset("1+", &set));
	CHECK(!config_parse_cpuset("", &set));
	CHECK(!config_parse_cpuset("1,2", &set));
	config_init(&c);
	CHECK_EQ(parse(&c, "guest=a,image=a.elf,cpus=2-3\n"), 0);
	CHECK_EQ(c.guests[0].cpus, 0xc);
	CHECK_STR(one_error(&c, "guest=a,image=a,cpus=x"),
		  "t:1: guest 'a': bad value 'x' for 'cpus' (CPU numbers from 0 to 63, such as 1 or 0-1+3)");
}

TEST(config_input)
{
	struct config c;

	config_init(&c);
	CHECK_STR(c.input, "");                  /* the first guest */
	CHECK_EQ(parse(&c, "input=linux guest=linux,image=vmlinuz\n"), 0);
	CHECK_STR(c.input, "linux");
	CHECK_EQ(parse(&c, "input=none\n"), 0);
	CHECK_STR(c.input, "none");
	CHECK_STR(one_error(&c, "input="), "t:1: bad value '' for 'input' (a guest's name or none)");
	CHECK_STR(one_error(&c, "input=averyveryveryveryverylongname123"),
		  "t:1: bad value 'averyveryveryveryverylongname123' for 'input' (a guest's name or none)");
}

TEST(config_debug_exit)
{
	struct config c;

	config_init(&c);
	CHECK_EQ(parse(&c, "guest=a,image=x guest=b,image=x,debug_exit=on guest=c,image=x,debug_exit=off\n"), 0);
	CHECK_EQ(c.guests[0].debug_exit, false);   /* off unless asked for */
	CHECK_EQ(c.guests[1].debug_exit, true);
	CHECK_EQ(c.guests[2].debug_exit, false);
	CHECK_STR(one_error(&c, "guest=a,image=x,debug_exit=yes"),
		  "t:1: guest 'a': bad value 'yes' for 'debug_exit' (expected on or off)");
}

TEST(config_parse_duration_edges)
{
	static const struct { const char *s; u64 v; } good[] = {
		{ "0ns", 0 }, { "1ns", 1 }, { "10us", 10000 }, { "2ms", 2000000 }, { "3s", 3000000000ULL },
		{ "18446744073709551615ns", ~0ULL }, { "18446744073s", 18446744073000000000ULL },
	};
	static const char *const bad[] = {
		"", "ms", "1", "1m", "1 ms", "-1ms", "1.5ms", "1msx", "18446744074s", "99999999999999999999ns",
	};
	u64 v;

	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		v = 12345;
		CHECK(config_parse_duration(good[i].s, &v));
		CHECK_EQ(v, good[i].v);
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		v = 12345;
		CHECK(!config_parse_duration(bad[i], &v));
		CHECK_EQ(v, 12345);
	}
}

TEST(config_multiboot_keys)
{
	struct config c;

	config_init(&c);
	CHECK_EQ(parse(&c, "guest=k,image=k.elf,kind=multiboot,cmdline=\"root=/dev/x quiet\",module=a,module=b\n"), 0);
	CHECK_EQ(c.guests[0].kind, IMAGE_MULTIBOOT);
	CHECK_STR(c.guests[0].cmdline, "root=/dev/x quiet");
	CHECK_EQ(c.guests[0].nmodules, 2);
	CHECK_STR(c.guests[0].modules[1], "b");
	CHECK_STR(one_error(&c, "guest=k,image=k,module=a,module=b,module=c,module=d,module=e"),
		  "t:1: guest 'k': too many modules (at most 4)");
	CHECK_STR(one_error(&c, "guest=k,image=k,module="),
		  "t:1: guest 'k': bad value '' for 'module' (a file name of 1 to 63 characters)");
}
