// SPDX-License-Identifier: MIT
/* Unit tests for src/util/hist.c: exact counts, nearest-rank percentiles. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <math.h>
#include <stdlib.h>
#include <cmocka.h>

#include "hist.h"

#define CHUNK_BYTES (64 * sizeof(uint64_t))

static const double pcts[] = { 0.1, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100 };
#define NPCTS (sizeof(pcts) / sizeof(pcts[0]))

/* fixed-seed 64-bit LCG (Knuth MMIX); top 53 bits as a double in [0, 1) */
static uint64_t lcg_next(uint64_t *state)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	return *state;
}

static double lcg_unit(uint64_t *state)
{
	return (double)(lcg_next(state) >> 11) / 9007199254740992.0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* nearest rank on sorted values, same rank rule as the histogram */
static uint64_t true_percentile(const uint64_t *sorted, size_t n, double p)
{
	double x = p * (double)n / 100.0;
	size_t rank;

	x = ceil(x - x * 1e-12);
	rank = x < 1 ? 1 : (size_t)x;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

/* |got - want| <= want / 128, in integers */
static void assert_within_1_128(uint64_t got, uint64_t want)
{
	uint64_t diff = got > want ? got - want : want - got;

	if (diff * 128 > want)
		fail_msg("percentile %llu, true %llu: off by more than 1/128",
			 (unsigned long long)got, (unsigned long long)want);
}

static void check_sorted(const struct ilp_hist *h, const uint64_t *sorted, size_t n)
{
	size_t i;

	assert_int_equal(ilp_hist_count(h), n);
	assert_int_equal(ilp_hist_min(h), sorted[0]);
	assert_int_equal(ilp_hist_max(h), sorted[n - 1]);
	for (i = 0; i < NPCTS; i++)
		assert_within_1_128(ilp_hist_percentile(h, pcts[i]),
				    true_percentile(sorted, n, pcts[i]));
}

static void test_empty(void **state)
{
	struct ilp_hist *h = ilp_hist_new();
	uint64_t out[65];

	(void)state;
	assert_non_null(h);
	assert_int_equal(ilp_hist_count(h), 0);
	assert_int_equal(ilp_hist_sum(h), 0);
	assert_int_equal(ilp_hist_min(h), 0);
	assert_int_equal(ilp_hist_max(h), 0);
	assert_int_equal(ilp_hist_percentile(h, 50), 0);
	assert_int_equal(ilp_hist_percentile(h, 100), 0);
	assert_int_equal(ilp_hist_log2(h, out), 0);
	for (int i = 0; i < 65; i++)
		assert_int_equal(out[i], 0);
	assert_int_equal(ilp_hist_bytes(h), ilp_hist_bytes(h));
	ilp_hist_free(h);
	ilp_hist_free(NULL);
}

static void test_single_value(void **state)
{
	struct ilp_hist *h = ilp_hist_new();
	size_t i;

	(void)state;
	assert_non_null(h);
	assert_int_equal(ilp_hist_record(h, 123456789), 0);
	assert_int_equal(ilp_hist_count(h), 1);
	assert_int_equal(ilp_hist_sum(h), 123456789);
	assert_int_equal(ilp_hist_min(h), 123456789);
	assert_int_equal(ilp_hist_max(h), 123456789);
	/* clamped to [min, max]: exact although the bucket is wide */
	for (i = 0; i < NPCTS; i++)
		assert_int_equal(ilp_hist_percentile(h, pcts[i]), 123456789);
	ilp_hist_free(h);
}

static void test_constant(void **state)
{
	struct ilp_hist *h = ilp_hist_new();
	size_t i;

	(void)state;
	assert_non_null(h);
	for (i = 0; i < 1000; i++)
		assert_int_equal(ilp_hist_record(h, 4096), 0);
	assert_int_equal(ilp_hist_count(h), 1000);
	assert_int_equal(ilp_hist_sum(h), 4096000);
	for (i = 0; i < NPCTS; i++)
		assert_int_equal(ilp_hist_percentile(h, pcts[i]), 4096);
	ilp_hist_free(h);
}

/* below 64 every value has its own bucket: percentiles are exact */
static void test_small_exact(void **state)
{
	struct ilp_hist *h = ilp_hist_new();
	uint64_t v;

	(void)state;
	assert_non_null(h);
	for (v = 0; v < 64; v++)
		assert_int_equal(ilp_hist_record(h, v), 0);
	assert_int_equal(ilp_hist_sum(h), 63 * 64 / 2);
	assert_int_equal(ilp_hist_percentile(h, 50), 31);	/* rank 32 */
	assert_int_equal(ilp_hist_percentile(h, 1), 0);		/* rank 1 */
	assert_int_equal(ilp_hist_percentile(h, 25), 15);	/* rank 16 */
	assert_int_equal(ilp_hist_percentile(h, 26), 16);	/* rank ceil(16.64) = 17 */
	assert_int_equal(ilp_hist_percentile(h, 100), 63);
	ilp_hist_free(h);
}

/* uniform 1..1e6: nearest rank of p is exactly ceil(p/100 * 1e6) */
static void test_uniform(void **state)
{
	struct ilp_hist *h = ilp_hist_new();
	const uint64_t n = 1000000;
	uint64_t v;
	size_t i;

	(void)state;
	assert_non_null(h);
	for (v = 1; v <= n; v++)
		assert_int_equal(ilp_hist_record(h, v), 0);
	assert_int_equal(ilp_hist_count(h), n);
	assert_int_equal(ilp_hist_sum(h), n * (n + 1) / 2);
	assert_int_equal(ilp_hist_min(h), 1);
	assert_int_equal(ilp_hist_max(h), n);
	for (i = 0; i < NPCTS; i++) {
		uint64_t want = (uint64_t)ceil(pcts[i] * (double)n / 100.0 - 1e-6);

		assert_within_1_128(ilp_hist_percentile(h, pcts[i]), want);
	}
	/* 500000 is in [499712, 503808): width 2^12, midpoint 499712 + 2047 */
	assert_int_equal(ilp_hist_percentile(h, 50), 501759);
	assert_int_equal(ilp_hist_percentile(h, 100), n);
	ilp_hist_free(h);
}

static void test_exponential(void **state)
{
	const size_t n = 200000;
	uint64_t *vals = malloc(n * sizeof(*vals));
	struct ilp_hist *h = ilp_hist_new();
	uint64_t seed = 42, sum = 0;
	size_t i;

	(void)state;
	assert_non_null(vals);
	assert_non_null(h);
	for (i = 0; i < n; i++) {
		/* mean 100 us, in ns */
		vals[i] = (uint64_t)(-100000.0 * log(1.0 - lcg_unit(&seed)));
		sum += vals[i];
		assert_int_equal(ilp_hist_record(h, vals[i]), 0);
	}
	qsort(vals, n, sizeof(*vals), cmp_u64);
	assert_int_equal(ilp_hist_sum(h), sum);
	check_sorted(h, vals, n);
	ilp_hist_free(h);
	free(vals);
}

static void test_extremes(void **state)
{
	struct ilp_hist *h = ilp_hist_new();
	uint64_t out[65];

	(void)state;
	assert_non_null(h);
	assert_int_equal(ilp_hist_record(h, 0), 0);
	assert_int_equal(ilp_hist_record(h, 1ULL << 62), 0);
	assert_int_equal(ilp_hist_record(h, UINT64_MAX), 0);
	assert_int_equal(ilp_hist_count(h), 3);
	assert_int_equal(ilp_hist_min(h), 0);
	assert_int_equal(ilp_hist_max(h), UINT64_MAX);
	assert_int_equal(ilp_hist_sum(h), UINT64_MAX);	/* saturated */
	assert_int_equal(ilp_hist_percentile(h, 10), 0);
	assert_within_1_128(ilp_hist_percentile(h, 50), 1ULL << 62);
	assert_true(ilp_hist_percentile(h, 99) >= UINT64_MAX - (UINT64_MAX >> 7));
	assert_int_equal(ilp_hist_percentile(h, 100), UINT64_MAX);
	assert_int_equal(ilp_hist_log2(h, out), 65);
	assert_int_equal(out[0], 1);
	assert_int_equal(out[63], 1);	/* 2^62 <= v < 2^63 */
	assert_int_equal(out[64], 1);
	ilp_hist_free(h);

	h = ilp_hist_new();
	assert_non_null(h);
	assert_int_equal(ilp_hist_record(h, 1ULL << 62), 0);
	assert_int_equal(ilp_hist_record(h, 1ULL << 62), 0);
	assert_int_equal(ilp_hist_sum(h), 1ULL << 63);
	assert_int_equal(ilp_hist_percentile(h, 50), 1ULL << 62);
	ilp_hist_free(h);
}

static void test_log2(void **state)
{
	static const uint64_t vals[] = { 0, 1, 2, 3, 4, 1000, 63, 64, 127, 128 };
	struct ilp_hist *h = ilp_hist_new();
	uint64_t out[65];
	size_t i;

	(void)state;
	assert_non_null(h);
	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
		assert_int_equal(ilp_hist_record(h, vals[i]), 0);
	assert_int_equal(ilp_hist_log2(h, out), 11);
	assert_int_equal(out[0], 1);	/* 0 */
	assert_int_equal(out[1], 1);	/* 1 */
	assert_int_equal(out[2], 2);	/* 2, 3 */
	assert_int_equal(out[3], 1);	/* 4 */
	assert_int_equal(out[4], 0);
	assert_int_equal(out[5], 0);
	assert_int_equal(out[6], 1);	/* 63 */
	assert_int_equal(out[7], 2);	/* 64, 127 */
	assert_int_equal(out[8], 1);	/* 128 */
	assert_int_equal(out[9], 0);
	assert_int_equal(out[10], 1);	/* 1000: 512 <= v < 1024 */
	for (i = 11; i < 65; i++)
		assert_int_equal(out[i], 0);
	ilp_hist_free(h);
}

static void test_merge(void **state)
{
	struct ilp_hist *a = ilp_hist_new(), *b = ilp_hist_new();
	struct ilp_hist *all = ilp_hist_new(), *empty = ilp_hist_new();
	uint64_t seed = 7, oa[65], ob[65];
	size_t i;

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(all);
	assert_non_null(empty);
	for (i = 0; i < 50000; i++) {
		uint64_t v = lcg_next(&seed) >> (20 + i % 40);

		assert_int_equal(ilp_hist_record(i % 3 ? a : b, v), 0);
		assert_int_equal(ilp_hist_record(all, v), 0);
	}
	assert_int_equal(ilp_hist_merge(a, b), 0);
	assert_int_equal(ilp_hist_merge(a, empty), 0);
	assert_int_equal(ilp_hist_count(a), ilp_hist_count(all));
	assert_int_equal(ilp_hist_sum(a), ilp_hist_sum(all));
	assert_int_equal(ilp_hist_min(a), ilp_hist_min(all));
	assert_int_equal(ilp_hist_max(a), ilp_hist_max(all));
	for (i = 0; i < NPCTS; i++)
		assert_int_equal(ilp_hist_percentile(a, pcts[i]),
				 ilp_hist_percentile(all, pcts[i]));
	assert_int_equal(ilp_hist_log2(a, oa), ilp_hist_log2(all, ob));
	assert_memory_equal(oa, ob, sizeof(oa));
	assert_int_equal(ilp_hist_bytes(a), ilp_hist_bytes(all));

	/* merging into an empty histogram copies it, min included */
	assert_int_equal(ilp_hist_merge(empty, all), 0);
	assert_int_equal(ilp_hist_count(empty), ilp_hist_count(all));
	assert_int_equal(ilp_hist_min(empty), ilp_hist_min(all));
	assert_int_equal(ilp_hist_percentile(empty, 50), ilp_hist_percentile(all, 50));
	ilp_hist_free(a);
	ilp_hist_free(b);
	ilp_hist_free(all);
	ilp_hist_free(empty);
}

/* 10 million values in 1..1e9: memory follows the powers of two, not n */
static void test_memory_bound(void **state)
{
	struct ilp_hist *h = ilp_hist_new();
	size_t base, after_span;
	uint64_t seed = 1, i;
	int err = 0;

	(void)state;
	assert_non_null(h);
	base = ilp_hist_bytes(h);
	/* 1e9 < 2^30: chunk 0 (v < 64) plus one chunk per 2^6 .. 2^29 = 25 */
	for (i = 0; i < 30; i++)
		assert_int_equal(ilp_hist_record(h, (1ULL << i) + 1), 0);
	after_span = ilp_hist_bytes(h);
	assert_int_equal(after_span, base + 25 * CHUNK_BYTES);
	for (i = 0; i < 10000000; i++)
		err |= ilp_hist_record(h, 1 + lcg_next(&seed) % 1000000000);
	assert_int_equal(err, 0);
	assert_int_equal(ilp_hist_count(h), 10000030);
	assert_int_equal(ilp_hist_bytes(h), after_span);
	assert_true(ilp_hist_bytes(h) <= base + 64 * CHUNK_BYTES);
	ilp_hist_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_single_value),
		cmocka_unit_test(test_constant),
		cmocka_unit_test(test_small_exact),
		cmocka_unit_test(test_uniform),
		cmocka_unit_test(test_exponential),
		cmocka_unit_test(test_extremes),
		cmocka_unit_test(test_log2),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_memory_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
