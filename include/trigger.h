/* SPDX-License-Identifier: MIT */
#ifndef ILP_TRIGGER_H
#define ILP_TRIGGER_H

/*
 * watch's triggers: when a dump is written.  An expression (--trigger)
 * is one of
 *
 *     call > TIME              any single call longer than TIME: fires on
 *     call(SYSCALL) > TIME     that call's exit
 *     p50(SC) > TIME           the window's latency percentile (p50, p90,
 *     p90(SC), p99(SC), max(SC)   p99) or longest call of SC, a syscall
 *                              name or '*' (every syscall), above TIME
 *     calls(SC) > N            more than N completed calls of SC in a window
 *     lost > N                 more than N events lost in a window
 *
 * TIME is a number with its unit (ns, us, ms, s: "50ms", "1.5 s"); spaces
 * between the parts are free.  A set of triggers (OR'ed) is fed every
 * event: it pairs each thread's syscall enter and exit itself, and keeps
 * the window's statistics of the syscalls its aggregate triggers name.
 * Pure: no I/O, no clock.
 */

#include <stddef.h>
#include <stdint.h>

#include "event.h"

enum ilp_trigger_kind {
	ILP_TRIG_CALL = 1,	/* one call above limit ns */
	ILP_TRIG_PCT,		/* the window's pct percentile above limit ns */
	ILP_TRIG_CALLS,		/* the window's calls above limit */
	ILP_TRIG_LOST,		/* the window's lost events above limit */
};

#define ILP_TRIG_ANY (-1)	/* nr: every syscall ('*', or call without one) */

struct ilp_trigger {
	int kind;		/* enum ilp_trigger_kind */
	int nr;			/* the syscall, or ILP_TRIG_ANY */
	int pct;		/* PCT: 50, 90, 99, or 100 for max */
	uint64_t limit;		/* fires above it: ns (CALL, PCT), a count (CALLS, LOST) */
};

/* what fired */
struct ilp_trigger_hit {
	int trigger;		/* its index in the set */
	uint64_t ts;		/* when: the call's exit, or the window's end */
	uint64_t value;		/* what was above the limit (ns or a count) */
	int pid, tid, nr;	/* CALL: the call's; else 0, 0, the trigger's nr */
};

/**
 * ilp_trigger_parse - parses one trigger expression, strictly
 * @expr: the expression ("p99(read) > 50ms")
 * @t: set to the trigger (cleared on error)
 * @why: the caller's buffer, set to what is wrong, one line without the
 *	expression itself ("a time needs a unit (ns, us, ms or s): '50'")
 * @size: bytes at why
 *
 * Returns 0, or -EINVAL with why set.
 */
int ilp_trigger_parse(const char *expr, struct ilp_trigger *t, char *why, size_t size);

/**
 * ilp_trigger_format - a trigger as it is typed, in canonical form
 * @t: the trigger
 * @buf: the caller's buffer ("p99(read) > 50 ms", "lost > 0")
 * @size: bytes at buf
 *
 * Returns the length snprintf gave, or -1.
 */
int ilp_trigger_format(const struct ilp_trigger *t, char *buf, size_t size);

struct ilp_trigger_set;

/**
 * ilp_trigger_set_new - a set of triggers, OR'ed, with an empty window
 * @t: the triggers, copied
 * @n: how many (at least one)
 * @out: set to the set, to free with ilp_trigger_set_free(); NULL on error
 *
 * Returns 0, -EINVAL (n is 0, or a trigger is not valid), or -ENOMEM.
 */
int ilp_trigger_set_new(const struct ilp_trigger *t, size_t n, struct ilp_trigger_set **out);

/**
 * ilp_trigger_set_free - frees a set
 * @set: the set; NULL is a no-op
 */
void ilp_trigger_set_free(struct ilp_trigger_set *set);

/**
 * ilp_trigger_feed - one event, in time order
 * @set: the set
 * @ev: the event (syscall enter and exit, thread exit: others are ignored)
 * @hit: set when a call trigger fired: the first one in the set's order
 *
 * An exit adds its call to the window's statistics, then is checked
 * against the call triggers.
 *
 * Returns 1 if a call trigger fired (hit set), 0, or -ENOMEM (a new
 * thread's enter is not kept: its call is not seen).
 */
int ilp_trigger_feed(struct ilp_trigger_set *set, const struct ilp_event *ev,
		     struct ilp_trigger_hit *hit);

/**
 * ilp_trigger_window - ends a window: checks the aggregate triggers
 * @set: the set
 * @end_ts: when the window ends (hit->ts)
 * @lost: events lost in the window
 * @hit: set when an aggregate trigger fired: the first one in the set's order
 *
 * Then the window's statistics start again from zero (enters in flight
 * are kept).
 *
 * Returns 1 if one fired (hit set), else 0.
 */
int ilp_trigger_window(struct ilp_trigger_set *set, uint64_t end_ts, uint64_t lost,
		       struct ilp_trigger_hit *hit);

#endif
