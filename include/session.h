/* SPDX-License-Identifier: MIT */
#ifndef ILP_SESSION_H
#define ILP_SESSION_H

/*
 * One capture session, whatever the command and wherever the events come
 * from.  Every command is a session: run and attach with a live backend,
 * record with a live backend and the record sink, report with the file
 * backend.
 *
 *     backend (ftrace | ptrace | file)  -- ilp_session_feed -->  model
 *                                                   |
 *                                      sink (report | record), at the end
 *                                      and at each --interval
 *
 * The session owns what every capture shares: the model, the namer for
 * devices and locks (asked while the processes live), the stop signals
 * (one signalfd), the processes it waits for (pidfds), the timers (-d,
 * --interval, the grace after a signal passed on to run's command), the
 * poll loop and the gated child of run (forked, waiting on a pipe until
 * the backend traces it, then exec'd).
 *
 * A backend is a table of operations (struct ilp_backend_ops): it turns
 * its records (ftrace buffers, ptrace stops, a trace file) into struct
 * ilp_event and hands each to ilp_session_feed.  Modes plug into a backend
 * (the ftrace backend's exact names stop the command at path-taking calls
 * through a ptrace side channel); new event sources are new backends.  A
 * sink (struct ilp_sink_ops) receives the capture's results: the report
 * sink prints interim and final reports, the record sink keeps the raw
 * trace and prints none.
 */

#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct ilp_opts;
struct ilp_event;
struct ilp_model;
struct ilp_instance;
struct ilp_report_info;
struct ilp_session;
struct ilp_backend_ops;
struct ilp_sink_ops;

/* Every backend's state begins with this (its own struct embeds it first). */
struct ilp_backend {
	const struct ilp_backend_ops *ops;
	struct ilp_session *s;
};

/* Every sink's state begins with this. */
struct ilp_sink {
	const struct ilp_sink_ops *ops;
};

enum ilp_session_mode {
	ILP_SESSION_RUN,	/* launch a command (ilp_session_spawn) */
	ILP_SESSION_ATTACH,	/* running processes (ilp_session_attach) */
	ILP_SESSION_REPLAY,	/* a trace file (the file backend) */
};

/* pump results (or -errno) */
#define ILP_PUMP_MORE 0		/* more events may come */
#define ILP_PUMP_END 1		/* none will: every target is gone, or the file is read */

enum ilp_backend_traits {
	ILP_BK_REAPS = 1 << 0,		/* reaps run's command itself (child_status) and
					 * ends with ILP_PUMP_END once no traced process
					 * is left: the session watches no pidfd */
	ILP_BK_TETHERED = 1 << 1,	/* run's command cannot run on without the
					 * backend (a seccomp filter that needs a
					 * tracer): an early stop kills it, and a report
					 * nobody reads any more does not end the capture */
};

struct ilp_backend_ops {
	const char *name;	/* "ftrace", "ptrace", "file": the report's backend line */
	/* enum ilp_backend_traits of this backend as opened (modes change them) */
	unsigned (*traits)(struct ilp_backend *b);
	/* Creates the backend for s (ilp_session_opts(s)).  0 or -errno. */
	int (*open)(struct ilp_session *s, struct ilp_backend **out);
	void (*free)(struct ilp_backend *b);	/* NULL ok */
	/*
	 * run: pid is the forked command, waiting at its gate: trace it (and
	 * what it creates) from its exec on.  ctx of child_setup below.
	 */
	int (*add_child)(struct ilp_backend *b, pid_t pid);
	/* In the forked child, before it says it is ready (before the
	 * backend traces it): only async-signal-safe work (the ftrace backend
	 * in a pid namespace tells the kernel pid, pidns.h).  May be NULL. */
	void (*child_early)(struct ilp_backend *b);
	/* In the forked child, once the gate opened, just before exec: only
	 * async-signal-safe work (a seccomp filter).  0 or -errno.  May be NULL. */
	int (*child_setup)(struct ilp_backend *b);
	/* attach: trace every thread of the running process pid (-ESRCH, -EPERM...). */
	int (*attach)(struct ilp_backend *b, pid_t pid);
	/* Tracing on (run: before the gate opens). */
	int (*start)(struct ilp_backend *b);
	/*
	 * The fds to poll for (at most max); may lower *timeout_ms when the
	 * backend must be pumped sooner.
	 */
	size_t (*pollfds)(struct ilp_backend *b, struct pollfd *fds, size_t max, int *timeout_ms);
	/*
	 * Called after every poll, with the fds pollfds gave (revents set):
	 * reads what is ready and feeds the session (ilp_session_feed), and
	 * asks for names of new devices and locks (ilp_session_name_objects)
	 * as often as it sees fit while the processes live.  flush: read
	 * everything there is now (an interim report follows).
	 * ILP_PUMP_MORE, ILP_PUMP_END or -errno.
	 */
	int (*pump)(struct ilp_backend *b, const struct pollfd *fds, size_t n, int flush);
	/*
	 * Ends the capture: tracing off, everything left delivered.  early:
	 * the targets still run (a signal, -d, an error): ptrace detaches
	 * attach's targets and kills run's.  0 or -errno.
	 */
	int (*stop)(struct ilp_backend *b, int early);
	/* ILP_BK_REAPS: the wait status of run's command, -1 while unknown. */
	int (*child_status)(struct ilp_backend *b, pid_t pid);
	/* Names devices and locks (an ilp_namer_fn of waitmodel.h) instead of
	 * the session's symbolizer (the file backend: the file's facts).  May
	 * be NULL. */
	int (*name_object)(struct ilp_backend *b, int kind, int pid, uint64_t key, char *buf,
			   size_t size);
	/* Fills the report header's backend facts: events, lost, note,
	 * stacks; the file backend also command, times and exit status.
	 * 0 or -errno. */
	int (*describe)(struct ilp_backend *b, struct ilp_report_info *info);
};

extern const struct ilp_backend_ops ilp_backend_ftrace;	/* backend_ftrace.c */
extern const struct ilp_backend_ops ilp_backend_ptrace;	/* backend_ptrace.c */
extern const struct ilp_backend_ops ilp_backend_file;	/* backend_file.c */

/*
 * A record sink's view of the ftrace backend's buffers: every raw
 * sub-buffer read (page: size bytes as trace_pipe_raw gave it for cpu) and
 * every injected event; started once tracing is on; end just before
 * tracing stops (trace_marker lines still land in the buffer); name for
 * each device or lock name found (kind: enum ilp_name_kind).  A non-zero
 * return stops the capture with that error.
 */
struct ilp_record_tap {
	int (*page)(void *ctx, int cpu, const void *page, size_t size);
	int (*inject)(void *ctx, const struct ilp_event *ev);
	int (*started)(void *ctx, struct ilp_instance *in, const char *command,
		       uint64_t start_ts);
	/* exit_status: of run's command (128+sig), -1 if none */
	int (*end)(void *ctx, int exit_status, uint64_t lost);
	int (*name)(void *ctx, int kind, int pid, uint64_t key, const char *name);
	void *ctx;
};

struct ilp_sink_ops {
	/* An interim (1) or the final (0) result of the capture.  0 or -errno;
	 * -EPIPE: nobody reads any more (the session stops, see ilp_session_loop). */
	int (*emit)(struct ilp_sink *k, struct ilp_session *s, int interim);
	/* The raw-trace tap, for a sink that keeps the trace (NULL: none). */
	const struct ilp_record_tap *(*tap)(struct ilp_sink *k);
	void (*free)(struct ilp_sink *k);	/* NULL ok */
};

/* ---- the session (session.c) ---- */

/*
 * Picks the backend (REPLAY: the file; else --backend, auto: ftrace where
 * tracefs is usable, ptrace otherwise, with one line saying so), blocks
 * the stop signals into a signalfd, and makes the model.  The sink (NULL:
 * none) is the caller's and must outlive the session.  0, or -errno
 * (-ECANCELED: already explained to the user).
 */
int ilp_session_new(const struct ilp_opts *o, enum ilp_session_mode mode,
		    struct ilp_sink *sink, struct ilp_session **out);
/* Ends tracing if still on, frees the backend (removing any tracefs
 * instance), restores the signal mask.  NULL ok. */
void ilp_session_free(struct ilp_session *s);

/* What the report header calls the capture ("./app arg", "attach 12 (app)"). */
int ilp_session_set_command(struct ilp_session *s, const char *command);

/*
 * run: forks argv (PATH search) as a child waiting at a gate, has the
 * backend trace it, starts tracing, opens the gate.  The child restores
 * the signal mask, switches to the -u user if any, runs the backend's
 * child_setup, and execs.  0, or -errno with the child gone.  Whether the
 * exec worked, the loop learns: if not, ilp_session_loop returns -ECHILD
 * without a report and ilp_session_exec_errno says why (the child exited
 * 127 for ENOENT, else 126).
 */
int ilp_session_spawn(struct ilp_session *s, char **argv);
int ilp_session_exec_errno(const struct ilp_session *s);	/* 0: none */
/* the step of the child's start that failed (with ilp_session_exec_errno) */
enum ilp_exec_stage {
	ILP_EXEC_EXEC = 0,	/* execvp: 127 (ENOENT) or 126 */
	ILP_EXEC_USER,		/* -u USER: setgroups, setgid, setuid */
	ILP_EXEC_SETUP,		/* the backend's child_setup (a seccomp filter) */
};
enum ilp_exec_stage ilp_session_exec_stage(const struct ilp_session *s);
/* attach: every thread of pid, and what it creates later.  Call for each
 * pid, then ilp_session_start. */
int ilp_session_attach(struct ilp_session *s, pid_t pid);
int ilp_session_start(struct ilp_session *s);

/*
 * The loop: until every watched process has exited, the backend has no
 * more events (a file read to its end), -d expires, or a stop signal (run:
 * one signal sent to iolockprof alone is passed on to the command, which
 * then has 5 s to exit).  Interim reports each --interval.  Then the
 * backend stops, the model is finished, and the sink gets the final
 * result.  0 or -errno (the final result was still emitted if it could be).
 */
int ilp_session_loop(struct ilp_session *s);

/* run: the command's wait status (-1: not known: it still runs). */
int ilp_session_child_status(const struct ilp_session *s);
/* run: the command's exit code (128+signal), -1 if none */
int ilp_session_exit_code(const struct ilp_session *s);

/* ---- for backends and sinks ---- */

const struct ilp_opts *ilp_session_opts(const struct ilp_session *s);
enum ilp_session_mode ilp_session_mode(const struct ilp_session *s);
struct ilp_model *ilp_session_model(struct ilp_session *s);
const char *ilp_session_command(const struct ilp_session *s);	/* "" if none */
/* the signal mask before the session blocked its signals (for a child) */
const void *ilp_session_orig_sigmask(const struct ilp_session *s);
/* the record tap of the sink, NULL if none */
const struct ilp_record_tap *ilp_session_tap(const struct ilp_session *s);
/* the backend used (1 if auto fell back to ptrace: the report says so) */
int ilp_session_fell_back(const struct ilp_session *s);
/* "ftrace", "ptrace", "file": the backend in use */
const char *ilp_session_backend(const struct ilp_session *s);

/* One event for the model (and the namer's fork/exec hooks): the backends'
 * ilp_event_fn (ctx = the session).  Always 0; an allocation failure is
 * kept and returned by ilp_session_loop. */
int ilp_session_feed(const struct ilp_event *ev, void *ctx);
/* Names the model's new devices and locks now (while processes live);
 * kernel locks wait for the end of the capture (their names need no live
 * process, and the first costs a read of all of /proc/kallsyms). */
void ilp_session_name_objects(struct ilp_session *s);
/* Takes a snapshot of pid's maps now (lock names for a short-lived process). */
void ilp_session_snapshot(struct ilp_session *s, pid_t pid);
struct ilp_pidns;
/* Inside a pid namespace (pidns.h): the namer reads /proc only through
 * ns's proved pids.  ns must outlive the session's captures. */
void ilp_session_set_pidns(struct ilp_session *s, const struct ilp_pidns *ns);

/* Fills info for a report of the capture as of now (interim) or its end.
 * 0 or -errno. */
int ilp_session_report_info(struct ilp_session *s, int interim, struct ilp_report_info *info);

/* ---- sinks ---- */

/* The report sink (sink_report.c): --format to -o FILE, else to stdout
 * (to_stdout) or stderr.  0 or -errno (explained: -ECANCELED). */
int ilp_sink_report_new(const struct ilp_opts *o, int to_stdout, struct ilp_sink **out);
void ilp_sink_free(struct ilp_sink *k);	/* any sink; NULL ok */

#endif
