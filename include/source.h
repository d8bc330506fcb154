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
	uint64_t malformed;	/* records shorter than their format says */
};

/* ---- ftrace: per-CPU trace_pipe_raw of a private instance ---- */
struct ilp_ftrace;

/* Opens every CPU's trace_pipe_raw and the event formats.  0 or -errno. */
int ilp_ftrace_open(struct ilp_instance *in, struct ilp_ftrace **out);
/* Closes the readers (before ilp_instance_free, or rmdir fails).  NULL ok. */
void ilp_ftrace_close(struct ilp_ftrace *f);

/* Fills up to max pollfds (one per CPU, POLLIN when a buffer passes
 * buffer_percent); returns how many. */
size_t ilp_ftrace_pollfds(struct ilp_ftrace *f, struct pollfd *fds, size_t max);

/*
 * Reads what every CPU buffer holds, merges by timestamp, and delivers the
 * events older than the previous drain's start (later ones wait for the
 * next drain, so an event still in flight on another CPU is never passed).
 * final: deliver everything (tracing is off).  0, -errno, or the callback's
 * non-zero return.
 */
int ilp_ftrace_drain(struct ilp_ftrace *f, int final, ilp_event_fn fn, void *ctx);

/* Queues a synthetic event (e.g. ILP_EV_TASK_INFO at attach) to be merged
 * into the stream at its timestamp.  0 or -ENOMEM. */
int ilp_ftrace_inject(struct ilp_ftrace *f, const struct ilp_event *ev);

const struct ilp_source_counters *ilp_ftrace_counters(const struct ilp_ftrace *f);

/* The source's fd-name resolver (resolve.h): its strings live until close. */
struct ilp_resolver;
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

/*
 * Parses the trace file open as fd, in this process: reads the whole file
 * (libtracecmd; every buffer instance in it), decodes its records with the
 * shared decoder (raw_syscalls or per-syscall syscalls:sys_enter_X/
 * sys_exit_X events), turns iolockprof's trace_marker facts back into
 * TASK_INFO/FD_INFO events at their own times, and sorts everything by
 * time.  fd stays the caller's.  libtracecmd may crash on a hostile file:
 * run this in a sandbox (ilp_tracereader_open does), or pass
 * ILP_TRACEFILE_PROBE.  0, -EISDIR, or -EINVAL for a file that is not a
 * trace, is corrupt or truncated (*why then says how, one line).
 */
int ilp_tracefile_open_fd(int fd, unsigned flags, struct ilp_tracefile **out, const char **why);
void ilp_tracefile_close(struct ilp_tracefile *f);	/* NULL ok */
/* Delivers every event in time order; 0 or the callback's non-zero return. */
int ilp_tracefile_deliver(struct ilp_tracefile *f, ilp_event_fn fn, void *ctx);
const struct ilp_tracefile_info *ilp_tracefile_info(const struct ilp_tracefile *f);
/* The device/lock name the file's name facts give (an ilp_namer_fn of
 * waitmodel.h, ctx the file): 0, or -ENOENT (none: the address is shown). */
int ilp_tracefile_name(void *ctx, int kind, int pid, uint64_t key, char *buf, size_t size);
const struct ilp_source_counters *ilp_tracefile_counters(const struct ilp_tracefile *f);
/* Calls fn for every name fact, in file order (a later one for the same
 * object wins); fn's non-zero return stops and is returned. */
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

/* Opens path (-EISDIR, -EBADFD for a FIFO, device or socket, without
 * blocking on it) and starts the reader.  Its facts (info, names) come
 * first through ilp_tracereader_pump.  0 or -errno. */
int ilp_tracereader_open(const char *path, struct ilp_tracereader **out);
/* the file's facts have arrived (ilp_tracereader_info is valid) */
int ilp_tracereader_has_info(const struct ilp_tracereader *r);
void ilp_tracereader_close(struct ilp_tracereader *r);	/* kills the child if it runs; NULL ok */
/* the fd that is readable when events are ready */
int ilp_tracereader_fd(const struct ilp_tracereader *r);
/*
 * Delivers the events that have arrived (without blocking): 0 (more to
 * come), 1 (all delivered), or -EINVAL with *why (the reader died or sent
 * what it must not).
 */
int ilp_tracereader_pump(struct ilp_tracereader *r, ilp_event_fn fn, void *ctx, const char **why);
const struct ilp_tracefile_info *ilp_tracereader_info(const struct ilp_tracereader *r);
const struct ilp_source_counters *ilp_tracereader_counters(const struct ilp_tracereader *r);
/* the device/lock names of the file's facts (an ilp_namer_fn, ctx the reader) */
int ilp_tracereader_name(void *ctx, int kind, int pid, uint64_t key, char *buf, size_t size);

/* CLOCK_MONOTONIC now, ns: the time base of every ilp_event. */
uint64_t ilp_now_ns(void);

#endif
