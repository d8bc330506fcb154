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
struct ilp_symbolizer;
struct ilp_event;
struct ilp_model;
struct ilp_instance;
struct ilp_pidns;
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
	 * -EPIPE: nobody reads any more, or the sink wants no more (watch's
	 * --max-dumps): the session stops, see ilp_session_loop. */
	int (*emit)(struct ilp_sink *k, struct ilp_session *s, int interim);
	/* Every event fed, after the model (watch's triggers).  NULL: none. */
	void (*event)(struct ilp_sink *k, struct ilp_session *s, const struct ilp_event *ev);
	/* The raw-trace tap, for a sink that keeps the trace (NULL: none). */
	const struct ilp_record_tap *(*tap)(struct ilp_sink *k);
	void (*free)(struct ilp_sink *k);	/* NULL ok */
};

/* ---- the session (session.c) ---- */

/**
 * ilp_session_new - makes a capture session
 * @o: the command's options, borrowed: they must outlive the session
 * @mode: run, attach or replay
 * @sink: where the results go (NULL: none); the caller's, it must outlive
 *	the session (free it with ilp_sink_free() after ilp_session_free())
 * @out: set to the session, to free with ilp_session_free(); NULL on error
 *
 * Picks the backend (REPLAY: the file; else --backend, auto: ftrace where
 * tracefs is usable, ptrace otherwise, with one line on stderr saying so;
 * also ptrace when making a tracefs instance hangs), resolves -u USER,
 * blocks the stop signals into a signalfd, makes the model and the
 * symbolizer, and opens the backend.
 *
 * Returns 0, or -errno: -ENOMEM, the signalfd's, the backend's open's;
 * -ECANCELED when already explained to the user (e.g. no such -u user).
 */
int ilp_session_new(const struct ilp_opts *o, enum ilp_session_mode mode,
		    struct ilp_sink *sink, struct ilp_session **out);

/**
 * ilp_session_free - ends tracing if still on and frees the session
 * @s: the session; NULL is a no-op
 *
 * Stops the backend (early) if it was started and not stopped, frees it
 * (removing any tracefs instance), frees the model, closes the pidfds and
 * restores the signal mask.  run's command, once let go, is never killed
 * here.  The sink and the options are not freed.
 */
void ilp_session_free(struct ilp_session *s);

/**
 * ilp_session_set_command - what the report header calls the capture
 * @s: the session
 * @command: "./app arg", "attach 12 (app)"; copied
 *
 * Returns 0, or -ENOMEM (the old command stays).
 */
int ilp_session_set_command(struct ilp_session *s, const char *command);

/**
 * ilp_session_spawn - run: starts the command, traced from its exec on
 * @s: the session, made with ILP_SESSION_RUN
 * @argv: the command and its arguments, NULL-terminated (PATH search)
 *
 * Forks argv as a child waiting at a gate, has the backend trace it
 * (add_child), starts tracing (ilp_session_start()), opens the gate.  The
 * child restores the signal mask, switches to the -u user if any, runs
 * the backend's child_setup, and execs.  Whether the exec worked, the loop
 * learns: if not, ilp_session_loop() returns -ECHILD without a report and
 * ilp_session_exec_errno() says why (the child exited 127 for ENOENT, else
 * 126).
 *
 * Returns 0, or -errno with the child gone (killed and reaped): pipe2's,
 * fork's, -ECHILD (it died before it was ready), the backend's add_child's
 * or start's, or -ENOMEM.
 */
int ilp_session_spawn(struct ilp_session *s, char **argv);

/**
 * ilp_session_exec_errno - why run's command did not start
 * @s: the session
 *
 * Returns the errno of the step that failed (ilp_session_exec_stage()),
 * or 0: none failed (or not known yet).
 */
int ilp_session_exec_errno(const struct ilp_session *s);

/* the step of the child's start that failed (with ilp_session_exec_errno) */
enum ilp_exec_stage {
	ILP_EXEC_EXEC = 0,	/* execvp: 127 (ENOENT) or 126 */
	ILP_EXEC_USER,		/* -u USER: setgroups, setgid, setuid */
	ILP_EXEC_SETUP,		/* the backend's child_setup (a seccomp filter) */
};

/**
 * ilp_session_exec_stage - which step of run's command's start failed
 * @s: the session
 *
 * Returns the stage, meaningful when ilp_session_exec_errno() is not 0.
 */
enum ilp_exec_stage ilp_session_exec_stage(const struct ilp_session *s);

/**
 * ilp_session_attach - attach: traces every thread of a running process
 * @s: the session, made with ILP_SESSION_ATTACH
 * @pid: the process; what it creates later is traced too, and the capture
 *	runs until every attached process exited (or a stop)
 *
 * Call it for each pid, then ilp_session_start().
 *
 * Returns 0, the backend's -errno (-ESRCH, -EPERM...), or, when pid
 * cannot be watched, -ENOMEM or pidfd_open's -errno (-ESRCH: gone already).
 */
int ilp_session_attach(struct ilp_session *s, pid_t pid);

/**
 * ilp_session_start - turns tracing on
 * @s: the session
 *
 * ilp_session_spawn() calls it itself; attach calls it after its
 * ilp_session_attach() calls, replay before the loop.  The capture's start
 * time is now.
 *
 * Returns 0, or the backend's start's -errno.
 */
int ilp_session_start(struct ilp_session *s);

/**
 * ilp_session_loop - runs the capture to its end and emits the result
 * @s: the session, started
 *
 * Polls until every watched process has exited, the backend has no more
 * events (a file read to its end), -d expires, or a stop signal (run: one
 * signal sent to iolockprof alone is passed on to the command, which then
 * has 5 s to exit; a second signal ends the capture at once).  Interim
 * reports each --interval; a sink nobody reads (-EPIPE) ends the capture
 * as if signalled, unless the backend is ILP_BK_TETHERED.  Then the
 * backend stops, devices and locks are named, the model is finished, and
 * the sink gets the final result.
 *
 * Returns 0; -ECHILD when run's command did not start (no report;
 * ilp_session_exec_errno() says why); or -errno: poll's, the backend's,
 * the sink's (not -EPIPE), or -ENOMEM kept from feeding the model.  The
 * final result was still emitted if it could be, but not for a trace file
 * read only part way (replay: its error, no half report).
 */
int ilp_session_loop(struct ilp_session *s);

/**
 * ilp_session_child_status - run: the command's wait status
 * @s: the session
 *
 * Returns the wait status, or -1 when not known (it still runs, or there
 * is no command).
 */
int ilp_session_child_status(const struct ilp_session *s);

/**
 * ilp_session_exit_code - run: the command's exit code
 * @s: the session
 *
 * Returns its exit status, 128 + the signal that killed it, or -1 if none
 * is known.
 */
int ilp_session_exit_code(const struct ilp_session *s);

/* ---- for backends and sinks ---- */

/**
 * ilp_session_opts - the session's options
 * @s: the session
 *
 * Returns the options given to ilp_session_new() (the caller's).
 */
const struct ilp_opts *ilp_session_opts(const struct ilp_session *s);

/**
 * ilp_session_symbolizer - the session's symbolizer
 * @s: the session
 *
 * Lock names, and the ptrace backend's stack frames (symbolize.h).
 *
 * Returns the symbolizer, owned by s, valid until ilp_session_free().
 */
struct ilp_symbolizer *ilp_session_symbolizer(const struct ilp_session *s);

/**
 * ilp_session_mode - the session's mode
 * @s: the session
 *
 * Returns the mode given to ilp_session_new().
 */
enum ilp_session_mode ilp_session_mode(const struct ilp_session *s);

/**
 * ilp_session_model - the session's model
 * @s: the session
 *
 * Returns the model, owned by s, valid until ilp_session_free().
 */
struct ilp_model *ilp_session_model(struct ilp_session *s);

/**
 * ilp_session_report_model - the model a report reads
 * @s: the session
 * @interim: non-zero for an interim report
 *
 * With --interval and without --cumulative the session keeps a second
 * model, fed the same events and reset (ilp_model_reset_stats) after each
 * interim report: an interim report reads it, so it shows its interval
 * only.  The final report, and every report otherwise, reads the session's
 * model (ilp_session_model), which covers the whole capture.
 *
 * Returns the model, owned by s, valid until ilp_session_free().
 */
struct ilp_model *ilp_session_report_model(struct ilp_session *s, int interim);

/**
 * ilp_session_command - what the report header calls the capture
 * @s: the session
 *
 * Returns the command set by ilp_session_set_command(), owned by s, valid
 * until the next set or ilp_session_free(); "" if none.
 */
const char *ilp_session_command(const struct ilp_session *s);

/**
 * ilp_session_orig_sigmask - the signal mask from before the session
 * @s: the session
 *
 * For a child to restore before exec.
 *
 * Returns a sigset_t *, owned by s.
 */
const void *ilp_session_orig_sigmask(const struct ilp_session *s);

/**
 * ilp_session_tap - the record tap of the sink
 * @s: the session
 *
 * Returns the sink's tap (its tap op's), or NULL if none.
 */
const struct ilp_record_tap *ilp_session_tap(const struct ilp_session *s);

/**
 * ilp_session_fell_back - tells whether auto fell back to ptrace
 * @s: the session
 *
 * Returns 1 if --backend auto fell back to ptrace (the report says so),
 * else 0.
 */
int ilp_session_fell_back(const struct ilp_session *s);

/**
 * ilp_session_backend - the backend in use
 * @s: the session
 *
 * Returns "ftrace", "ptrace" or "file" (static).
 */
const char *ilp_session_backend(const struct ilp_session *s);

/**
 * ilp_session_feed - one event for the model: the backends' ilp_event_fn
 * @ev: the event, borrowed for the call
 * @ctx: the session
 *
 * Feeds the model, the symbolizer's fork/exec hooks, and the sink's event
 * op if it has one.  An allocation
 * failure is kept and returned by ilp_session_loop().
 *
 * Returns 0, always: delivery goes on.
 */
int ilp_session_feed(const struct ilp_event *ev, void *ctx);

/**
 * ilp_session_gap - the capture paused (attach --continuous between captures)
 * @s: the session
 * @ts: when it paused
 *
 * The models forget what was in progress (ilp_model_gap): nothing is
 * counted across the pause.
 */
void ilp_session_gap(struct ilp_session *s, uint64_t ts);

/**
 * ilp_session_name_objects - names the model's new devices and locks now
 * @s: the session
 *
 * While the processes live: by the backend's name_object, else the
 * session's symbolizer; live sessions also name who blocked readers wait
 * for (peer.h).  Kernel locks wait for the end of the capture (their names
 * need no live process, and the first costs a read of all of
 * /proc/kallsyms).  Names found go to the record tap too.  An allocation
 * failure is kept and returned by ilp_session_loop().
 */
void ilp_session_name_objects(struct ilp_session *s);

/**
 * ilp_session_snapshot - takes a snapshot of a process's maps now
 * @s: the session
 * @pid: the process (lock names for a short-lived process)
 *
 * A failure (the process is gone) is not reported: its locks stay unnamed.
 */
void ilp_session_snapshot(struct ilp_session *s, pid_t pid);

/**
 * ilp_session_set_pidns - the namer reads /proc only through proved pids
 * @s: the session
 * @ns: the pid namespace state (pidns.h), borrowed: it must outlive the
 *	session's captures
 */
void ilp_session_set_pidns(struct ilp_session *s, const struct ilp_pidns *ns);

/**
 * ilp_session_report_info - the report header's facts about the capture
 * @s: the session
 * @interim: non-zero for a report as of now, 0 for the capture's end
 * @info: the caller's struct, cleared and filled: command, backend, times,
 *	exit status, and the backend's facts (describe); its strings belong
 *	to s and the backend
 *
 * For the interim report the session is making (its sink's emit), also
 * which one it is (interval) and, when it covers one interval
 * (ilp_session_report_model), the interval's start (window_ts) and the
 * events decoded and lost in it; the status line's info (no report being
 * made) has neither.
 *
 * Returns 0, or the backend's describe's -errno.
 */
int ilp_session_report_info(struct ilp_session *s, int interim, struct ilp_report_info *info);

/* ---- sinks ---- */

/**
 * ilp_sink_report_new - the report sink
 * @o: the options (--format, -o...), borrowed: they must outlive the sink
 * @to_stdout: non-zero to print to stdout, else to stderr, when there is
 *	no -o FILE
 * @out: set to the sink, to free with ilp_sink_free(); NULL on error
 *
 * Implemented in sink_report.c.  Prints interim and final reports; -o
 * FILE is written through outfile.h: each report replaces it whole.
 *
 * Returns 0, -ENOMEM, or -ECANCELED (-o FILE cannot be opened: already
 * explained to the user).
 */
int ilp_sink_report_new(const struct ilp_opts *o, int to_stdout, struct ilp_sink **out);

/**
 * ilp_sink_free - frees any sink
 * @k: the sink; NULL is a no-op
 *
 * The report sink's -o FILE, if no final report was committed, is left as
 * it was.
 */
void ilp_sink_free(struct ilp_sink *k);

#endif
