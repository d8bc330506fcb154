// SPDX-License-Identifier: MIT
/*
 * The top calls of a process (src/model/model_calls.c): the calls kept are
 * the cap longest, ties to the earliest offered, whether each call is
 * offered with ilp_calls_add() alone or tested first with ilp_calls_skip()
 * (the model's hot path); checked against a plain sort of every call.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "callsmodel.h"

#define CAP 16
#define N 20000

/* longest first, then the earliest offered (start_ts is the offer order) */
static int ref_cmp(const void *a, const void *b)
{
	const struct ilp_call *x = a, *y = b;

	if (x->dur_ns != y->dur_ns)
		return x->dur_ns > y->dur_ns ? -1 : 1;
	return (x->start_ts > y->start_ts) - (x->start_ts < y->start_ts);
}

static int start_cmp(const void *a, const void *b)
{
	const struct ilp_call *x = a, *y = b;

	return (x->start_ts > y->start_ts) - (x->start_ts < y->start_ts);
}

static void check_against_ref(unsigned modulo, unsigned seed)
{
	static struct ilp_call all[N], top[CAP];
	struct ilp_calls *plain = ilp_calls_new(CAP), *skipping = NULL;
	size_t i, skipped = 0;

	assert_non_null(plain);
	for (i = 0; i < N; i++) {
		/* many ties (modulo small), durations growing now and then */
		uint64_t dur = (uint64_t)(rand_r(&seed) % modulo) + (i % 5000 == 4999 ? 1000 : 0);

		all[i] = (struct ilp_call){ .start_ts = i, .dur_ns = dur, .tid = 7, .nr = 0 };
		assert_int_equal(ilp_calls_add(&plain, &all[i]), 0);
		if (ilp_calls_skip(skipping, dur))
			skipped++;
		else
			assert_int_equal(ilp_calls_add(&skipping, &all[i]), 0);
	}
	assert_true(skipped > N / 2);	/* the hot path's test did skip */
	assert_int_equal(ilp_calls_seen(plain), N);
	assert_int_equal(ilp_calls_seen(skipping), N);
	qsort(all, N, sizeof(all[0]), ref_cmp);
	memcpy(top, all, sizeof(top));
	qsort(top, CAP, sizeof(top[0]), start_cmp);	/* the CAP longest */
	qsort(all, ILP_CALLS_TOP, sizeof(all[0]), start_cmp);	/* the ILP_CALLS_TOP longest */
	assert_int_equal(ilp_calls_index(plain), 0);
	assert_int_equal(ilp_calls_index(skipping), 0);
	assert_int_equal(ilp_calls_count(plain), CAP);
	assert_int_equal(ilp_calls_count(skipping), ILP_CALLS_TOP);
	for (i = 0; i < CAP; i++) {
		assert_int_equal(ilp_calls_get(plain, i)->start_ts, top[i].start_ts);
		assert_int_equal(ilp_calls_get(plain, i)->dur_ns, top[i].dur_ns);
	}
	for (i = 0; i < ILP_CALLS_TOP; i++) {
		assert_int_equal(ilp_calls_get(skipping, i)->start_ts, all[i].start_ts);
		assert_int_equal(ilp_calls_get(skipping, i)->dur_ns, all[i].dur_ns);
	}
	ilp_calls_free(plain);
	ilp_calls_free(skipping);
}

static void test_ties(void **state)
{
	(void)state;
	check_against_ref(40, 1);
}

static void test_spread(void **state)
{
	(void)state;
	check_against_ref(1000000, 2);
}

static void test_skip_null(void **state)
{
	struct ilp_calls *s = ilp_calls_new(2);

	(void)state;
	assert_int_equal(ilp_calls_skip(NULL, 5), 0);	/* no set yet: offer it */
	assert_non_null(s);
	assert_int_equal(ilp_calls_skip(s, 5), 0);	/* not full */
	assert_int_equal(ilp_calls_add(&s, &(struct ilp_call){ .start_ts = 1, .dur_ns = 5 }), 0);
	assert_int_equal(ilp_calls_add(&s, &(struct ilp_call){ .start_ts = 2, .dur_ns = 9 }), 0);
	assert_int_equal(ilp_calls_skip(s, 5), 1);	/* a tie: the earliest stays */
	assert_int_equal(ilp_calls_skip(s, 6), 0);	/* longer: offer it */
	assert_int_equal(ilp_calls_seen(s), 3);
	ilp_calls_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ties),
		cmocka_unit_test(test_spread),
		cmocka_unit_test(test_skip_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
