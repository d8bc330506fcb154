// SPDX-License-Identifier: MIT
/*
 * Log-linear (HDR-style) histogram, see include/hist.h.
 *
 * Layout: chunk 0 holds the exact values 0..63; chunk c >= 1 holds the
 * power of two [2^(c+5), 2^(c+6)) split into 64 linear sub-buckets of width
 * 2^(c-1).  With 64-bit values that is chunks 0..58, so the array of 64
 * chunk pointers always suffices.  A chunk is 64 u64 counters (512 bytes),
 * allocated the first time a value lands in its power of two.
 *
 *   v < 64:   chunk 0,               sub-bucket v
 *   v >= 64:  chunk 58 - clz(v),     sub-bucket (v >> (chunk - 1)) & 63
 *
 * Both cases are one expression: clz(v | 63) is 58 for every v < 64.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hist.h"

#define ILP_HIST_SUBS	(1u << ILP_HIST_SUB_BITS)	/* 64 sub-buckets per chunk */
#define ILP_HIST_CHUNKS	64				/* 0..58 used */

struct ilp_hist {
	uint64_t count;
	uint64_t sum;		/* saturates at UINT64_MAX instead of wrapping */
	uint64_t min;		/* UINT64_MAX while empty */
	uint64_t max;
	unsigned nchunks;	/* allocated chunks, for ilp_hist_bytes() */
	uint64_t *chunk[ILP_HIST_CHUNKS];
};

static inline unsigned ilp_hist_chunk_of(uint64_t v)
{
	return 58 - (unsigned)__builtin_clzll(v | (ILP_HIST_SUBS - 1));
}

static inline unsigned ilp_hist_sub_of(uint64_t v, unsigned c)
{
	return (unsigned)(v >> (c - (c != 0))) & (ILP_HIST_SUBS - 1);
}

/* lowest value of bucket (c, s) and its width */
static uint64_t ilp_hist_bucket_lo(unsigned c, unsigned s)
{
	if (c == 0)
		return s;
	return (uint64_t)(ILP_HIST_SUBS + s) << (c - 1);
}

static uint64_t ilp_hist_bucket_width(unsigned c)
{
	return c == 0 ? 1 : 1ULL << (c - 1);
}

/* middle integer of the bucket: within 1/128 of any value in it */
static uint64_t ilp_hist_bucket_mid(unsigned c, unsigned s)
{
	return ilp_hist_bucket_lo(c, s) + (ilp_hist_bucket_width(c) - 1) / 2;
}

struct ilp_hist *ilp_hist_new(void)
{
	struct ilp_hist *h = calloc(1, sizeof(*h));

	if (h)
		h->min = UINT64_MAX;
	return h;
}

void ilp_hist_free(struct ilp_hist *h)
{
	unsigned c;

	if (!h)
		return;
	for (c = 0; c < ILP_HIST_CHUNKS; c++)
		free(h->chunk[c]);
	free(h);
}

void ilp_hist_reset(struct ilp_hist *h)
{
	unsigned c;

	if (!h)
		return;
	for (c = 0; c < ILP_HIST_CHUNKS; c++)
		if (h->chunk[c])
			memset(h->chunk[c], 0, ILP_HIST_SUBS * sizeof(uint64_t));
	h->count = 0;
	h->sum = 0;
	h->min = UINT64_MAX;
	h->max = 0;
}

static int ilp_hist_grow(struct ilp_hist *h, unsigned c)
{
	h->chunk[c] = calloc(ILP_HIST_SUBS, sizeof(uint64_t));
	if (!h->chunk[c])
		return -ENOMEM;
	h->nchunks++;
	return 0;
}

static inline void ilp_hist_add_stats(struct ilp_hist *h, uint64_t n,
				      uint64_t sum, uint64_t min, uint64_t max)
{
	h->count += n;
	if (__builtin_add_overflow(h->sum, sum, &h->sum))
		h->sum = UINT64_MAX;
	if (min < h->min)
		h->min = min;
	if (max > h->max)
		h->max = max;
}

/* ilp_hist_record's first value in chunk c, out of its way */
static __attribute__((noinline, cold)) int ilp_hist_record_new_chunk(struct ilp_hist *h,
								      uint64_t v, unsigned c)
{
	if (ilp_hist_grow(h, c))
		return -ENOMEM;
	h->chunk[c][ilp_hist_sub_of(v, c)]++;
	return 0;
}

/* hot path: called once per syscall (twice: its object's, its syscall's);
 * a leaf without a stack frame but for a new chunk */
int ilp_hist_record(struct ilp_hist *h, uint64_t v)
{
	unsigned c = ilp_hist_chunk_of(v);

	ilp_hist_add_stats(h, 1, v, v, v);
	if (__builtin_expect(!h->chunk[c], 0))
		return ilp_hist_record_new_chunk(h, v, c);
	h->chunk[c][ilp_hist_sub_of(v, c)]++;
	return 0;
}

int ilp_hist_merge(struct ilp_hist *dst, const struct ilp_hist *src)
{
	int err = 0;
	unsigned c, s;

	if (!src->count)
		return 0;
	ilp_hist_add_stats(dst, src->count, src->sum, src->min, src->max);
	for (c = 0; c < ILP_HIST_CHUNKS; c++) {
		if (!src->chunk[c])
			continue;
		if (!dst->chunk[c] && ilp_hist_grow(dst, c)) {
			err = -ENOMEM;	/* keep merging the other chunks */
			continue;
		}
		for (s = 0; s < ILP_HIST_SUBS; s++)
			dst->chunk[c][s] += src->chunk[c][s];
	}
	return err;
}

uint64_t ilp_hist_count(const struct ilp_hist *h)
{
	return h->count;
}

uint64_t ilp_hist_sum(const struct ilp_hist *h)
{
	return h->sum;
}

uint64_t ilp_hist_min(const struct ilp_hist *h)
{
	return h->count ? h->min : 0;
}

uint64_t ilp_hist_max(const struct ilp_hist *h)
{
	return h->max;
}

/*
 * Nearest rank: the smallest v with at least ceil(p/100 * count) values
 * <= v, reported as the midpoint of v's bucket.  The rank is computed as
 * p * count / 100 (exact for integral p) less a relative 1e-12, so that
 * e.g. p = 99.9 does not round up a rank that is integral on paper.
 */
uint64_t ilp_hist_percentile(const struct ilp_hist *h, double p)
{
	uint64_t rank, seen = 0, v = h->max;
	double x;
	unsigned c, s;

	if (!h->count)
		return 0;
	if (!(p > 0))		/* also NaN */
		return h->min;
	if (p >= 100)
		return h->max;
	x = p * (double)h->count / 100.0;
	x = ceil(x - x * 1e-12);
	rank = x < 1 ? 1 : (uint64_t)x;
	if (rank > h->count)
		rank = h->count;

	for (c = 0; c < ILP_HIST_CHUNKS; c++) {
		if (!h->chunk[c])
			continue;
		for (s = 0; s < ILP_HIST_SUBS; s++) {
			seen += h->chunk[c][s];
			if (seen >= rank) {
				v = ilp_hist_bucket_mid(c, s);
				goto out;
			}
		}
	}
	/* values lost to ENOMEM are not in any bucket: v stays at max */
out:
	if (v < h->min)
		v = h->min;
	if (v > h->max)
		v = h->max;
	return v;
}

/*
 * out[0]: v == 0; out[i]: 2^(i-1) <= v < 2^i.  Chunk 0 maps value by value,
 * chunk c >= 1 lies entirely within one power of two, slot c + 6.
 */
int ilp_hist_log2(const struct ilp_hist *h, uint64_t out[65])
{
	int i, n = 0;
	unsigned c, s;

	for (i = 0; i < 65; i++)
		out[i] = 0;
	if (h->chunk[0])
		for (s = 0; s < ILP_HIST_SUBS; s++)
			out[s ? 64 - __builtin_clzll(s) : 0] += h->chunk[0][s];
	for (c = 1; c < ILP_HIST_CHUNKS; c++) {
		if (!h->chunk[c])
			continue;
		for (s = 0; s < ILP_HIST_SUBS; s++)
			out[c + 6] += h->chunk[c][s];
	}
	for (i = 0; i < 65; i++)
		if (out[i])
			n = i + 1;
	return n;
}

int ilp_hist_log2_unit(const struct ilp_hist *h, uint64_t unit, uint64_t out[65])
{
	int i, n = 0;
	unsigned c, s;

	if (unit <= 1)
		return ilp_hist_log2(h, out);
	for (i = 0; i < 65; i++)
		out[i] = 0;
	for (c = 0; c < ILP_HIST_CHUNKS; c++) {
		if (!h->chunk[c])
			continue;
		for (s = 0; s < ILP_HIST_SUBS; s++) {
			/* a bucket is 1/64 of its power of two wide: place it
			 * by its midpoint */
			uint64_t v = ilp_hist_bucket_mid(c, s) / unit;

			if (h->chunk[c][s])
				out[v ? 64 - __builtin_clzll(v) : 0] += h->chunk[c][s];
		}
	}
	for (i = 0; i < 65; i++)
		if (out[i])
			n = i + 1;
	return n;
}

size_t ilp_hist_bytes(const struct ilp_hist *h)
{
	return sizeof(*h) + (size_t)h->nchunks * ILP_HIST_SUBS * sizeof(uint64_t);
}

void ilp_slots_span(const uint64_t *slot, int n, int *first, uint64_t *peak)
{
	int i;

	*first = -1;
	*peak = 0;
	for (i = 0; i < n; i++) {
		if (slot[i] && *first < 0)
			*first = i;
		if (slot[i] > *peak)
			*peak = slot[i];
	}
}
