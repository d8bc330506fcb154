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

/**
 * ilp_calls_add - offers one completed call to a set
 * @set: the set; *set NULL: a set of ILP_CALLS_TOP is allocated first (the
 *	caller then owns it, to free with ilp_calls_free())
 * @c: the call, copied
 *
 * Kept if the set is not full or c is longer than the shortest kept call
 * (which then leaves; ties: the earliest one stays).  O(1) when c is not
 * among the longest so far, O(log K) when it is.
 *
 * Returns 0 or -ENOMEM (the call is then not kept, nor counted as seen).
 */
int ilp_calls_add(struct ilp_calls **set, const struct ilp_call *c);

/**
 * ilp_calls_skip - counts a call too short to be kept, without its record
 * @s: the set; may be NULL
 * @dur_ns: the call's duration
 *
 * The hot path's test before ilp_calls_add(): a caller that builds the
 * record only when this returns 0 keeps exactly what ilp_calls_add() of
 * every call would.
 *
 * Returns 1 if the call was counted as seen and not kept (the set is full
 * and it is no longer than the shortest kept call), 0 if it must be
 * offered with ilp_calls_add() (s NULL, not full, or longer).
 */
int ilp_calls_skip(struct ilp_calls *s, uint64_t dur_ns);

/**
 * ilp_calls_new - makes a set with a cap of its own
 * @cap: the calls kept at most (0 is taken as 1); tests use small caps
 *
 * Returns the empty set, to free with ilp_calls_free(), or NULL on ENOMEM.
 */
struct ilp_calls *ilp_calls_new(size_t cap);

/**
 * ilp_calls_free - frees a set and its view
 * @set: the set; NULL is a no-op
 */
void ilp_calls_free(struct ilp_calls *set);

/**
 * ilp_calls_reset - empties a set, for a new window (ilp_model_reset_stats)
 * @set: the set; NULL is a no-op
 *
 * No call kept or seen afterwards; the arrays stay allocated.
 */
void ilp_calls_reset(struct ilp_calls *set);

/**
 * ilp_calls_rename - moves a kept call onto another object
 * @set: the set; NULL is a no-op
 * @tid: the call's thread
 * @start_ts: the call's enter time
 * @from: the object it is on
 * @to: the object it is on now (a connect's socket got its peer's name)
 *
 * The view shows the change after the next ilp_calls_index().
 */
void ilp_calls_rename(struct ilp_calls *set, int tid, uint64_t start_ts,
		      const struct ilp_fdobj *from, const struct ilp_fdobj *to);

/**
 * ilp_calls_index - builds the view readers walk
 * @set: the set; NULL is a no-op
 *
 * A copy of the kept calls sorted by start_ts (then tid, then nr); call
 * before reading, again after more calls were added.
 *
 * Returns 0, or -ENOMEM (the view is then empty).
 */
int ilp_calls_index(struct ilp_calls *set);

/**
 * ilp_calls_count - how many calls the view holds
 * @set: the set; may be NULL
 *
 * Returns the kept calls as of the last ilp_calls_index() (0 before it);
 * 0 for NULL.
 */
size_t ilp_calls_count(const struct ilp_calls *set);

/**
 * ilp_calls_cap - how many calls the set keeps at most
 * @set: the set; may be NULL
 *
 * Returns its cap; ILP_CALLS_TOP for NULL (the cap it would get).
 */
size_t ilp_calls_cap(const struct ilp_calls *set);

/**
 * ilp_calls_seen - how many calls were offered in all
 * @set: the set; may be NULL
 *
 * Returns the calls offered, kept or not; 0 for NULL.
 */
uint64_t ilp_calls_seen(const struct ilp_calls *set);

/**
 * ilp_calls_get - the i-th kept call in start-time order
 * @set: the set; may be NULL
 * @i: the index, < ilp_calls_count()
 *
 * Returns the call, inside the view: valid until the next
 * ilp_calls_index() or ilp_calls_free(); NULL if i >= count.
 */
const struct ilp_call *ilp_calls_get(const struct ilp_calls *set, size_t i);

/**
 * ilp_proc_top_calls - a process's longest calls
 * @p: the process (model.c)
 *
 * Returns the process's set, owned by the model (indexed by
 * ilp_model_index); NULL if it completed no call.
 */
const struct ilp_calls *ilp_proc_top_calls(const struct ilp_proc *p);

#endif
