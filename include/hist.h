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

/**
 * ilp_hist_new - makes an empty histogram
 *
 * Returns the histogram, to free with ilp_hist_free(), or NULL on ENOMEM.
 */
struct ilp_hist *ilp_hist_new(void);

/**
 * ilp_hist_free - frees a histogram and its chunks
 * @h: the histogram; NULL is a no-op
 */
void ilp_hist_free(struct ilp_hist *h);

/**
 * ilp_hist_reset - empties a histogram, keeping its chunks
 * @h: the histogram; NULL is a no-op
 *
 * Afterwards it reads as a new one (count 0); the chunks stay allocated,
 * zeroed, so recording again allocates nothing where values landed before.
 */
void ilp_hist_reset(struct ilp_hist *h);

/**
 * ilp_hist_record - counts one value
 * @h: the histogram
 * @v: the value
 *
 * The hot path: called once per syscall; it allocates only the first time
 * a value lands in its power of two.
 *
 * Returns 0, or -ENOMEM: the value is then counted in count, sum, min and
 * max only (a percentile then falls back to max).
 */
int ilp_hist_record(struct ilp_hist *h, uint64_t v);

/**
 * ilp_hist_merge - adds every value of src into dst
 * @dst: the histogram added to
 * @src: the histogram added (unchanged)
 *
 * Returns 0, or -ENOMEM: the chunks that could not be allocated in dst
 * are missing there (count, sum, min and max are whole), the others are
 * merged.
 */
int ilp_hist_merge(struct ilp_hist *dst, const struct ilp_hist *src);

/**
 * ilp_hist_count - how many values were recorded
 * @h: the histogram
 *
 * Returns the number of values recorded.
 */
uint64_t ilp_hist_count(const struct ilp_hist *h);

/**
 * ilp_hist_sum - the sum of the values recorded
 * @h: the histogram
 *
 * Returns the exact sum, saturated at UINT64_MAX instead of wrapping.
 */
uint64_t ilp_hist_sum(const struct ilp_hist *h);

/**
 * ilp_hist_min - the smallest value recorded
 * @h: the histogram
 *
 * Returns the exact smallest value, 0 if empty.
 */
uint64_t ilp_hist_min(const struct ilp_hist *h);

/**
 * ilp_hist_max - the largest value recorded
 * @h: the histogram
 *
 * Returns the exact largest value, 0 if empty.
 */
uint64_t ilp_hist_max(const struct ilp_hist *h);

/**
 * ilp_hist_percentile - the value at a percentile
 * @h: the histogram
 * @p: the percentile, (0..100]
 *
 * Nearest rank: the smallest value with at least p % of the values at or
 * below it, reported at its bucket's midpoint, so within the relative
 * error above.
 *
 * Returns that value clamped to [min, max]; min for p <= 0 (or NaN), max
 * for p >= 100; 0 if empty.
 */
uint64_t ilp_hist_percentile(const struct ilp_hist *h, double p);

/**
 * ilp_hist_log2 - the power-of-two view, for display
 * @h: the histogram
 * @out: 65 slots, filled: out[i] is the number of values v with
 *	2^(i-1) <= v < 2^i (out[0] counts v == 0... v < 1)
 *
 * Returns the number of slots up to and including the last non-empty one
 * (0 if empty).
 */
int ilp_hist_log2(const struct ilp_hist *h, uint64_t out[65]);

/**
 * ilp_hist_log2_unit - the power-of-two view in a display unit
 * @h: the histogram
 * @unit: the display unit in the values' unit (1000: microseconds, 1000000:
 *	ms); 0 or 1 is ilp_hist_log2()
 * @out: 65 slots, filled: out[i] counts values with 2^(i-1) <= v / unit < 2^i,
 *	out[0] those below one unit
 *
 * Each fine bucket is placed by its midpoint, so a value within 1 % of a
 * power-of-two boundary may land in the neighbouring slot.
 *
 * Returns the number of slots up to and including the last non-empty one
 * (0 if empty).
 */
int ilp_hist_log2_unit(const struct ilp_hist *h, uint64_t unit, uint64_t out[65]);

/**
 * ilp_hist_bytes - the memory a histogram holds
 * @h: the histogram
 *
 * For tests and diagnostics.
 *
 * Returns the bytes held by h: the struct and its allocated chunks.
 */
size_t ilp_hist_bytes(const struct ilp_hist *h);

/**
 * ilp_slots_span - where a log2 histogram's bars start, and their scale
 * @slot: the slots (ilp_hist_log2)
 * @n: how many of them to look at: slot[0..n)
 * @first: set to the first non-empty slot, -1 if all are empty
 * @peak: set to the largest count, which the bars are scaled to (0 if all
 *	are empty)
 */
void ilp_slots_span(const uint64_t *slot, int n, int *first, uint64_t *peak);

#endif
