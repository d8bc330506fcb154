/* SPDX-License-Identifier: MIT */
#ifndef ILP_SOURCE_H
#define ILP_SOURCE_H

/*
 * Sources turn records into struct ilp_event, delivered in timestamp order
 * through a callback.  Only a source knows its record format: the ftrace
 * source below is the only code that includes libtraceevent.
 */

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"

struct ilp_instance;

/* Receives each event in timestamp order; non-zero return stops delivery
 * and is returned by the drain call. */
typedef int (*ilp_event_fn)(const struct ilp_event *ev, void *ctx);

struct ilp_source_counters {
	uint64_t records;	/* ring-buffer records decoded */
	uint64_t missed;	/* in-band "missed events" reported by the pages */
	uint64_t pages;		/* sub-buffers read */
	uint64_t unknown;	/* records of an event type we did not ask for */
	uint64_t malformed;	/* records shorter than their format says, and
				 * pages with an entry past their data (the
				 * rest of such a page is skipped) */
	uint64_t ustacks;	/* --stacks: user_stack records passed on (those
				 * of syscall exits are dropped) */
};

/* ---- ftrace: per-CPU trace_pipe_raw of a private instance ---- */
struct ilp_ftrace;

/**
 * ilp_ftrace_open - opens the readers of an instance
 * @in: the session's instance (its CPUs and its companion's); it must
 *	outlive the readers: ilp_ftrace_close() before ilp_instance_free()
 * @out: set to the reader, to close with ilp_ftrace_close(); NULL on error
 *
 * Opens every CPU's trace_pipe_raw (non-blocking), parses the event
 * formats, and makes the decoder and the fd-name resolver.
 *
 * Returns 0, -ENOMEM, -ENOENT (the event formats cannot be read), -EINVAL
 * (events/header_page gives a commit field of neither 4 nor 8 bytes, or
 * another byte order than ours), or the -errno of opening a
 * trace_pipe_raw (-EIO when errno says nothing).
 */
int ilp_ftrace_open(struct ilp_instance *in, struct ilp_ftrace **out);

/**
 * ilp_ftrace_open_dir - a reader of saved ring-buffer pages
 * @dir: holds events/header_page and events/SYSTEM/NAME/format (copies of
 *	tracefs's), and cpu0.raw ... cpuN-1.raw (what each CPU's
 *	trace_pipe_raw gave, page after page)
 * @ncpus: CPUs saved
 * @round_ms: ms of trace read before each merge, as a live drain reads
 *	what came since the last (every 20 ms under load); 0: every CPU's
 *	pages as fast as they can be read
 * @out: set to the reader, to close with ilp_ftrace_close(); NULL on error
 *
 * The live reader's whole path (decoding, merge, fd resolver) over pages
 * read from files instead of tracefs: make bench replays a saved capture
 * with it (tests/bench/bench_reader.c).  The files are read to their end
 * by ilp_ftrace_drain(f, 1, ...): with round_ms, each round holds back
 * what came after its own reads, as a live drain does.
 *
 * Returns 0, -ENOMEM, -ENOENT (no header_page), or the -errno of opening
 * a cpuN.raw.
 */
int ilp_ftrace_open_dir(const char *dir, int ncpus, unsigned round_ms, struct ilp_ftrace **out);

/**
 * ilp_ftrace_close - closes the readers and frees f
 * @f: the reader; NULL is a no-op
 *
 * Call it before ilp_instance_free(), or the instance's rmdir fails.
 * Events not yet delivered are dropped; the resolver and its strings go.
 */
void ilp_ftrace_close(struct ilp_ftrace *f);

/**
 * ilp_ftrace_pollfds - the fds to poll for data
 * @f: the reader
 * @fds: the caller's array, filled: one per CPU, events POLLIN (readable
 *	when a buffer passes buffer_percent); the fds stay f's
 * @max: entries at fds
 *
 * Returns how many it filled.
 */
size_t ilp_ftrace_pollfds(struct ilp_ftrace *f, struct pollfd *fds, size_t max);

/**
 * ilp_ftrace_drain - reads, merges and delivers the buffered events
 * @f: the reader
 * @final: non-zero when tracing is off: deliver everything
 * @fn: called with each event in time order (FD_INFO events of the
 *	resolver among them); the event and its strings are valid during
 *	the call only
 * @ctx: passed to fn
 *
 * Reads what every CPU buffer holds (in bounded rounds; live, at most a
 * few), then live a second pass of what came meanwhile; merges by
 * timestamp, and delivers the events older than the first pass's start
 * and than 2 ms before the second's (or than the previous drain's start,
 * if later): later ones wait for the next drain, so an event still in
 * flight on another CPU is never passed, and the fd names read from /proc
 * while decoding are checked against every event up to their reads.  With a
 * tap that saves pages (record), there is no second pass (it would add a
 * partial page per CPU to the file at every drain): the events older
 * than the previous drain's start are delivered.
 *
 * Returns 0, fn's (or the tap's) non-zero return, or -errno: a read's,
 * -ENOMEM, or -EINVAL for a sub-buffer smaller than its header.
 */
int ilp_ftrace_drain(struct ilp_ftrace *f, int final, ilp_event_fn fn, void *ctx);

/**
 * ilp_ftrace_inject - queues a synthetic event into the stream
 * @f: the reader
 * @ev: the event (e.g. ILP_EV_TASK_INFO at attach), copied; a string it
 *	points to must live until the event is delivered (pool it:
 *	ilp_resolver_intern())
 *
 * It is merged into the stream at its timestamp.  The tap sees it first.
 *
 * Returns 0, -EINVAL (older than the last event injected: injections stay
 * in time order), -ENOMEM, or the tap's non-zero return.
 */
int ilp_ftrace_inject(struct ilp_ftrace *f, const struct ilp_event *ev);

/**
 * ilp_ftrace_counters - what the reader counted
 * @f: the reader
 *
 * Returns its counters, owned by f, valid until ilp_ftrace_close().
 */
const struct ilp_source_counters *ilp_ftrace_counters(const struct ilp_ftrace *f);

struct ilp_resolver;

/**
 * ilp_ftrace_resolver - the reader's fd-name resolver (resolve.h)
 * @f: the reader
 *
 * Returns the resolver, owned by f: it and its strings live until
 * ilp_ftrace_close().
 */
struct ilp_resolver *ilp_ftrace_resolver(struct ilp_ftrace *f);

/*
 * A tap sees what the reader reads, for `record`: every raw sub-buffer
 * (page: size bytes, zero-padded, as trace_pipe_raw gave it for CPU cpu)
 * and every injected event.  A non-zero return stops the drain/inject and
 * is returned.  NULL tap (or NULL members): none.  The tap must outlive f.
 */
struct ilp_ftrace_tap {
	int (*page)(void *ctx, int cpu, const void *page, size_t size);
	int (*inject)(void *ctx, const struct ilp_event *ev);
	void *ctx;
};
/**
 * ilp_ftrace_set_tap - lets a tap see what the reader reads (record)
 * @f: the reader
 * @tap: the tap, borrowed: it must outlive f; NULL (or NULL members): none
 */
void ilp_ftrace_set_tap(struct ilp_ftrace *f, const struct ilp_ftrace_tap *tap);

/* ---- trace file: a trace-cmd trace.dat (iolockprof record, or trace-cmd) ---- */
struct ilp_tracefile;

struct ilp_tracefile_info {
	const char *command;	/* recorded command line; "" for a file without it */
	uint64_t start_ts;	/* tracing on (begin fact), else the first event */
	uint64_t end_ts;	/* the end fact or the last event, the later one */
	uint64_t lost;		/* the recorder's lost count or the in-band missed ones */
	int exit_status;	/* the recorded command's, -1 if none */
	int recorded;		/* 1: made by iolockprof record (its facts are in it) */
	const char *lacks;	/* one line on what the trace lacks, or NULL */
};

#define ILP_TRACEFILE_PROBE 1u	/* walk it with libtracecmd in a child first */
/* the reasons (*why) a file is refused, that callers may compare */
#define ILP_TRACEFILE_WHY_MAGIC "not a trace-cmd trace file"
#define ILP_TRACEFILE_WHY_OPEN "the trace's headers or CPU data are corrupt or truncated"
#define ILP_TRACEFILE_WHY_CRASH "the trace is corrupt (libtracecmd cannot read it)"

/**
 * ilp_tracefile_open_fd - parses a trace file, in this process
 * @fd: the file, open for reading; stays the caller's
 * @flags: ILP_TRACEFILE_PROBE: walk it with libtracecmd in a child first
 * @out: set to the parsed trace, to close with ilp_tracefile_close();
 *	NULL on error
 * @why: set to a static one-line reason when the file is refused (one of
 *	the ILP_TRACEFILE_WHY_* or another), else NULL
 *
 * Reads the whole file (libtracecmd; every buffer instance in it), decodes
 * its records with the shared decoder (raw_syscalls or per-syscall
 * syscalls:sys_enter_X/sys_exit_X events), turns iolockprof's trace_marker
 * facts back into TASK_INFO/FD_INFO events at their own times, and sorts
 * everything by time.  libtracecmd may crash on a hostile file: run this
 * in a sandbox (ilp_tracereader_open() does), or pass ILP_TRACEFILE_PROBE.
 *
 * Returns 0, -EISDIR, -EINVAL for a file that is not a trace, is corrupt
 * or truncated (*why then says how), -ENOMEM, or the -errno of fstat (or,
 * probing, of fork and pipe).
 */
int ilp_tracefile_open_fd(int fd, unsigned flags, struct ilp_tracefile **out, const char **why);

/**
 * ilp_tracefile_close - frees the parsed trace
 * @f: the trace; NULL is a no-op
 *
 * Its info, events and names are gone with it.
 */
void ilp_tracefile_close(struct ilp_tracefile *f);

/**
 * ilp_tracefile_deliver - delivers every event in time order
 * @f: the trace
 * @fn: called with each event; the event and its strings belong to f
 *	(valid until ilp_tracefile_close())
 * @ctx: passed to fn
 *
 * Returns 0, or fn's first non-zero return (delivery stops there).
 */
int ilp_tracefile_deliver(struct ilp_tracefile *f, ilp_event_fn fn, void *ctx);

/**
 * ilp_tracefile_info - what the trace says about its capture
 * @f: the trace
 *
 * Returns the info, owned by f (its strings too), valid until
 * ilp_tracefile_close().
 */
const struct ilp_tracefile_info *ilp_tracefile_info(const struct ilp_tracefile *f);

/**
 * ilp_tracefile_name - the device or lock name the file's name facts give
 * @ctx: the struct ilp_tracefile (an ilp_namer_fn of waitmodel.h)
 * @kind: enum ilp_name_kind (vocab.h)
 * @pid: the process (user locks), else 0
 * @key: the dev_t or lock address
 * @buf: the caller's buffer, set to the name of the latest fact (cut to fit)
 * @size: bytes at buf
 *
 * Returns 0, or -ENOENT (none: the address is shown).
 */
int ilp_tracefile_name(void *ctx, int kind, int pid, uint64_t key, char *buf, size_t size);

/**
 * ilp_tracefile_counters - what parsing the trace counted
 * @f: the trace
 *
 * Returns the counters, owned by f, valid until ilp_tracefile_close().
 */
const struct ilp_source_counters *ilp_tracefile_counters(const struct ilp_tracefile *f);

/**
 * ilp_tracefile_each_name - calls fn for every name fact, in file order
 * @f: the trace
 * @fn: called as fn(ctx, kind, pid, key, name) (a later fact for the same
 *	object wins); name belongs to f; a non-zero return stops the calls
 * @ctx: passed to fn
 *
 * Returns 0, or fn's non-zero return.
 */
int ilp_tracefile_each_name(const struct ilp_tracefile *f,
			    int (*fn)(void *ctx, int kind, int pid, uint64_t key, const char *name),
			    void *ctx);

/*
 * ---- the sandboxed trace-file reader (tracefile_reader.c) ----
 *
 * What `report -i` uses: the file is opened once, here (a FIFO or device is
 * refused without blocking on it), and parsed from that fd by
 * ilp_tracefile_open_fd in a child that has no privileges (root drops to
 * nobody; no_new_privs), limits on CPU time, memory and file size, no other
 * fd, and a seccomp filter that leaves it reading, mapping memory and
 * writing to its pipe; the decoded events stream back through that pipe,
 * checked as they come.  A parser that crashes, loops or balloons on a
 * hostile file is one line.
 */
struct ilp_tracereader;

/**
 * ilp_tracereader_open - opens a trace file and starts its sandboxed reader
 * @path: the file; a FIFO, device or socket is refused without blocking on it
 * @out: set to the reader, to close with ilp_tracereader_close(); NULL on
 *	error
 *
 * The file's facts (info, names) come first through
 * ilp_tracereader_pump(), then its events.
 *
 * Returns 0, -EISDIR, -EBADFD (not a regular file), -ENOMEM, or the -errno
 * of open, fstat, pipe2 or fork.
 */
int ilp_tracereader_open(const char *path, struct ilp_tracereader **out);

/**
 * ilp_tracereader_has_info - tells whether the file's facts have arrived
 * @r: the reader
 *
 * Returns 1 once they have (ilp_tracereader_info() is then valid), else 0.
 */
int ilp_tracereader_has_info(const struct ilp_tracereader *r);

/**
 * ilp_tracereader_close - kills the reader's child if it runs, and frees r
 * @r: the reader; NULL is a no-op
 */
void ilp_tracereader_close(struct ilp_tracereader *r);

/**
 * ilp_tracereader_fd - the fd to poll for events
 * @r: the reader
 *
 * Returns the pipe's read end (non-blocking), readable when events are
 * ready; it stays r's.
 */
int ilp_tracereader_fd(const struct ilp_tracereader *r);

/**
 * ilp_tracereader_pump - delivers the events that have arrived
 * @r: the reader
 * @fn: called with each event, in time order; the event and its strings
 *	are valid during the call only
 * @ctx: passed to fn
 * @why: set to a one-line reason on -EINVAL, else NULL
 *
 * Does not block: reads what the pipe holds (a bounded amount per call)
 * and checks each record as it comes.
 *
 * Returns 0 (more to come), 1 (all delivered; the child is reaped),
 * -EINVAL with *why (the reader died or sent what it must not), the
 * pipe's read -errno, or fn's non-zero return.
 */
int ilp_tracereader_pump(struct ilp_tracereader *r, ilp_event_fn fn, void *ctx, const char **why);

/**
 * ilp_tracereader_info - what the trace says about its capture
 * @r: the reader, once ilp_tracereader_has_info()
 *
 * Returns the info, owned by r (its strings too), valid until
 * ilp_tracereader_close().
 */
const struct ilp_tracefile_info *ilp_tracereader_info(const struct ilp_tracereader *r);

/**
 * ilp_tracereader_counters - what the reader's child counted
 * @r: the reader
 *
 * Returns the counters, owned by r, valid until ilp_tracereader_close().
 */
const struct ilp_source_counters *ilp_tracereader_counters(const struct ilp_tracereader *r);

/**
 * ilp_tracereader_name - the device or lock names of the file's facts
 * @ctx: the struct ilp_tracereader (an ilp_namer_fn of waitmodel.h)
 * @kind: enum ilp_name_kind (vocab.h)
 * @pid: the process (user locks), else 0
 * @key: the dev_t or lock address
 * @buf: the caller's buffer, set to the name of the latest fact (cut to fit)
 * @size: bytes at buf
 *
 * Returns 0, or -ENOENT (none: the address is shown).
 */
int ilp_tracereader_name(void *ctx, int kind, int pid, uint64_t key, char *buf, size_t size);

/**
 * ilp_now_ns - now, on the events' clock
 *
 * Returns CLOCK_MONOTONIC now, in ns: the time base of every ilp_event.
 */
uint64_t ilp_now_ns(void);

#endif
