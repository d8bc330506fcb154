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
	uint64_t gated;			/* calls entered (and execs failed) by a gated
					 * task before its exec, not counted: iolockprof's
					 * own (event.h ILP_TASK_GATED) */
};

/**
 * ilp_model_new - makes an empty model
 *
 * Returns the model, to free with ilp_model_free(), or NULL on ENOMEM.
 */
struct ilp_model *ilp_model_new(void);

/**
 * ilp_model_free - frees a model and everything in it
 * @m: the model; NULL is a no-op
 *
 * Every record, stats and string an accessor returned is dangling
 * afterwards.
 */
void ilp_model_free(struct ilp_model *m);

/**
 * ilp_model_feed - applies one event
 * @m: the model
 * @ev: the event, in timestamp order; its strings (fd.str) are copied,
 *	nothing of it is kept
 *
 * An event older than the previous one is still applied (and counted in
 * out_of_order).
 *
 * Returns 0, -ENOMEM (the model stays consistent, the event is dropped and
 * counted in dropped), or -EINVAL after ilp_model_finish() (nothing done).
 */
int ilp_model_feed(struct ilp_model *m, const struct ilp_event *ev);

/**
 * ilp_model_feed_many - applies n events, in order
 * @m: the model
 * @ev: the events
 * @n: how many
 *
 * An event that fails for lack of memory is dropped (and counted), the
 * next ones are still fed.
 *
 * Returns 0, the first -ENOMEM, or -EINVAL after ilp_model_finish()
 * (nothing fed).
 */
int ilp_model_feed_many(struct ilp_model *m, const struct ilp_event *ev, size_t n);

/**
 * ilp_model_finish - the end of the trace
 * @m: the model
 * @end_ts: when the trace ended
 *
 * Calls still in progress are closed and counted as unfinished with their
 * time so far (end_ts - enter, clamped at 0).  Feeding after finish is an
 * error; a second finish does nothing.  Call ilp_model_index() after it.
 */
void ilp_model_finish(struct ilp_model *m, uint64_t end_ts);

/**
 * ilp_model_index - builds the sorted views the accessors return
 * @m: the model
 * @now_ts: for an interim report (before ilp_model_finish), in-flight calls
 *	are shown as unfinished up to now_ts without being closed
 *
 * Processes by total time, descending (then pid, then creation order);
 * syscalls by total time, descending (only those with a completed or
 * unfinished call); threads by tid.  The sub-models' views too (longest
 * calls, fd objects, loops, waits).  Call after feeding and before
 * reading; again after more events.
 *
 * Returns 0 or -ENOMEM (some view is then incomplete).
 */
int ilp_model_index(struct ilp_model *m, uint64_t now_ts);

/**
 * ilp_model_reset_stats - starts a new window: statistics from 0, state kept
 * @m: the model (not finished)
 *
 * For the interim reports of one interval each (--interval): a second
 * model fed the same events is reset at each boundary, so that it holds
 * what happened since.  Every statistic starts again from 0: the syscall
 * stats, totals and histograms of processes and threads, the wall shares,
 * the longest calls, the fd objects' counters and loops
 * (ilp_fdm_reset), the off-CPU rows, blocking rows, slow calls, lock
 * counts and disk requests (the wait models), and the stream counters
 * (events, first and last ts).  Everything the model knows stays: threads,
 * processes and their names, the calls in progress (one that completes
 * later counts then, with its whole latency, as a difference of two
 * cumulative reports would count it), the fd table and the objects'
 * names, lock and device names, requests in flight.  The processes and
 * threads that exited before the reset are retired: not counted nor
 * listed by ilp_model_nprocs/ilp_model_proc, ilp_proc_nthreads_seen/
 * ilp_proc_thread any more (after the next ilp_model_index).  Call
 * ilp_model_index() before reading.
 *
 * Returns 0 or -ENOMEM (a call waiting for its name could not be
 * committed: its object's counts are then lost from the old window).
 */
int ilp_model_reset_stats(struct ilp_model *m);

/**
 * ilp_model_gap - the capture paused (attach --continuous between captures)
 * @m: the model (not finished)
 * @ts: when it paused
 *
 * What was in progress is forgotten, neither completed nor unfinished: the
 * calls in progress (an exit after the gap is an unpaired exit, ignored),
 * a thread off the CPU, a kernel lock wait.  Nothing is counted across a
 * gap: a call is counted only when the capture saw its enter and its exit.
 */
void ilp_model_gap(struct ilp_model *m, uint64_t ts);

/**
 * ilp_model_prune - frees the threads and processes that exited
 * @m: the model (not finished), usually just reset (ilp_model_reset_stats)
 *
 * Every thread and process that exited is freed, with its statistics and
 * sub-model records (a process with a live thread stays); its disk
 * requests still in flight complete as an untraced task's.  A model reset
 * and pruned window after window keeps only what lives, however many
 * processes and threads came and went; one never reset (a cumulative
 * prom report) loses the counts of what exited.  Call ilp_model_index()
 * before reading.
 */
void ilp_model_prune(struct ilp_model *m);

/**
 * ilp_model_size - how many process and thread records m holds
 * @m: the model
 * @nprocs: set to the process records, retired ones included
 * @nthreads: set to the thread records, retired ones included
 */
void ilp_model_size(const struct ilp_model *m, size_t *nprocs, size_t *nthreads);

/**
 * ilp_model_counters - counters about the stream itself
 * @m: the model
 *
 * Returns the counters, inside m (they go on counting with more events;
 * ilp_model_reset_stats sets them to 0).
 */
const struct ilp_model_counters *ilp_model_counters(const struct ilp_model *m);

/**
 * ilp_model_first_ts - the time of the earliest event
 * @m: the model
 *
 * Returns the smallest ts fed, 0 if no event.
 */
uint64_t ilp_model_first_ts(const struct ilp_model *m);

/**
 * ilp_model_last_ts - the time of the latest event
 * @m: the model
 *
 * Returns the largest ts fed, 0 if no event.
 */
uint64_t ilp_model_last_ts(const struct ilp_model *m);

/* the top wait of ilp_model_top_wait() */
struct ilp_top_wait {
	int pid;
	const char *comm;	/* the process's; borrowed from the model */
	int nr;			/* the syscall */
	uint64_t ns;
	uint64_t calls;		/* completed */
};

/**
 * ilp_model_top_wait - the syscall of one process with the most time so far
 * @m: the model
 * @now_ts: CLOCK_MONOTONIC ns: calls in progress count up to it
 * @out: set to the process and syscall; its comm is borrowed from @m and
 *       valid until the next feed
 *
 * Completed calls, plus the time up to @now_ts of the calls in progress (a
 * thread's first call included), without indexing: for the live status line.
 *
 * Returns 0 and *@out set, or -ENOENT before any call.
 */
int ilp_model_top_wait(const struct ilp_model *m, uint64_t now_ts, struct ilp_top_wait *out);

/**
 * ilp_model_nprocs - how many process records the model holds
 * @m: the model
 *
 * A pid that comes back after its process exited is a new record.
 * Records retired by ilp_model_reset_stats are not counted.
 *
 * Returns the number of process records.
 */
size_t ilp_model_nprocs(const struct ilp_model *m);

/**
 * ilp_model_proc - the i-th process, by total time descending
 * @m: the model (indexed)
 * @i: the index, < ilp_model_nprocs()
 *
 * Returns the process record, owned by the model (valid until
 * ilp_model_free); NULL if i is out of range.
 */
const struct ilp_proc *ilp_model_proc(const struct ilp_model *m, size_t i);

/**
 * ilp_model_find_proc - the process of a pid
 * @m: the model
 * @pid: the process id
 *
 * Returns the current record for pid (the newest one if the pid was
 * reused), owned by the model; NULL if none.
 */
const struct ilp_proc *ilp_model_find_proc(const struct ilp_model *m, int pid);

/**
 * ilp_proc_pid - a process's id
 * @p: the process
 *
 * Returns its pid.
 */
int ilp_proc_pid(const struct ilp_proc *p);

/**
 * ilp_proc_comm - a process's name
 * @p: the process
 *
 * Returns its comm, inside the record; "" if never named.
 */
const char *ilp_proc_comm(const struct ilp_proc *p);

/**
 * ilp_proc_nthreads_seen - how many threads the process had
 * @p: the process
 *
 * Returns every thread ever seen in it, exited ones included (but not
 * those retired by ilp_model_reset_stats).
 */
size_t ilp_proc_nthreads_seen(const struct ilp_proc *p);

/**
 * ilp_proc_total_ns - a process's time inside syscalls
 * @p: the process
 *
 * Returns the sum of the latencies of its completed calls, all syscalls.
 */
uint64_t ilp_proc_total_ns(const struct ilp_proc *p);

/**
 * ilp_proc_share_ns - the wall share of a process's completed calls
 * @p: the process
 *
 * Each instant of the run divided among the traced threads inside a
 * syscall then (waits by design, such as sleeps and poll, take no part),
 * net of kernel lock waits inside them.  Over all processes <= the wall
 * time and <= the syscall time: the budget the findings' savings are taken
 * from (docs/detectors.md, the sum rule).
 *
 * Returns the share, ns.
 */
uint64_t ilp_proc_share_ns(const struct ilp_proc *p);

/**
 * ilp_proc_calls - how many calls a process completed
 * @p: the process
 *
 * Returns its completed calls, all syscalls.
 */
uint64_t ilp_proc_calls(const struct ilp_proc *p);

/**
 * ilp_proc_exited - tells whether the whole process ended in the trace
 * @p: the process
 *
 * Returns 1 if its last thread exited in the trace, else 0.
 */
int ilp_proc_exited(const struct ilp_proc *p);

/**
 * ilp_proc_nsyscalls - how many distinct syscalls a process made
 * @p: the process (indexed)
 *
 * Returns the syscalls with a completed or unfinished call, as of the last
 * ilp_model_index().
 */
size_t ilp_proc_nsyscalls(const struct ilp_proc *p);

/**
 * ilp_proc_syscall - a process's i-th syscall, by total time descending
 * @p: the process (indexed)
 * @i: the index, < ilp_proc_nsyscalls()
 *
 * Returns the syscall's stats, owned by the model; NULL if i is out of
 * range.
 */
const struct ilp_sc_stats *ilp_proc_syscall(const struct ilp_proc *p, size_t i);

/**
 * ilp_proc_find_syscall - a process's stats of one syscall
 * @p: the process
 * @nr: the syscall number; one outside [0, ILP_SC_MAX) finds ILP_SC_OTHER's
 *
 * Returns the stats, owned by the model; NULL if the process made no
 * completed or unfinished call of it.
 */
const struct ilp_sc_stats *ilp_proc_find_syscall(const struct ilp_proc *p, int nr);

/**
 * ilp_proc_thread - a process's i-th thread, by tid
 * @p: the process (indexed)
 * @i: the index, < ilp_proc_nthreads_seen()
 *
 * Returns the thread record, owned by the model; NULL if i is out of range.
 */
const struct ilp_thread *ilp_proc_thread(const struct ilp_proc *p, size_t i);

/**
 * ilp_thread_tid - a thread's id
 * @t: the thread
 *
 * Returns its tid.
 */
int ilp_thread_tid(const struct ilp_thread *t);

/**
 * ilp_thread_pid - the process a thread belongs to
 * @t: the thread
 *
 * Returns its process's pid (its own tid while its process is not known).
 */
int ilp_thread_pid(const struct ilp_thread *t);

/**
 * ilp_thread_comm - a thread's name
 * @t: the thread
 *
 * Returns its comm, inside the record; "" if never named.
 */
const char *ilp_thread_comm(const struct ilp_thread *t);

/**
 * ilp_thread_total_ns - a thread's time inside syscalls
 * @t: the thread
 *
 * Returns the sum of the latencies of its completed calls.
 */
uint64_t ilp_thread_total_ns(const struct ilp_thread *t);

/**
 * ilp_thread_nsyscalls - how many distinct syscalls a thread made
 * @t: the thread (indexed)
 *
 * Returns the syscalls with a completed or unfinished call, as of the last
 * ilp_model_index().
 */
size_t ilp_thread_nsyscalls(const struct ilp_thread *t);

/**
 * ilp_thread_syscall - a thread's i-th syscall, by total time descending
 * @t: the thread (indexed)
 * @i: the index, < ilp_thread_nsyscalls()
 *
 * Returns the syscall's stats (hist is NULL in per-thread stats), owned by
 * the model; NULL if i is out of range.
 */
const struct ilp_sc_stats *ilp_thread_syscall(const struct ilp_thread *t, size_t i);

/**
 * ilp_thread_calls - how many calls a thread completed
 * @t: the thread
 *
 * Returns its completed calls.
 */
uint64_t ilp_thread_calls(const struct ilp_thread *t);

/**
 * ilp_thread_exited - tells whether a thread ended in the trace
 * @t: the thread
 *
 * Returns 1 if it exited, else 0.
 */
int ilp_thread_exited(const struct ilp_thread *t);

/**
 * ilp_thread_find_syscall - a thread's stats of one syscall
 * @t: the thread
 * @nr: the syscall number; one outside [0, ILP_SC_MAX) finds ILP_SC_OTHER's
 *
 * Returns the stats (hist NULL), owned by the model; NULL if the thread
 * made no completed or unfinished call of it.
 */
const struct ilp_sc_stats *ilp_thread_find_syscall(const struct ilp_thread *t, int nr);

/**
 * ilp_model_find_thread - the thread of a tid
 * @m: the model
 * @tid: the thread id
 *
 * Returns the current record for tid (the newest one if the tid was
 * reused), owned by the model; NULL if none.
 */
const struct ilp_thread *ilp_model_find_thread(const struct ilp_model *m, int tid);

/**
 * ilp_thread_current_call - the call a thread is inside
 * @t: the thread
 * @nr: set to the syscall number; may be NULL
 * @enter_ts: set to its enter time; may be NULL
 * @args: set to point at the six enter arguments, inside the record and
 *	valid until the next feed; may be NULL
 *
 * A call is current from its enter until its exit (or the thread's exit,
 * or ilp_model_finish).  The outputs are set only when it returns 1.
 *
 * Returns 1 if t is inside a call, else 0.
 */
int ilp_thread_current_call(const struct ilp_thread *t, int *nr, uint64_t *enter_ts,
			    const uint64_t **args);

#endif
