/* SPDX-License-Identifier: MIT */
#ifndef ILP_CLI_H
#define ILP_CLI_H

/*
 * Options of one command, parsed by main.c into a struct the command owns,
 * and the capture engine shared by run and attach (src/cli/capture.c).
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

enum ilp_backend {
	ILP_BACKEND_AUTO,	/* ftrace if tracefs is usable, else ptrace */
	ILP_BACKEND_FTRACE,
	ILP_BACKEND_PTRACE,
};

struct ilp_opts {
	const char *output;	/* -o FILE, NULL: stderr */
	enum ilp_format format;	/* --format */
	enum ilp_backend backend;	/* --backend */
	size_t buffer_kb;	/* -b KB per CPU; 0: default */
	int *syscalls;		/* -e LIST, as numbers; NULL: all */
	size_t nsyscalls;
	double duration;	/* -d SECONDS; 0: until targets exit or a signal */
	double interval;	/* --interval SECONDS; 0: no interim reports */
	int threads;		/* --threads */
	int top_hist;		/* --hist N: histograms for the top N syscalls */
	unsigned long slow_ms;	/* --slow MS: calls this long are listed (0: none) */
	int stacks;		/* --stacks: user call stacks (ptrace backend) */
	char **argv;		/* run: the command; attach: the PIDs */
	int argc;
	struct ilp_thresholds *th;	/* detector thresholds (analyze.h), set by main; NULL: defaults */
	const char *input;	/* report: -i FILE (default trace.dat) */
	const char *pids;	/* record: -p PID[,PID...] */
	const struct ilp_capture_tap *tap;	/* record: set by cmd_record.c */
};

struct ilp_thresholds;

/* Commands: return the process exit status. */
int ilp_cmd_run(struct ilp_opts *o);
int ilp_cmd_attach(struct ilp_opts *o);
int ilp_cmd_record(struct ilp_opts *o);	/* cmd_record.c */
int ilp_cmd_report(struct ilp_opts *o);	/* cmd_report.c */
int ilp_cmd_diff(struct ilp_opts *o);	/* cmd_diff.c: parses o->argv itself */

struct ilp_model;
struct ilp_report_info;
/*
 * Indexes the model at info->end_ts and writes the report in o->format to
 * out (report.c: the one dispatch every backend and command uses).  0 or
 * -errno.
 */
int ilp_report_emit(FILE *out, struct ilp_model *m, const struct ilp_report_info *info,
		    const struct ilp_opts *o);

/* The one place where a negative errno becomes a message (main.c). */
void ilp_error(const char *what, int err);

/* ---- capture engine (capture.c) ---- */
struct ilp_capture;

/* Checks tracefs, removes stale instances, creates ours, opens the reader,
 * blocks SIGINT/SIGTERM/SIGHUP into a signalfd.  0 or -errno (explained). */
int ilp_capture_new(const struct ilp_opts *o, struct ilp_capture **out);
/* Removes the instance, restores the signal mask, frees. NULL ok. */
void ilp_capture_free(struct ilp_capture *c);

/* What the report header calls the capture ("./app arg", "attach 12 34"). */
int ilp_capture_set_command(struct ilp_capture *c, const char *command);
/* Trace these tids (and, through event-fork, what they create). */
int ilp_capture_add_tids(struct ilp_capture *c, const pid_t *tids, size_t n);
/* Tell the model tid belongs to process pid named comm, as of now. */
int ilp_capture_task_info(struct ilp_capture *c, pid_t pid, pid_t tid, const char *comm);
/* Tell the model fd of process pid is (type, str) as of now (fdmodel.h
 * types); str is copied into the source's pool.  0 or -errno. */
int ilp_capture_fd_info(struct ilp_capture *c, pid_t pid, int fd, unsigned type, const char *str);
/* ilp_capture_fd_info for every fd pid has open now (fds opened before
 * tracing: attach, and what run's child inherits).  0 or -errno. */
int ilp_capture_fd_scan(struct ilp_capture *c, pid_t pid);
/* Watch a process: the capture ends when every watched process has exited. */
int ilp_capture_watch(struct ilp_capture *c, pid_t pid, int is_child);
int ilp_capture_start(struct ilp_capture *c);

/*
 * Runs until all watched processes exit, -d expires, or a signal (for a
 * child: forwarded, then waited for).  Prints interim reports; then the
 * final one.  *child_status gets the wait status of the first is_child
 * process (-1 if none or still running).  0 or -errno.
 */
int ilp_capture_loop(struct ilp_capture *c, int *child_status);

/* The signal mask the capture saved, for a child to restore before exec. */
const void *ilp_capture_orig_sigmask(const struct ilp_capture *c);

/*
 * record: with o->tap set, the capture hands the tap every raw page and
 * injected event (see struct ilp_ftrace_tap), calls started() once tracing
 * is on, end() once just before tracing stops (still on: trace_marker
 * writes land in the buffer), and prints no report.
 */
struct ilp_instance;
struct ilp_event;
struct ilp_capture_tap {
	int (*page)(void *ctx, int cpu, const void *page, size_t size);
	int (*inject)(void *ctx, const struct ilp_event *ev);
	int (*started)(void *ctx, struct ilp_instance *in, const char *command,
		       uint64_t start_ts);
	/* exit_status: of the first child (128+sig), -1 if none */
	int (*end)(void *ctx, int exit_status, uint64_t lost);
	/* a device or lock name the capture found (kind: enum ilp_name_kind) */
	int (*name)(void *ctx, int kind, int pid, uint64_t key, const char *name);
	void *ctx;
};

#endif
