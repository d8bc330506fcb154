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
struct ilp_report_threshold;
struct ilp_thresholds;

/* who takes an option: one bit per command, and the first argument */
enum ilp_cmd_bit {
	ILP_CMD_RUN = 1 << 0,
	ILP_CMD_ATTACH = 1 << 1,
	ILP_CMD_RECORD = 1 << 2,
	ILP_CMD_REPORT = 1 << 3,
	ILP_CMD_TOP = 1 << 4,	/* as the first argument, instead of a command */
	ILP_CMD_DIFF = 1 << 5,	/* diff: options anywhere among its two files */
	ILP_CMD_WATCH = 1 << 6,	/* watch: attach's capture, dumps on a trigger */
};
#define ILP_CMD_ALL (ILP_CMD_RUN | ILP_CMD_ATTACH | ILP_CMD_RECORD | ILP_CMD_REPORT)
/* every command that parses its options through the table */
#define ILP_CMD_ANY (ILP_CMD_ALL | ILP_CMD_DIFF | ILP_CMD_WATCH)

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

/**
 * ilp_option_count - how many rows the option table has
 *
 * Returns the number of rows.
 */
size_t ilp_option_count(void);

/**
 * ilp_option - a row of the option table
 * @i: which, from 0
 *
 * Returns the row (static), or NULL past the end.
 */
const struct ilp_option *ilp_option(size_t i);

/**
 * ilp_option_section_name - the title of an option section
 * @s: the section
 *
 * Returns "Capture", "Report"... (static), "" for a value out of range.
 */
const char *ilp_option_section_name(enum ilp_opt_section s);

/**
 * ilp_option_default - an option's default as --help and the man page show it
 * @opt: the row
 * @with_unit: non-zero to add the unit ("100 ms")
 * @buf: the caller's buffer, set to def, or a threshold's default from
 *	ilp_thresholds_default() in its unit ("100" for --slow) (cut to fit)
 * @size: bytes at buf
 *
 * Returns 0, -ENOENT when it has none (buf untouched), or -EIO if
 * formatting failed.
 */
int ilp_option_default(const struct ilp_option *opt, int with_unit, char *buf, size_t size);

/**
 * ilp_options_thresholds - the detector thresholds in th, named by option
 * @th: the thresholds
 * @out: the caller's array, filled with one entry per threshold row of the
 *	table, in its order, named by the option and in the unit th holds
 *	them in (report.h); names and units are static
 * @max: entries at out
 *
 * Returns how many there are (more than max: out holds the first max).
 */
size_t ilp_options_thresholds(const struct ilp_thresholds *th,
			      struct ilp_report_threshold *out, size_t max);

/**
 * ilp_option_threshold_str - a JSON report's threshold as it is typed
 * @name: the option's name, as in the "thresholds" block
 *	(ilp_options_thresholds())
 * @unit: the stored unit ("ns", "bytes", "percent"...)
 * @value: the stored value
 * @buf: the caller's buffer, set to the value as typed with its unit:
 *	("slow", "ns", 50000000) -> "50 ms"; else "VALUE UNIT" as given
 *	(cut to fit)
 * @size: bytes at buf
 *
 * Returns 0; or -ENOENT if no threshold row has that name and stored unit
 * (another version's report: buf then holds "VALUE UNIT").
 */
int ilp_option_threshold_str(const char *name, const char *unit, uint64_t value,
			     char *buf, size_t size);

/**
 * ilp_option_top - the row of an option taken as the first argument
 * @arg: the first argument ("--version", "-V")
 *
 * Returns the row (static) if arg names an ILP_CMD_TOP option, else NULL.
 */
const struct ilp_option *ilp_option_top(const char *arg);

/**
 * ilp_options_parse - parses a command's options into o
 * @cmd: the command's enum ilp_cmd_bit (which options it takes)
 * @cmd_name: its name, for usage errors
 * @argc: entries at argv
 * @argv: argv[0] is the command's name, options from argv[1]; the strings
 *	are borrowed: o keeps pointers into argv
 * @o: the caller's struct: the table's defaults are set first; o->th, if
 *	set, must hold the thresholds' defaults already
 *
 * Stops at the first non-option (run's command keeps its own options),
 * skips a "--" there, and leaves the rest in o->argv/o->argc; for
 * ILP_CMD_DIFF, options may follow the files too (up to a "--"), and the
 * files are what is left.  Resets getopt's state: not thread-safe.
 *
 * Returns 0; ILP_ACT_HELP if --help was given (nothing more is parsed);
 * -EINVAL on a usage error, explained in one line on stderr; -ENOMEM.
 */
int ilp_options_parse(unsigned cmd, const char *cmd_name, int argc, char **argv,
		      struct ilp_opts *o);

/**
 * ilp_options_add_pids - adds process ids to o->pids, each once
 * @o: the options; o->pids is realloc'd (main frees it)
 * @list: "12" or "12,34": decimal ids, comma-separated
 * @what: what the error names: "-p", or "attach" for its PID arguments
 *
 * -p's parsing, and attach's PID arguments go through it too.  A pid
 * already in the list is not added again.
 *
 * Returns 0; -EINVAL for an id that is not a positive decimal number, said
 * in one line as "<what>: 'x' is not a process id"; -ENOMEM.
 */
int ilp_options_add_pids(struct ilp_opts *o, const char *list, const char *what);

/**
 * ilp_usage_error - says a usage error
 * @fmt: printf format of the message
 * @...: its arguments
 *
 * One line "iolockprof: <msg> (see iolockprof --help)" on stderr.
 *
 * Returns -EINVAL.
 */
int ilp_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/**
 * ilp_help_item - writes one item of --help
 * @out: the stream
 * @left: what goes on the left (the option's names), in the first col
 *	columns; text starts on a line of its own if left is longer
 * @col: where text starts
 * @text: wrapped at spaces to 78 columns (a word longer than a line stays
 *	whole)
 *
 * Returns 0, or -EIO if writing to out failed.
 */
int ilp_help_item(FILE *out, const char *left, size_t col, const char *text);

/**
 * ilp_options_help - writes the option sections of --help, from the table
 * @out: the stream
 *
 * Every row of every section, with its default.
 *
 * Returns 0, or -EIO if writing to out failed.
 */
int ilp_options_help(FILE *out);
/**
 * ilp_options_help_for - writes the option sections of one command's help
 * @out: the stream
 * @cmds: enum ilp_cmd_bit bits: the rows whose .cmds has one of them
 *
 * CMD --help: those rows, with their defaults, in the table's order; a
 * section with none of them is left out.  ilp_options_help() is this with
 * every bit.
 *
 * Returns 0, or -EIO if writing to out failed.
 */
int ilp_options_help_for(FILE *out, unsigned cmds);

#endif
