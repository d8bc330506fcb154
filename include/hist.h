/* SPDX-License-Identifier: MIT */
#ifndef ILP_HIST_H
#define ILP_HIST_H

/*
 * HDR-style log-linear histogram of u64 values (nanoseconds, bytes).
 *
 * Values below 2^ILP_HIST_SUB_BITS are exact; above, each power of two is
 * split into 2^ILP_HIST_SUB_BITS linear sub-buckets, so a bucket's width is
 * at most 1/64 of its lower bound and a percentile, reported at the bucket's
 * midpoint, is within 1/128 (< 1 %) of the true value; the stated bound in
 * the docs is 2 %.  Memory grows with the range of values seen (a 512-byte
 * chunk per power of two touched), never with the number of values.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define ILP_HIST_SUB_BITS 6

struct ilp_hist;

struct ilp_hist *ilp_hist_new(void);	/* NULL on ENOMEM */
void ilp_hist_free(struct ilp_hist *h);	/* NULL is a no-op */

/* returns 0 or -ENOMEM (the value is then counted in count/sum/min/max only) */
int ilp_hist_record(struct ilp_hist *h, uint64_t v);
/* adds every value of src into dst; 0 or -ENOMEM */
int ilp_hist_merge(struct ilp_hist *dst, const struct ilp_hist *src);

uint64_t ilp_hist_count(const struct ilp_hist *h);
uint64_t ilp_hist_sum(const struct ilp_hist *h);	/* exact */
uint64_t ilp_hist_min(const struct ilp_hist *h);	/* exact; 0 if empty */
uint64_t ilp_hist_max(const struct ilp_hist *h);	/* exact; 0 if empty */
/* value at percentile p (0..100], within the relative error above; the
 * result is clamped to [min, max]; 0 if empty */
uint64_t ilp_hist_percentile(const struct ilp_hist *h, double p);

/*
 * Power-of-two view for display: out[i] is the number of values v with
 * 2^(i-1) <= v < 2^i (out[0] counts v == 0... v < 1).  Returns the number of
 * slots up to and including the last non-empty one (0 if empty); out must
 * hold 65 slots.
 */
int ilp_hist_log2(const struct ilp_hist *h, uint64_t out[65]);

/*
 * The same view in a display unit (1000: microseconds, 1000000: ms): out[i]
 * counts values with 2^(i-1) <= v / unit < 2^i, out[0] those below one
 * unit.  Each fine bucket is placed by its midpoint, so a value within 1 %
 * of a power-of-two boundary may land in the neighbouring slot.
 */
int ilp_hist_log2_unit(const struct ilp_hist *h, uint64_t unit, uint64_t out[65]);

/* bytes held by h (struct + allocated chunks); for tests and diagnostics */
size_t ilp_hist_bytes(const struct ilp_hist *h);

/*
 * For drawing a log2 histogram (ilp_hist_log2): the first non-empty slot
 * of slot[0..n) (-1 if all are empty) and the largest count, which the
 * bars are scaled to.
 */
void ilp_slots_span(const uint64_t *slot, int n, int *first, uint64_t *peak);

#endif
