/* SPDX-License-Identifier: MIT */
#ifndef ILP_OPTIONS_H
#define ILP_OPTIONS_H

/*
 * Every command-line option, declared once: one row of the table in
 * src/cli/options.c gives its names, value, default, unit, help text, the
 * commands that take it and the field it sets (of struct ilp_opts or, for
 * a detector threshold, of struct ilp_thresholds).  getopt_long's arrays,
 * the option part of --help and the parsing itself are made from it at run
 * time; tests/unit/test_options.c holds docs/iolockprof.1 and
 * docs/detectors.md to it.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct ilp_opts;

/* who takes an option: one bit per command, and the first argument */
enum ilp_cmd_bit {
	ILP_CMD_RUN = 1 << 0,
	ILP_CMD_ATTACH = 1 << 1,
	ILP_CMD_RECORD = 1 << 2,
	ILP_CMD_REPORT = 1 << 3,
	ILP_CMD_TOP = 1 << 4,	/* as the first argument, instead of a command */
};
#define ILP_CMD_ALL (ILP_CMD_RUN | ILP_CMD_ATTACH | ILP_CMD_RECORD | ILP_CMD_REPORT)

/* what the value is; the unit says how it is typed and stored */
enum ilp_opt_kind {
	ILP_OPT_FLAG,		/* no value: sets an int to 1 */
	ILP_OPT_STRING,		/* const char *, the argument itself */
	ILP_OPT_UINT,		/* decimal in [min, max], times the unit's scale */
	ILP_OPT_SECONDS,	/* double, > 0, at most a year */
	ILP_OPT_CHOICE,		/* one of choices[]: its value, into an int or enum */
	ILP_OPT_FN,		/* parsed by parse() */
	ILP_OPT_ACTION,		/* no value: what main does instead (enum ilp_opt_action) */
};

enum ilp_opt_unit {
	ILP_UNIT_NONE,		/* a count, a name */
	ILP_UNIT_BYTES,
	ILP_UNIT_KIB,
	ILP_UNIT_PCT,
	ILP_UNIT_MS,		/* typed in ms, stored in ns: the one conversion */
	ILP_UNIT_S,
};

/* the man page's OPTIONS subsections, in order; --help prints the same */
enum ilp_opt_section {
	ILP_SEC_CAPTURE,
	ILP_SEC_REPORT,
	ILP_SEC_FINDINGS,
	ILP_SEC_BACKEND,
	ILP_SEC_OTHER,
	ILP_SEC_COUNT,
};

enum ilp_opt_action {
	ILP_ACT_NONE,
	ILP_ACT_HELP,
	ILP_ACT_VERSION,
	ILP_ACT_REMOVE_STALE,
};

struct ilp_opt_choice {
	const char *name;
	int value;
};

struct ilp_option {
	const char *name;	/* --NAME */
	char short_name;	/* -C, 0: none */
	const char *arg;	/* the value's name in --help ("FILE"), NULL: takes none */
	const char *def;	/* the default as --help and the man page show it, NULL:
				 * none, or a threshold's (from ilp_thresholds_default) */
	enum ilp_opt_unit unit;
	unsigned cmds;		/* enum ilp_cmd_bit: the commands that take it */
	const char *not_for;	/* the usage error for another command (%s: its name) */
	enum ilp_opt_section section;
	enum ilp_opt_kind kind;
	int threshold;		/* 1: off/size are in struct ilp_thresholds, else ilp_opts */
	size_t off, size;	/* the field it sets */
	uint64_t min, max;	/* UINT: what may be typed */
	const char *bad;	/* UINT, SECONDS: "--NAME: 'ARG' is not <bad>" */
	const struct ilp_opt_choice *choices;	/* CHOICE: ends with a NULL name */
	int (*parse)(const struct ilp_option *opt, const char *arg, struct ilp_opts *o);	/* FN */
	enum ilp_opt_action action;	/* ACTION */
	int def_elsewhere;	/* def is only shown: the code that reads the field
				 * picks the default when it is 0 (-b: by CPU count) */
	const char *help;	/* one line, wrapped by --help */
};

size_t ilp_option_count(void);
const struct ilp_option *ilp_option(size_t i);	/* NULL past the end */
const char *ilp_option_section_name(enum ilp_opt_section s);	/* "Capture" */
/*
 * The default as shown: def, or a threshold's from ilp_thresholds_default()
 * in its unit ("100" for --slow); with_unit adds the unit ("100 ms").
 * 0, or -ENOENT when it has none.
 */
int ilp_option_default(const struct ilp_option *opt, int with_unit, char *buf, size_t size);

/*
 * The detector thresholds in th, one entry per threshold row of the table,
 * in its order, named by the option and in the unit th holds them in
 * (report.h).  Fills at most max entries of out; returns how many there
 * are (more than max: out holds the first max).
 */
struct ilp_thresholds;
struct ilp_report_threshold;
size_t ilp_options_thresholds(const struct ilp_thresholds *th,
			      struct ilp_report_threshold *out, size_t max);

/*
 * A threshold of a JSON report's "thresholds" block (ilp_options_thresholds)
 * as it is typed, with its unit: ("slow", "ns", 50000000) -> "50 ms".  0; or
 * -ENOENT if no threshold row has that name and stored unit (another
 * version's report): then "VALUE UNIT" as given.
 */
int ilp_option_threshold_str(const char *name, const char *unit, uint64_t value,
			     char *buf, size_t size);

/* a row taken as the first argument ("--version", "-V"), or NULL */
const struct ilp_option *ilp_option_top(const char *arg);

/*
 * Parses argv[1..] of command cmd (argv[0] is its name) into o, after
 * setting the table's defaults; o->th, if set, must hold the thresholds'
 * defaults already.  Stops at the first non-option (run's command keeps
 * its own), skips a "--" there, and leaves the rest in o->argv/o->argc.
 * 0; ILP_ACT_HELP if --help was given (nothing more is parsed); -EINVAL on a
 * usage error, explained in one line on stderr; -ENOMEM.
 */
int ilp_options_parse(unsigned cmd, const char *cmd_name, int argc, char **argv,
		      struct ilp_opts *o);

/* one line "iolockprof: <msg> (see iolockprof --help)" on stderr; -EINVAL */
int ilp_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * --help's layout: left (the names) in the first col columns, then text
 * wrapped to 78 columns (on a line of its own if left is longer).  Returns
 * 0, or -EIO if out failed.
 */
int ilp_help_item(FILE *out, const char *left, size_t col, const char *text);
/* the option sections of --help, from the table */
int ilp_options_help(FILE *out);

#endif
