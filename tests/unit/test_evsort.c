// SPDX-License-Identifier: MIT
/* Unit tests for src/util/evsort.c: stable, against a reference sort. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "evsort.h"

static uint64_t lcg(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s >> 33;
}

/* the reference: insertion sort, stable by construction */
static void ref_sort(struct ilp_event *v, size_t n)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		struct ilp_event x = v[i];

		for (j = i; j > 0 && v[j - 1].ts > x.ts; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* n events in `runs` interleaved ascending sequences (a trace file's
 * buffers), few distinct times (ties), tid = original index */
static void fill(struct ilp_event *v, size_t n, unsigned runs, unsigned times, uint64_t *seed)
{
	uint64_t next[64] = { 0 };
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned r = runs > 1 ? (unsigned)(lcg(seed) % runs) : 0;

		memset(&v[i], 0, sizeof(v[i]));
		if (runs)
			next[r] += lcg(seed) % times;
		v[i].ts = runs ? next[r] : lcg(seed) % times;	/* runs 0: random */
		v[i].tid = (int32_t)i;
	}
}

static void check(size_t n, unsigned runs, unsigned times, uint64_t seed)
{
	struct ilp_event *a = calloc(n + 1, sizeof(*a)), *b = calloc(n + 1, sizeof(*b));
	size_t i;

	assert_non_null(a);
	assert_non_null(b);
	fill(a, n, runs, times, &seed);
	memcpy(b, a, n * sizeof(*a));
	assert_int_equal(ilp_events_sort(a, n), 0);
	ref_sort(b, n);
	for (i = 0; i < n; i++) {
		assert_true(a[i].ts == b[i].ts);
		assert_int_equal(a[i].tid, b[i].tid);	/* stable: ties in input order */
	}
	free(a);
	free(b);
}

static void test_sorted_and_empty(void **state)
{
	struct ilp_event v[3] = { { .ts = 1 }, { .ts = 1 }, { .ts = 2 } };

	(void)state;
	assert_int_equal(ilp_events_sort(NULL, 0), 0);
	assert_int_equal(ilp_events_sort(v, 1), 0);
	v[0].tid = 7;
	assert_int_equal(ilp_events_sort(v, 3), 0);
	assert_int_equal(v[0].tid, 7);
	assert_true(v[2].ts == 2);
}

static void test_runs_against_reference(void **state)
{
	static const unsigned runs[] = { 1, 2, 3, 5, 17, 64 };
	size_t r, n;
	uint64_t seed = 42;

	(void)state;
	for (r = 0; r < sizeof(runs) / sizeof(runs[0]); r++)
		for (n = 0; n <= 70; n++)
			check(n, runs[r], 3, seed++);
	check(20000, 3, 1000, seed++);
	check(20000, 64, 5, seed++);
}

static void test_random_against_reference(void **state)
{
	uint64_t seed = 7;
	size_t n;

	(void)state;
	for (n = 2; n <= 300; n += 7)
		check(n, 0, 4, seed++);	/* ties everywhere */
	check(5000, 0, 1u << 30, seed++);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sorted_and_empty),
		cmocka_unit_test(test_runs_against_reference),
		cmocka_unit_test(test_random_against_reference),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
