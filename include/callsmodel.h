/* SPDX-License-Identifier: MIT */
#ifndef ILP_CALLSMODEL_H
#define ILP_CALLSMODEL_H

/*
 * The longest individual calls, for timelines (perfetto) and "long
 * blocking calls": the model aggregates, so it keeps besides its
 * aggregates, per process, the ILP_CALLS_TOP completed calls with the
 * longest latency (ties: the earliest one stays).  Memory is fixed: one
 * array of ILP_CALLS_TOP records per process, allocated at its first
 * completed call; the per-call cost is O(1) when the call is not among the
 * longest so far, O(log K) when it is.  Pure C, no I/O.
 *
 * The model (model.c) calls ilp_calls_add() on each completed call and
 * ilp_calls_index() from ilp_model_index(); readers get a process's set
 * with ilp_proc_top_calls() and walk it in start-time order.
 */

#include <stddef.h>
#include <stdint.h>

#define ILP_CALLS_TOP 256	/* calls kept per process */

struct ilp_fdobj;

struct ilp_call {
	uint64_t start_ts;	/* enter, ns CLOCK_MONOTONIC */
	uint64_t dur_ns;	/* exit - enter */
	int64_t ret;
	uint64_t arg0;		/* first argument (the fd for fd-based calls) */
	int32_t tid;
	int32_t nr;		/* exact syscall number (not folded into ILP_SC_OTHER) */
	const struct ilp_fdobj *fobj;	/* fd-based calls: what arg0 was at the call
					 * (fdmodel.h, lives with the model); NULL if unknown */
};

struct ilp_calls;
struct ilp_proc;

/*
 * Offers one completed call to *set (allocated on first use; cap
 * ILP_CALLS_TOP, or the cap given to ilp_calls_new).  0 or -ENOMEM.
 */
int ilp_calls_add(struct ilp_calls **set, const struct ilp_call *c);
/* A set keeping at most cap calls (tests use small caps). NULL on ENOMEM. */
struct ilp_calls *ilp_calls_new(size_t cap);
void ilp_calls_free(struct ilp_calls *set);	/* NULL is a no-op */

/* The kept call of tid entered at start_ts on from is now on to (a
 * connect's socket got its peer's name). */
void ilp_calls_rename(struct ilp_calls *set, int tid, uint64_t start_ts,
		      const struct ilp_fdobj *from, const struct ilp_fdobj *to);

/* Sorts the view by start_ts (then tid, then nr); call before reading.
 * 0, or -ENOMEM (the view is then empty). */
int ilp_calls_index(struct ilp_calls *set);

size_t ilp_calls_count(const struct ilp_calls *set);	/* 0 for NULL */
size_t ilp_calls_cap(const struct ilp_calls *set);	/* ILP_CALLS_TOP for NULL */
/* calls offered in all (kept or not) */
uint64_t ilp_calls_seen(const struct ilp_calls *set);
/* i-th kept call in start-time order (after ilp_calls_index), NULL if i >= count */
const struct ilp_call *ilp_calls_get(const struct ilp_calls *set, size_t i);

/* The process's set (model.c), NULL if it completed no call. */
const struct ilp_calls *ilp_proc_top_calls(const struct ilp_proc *p);

#endif
