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

/*
 * Reads the whole file (libtracecmd; every buffer instance in it), decodes
 * its records with the shared decoder (raw_syscalls or per-syscall
 * syscalls:sys_enter_X/sys_exit_X events), turns iolockprof's trace_marker
 * facts back into TASK_INFO/FD_INFO events at their own times, and sorts
 * everything by time.  0, -ENOENT, -EACCES, or -EINVAL for a file that is
 * not a trace, is corrupt or truncated (*why then says how, one line).
 */
int ilp_tracefile_open(const char *path, struct ilp_tracefile **out, const char **why);
void ilp_tracefile_close(struct ilp_tracefile *f);	/* NULL ok */
/* Delivers every event in time order; 0 or the callback's non-zero return. */
int ilp_tracefile_deliver(struct ilp_tracefile *f, ilp_event_fn fn, void *ctx);
const struct ilp_tracefile_info *ilp_tracefile_info(const struct ilp_tracefile *f);
/* The device/lock name the file's name facts give (an ilp_namer_fn of
 * waitmodel.h, ctx the file): 0, or -ENOENT (none: the address is shown). */
int ilp_tracefile_name(void *ctx, int kind, int pid, uint64_t key, char *buf, size_t size);
const struct ilp_source_counters *ilp_tracefile_counters(const struct ilp_tracefile *f);

/* CLOCK_MONOTONIC now, ns: the time base of every ilp_event. */
uint64_t ilp_now_ns(void);

#endif
