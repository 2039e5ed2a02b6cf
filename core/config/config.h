/* The configuration: one text format for both boot doors.
 *
 * A configuration is a sequence of words separated by white space; '#' starts
 * a comment running to the end of the line. Each word is key=value; a value
 * may be put in double quotes to hold spaces. Keys:
 *
 *   console=com1|com2|com3|com4|none        hypervisor console (com1)
 *   log=error|warn|info|debug               log level (info)
 *   guest=NAME,image=FILE[,mem=SIZE][,kind=auto|elf|flat][,load=ADDR]
 *                                           a guest; SIZE like 16M (16M);
 *                                           ADDR where a flat image goes (0x7c00)
 *   selftest=none|ud|write-text|exec-data|bad-guest-state
 *                                           provoke a fault on purpose (none)
 *   sched=POLICY                            scheduling policy (rr); see
 *                                           docs/scheduler.md
 *   slice=DURATION                          time slice, such as 2ms (1ms)
 *   trace=on|off                            print the schedule at power-off (off)
 *   run_for=DURATION                        stop every guest still running after
 *                                           this long, such as 2s (0: never)
 *   run_until=NAME                          stop every guest still running when
 *                                           guest NAME stops (none)
 *   input=NAME|none                         the guest whose COM1 receives what is
 *                                           typed on the console (the first guest)
 *   guest=...[,weight=N][,budget=DURATION,period=DURATION]
 *                                           a guest's share (1) and reservation
 *   guest=...[,max_weight=N][,max_share=PERCENT]
 *                                           the most it may ask for itself through
 *                                           sched_set (its weight; its reservation)
 *   guest=...,kind=multiboot[,cmdline="..."][,module=FILE]...
 *                                           a Multiboot 1 or 2 kernel, its
 *                                           command line and up to 4 modules
 *   guest=...,kind=linux[,cmdline="..."][,initrd=FILE]...
 *                                           a Linux bzImage; its initrds
 *                                           (module= is the same key) are
 *                                           handed over as one, concatenated
 *
 * Several sources (hv.cfg, then the boot command line) may be parsed into one
 * struct config: later settings override earlier ones and guests accumulate.
 * Errors name the source, the line and the key; a word with an error changes
 * nothing. */
#ifndef CORE_CONFIG_H
#define CORE_CONFIG_H

#include "core/lib/types.h"

#define CFG_MAX_GUESTS 16
#define CFG_VCPUS_MAX 8           /* vcpus=: the most vCPUs one guest may have */
#define CFG_MAX_VCPUS 32          /* the most vCPUs of all guests together */
#define CFG_CPUS_MAX 64           /* cpus=: the most CPUs the hypervisor takes (HV_MAX_CPUS) */
#define CFG_NAME_MAX 32
#define CFG_IMAGE_MAX 64
#define CFG_MAX_ERRORS 8
#define CFG_ERROR_LEN 200
#define CFG_WORD_MAX 256

#define CFG_MEM_DEFAULT MiB(16)
#define CFG_MEM_MIN MiB(1)
#define CFG_MEM_MAX GiB(64)

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

enum selftest {
	SELFTEST_NONE, SELFTEST_UD, SELFTEST_WRITE_TEXT, SELFTEST_EXEC_DATA,
	SELFTEST_BAD_GUEST_STATE,   /* the first guest starts with CS.L and CS.D set */
	SELFTEST_NMI,               /* CPU 1 sends NMIs to CPU 0 while guests run */
};

enum image_kind { IMAGE_AUTO, IMAGE_ELF, IMAGE_FLAT, IMAGE_MULTIBOOT, IMAGE_LINUX };

#define CFG_LOAD_DEFAULT 0x7c00
#define CFG_POLICY_MAX 16
#define CFG_CMDLINE_MAX 128
#define CFG_MAX_MODULES 4
#define CFG_SLICE_DEFAULT 1000000ULL       /* ns */
#define CFG_SLICE_MIN 10000ULL
#define CFG_SLICE_MAX 1000000000ULL
#define CFG_WEIGHT_MAX 10000

struct guest_cfg {
	char name[CFG_NAME_MAX];
	char image[CFG_IMAGE_MAX];
	u64 mem;                  /* bytes, a multiple of 4 KiB */
	u8 kind;                  /* enum image_kind */
	u64 load;                 /* guest-physical load address of a flat image */
	u32 weight;               /* share against other guests, 1..CFG_WEIGHT_MAX */
	u64 cpus;                 /* the physical CPUs it may run on, bit n for CPU n; 0 = any */
	u32 vcpus;                /* its virtual CPUs, 1..CFG_VCPUS_MAX */
	char cmdline[CFG_CMDLINE_MAX];                 /* for Multiboot and Linux kernels */
	char modules[CFG_MAX_MODULES][CFG_IMAGE_MAX];  /* files handed to them */
	u32 nmodules;
	u64 budget_ns, period_ns; /* a reservation (0: none) */
	/* what sched_set may ask for: the highest weight (0: weight) and the
	 * largest reservation, in percent of a CPU (-1: budget/period) */
	u32 max_weight;
	s32 max_share;
	bool debug_exit;          /* the isa-debug-exit ports (core/dev/vdebugexit.c) */
	const char *src;          /* where it was defined, for messages */
	u32 line;
};

struct config {
	u16 console_port;         /* 0: no console */
	u8 log_level;             /* enum log_level */
	u8 selftest;              /* enum selftest */
	bool trace;               /* print the schedule at power-off */
	char sched[CFG_POLICY_MAX];   /* policy name, checked when guests start */
	char input[CFG_NAME_MAX];     /* the guest typed input goes to; "" = the first */
	u64 slice_ns;
	u64 run_for_ns;           /* 0: run until every guest stopped */
	char run_until[CFG_NAME_MAX]; /* the guest whose stop ends the run; "" = none */
	u32 cpus;                 /* at most this many CPUs online; 0 = all */
	u32 nguests;
	struct guest_cfg guests[CFG_MAX_GUESTS];
	u32 nerrors;              /* all errors; the first CFG_MAX_ERRORS kept */
	char errors[CFG_MAX_ERRORS][CFG_ERROR_LEN];
};

/* The configuration used when the boot door found none. */
extern const char config_default_text[];

void config_init(struct config *c);

/* Parses len bytes of text (need not be NUL-terminated) named src (which must
 * outlive c) into c. Returns the number of errors found in this text. */
u32 config_parse(struct config *c, const char *src, const char *text, size_t len);

/* Parses "16M"-style sizes (suffix K, M or G, or none for bytes) and
 * hexadecimal numbers ("0x7c00", no suffix). Returns false on anything else
 * or on overflow. */
bool config_parse_size(const char *s, u64 *out);

/* Parses a set of CPUs: numbers and ranges joined by '+' ("0-1+3"), each
 * below CFG_CPUS_MAX, into bits. Returns false on anything else. */
bool config_parse_cpuset(const char *s, u64 *set);

/* The vCPUs of all of c's guests. */
u32 config_vcpus(const struct config *c);

/* Parses durations: a decimal number with ns, us, ms or s ("2ms"). Returns
 * false on anything else or on overflow. */
bool config_parse_duration(const char *s, u64 *out);

const char *config_log_level_name(u8 level);

#endif
