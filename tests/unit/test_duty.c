// SPDX-License-Identifier: MIT
/* The duty cycle of attach --continuous (include/duty.h): exact edges. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "duty.h"

#define S 1000000000ull

/* 10 % of 10 s from t0 = 5 s: on in [5, 6), [15, 16), ... */
static void test_edges(void **state)
{
	struct ilp_duty d;

	(void)state;
	ilp_duty_init(&d, 0.1, 10 * S, 5 * S);
	assert_int_equal(d.on_ns, 1 * S);
	assert_int_equal(ilp_duty_on(&d, 4 * S), 0);
	assert_int_equal(ilp_duty_next(&d, 4 * S), 5 * S);
	assert_int_equal(ilp_duty_on(&d, 5 * S), 1);
	assert_int_equal(ilp_duty_next(&d, 5 * S), 6 * S);
	assert_int_equal(ilp_duty_on(&d, 6 * S - 1), 1);
	assert_int_equal(ilp_duty_on(&d, 6 * S), 0);
	assert_int_equal(ilp_duty_next(&d, 6 * S), 15 * S);
	assert_int_equal(ilp_duty_next(&d, 15 * S - 1), 15 * S);
	assert_int_equal(ilp_duty_on(&d, 15 * S), 1);
	assert_int_equal(ilp_duty_next(&d, 15 * S + 1), 16 * S);
	/* an edge always lies ahead, and on flips there */
	for (uint64_t t = 5 * S; t < 100 * S; t = ilp_duty_next(&d, t))
		assert_int_not_equal(ilp_duty_on(&d, t), ilp_duty_on(&d, ilp_duty_next(&d, t)));
}

static void test_planned_time(void **state)
{
	struct ilp_duty d;

	(void)state;
	ilp_duty_init(&d, 0.5, 2 * S, 0);
	assert_int_equal(ilp_duty_on_ns(&d, 0, 60 * S), 30 * S);	/* a 60 s window */
	assert_int_equal(ilp_duty_on_ns(&d, S / 2, 3 * S), S / 2 + S);	/* [0.5,1) + [2,3) */
	assert_int_equal(ilp_duty_on_ns(&d, 3 * S, 3 * S), 0);
	assert_int_equal(ilp_duty_on_ns(&d, 5 * S, 4 * S), 0);
	/* windows add up to the whole */
	assert_int_equal(ilp_duty_on_ns(&d, 0, 7 * S + 1),
			 ilp_duty_on_ns(&d, 0, 3 * S) + ilp_duty_on_ns(&d, 3 * S, 7 * S + 1));
}

/* 100 %: always on, never an edge; a tiny duty still captures 1 ns */
static void test_limits(void **state)
{
	struct ilp_duty d;

	(void)state;
	ilp_duty_init(&d, 1.0, 10 * S, 0);
	assert_int_equal(ilp_duty_on(&d, 123 * S), 1);
	assert_int_equal(ilp_duty_next(&d, 123 * S), UINT64_MAX);
	assert_int_equal(ilp_duty_on_ns(&d, 0, 60 * S), 60 * S);
	ilp_duty_init(&d, 1e-12, 10, 0);
	assert_int_equal(d.on_ns, 1);
	assert_int_equal(ilp_duty_on_ns(&d, 0, 100), 10);
	ilp_duty_init(&d, 0.3, 0, 0);	/* no period: 1 ns */
	assert_int_equal(d.period_ns, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_planned_time),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
