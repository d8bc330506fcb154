/* SPDX-License-Identifier: MIT */
#ifndef ILP_USTACK_FEED_H
#define ILP_USTACK_FEED_H

/*
 * --stacks on the ftrace backend: the user stacks the kernel walked at
 * each syscall entry (ILP_EV_USTACK, options/userstacktrace: frame
 * pointers, no stop of the tracee) into the call-site table (stacks.h)
 * that the ptrace backend fills by DWARF unwinding.  A filter on the
 * event stream: it interns each entry's stack (naming its frames with the
 * session's symbolizer the first time, while the process lives) and adds
 * the call's time at its exit; every other event goes on to the session.
 * The frame the walk skips at a libc wrapper (ilp_symbolize_fp_gap) is
 * put back where DWARF says which it was.
 */

#include <stdint.h>

struct ilp_event;
struct ilp_stacks;
struct ilp_symbolizer;
struct ilp_ustack_feed;

/**
 * ilp_ustack_feed_new - makes the filter
 * @sym: names the frames (symbolize.h); kept, must outlive the filter
 * @fn: where every event but ILP_EV_USTACK goes (an ilp_event_fn)
 * @ctx: passed to fn
 * @out: set to the filter, to free with ilp_ustack_feed_free(); NULL on error
 *
 * Returns 0, or -ENOMEM.
 */
int ilp_ustack_feed_new(struct ilp_symbolizer *sym, int (*fn)(const struct ilp_event *, void *),
			void *ctx, struct ilp_ustack_feed **out);

/**
 * ilp_ustack_feed_free - frees the filter and its table
 * @u: the filter; NULL is a no-op
 */
void ilp_ustack_feed_free(struct ilp_ustack_feed *u);

/**
 * ilp_ustack_feed - the filter's ilp_event_fn
 * @ev: the event
 * @ctx: the struct ilp_ustack_feed
 *
 * Returns fn's return for an event passed on, else 0.
 */
int ilp_ustack_feed(const struct ilp_event *ev, void *ctx);

/**
 * ilp_ustack_feed_stacks - the call-site table
 * @u: the filter
 *
 * Returns the table, owned by u.
 */
struct ilp_stacks *ilp_ustack_feed_stacks(struct ilp_ustack_feed *u);

/**
 * ilp_ustack_feed_counts - completed calls with and without a stack
 * @u: the filter
 * @with: set to the completed syscalls that had a user stack
 * @without: set to those that had none (its record lost, or not right
 *	after its entry)
 */
void ilp_ustack_feed_counts(const struct ilp_ustack_feed *u, uint64_t *with, uint64_t *without);

#endif
