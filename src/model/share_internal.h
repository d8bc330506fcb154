/* SPDX-License-Identifier: MIT */
#ifndef ILP_SHARE_INTERNAL_H
#define ILP_SHARE_INTERNAL_H

/*
 * Wall share (model_share.c), private to the model: each instant of the
 * run is divided equally among the traced threads that are inside a
 * counted syscall at that instant; a call's share is the part of its time
 * it got.  Pure arithmetic, O(1) per enter and exit.
 *
 * Counted: every syscall except the waits by design (the slow call
 * detector's list: poll/select/epoll, timers, child waits, accept, pause
 * and signal waits, futex waits on a cond/sem kind): a thread sleeping
 * until there is work is not waiting on anything a fix could remove.
 *
 * Why: the shares of all calls add up to the time during which at least
 * one traced thread was inside a counted call, so to at most the wall
 * time, and each share is at most its call's latency, so they add up to
 * at most the threads' time inside syscalls.  The findings' savings are
 * taken from these shares (src/detect/ledger.c): the sum rule of
 * docs/detectors.md holds by construction.
 *
 * The integral is kept in fixed point (ILP_SHARE_FRAC fraction bits) and
 * every share is rounded down, so rounding never adds time.  A kernel
 * lock wait inside a counted call is carved out of the call's share (the
 * lock's own cell gets it): ilp_share_mark/ilp_share_carve.
 */

#include <stdint.h>

#define ILP_SHARE_FRAC 32

typedef unsigned __int128 ilp_share_t;

/* the model's clock: the integral of 1/k over time where k > 0 */
struct ilp_share_clock {
	uint64_t ts;		/* time the integral is computed up to */
	ilp_share_t acc;	/* integral, fixed point */
	uint32_t k;		/* threads inside a counted call now */
};

/* a thread's counted call in progress */
struct ilp_share_slot {
	int on;			/* inside a counted call */
	ilp_share_t a0;		/* the integral at its enter */
	uint64_t carved;	/* ns given to kernel lock waits inside it */
};

/* moves the integral to ts (an older ts changes nothing); inline, as
 * enter and exit: they come twice per syscall */
static inline void ilp_share_advance(struct ilp_share_clock *c, uint64_t ts)
{
	uint64_t dt;

	if (ts <= c->ts)
		return;
	dt = ts - c->ts;
	c->ts = ts;
	if (c->k == 1)		/* the common cases without a 128-bit division */
		c->acc += (ilp_share_t)dt << ILP_SHARE_FRAC;
	else if (c->k && dt < (1ull << (64 - ILP_SHARE_FRAC)))
		c->acc += (dt << ILP_SHARE_FRAC) / c->k;
	else if (c->k)
		c->acc += ((ilp_share_t)dt << ILP_SHARE_FRAC) / c->k;
}

/* a call enters at ts; counted: it takes part (ends any call the slot had) */
static inline void ilp_share_enter(struct ilp_share_clock *c, struct ilp_share_slot *s,
				   uint64_t ts, int counted)
{
	ilp_share_advance(c, ts);
	if (s->on)
		c->k--;		/* an enter replaced an enter: the old call is lost */
	s->on = counted;
	s->carved = 0;
	if (counted) {
		c->k++;
		s->a0 = c->acc;
	}
}

/* the call ends at ts: its share in ns, carved parts taken out (0 if not counted) */
static inline uint64_t ilp_share_exit(struct ilp_share_clock *c, struct ilp_share_slot *s,
				      uint64_t ts)
{
	uint64_t ns;

	if (!s->on)
		return 0;
	ilp_share_advance(c, ts);
	c->k--;
	s->on = 0;
	ns = (uint64_t)((c->acc - s->a0) >> ILP_SHARE_FRAC);
	return ns > s->carved ? ns - s->carved : 0;
}

/* the integral now (a mark, for a wait that may be carved later) */
ilp_share_t ilp_share_mark(struct ilp_share_clock *c, uint64_t ts);
/* a wait from mark to ts inside the slot's call: ns carved out of the call
 * (0 if the slot is not in a counted call) */
uint64_t ilp_share_carve(struct ilp_share_clock *c, struct ilp_share_slot *s, ilp_share_t mark,
			 uint64_t ts);

#endif
