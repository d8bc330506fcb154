/* SPDX-License-Identifier: MIT */
#ifndef ILP_HOLDMODEL_H
#define ILP_HOLDMODEL_H

/*
 * User lock holds (--lock-holds): how long each pthread mutex was held,
 * and from which call sites, from the ILP_EV_ULOCK_* events (uprobes on
 * the traced processes' libc).  Futex events say who waited; these say
 * who held.  Pure C, no I/O (model_hold.c); read after ilp_model_index().
 *
 * A hold runs from the return of the call that acquired the mutex
 * (pthread_mutex_lock/_timedlock/_clocklock returning 0 or EOWNERDEAD,
 * pthread_mutex_trylock returning 0, pthread_cond_*wait returning) to the
 * entry of the pthread_mutex_unlock that released it, or of a
 * pthread_cond_*wait on it (which releases it: the wait is no hold).
 * Per (process, mutex address):
 *   - an acquire by the thread that holds it already (a recursive mutex)
 *     is counted in recursive and opens no hold: the hold ends at the
 *     unlock that balances the first acquire;
 *   - an unlock with no hold seen (the capture started while it was held,
 *     or a thread unlocked a mutex another holds) is counted in partial
 *     and changes nothing;
 *   - an acquire while another thread holds it (its unlock was lost) ends
 *     that hold uncounted (lost);
 *   - a thread that exits holding it ends the hold there (counted, and in
 *     exit_held);
 *   - holds still open at the end are counted in open, not in holds;
 *   - lock calls that did not acquire (EBUSY, EDEADLK...) count in failed.
 */

#include <stddef.h>
#include <stdint.h>

#include "hist.h"

struct ilp_model;
struct ilp_hproc;	/* one process's lock holds */

#define ILP_HOLD_LOCK_MAX 4096u	/* mutexes per process; more: counted in untracked */
#define ILP_HOLD_SITE_MAX 64u	/* call sites per mutex; more: folded in site_more */

/* One call site that acquired a mutex: the lock call's return address. */
struct ilp_hold_site {
	uint64_t pc;		/* 0: the sites past ILP_HOLD_SITE_MAX */
	uint64_t holds;		/* completed holds that started here */
	uint64_t total_ns, max_ns;
	const char *name;	/* "worker (mutex_storm.c:42)"; NULL until named, ""
				 * when it has no name (show the address) */
};

struct ilp_hold_lock {
	uint64_t addr;
	uint64_t holds;		/* completed holds */
	uint64_t total_ns, max_ns;
	struct ilp_hist *hist;	/* hold times */
	uint64_t recursive;	/* acquires inside the same thread's hold */
	uint64_t partial;	/* unlocks with no hold seen */
	uint64_t lost;		/* holds ended unseen (another thread acquired) */
	uint64_t exit_held;	/* holds ended by their thread's exit */
	uint64_t open;		/* held at the end (after ilp_model_index) */
	uint64_t failed;	/* lock calls that did not acquire */
	uint64_t cond_waits;	/* condition waits that released it */
	const struct ilp_hold_site *sites;	/* by total_ns descending */
	size_t nsites;
	const struct ilp_hold_site *site_more;	/* NULL, or the sites past the cap */
	const char *name;	/* "hot_lock"; NULL until named or without a name */
};

/* Counters of the event stream itself, all processes. */
struct ilp_hold_counters {
	uint64_t calls, rets, unlocks;	/* ULOCK events applied */
	uint64_t unpaired_rets;		/* a return with no call of its thread pending */
	uint64_t lost_calls;		/* a call replaced by another before its return */
};

/**
 * ilp_model_hproc - a process's lock holds
 * @m: the model
 * @pid: the process
 *
 * Every ilp_hproc_*() accessor takes NULL (0 or NULL back).
 *
 * Returns them, inside the model, or NULL if no ULOCK event came from it.
 */
const struct ilp_hproc *ilp_model_hproc(const struct ilp_model *m, int pid);

/**
 * ilp_model_hold_counters - counters of the ULOCK events fed
 * @m: the model
 *
 * Returns them, inside the model (all 0 without --lock-holds).
 */
const struct ilp_hold_counters *ilp_model_hold_counters(const struct ilp_model *m);

/**
 * ilp_hproc_nlocks - how many mutexes the process held or unlocked
 * @hp: the process's holds; NULL: 0
 *
 * Returns the number of rows of ilp_hproc_lock().
 */
size_t ilp_hproc_nlocks(const struct ilp_hproc *hp);

/**
 * ilp_hproc_lock - a mutex's holds
 * @hp: the process's holds; NULL: NULL
 * @i: the row, by total hold time descending, then holds, then address
 *
 * Returns the row, inside the model, valid until the model is fed, indexed
 * again or freed; NULL if i is out of range.
 */
const struct ilp_hold_lock *ilp_hproc_lock(const struct ilp_hproc *hp, size_t i);

/**
 * ilp_hproc_find - a mutex's holds by its address
 * @hp: the process's holds; NULL: NULL
 * @addr: the mutex's address
 *
 * Returns the record, inside the model, or NULL.
 */
const struct ilp_hold_lock *ilp_hproc_find(const struct ilp_hproc *hp, uint64_t addr);

/**
 * ilp_hproc_untracked - ULOCK events on mutexes past ILP_HOLD_LOCK_MAX
 * @hp: the process's holds; NULL: 0
 *
 * Returns how many were not applied.
 */
uint64_t ilp_hproc_untracked(const struct ilp_hproc *hp);

#endif
