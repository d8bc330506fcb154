/* SPDX-License-Identifier: MIT */
#ifndef ILP_CLI_H
#define ILP_CLI_H

/*
 * Options of one command, parsed from the one option table
 * (src/cli/options.c, include/options.h) into a struct the command owns;
 * the commands; the one place errors become messages.  The capture itself
 * is a session (session.h).
 */

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <sys/types.h>

#define ILP_EXIT_USAGE 2	/* bad command line */
#define ILP_EXIT_FAIL 1		/* attach/report: the tool failed */
#define ILP_EXIT_RUN_FAIL 125	/* run: the tool itself failed (like env/timeout) */

enum ilp_format {
	ILP_FMT_TEXT,		/* default */
	ILP_FMT_JSON,		/* docs/report.schema.json */
	ILP_FMT_HTML,		/* one self-contained page */
	ILP_FMT_FOLDED,		/* flamegraph.pl / speedscope input */
	ILP_FMT_PERFETTO,	/* Chrome trace-event JSON */
};

enum ilp_backend_choice {
	ILP_BACKEND_AUTO,	/* ftrace if tracefs is usable, else ptrace */
	ILP_BACKEND_FTRACE,
	ILP_BACKEND_PTRACE,
};

struct ilp_opts {
	const char *output;	/* -o FILE, NULL: stderr */
	enum ilp_format format;	/* --format */
	enum ilp_backend_choice backend;	/* --backend */
	size_t buffer_kb;	/* -b KB per CPU; 0: default */
	int *syscalls;		/* -e LIST, as numbers; NULL: all */
	size_t nsyscalls;
	double duration;	/* -d SECONDS; 0: until targets exit or a signal */
	double interval;	/* --interval SECONDS; 0: no interim reports */
	int threads;		/* --threads */
	int top_hist;		/* --hist N: histograms for the top N syscalls */
	int stacks;		/* --stacks: user call stacks (ptrace backend) */
	int all_findings;	/* --all: no "minor" fold of the findings under 1 % */
	char **argv;		/* run: the command; attach: the PIDs */
	int argc;
	struct ilp_thresholds *th;	/* detector thresholds (analyze.h) and --slow, set by
					 * main; NULL: defaults */
	const char *input;	/* report: -i FILE (default trace.dat) */
	const char *pids;	/* record: -p PID[,PID...] */
	const char *user;	/* run -u USER: the command runs as USER */
	int names_exact;	/* --names=exact: run under ftrace reads each path at the call */
	int status;		/* --status: enum ilp_status_when (status.h) */
};

struct ilp_thresholds;

/* Commands: return the process exit status. */
int ilp_cmd_run(struct ilp_opts *o);
int ilp_cmd_attach(struct ilp_opts *o);
int ilp_cmd_record(struct ilp_opts *o);	/* cmd_record.c */
int ilp_cmd_report(struct ilp_opts *o);	/* cmd_report.c */
int ilp_cmd_diff(struct ilp_opts *o);	/* cmd_diff.c: parses o->argv itself */
int ilp_cmd_remove_stale(void);		/* cmd_stale.c: --remove-stale */

/* The one place where a negative errno becomes a message (error.c). */
void ilp_error(const char *what, int err);
/* what the ptrace backend could not do, for ilp_error's hint */
#define ILP_WHAT_PTRACE "cannot trace the command (ptrace)"

/* ---- run and attach with any sink (record uses them with its own) ---- */
struct ilp_sink;
int ilp_cli_run(struct ilp_opts *o, struct ilp_sink *sink);	/* cmd_run.c */
int ilp_cli_attach(struct ilp_opts *o, struct ilp_sink *sink);	/* cmd_attach.c */

#endif
