/* SPDX-License-Identifier: MIT */
#ifndef ILP_MODEL_H
#define ILP_MODEL_H

/*
 * The model: pure C, no I/O.  Feed it ilp_events in timestamp order; it pairs
 * syscall enter/exit per thread, maps threads to processes, and keeps
 * per-process and per-thread syscall aggregates.  Reporters and detectors
 * read it through the accessors below and never see a source's types.
 *
 * Latency is wall-clock time inside the call: exit.ts - enter.ts.
 */

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "hist.h"
#include "syscalls.h"

/* nr of the single slot aggregating every syscall nr outside [0, ILP_SC_MAX) */
#define ILP_SC_OTHER ILP_SC_MAX

struct ilp_model;
struct ilp_proc;
struct ilp_thread;

/* Aggregate of one syscall number, for a process or a thread. */
struct ilp_sc_stats {
	int nr;
	uint64_t calls;		/* completed: enter and exit both seen */
	uint64_t errors;	/* completed with -4095 <= ret <= -1 */
	uint64_t total_ns;	/* sum of latencies of completed calls */
	uint64_t max_ns;
	uint64_t unfinished;	/* entered, no exit by the end of the trace */
	uint64_t unfinished_ns;	/* time spent so far in those */
	struct ilp_hist *hist;	/* latency of completed calls; NULL in per-thread stats */
};

/* Counters about the stream itself. */
struct ilp_model_counters {
	uint64_t events;		/* fed */
	uint64_t unpaired_exits;	/* exit with no enter seen (started before tracing) */
	uint64_t lost_enters;		/* enter replaced by another enter before its exit */
	uint64_t out_of_order;		/* events older than the previous one (still applied) */
	uint64_t dropped;		/* events not applied for lack of memory */
};

struct ilp_model *ilp_model_new(void);		/* NULL on ENOMEM */
void ilp_model_free(struct ilp_model *m);	/* NULL is a no-op */

/* 0, or -ENOMEM (the model stays consistent, the event is dropped and counted) */
int ilp_model_feed(struct ilp_model *m, const struct ilp_event *ev);
int ilp_model_feed_many(struct ilp_model *m, const struct ilp_event *ev, size_t n);

/*
 * End of the trace at end_ts: calls still in progress are counted as
 * unfinished with their time so far.  Feeding after finish is an error.
 */
void ilp_model_finish(struct ilp_model *m, uint64_t end_ts);

/*
 * Builds the sorted views the accessors below return (processes and
 * syscalls by total time, descending; threads by tid).  Call after feeding
 * and before reading; for an interim report, call it with now_ts: in-flight
 * calls are then shown as unfinished up to now_ts without being closed.
 * 0 or -ENOMEM.
 */
int ilp_model_index(struct ilp_model *m, uint64_t now_ts);

const struct ilp_model_counters *ilp_model_counters(const struct ilp_model *m);
uint64_t ilp_model_first_ts(const struct ilp_model *m);	/* 0 if no event */
uint64_t ilp_model_last_ts(const struct ilp_model *m);

/*
 * The syscall of one process with the most time in it so far: completed
 * calls, plus the time up to now_ts of the calls in progress; for a live
 * status line, without indexing.  0 and *out set, or -ENOENT before any call.
 */
struct ilp_top_wait {
	int pid;
	const char *comm;	/* the process's; borrowed from the model */
	int nr;			/* the syscall */
	uint64_t ns;
	uint64_t calls;		/* completed */
};
int ilp_model_top_wait(const struct ilp_model *m, uint64_t now_ts, struct ilp_top_wait *out);

size_t ilp_model_nprocs(const struct ilp_model *m);
const struct ilp_proc *ilp_model_proc(const struct ilp_model *m, size_t i);
const struct ilp_proc *ilp_model_find_proc(const struct ilp_model *m, int pid);

int ilp_proc_pid(const struct ilp_proc *p);
const char *ilp_proc_comm(const struct ilp_proc *p);	/* "" if never named */
size_t ilp_proc_nthreads_seen(const struct ilp_proc *p);	/* every thread ever seen */
uint64_t ilp_proc_total_ns(const struct ilp_proc *p);	/* all syscalls, completed */
/*
 * The wall share of its completed calls: each instant of the run divided
 * among the traced threads inside a syscall then (waits by design, such as
 * sleeps and poll, take no part), net of kernel lock waits inside them.
 * Over all processes <= the wall time and <= the syscall time: the budget
 * the findings' savings are taken from (docs/detectors.md, the sum rule).
 */
uint64_t ilp_proc_share_ns(const struct ilp_proc *p);
uint64_t ilp_proc_calls(const struct ilp_proc *p);
int ilp_proc_exited(const struct ilp_proc *p);		/* whole process ended in the trace */
size_t ilp_proc_nsyscalls(const struct ilp_proc *p);	/* distinct syscalls seen */
const struct ilp_sc_stats *ilp_proc_syscall(const struct ilp_proc *p, size_t i);
const struct ilp_sc_stats *ilp_proc_find_syscall(const struct ilp_proc *p, int nr);

const struct ilp_thread *ilp_proc_thread(const struct ilp_proc *p, size_t i); /* i < nthreads_seen */
int ilp_thread_tid(const struct ilp_thread *t);
const char *ilp_thread_comm(const struct ilp_thread *t);
uint64_t ilp_thread_total_ns(const struct ilp_thread *t);
size_t ilp_thread_nsyscalls(const struct ilp_thread *t);
const struct ilp_sc_stats *ilp_thread_syscall(const struct ilp_thread *t, size_t i);
uint64_t ilp_thread_calls(const struct ilp_thread *t);
int ilp_thread_exited(const struct ilp_thread *t);
const struct ilp_sc_stats *ilp_thread_find_syscall(const struct ilp_thread *t, int nr);
/* the current record for tid (the newest one if the tid was reused), or NULL */
const struct ilp_thread *ilp_model_find_thread(const struct ilp_model *m, int tid);
/*
 * The call thread t is inside (entered, no exit yet): returns 1 and fills
 * the non-NULL outputs (args points at the six enter arguments, valid until
 * the next feed), or 0 if t is not inside a call.
 */
int ilp_thread_current_call(const struct ilp_thread *t, int *nr, uint64_t *enter_ts,
			    const uint64_t **args);

#endif
