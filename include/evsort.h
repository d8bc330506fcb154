/* SPDX-License-Identifier: MIT */
#ifndef ILP_EVSORT_H
#define ILP_EVSORT_H

/*
 * Events into time order, for a source that gathers them out of order (a
 * trace file: each buffer's records in order, its facts where they fell).
 */

#include <stddef.h>

#include "event.h"

/**
 * ilp_events_sort - sorts events by ts, stably
 * @v: the events
 * @n: events at v
 *
 * A merge sort of v's ascending runs: events at equal times keep their
 * order; a few long runs (a trace file's buffers) cost O(n log runs), a
 * sorted array one pass.
 *
 * Returns 0, or -ENOMEM (v is left as it was).
 */
int ilp_events_sort(struct ilp_event *v, size_t n);

#endif
