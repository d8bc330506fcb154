/* SPDX-License-Identifier: MIT */
#ifndef ILP_LOOP_INTERNAL_H
#define ILP_LOOP_INTERNAL_H

/*
 * For tests only (tests/unit/test_loop.c): what the period detector of
 * the loop model (model_loop.c) holds after a thread's newest step, to
 * check it step by step against a plain scan of the ring (compare the
 * step with each of the ILP_LOOP_PERIOD before it).
 */

#include <stddef.h>
#include <stdint.h>

#include "loopmodel.h"

struct ilp_loopt_scan {
	uint64_t steps;			/* steps so far (a run of one call is one) */
	int how;			/* run[] after the newest step: 1 scanned, 2 rebuilt
					 * from the ring (steps went by unscanned), 0 not
					 * updated (a lock with no noise in the ring: rebuilt
					 * when needed) */
	size_t best;			/* the smallest period confirmed when how != 0 */
	int reindexed;			/* the index of keys before run[] when how != 0: 0 up to
					 * date, 1 caught up step by step, 2 made again from
					 * the ring (steps went by unindexed) */
	uint16_t run[ILP_LOOP_PERIOD + 1];	/* [p]: newest steps equal to the step p before */
};

/* t's detector after its newest step */
void ilp_loopt_last_scan(const struct ilp_loopt *t, struct ilp_loopt_scan *out);

#endif
