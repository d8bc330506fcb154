/* SPDX-License-Identifier: MIT */
#ifndef ILP_KSLEEP_H
#define ILP_KSLEEP_H

/*
 * Why a blocked call slept (--sleep-stacks): the kernel stack at each
 * sched_switch that put a traced thread to sleep (S or D) inside a
 * syscall, summed per (process, syscall, sleeping function): sleeps and
 * the time asleep (off the CPU until woken).  Pure C, no I/O
 * (ksleep.c): the model keeps the stacks' addresses; their names
 * come from the capture's namer (ILP_NAME_KFUNC, ilp_wait_name_objects)
 * and the sleeping function is chosen from them at index time.
 *
 * The sleeping function of a stack ([0] innermost) is its first frame
 * past
 *   - the tracing frames (trace_event_raw_event_*, __traceiter_*, ...),
 *   - the scheduler's own (schedule, __schedule, schedule_timeout,
 *     io_schedule, schedule_hrtimeout_range, __cond_resched, ...),
 *   - generic wait helpers whose caller tells more (wait_for_completion*,
 *     submit_bio_wait, bit_wait_io, __wait_on_bit, folio_wait_bit*,
 *     __mutex_lock, rwsem_down_*_slowpath, poll_schedule_timeout, ...);
 * its reason ("pipe empty") is that of the nearest skipped helper that has
 * one (a kernel mutex, a page lock), else the function's own, from a small
 * table; a name's compiler suffix (".constprop.0", ".isra.0") is cut.
 */

#include <stddef.h>
#include <stdint.h>

struct ilp_wproc;

/**
 * ilp_ksleep_pick - the sleeping function of a kernel stack
 * @names: the frames' function names, [0] innermost; a NULL name is an
 *	unnamed frame (it stops the walk: the function is unknown)
 * @n: how many
 * @reason: set to the plain-words reason (static), or NULL if the table
 *	has none; may be NULL
 *
 * Returns the index of the sleeping function's frame, or n if there is
 * none (every frame skipped, or an unnamed one reached first).
 */
size_t ilp_ksleep_pick(const char *const *names, size_t n, const char **reason);

/**
 * ilp_ksleep_basename - how long a kernel function's name is, suffix cut
 * @name: "ext4_fsync_nojournal.constprop.0"
 *
 * Returns the length before the first '.' ("ext4_fsync_nojournal": 20).
 */
size_t ilp_ksleep_basename(const char *name);

/* Sleeps of one syscall of a process in one function. */
struct ilp_ksleep {
	int nr;			/* syscall number */
	const char *func;	/* the sleeping function ("anon_pipe_read"), NULL:
				 * unknown (no kernel symbols) */
	const char *reason;	/* "pipe empty" (static), NULL if none known */
	uint64_t sleeps;	/* times a thread went to sleep there */
	uint64_t ns;		/* their time asleep: off the CPU, until woken */
	uint64_t d_ns;		/* ... of it in D (uninterruptible) */
};

/**
 * ilp_wproc_nksleeps - how many (syscall, function) rows a process has
 * @w: the process's wait data (ilp_proc_wait); NULL: 0
 *
 * Valid after ilp_model_index(); none without sleep stacks.
 *
 * Returns the count.
 */
size_t ilp_wproc_nksleeps(const struct ilp_wproc *w);

/**
 * ilp_wproc_ksleep - one row
 * @w: the process's wait data
 * @i: the row, by time asleep (then sleeps, syscall, function) descending
 *
 * Returns the row, inside the model, or NULL past the last.
 */
const struct ilp_ksleep *ilp_wproc_ksleep(const struct ilp_wproc *w, size_t i);

/**
 * ilp_wproc_ksleep_top - where a process's calls of one syscall slept most
 * @w: the process's wait data; NULL: NULL
 * @nr: the syscall
 *
 * Returns the row of nr with the most time asleep, or NULL if none.
 */
const struct ilp_ksleep *ilp_wproc_ksleep_top(const struct ilp_wproc *w, int nr);

#endif
