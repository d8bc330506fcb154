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
	ILP_FMT_PROM,		/* Prometheus text exposition format */
	ILP_FMT_PPROF,		/* gzipped profile.proto (go tool pprof, Pyroscope) */
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
	int cumulative;		/* --cumulative: interim reports cover everything since the
				 * start (else each its interval) */
	int continuous;		/* attach --continuous: duty-cycled capture, a report per window */
	int duty;		/* --duty PCT of each --duty-period captured; 0: default (10) */
	double duty_period;	/* --duty-period SECONDS; 0: default (10) */
	double window;		/* --window SECONDS: attach --continuous's report window
				 * (0: default, 60), watch's triggers' window (0:
				 * default, 1) */
	int threads;		/* --threads */
	int top_hist;		/* --hist N: histograms for the top N syscalls */
	int stacks;		/* --stacks: user call stacks (ptrace backend) */
	int lock_holds;		/* --lock-holds: mutex hold times (ftrace, uprobes) */
	int sleep_stacks;	/* --sleep-stacks: where blocked calls slept in the kernel
				 * (ftrace: a sched_switch stacktrace trigger) */
	int all_findings;	/* --all: no "minor" fold of the findings under 1 % */
	int follow_forks;	/* -f: accepted, read by nothing: children are always followed */
	char **argv;		/* run: the command; attach: none left (PIDs in pids) */
	int argc;
	struct ilp_thresholds *th;	/* detector thresholds (analyze.h) and --slow, set by
					 * main; NULL: defaults */
	const char *input;	/* report: -i FILE (default trace.dat) */
	pid_t *pids;		/* attach, record: -p PID[,PID...] (and attach's
				 * PID arguments), each once, in order given */
	size_t npids;
	const char *user;	/* run -u USER: the command runs as USER */
	int names_exact;	/* --names=exact: run under ftrace reads each path at the call */
	int status;		/* --status: enum ilp_status_when (status.h) */
	int fail_gate;		/* diff --fail-above given */
	double fail_above;	/* diff --fail-above PCT */
	const char *push;	/* --push URL: the final pprof report POSTed there; NULL: not */
	struct ilp_trigger *triggers;	/* watch --trigger, each parsed (trigger.h), OR'ed */
	size_t ntriggers;
	double before, after;	/* watch --before, --after SEC: a dump's span */
	unsigned before_mb;	/* watch --before-mb: most MiB of raw pages kept */
	unsigned max_dumps;	/* watch --max-dumps N */
	double cooldown;	/* watch --cooldown SEC; 0: none */
	int watching;		/* set by watch for attach's capture: its windows make no report */
};

struct ilp_trigger;

struct ilp_thresholds;

/*
 * The commands: each returns the process exit status (docs/iolockprof.1,
 * "Exit status") and has printed its errors, one line each, on stderr.
 * o is the caller's, parsed by main from the option table; a command does
 * not keep it.
 */

/**
 * ilp_cmd_run - iolockprof run: trace a command, report at its exit
 * @o: the options; o->argv is the command
 *
 * The report goes to -o FILE or stderr (ilp_cli_run with the report sink).
 *
 * Returns the command's own exit status (128+N if killed by signal N;
 * 128+SIGINT if the capture was stopped while it ran), 127 if the command
 * was not found, 126 if it could not be executed, ILP_EXIT_RUN_FAIL (125)
 * if iolockprof itself failed, including when the command succeeded but
 * the report could not be written.
 */
int ilp_cmd_run(struct ilp_opts *o);

/**
 * ilp_cmd_attach - iolockprof attach: trace running processes
 * @o: the options; o->argv are the PIDs
 *
 * Every thread of each process, until they exit, -d SECONDS pass, or a
 * signal stops the capture; the report as for run.
 *
 * Returns 0, ILP_EXIT_FAIL (no such process, one of the pids is
 * iolockprof itself, tracing could not start, not allowed to trace), or
 * ILP_EXIT_USAGE (a pid that is not a number).
 */
int ilp_cmd_attach(struct ilp_opts *o);

/**
 * ilp_cmd_record - iolockprof record: keep the raw trace in a file
 * @o: the options: -o FILE (required), and o->argv the command, or
 *	o->pids the processes to attach to
 *
 * Ftrace only (cmd_record.c): the capture runs as run or attach does, with
 * a sink that writes the ring buffers to a trace.dat.
 *
 * Returns as ilp_cmd_run() with a command (ILP_EXIT_RUN_FAIL also when the
 * file cannot be written), as ilp_cmd_attach() with -p, or ILP_EXIT_USAGE
 * (no -o, both or neither of a command and -p, --backend=ptrace or
 * --stacks, --names=exact with -p).
 */
int ilp_cmd_record(struct ilp_opts *o);

/**
 * ilp_cmd_report - iolockprof report: the report of a recorded trace
 * @o: the options; o->input is the file
 *
 * cmd_report.c.  Replays the file through the same session as a capture.
 *
 * Returns 0, ILP_EXIT_FAIL (the file cannot be read, is not a trace, or
 * the report cannot be written), or ILP_EXIT_USAGE (a stray argument).
 */
int ilp_cmd_report(struct ilp_opts *o);

/**
 * ilp_cmd_diff - iolockprof diff: compare two JSON reports
 * @o: the options; diff parses o->argv itself (BASE.json NEW.json,
 *	--fail-above PCT, --help)
 *
 * cmd_diff.c.  Prints the comparison on stdout; --help prints its usage.
 *
 * Returns 0 (no regression, or no --fail-above; --help), 1 (a regression
 * above --fail-above), or ILP_EXIT_USAGE (a usage error, an input that is
 * not a readable iolockprof JSON report, or stdout cannot be written).
 */
int ilp_cmd_diff(struct ilp_opts *o);

/**
 * ilp_cmd_watch - iolockprof watch: a flight recorder with triggers
 * @o: the options: o->pids the processes, -o DIR (required), the
 *	triggers (at least one), --window, --before, --after, --before-mb,
 *	--max-dumps, --cooldown
 *
 * cmd_watch.c.  attach's capture (ftrace only) with the watch sink: the
 * raw pages of the last --before seconds kept in memory; when a trigger
 * fires (or SIGUSR1 comes), --after seconds more, then DIR/TIME.dat (a
 * trace.dat) and DIR/TIME.txt (its text report, after the trigger).
 *
 * Returns as ilp_cmd_attach() (0 also when --max-dumps ended it), or
 * ILP_EXIT_USAGE (no -o, no --trigger, --backend=ptrace, --stacks).
 */
int ilp_cmd_watch(struct ilp_opts *o);

/**
 * ilp_cmd_remove_stale - iolockprof --remove-stale
 *
 * cmd_stale.c.  Removes the instances of sessions that are provably dead
 * (ilp_instance_remove_stale) and prints one line per verdict on stdout.
 *
 * Returns 0, or ILP_EXIT_FAIL (no usable tracefs, or the instances cannot
 * be read).
 */
int ilp_cmd_remove_stale(void);

/**
 * ilp_error - the one place where a negative errno becomes a message
 * @what: what failed ("cannot start tracing", a file name, ILP_WHAT_PTRACE)
 * @err: the negative errno
 *
 * error.c.  Prints "iolockprof: WHAT: " and strerror, or a hint of what to
 * do for the errors that have one (not root, no tracefs, an unsafe lock
 * directory, a hanging instance mkdir, a pid namespace...), on stderr.
 * -ECANCELED prints nothing: it was explained where it happened.
 */
void ilp_error(const char *what, int err);
/* what the ptrace backend could not do, for ilp_error's hint */
#define ILP_WHAT_PTRACE "cannot trace the command (ptrace)"

/* ---- run and attach with any sink (record uses them with its own) ---- */
struct ilp_sink;

/**
 * ilp_cli_run - ilp_cmd_run() with a given sink
 * @o: the options; o->argv is the command
 * @sink: where the events go (session.h); borrowed: the caller frees it
 *	after the call
 *
 * cmd_run.c.
 *
 * Returns the exit status, as ilp_cmd_run().
 */
int ilp_cli_run(struct ilp_opts *o, struct ilp_sink *sink);

/**
 * ilp_cli_attach - ilp_cmd_attach() with a given sink
 * @o: the options; o->argv are the PIDs
 * @sink: where the events go (session.h); borrowed: the caller frees it
 *	after the call
 *
 * cmd_attach.c.
 *
 * Returns the exit status, as ilp_cmd_attach().
 */
int ilp_cli_attach(struct ilp_opts *o, struct ilp_sink *sink);

/* ---- --push (push.c) ---- */

/**
 * ilp_push_url - the URL --push posts to
 * @url: the user's: a server ("http://host:4040", "/" or no path: its
 *	/ingest is taken) or a full URL ("http://host/ingest?name=app{env=ci}")
 * @from_s: the profile's start, Unix seconds
 * @until_s: its end, Unix seconds
 *
 * The query gets name=iolockprof, from, until and format=pprof, each
 * unless url has it already.
 *
 * Returns the URL, to free(), or NULL when url is no URL (no "scheme://host")
 * or memory ran out.
 */
char *ilp_push_url(const char *url, uint64_t from_s, uint64_t until_s);

/**
 * ilp_push_pprof - POSTs a gzipped pprof profile as Pyroscope's /ingest takes it
 * @url: --push's URL (ilp_push_url() completes it)
 * @data: the profile, gzipped profile.proto
 * @len: its bytes
 * @from_s: the profile's start, Unix seconds
 * @until_s: its end, Unix seconds
 *
 * A multipart/form-data POST, the profile in the file field "profile";
 * 30 s at most.  A failure is told on stderr, in one line.
 *
 * Returns 0 (the server answered 2xx), or -ECANCELED (told).
 */
int ilp_push_pprof(const char *url, const void *data, size_t len, uint64_t from_s,
		   uint64_t until_s);

#endif
