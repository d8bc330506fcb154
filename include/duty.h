/* SPDX-License-Identifier: MIT */
#ifndef ILP_DUTY_H
#define ILP_DUTY_H

/*
 * The duty cycle of attach --continuous: of every period, the first
 * on_ns capture and the rest do not.  Period k is [t0 + k*period,
 * t0 + (k+1)*period); its capture [t0 + k*period, t0 + k*period + on_ns).
 * A duty of 1 captures all the time (no edge ever comes).  Pure
 * arithmetic on CLOCK_MONOTONIC ns: the backend turns the events on and
 * off at the edges it is told.
 */

#include <stdint.h>

struct ilp_duty {
	uint64_t t0;		/* the first capture's start */
	uint64_t period_ns;
	uint64_t on_ns;		/* <= period_ns; == period_ns: always on */
};

/**
 * ilp_duty_init - a duty cycle starting at t0
 * @d: the caller's struct
 * @ratio: the share of each period captured, in (0, 1]; more is 1
 * @period_ns: the period, > 0
 * @t0: the start of the first capture
 *
 * A capture is at least 1 ns long.
 */
void ilp_duty_init(struct ilp_duty *d, double ratio, uint64_t period_ns, uint64_t t0);

/**
 * ilp_duty_on - whether the capture is on at t
 * @d: the duty cycle
 * @t: a time, ns (before t0: off)
 *
 * Returns 1 inside a capture, 0 between two.
 */
int ilp_duty_on(const struct ilp_duty *d, uint64_t t);

/**
 * ilp_duty_next - the next edge after t
 * @d: the duty cycle
 * @t: a time, ns
 *
 * Returns the first time > t at which ilp_duty_on changes, UINT64_MAX if it
 * never does (a duty of 1).
 */
uint64_t ilp_duty_next(const struct ilp_duty *d, uint64_t t);

/**
 * ilp_duty_on_ns - the capture time the cycle plans within [a, b)
 * @d: the duty cycle
 * @a: from, ns
 * @b: to, ns (<= a: 0)
 *
 * Returns the ns of [a, b) inside a capture.
 */
uint64_t ilp_duty_on_ns(const struct ilp_duty *d, uint64_t a, uint64_t b);

#endif
