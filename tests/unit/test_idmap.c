// SPDX-License-Identifier: MIT
/* Unit tests for src/util/idmap.c: put/get/replace, growth, the last-hit cache, del. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <stdlib.h>
#include <cmocka.h>

#include "idmap.h"

static void test_empty(void **state)
{
	struct ilp_idmap m = { 0 };

	(void)state;
	assert_null(ilp_idmap_get(&m, 0));
	assert_null(ilp_idmap_peek(&m, 42));
	assert_null(ilp_idmap_probe(&m, 42));
	assert_int_equal(m.n, 0);
	ilp_idmap_release(&m);
	ilp_idmap_release(&m);		/* twice: still a no-op */
	assert_null(m.keys);
}

static void test_put_get_replace(void **state)
{
	struct ilp_idmap m = { 0 };
	int a, b, c;

	(void)state;
	assert_int_equal(ilp_idmap_put(&m, 7, &a), 0);
	assert_int_equal(ilp_idmap_put(&m, (uint64_t)-1, &b), 0);	/* pid -1 */
	assert_int_equal(ilp_idmap_put(&m, 0, &c), 0);
	assert_int_equal(m.n, 3);
	assert_ptr_equal(ilp_idmap_get(&m, 7), &a);
	assert_ptr_equal(ilp_idmap_get(&m, (uint64_t)-1), &b);
	assert_ptr_equal(ilp_idmap_get(&m, 0), &c);
	assert_null(ilp_idmap_get(&m, 8));
	/* replace: the count stays, the new value is seen (cached or not) */
	assert_ptr_equal(ilp_idmap_get(&m, 7), &a);
	assert_int_equal(ilp_idmap_put(&m, 7, &c), 0);
	assert_int_equal(m.n, 3);
	assert_ptr_equal(ilp_idmap_get(&m, 7), &c);
	assert_ptr_equal(ilp_idmap_probe(&m, 7), &c);
	assert_int_equal(ilp_idmap_put(&m, 9, NULL), -EINVAL);
	assert_int_equal(m.n, 3);
	ilp_idmap_release(&m);
}

/* the cache never answers for another key, nor keeps a replaced value */
static void test_cache(void **state)
{
	struct ilp_idmap m = { 0 };
	int a, b;

	(void)state;
	assert_int_equal(ilp_idmap_put(&m, 1, &a), 0);
	assert_int_equal(ilp_idmap_put(&m, 2, &b), 0);
	assert_ptr_equal(ilp_idmap_get(&m, 1), &a);
	assert_int_equal(m.last_key, 1);
	assert_ptr_equal(m.last_val, &a);
	assert_ptr_equal(ilp_idmap_peek(&m, 2), &b);
	assert_int_equal(m.last_key, 1);	/* peek does not move the cache */
	assert_null(ilp_idmap_get(&m, 3));
	assert_ptr_equal(m.last_val, &a);	/* a miss does not either */
	assert_int_equal(ilp_idmap_put(&m, 1, &b), 0);
	assert_ptr_equal(ilp_idmap_get(&m, 1), &b);
	ilp_idmap_release(&m);
}

/* many keys, clustered like tids and like aligned addresses: all found after growth */
static void test_growth(void **state)
{
	enum { N = 5000 };
	static int vals[N];
	struct ilp_idmap m = { 0 };
	uint64_t i;

	(void)state;
	for (i = 0; i < N; i++) {
		assert_int_equal(ilp_idmap_put(&m, 1000 + i, &vals[i]), 0);
		assert_int_equal(ilp_idmap_put(&m, 0x7f0000000000ull + i * 64, &vals[N - 1 - i]), 0);
	}
	assert_int_equal(m.n, 2 * N);
	assert_true(m.cap >= 4 * N);
	assert_int_equal(m.cap & (m.cap - 1), 0);
	for (i = 0; i < N; i++) {
		assert_ptr_equal(ilp_idmap_get(&m, 1000 + i), &vals[i]);
		assert_ptr_equal(ilp_idmap_peek(&m, 0x7f0000000000ull + i * 64), &vals[N - 1 - i]);
	}
	assert_null(ilp_idmap_get(&m, 999));
	assert_null(ilp_idmap_get(&m, 1000 + N));
	ilp_idmap_release(&m);
	assert_int_equal(m.n, 0);
	assert_null(m.last_val);
}

/* del: the value back, the key gone, every other key still found (the
 * backward shift keeps probe chains whole, also across the table's end) */
static void test_del(void **state)
{
	enum { N = 3000 };
	static int vals[N];
	struct ilp_idmap m = { 0 };
	uint64_t i;

	(void)state;
	assert_null(ilp_idmap_del(&m, 1));	/* empty map */
	for (i = 0; i < N; i++)
		assert_int_equal(ilp_idmap_put(&m, i * 7, &vals[i]), 0);
	assert_ptr_equal(ilp_idmap_get(&m, 7), &vals[1]);	/* cached */
	assert_ptr_equal(ilp_idmap_del(&m, 7), &vals[1]);
	assert_null(ilp_idmap_get(&m, 7));	/* not from the cache */
	assert_null(ilp_idmap_del(&m, 7));
	for (i = 0; i < N; i += 2)
		if (i != 1)
			assert_ptr_equal(ilp_idmap_del(&m, i * 7), &vals[i]);
	assert_int_equal(m.n, N / 2 - 1);
	for (i = 0; i < N; i++) {
		if (i % 2 == 0 || i == 1)
			assert_null(ilp_idmap_probe(&m, i * 7));
		else
			assert_ptr_equal(ilp_idmap_probe(&m, i * 7), &vals[i]);
	}
	/* put again after del: found, counted once */
	assert_int_equal(ilp_idmap_put(&m, 7, &vals[0]), 0);
	assert_int_equal(ilp_idmap_put(&m, 7, &vals[2]), 0);
	assert_int_equal(m.n, N / 2);
	assert_ptr_equal(ilp_idmap_peek(&m, 7), &vals[2]);
	ilp_idmap_release(&m);
}

/* a full cluster wrapping around the end of a small table */
static void test_del_wrap(void **state)
{
	struct ilp_idmap m = { 0 };
	int vals[7];
	uint64_t keys[7], k;
	size_t n = 0, i;

	(void)state;
	assert_int_equal(ilp_idmap_put(&m, 0, &vals[0]), 0);	/* cap 16 */
	ilp_idmap_del(&m, 0);
	/* keys whose home slots are 14 and 15: their chains wrap to 0, 1... */
	for (k = 1; n < 7 && k < 100000; k++) {
		uint64_t h = k ^ (k >> 33);

		h *= 0xff51afd7ed558ccdull;
		h ^= h >> 33;
		if ((h & 15) >= 14)
			keys[n++] = k;
	}
	assert_int_equal(n, 7);
	for (i = 0; i < n; i++)
		assert_int_equal(ilp_idmap_put(&m, keys[i], &vals[i]), 0);
	assert_int_equal(m.cap, 16);
	for (i = 0; i < n; i += 2) {
		size_t j;

		assert_ptr_equal(ilp_idmap_del(&m, keys[i]), &vals[i]);
		for (j = i + 1; j < n; j++)
			assert_ptr_equal(ilp_idmap_probe(&m, keys[j]), &vals[j]);
	}
	ilp_idmap_release(&m);
}

/* distinct keys counted exactly up to ILP_IDCOUNT_MAX, then a lower bound */
static void test_idcount(void **state)
{
	struct ilp_idcount c = { 0 };
	uint64_t i;

	(void)state;
	for (i = 0; i < 1000; i++) {
		assert_int_equal(ilp_idcount_add(&c, i % 300), 0);
		assert_int_equal(ilp_idcount_add(&c, 0x7f0000000000ull + i * 8), 0);
	}
	assert_int_equal(c.n, 1300);
	assert_false(c.over);
	for (i = 0; i < ILP_IDCOUNT_MAX; i++)
		assert_int_equal(ilp_idcount_add(&c, 1000000 + i), 0);
	assert_int_equal(c.n, ILP_IDCOUNT_MAX);
	assert_true(c.over);
	assert_null(c.seen.keys);	/* the set is freed once it cannot answer */
	assert_int_equal(ilp_idcount_add(&c, 5), 0);
	assert_int_equal(c.n, ILP_IDCOUNT_MAX);
	ilp_idcount_release(&c);
	assert_int_equal(c.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_put_get_replace),
		cmocka_unit_test(test_cache),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_del),
		cmocka_unit_test(test_del_wrap),
		cmocka_unit_test(test_idcount),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
