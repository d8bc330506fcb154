// SPDX-License-Identifier: MIT
/*
 * Unit tests for src/util/pagering.c: watch's before-buffer keeps pages
 * per CPU in order, evicts by time (never the page that spans the
 * cut-off) and by bytes (the oldest of all first), and reuses buffers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>

#include "pagering.h"

#define PAGE 64

static void add(struct ilp_pagering *r, int cpu, uint64_t ts, uint64_t read_ts)
{
	unsigned char p[PAGE];

	memset(p, 0xab, sizeof(p));
	memcpy(p, &ts, sizeof(ts));
	assert_int_equal(ilp_pagering_add(r, cpu, p, sizeof(p), read_ts), 0);
}

static uint64_t ts_at(struct ilp_pagering *r, int cpu, size_t i)
{
	const void *p = ilp_pagering_page(r, cpu, i);

	assert_non_null(p);
	return ilp_pagering_page_ts(p);
}

static void test_evict_by_time(void **state)
{
	struct ilp_pagering *r;

	(void)state;
	assert_int_equal(ilp_pagering_new(2, PAGE, 100 * PAGE, &r), 0);
	assert_int_equal(ilp_pagering_oldest(r), UINT64_MAX);
	add(r, 0, 10, 15);
	add(r, 0, 20, 25);
	add(r, 0, 30, 35);
	add(r, 1, 12, 40);	/* read late: its events may reach 40 */
	assert_int_equal(ilp_pagering_oldest(r), 10);
	assert_int_equal(ilp_pagering_bytes(r), 4 * PAGE);
	/* cut-off 22: cpu0's page 10 goes (read at 15, and 20 starts before
	 * 22), page 20 spans 22 and stays; cpu1's one page was read after 22 */
	ilp_pagering_evict(r, 22);
	assert_int_equal(ilp_pagering_count(r, 0), 2);
	assert_int_equal(ts_at(r, 0, 0), 20);
	assert_int_equal(ts_at(r, 0, 1), 30);
	assert_int_equal(ilp_pagering_count(r, 1), 1);
	assert_int_equal(ilp_pagering_oldest(r), 12);
	/* cut-off 30: page 20 goes (30 starts at the cut-off) */
	ilp_pagering_evict(r, 30);
	assert_int_equal(ilp_pagering_count(r, 0), 1);
	assert_int_equal(ts_at(r, 0, 0), 30);
	/* cut-off 40: the lone pages go once read at or before it */
	ilp_pagering_evict(r, 40);
	assert_int_equal(ilp_pagering_count(r, 0), 0);
	assert_int_equal(ilp_pagering_count(r, 1), 0);
	assert_int_equal(ilp_pagering_bytes(r), 0);
	assert_int_equal(ilp_pagering_dropped(r), 0);	/* time, not room */
	assert_null(ilp_pagering_page(r, 0, 0));
	ilp_pagering_free(r);
}

static void test_evict_by_bytes(void **state)
{
	struct ilp_pagering *r;
	uint64_t t;

	(void)state;
	assert_int_equal(ilp_pagering_new(2, PAGE, 3 * PAGE + PAGE / 2, &r), 0);	/* 3 pages */
	add(r, 0, 10, 100);
	add(r, 1, 5, 100);
	add(r, 0, 20, 100);
	add(r, 1, 30, 100);	/* full: cpu1's 5 is the oldest of all */
	assert_int_equal(ilp_pagering_dropped(r), 1);
	assert_int_equal(ilp_pagering_count(r, 1), 1);
	assert_int_equal(ts_at(r, 1, 0), 30);
	add(r, 1, 40, 100);	/* then cpu0's 10 */
	assert_int_equal(ilp_pagering_dropped(r), 2);
	assert_int_equal(ilp_pagering_count(r, 0), 1);
	assert_int_equal(ts_at(r, 0, 0), 20);
	assert_int_equal(ilp_pagering_bytes(r), 3 * PAGE);
	/* many more: wraps the FIFOs and reuses buffers, order kept */
	for (t = 50; t < 1000; t += 10)
		add(r, (int)(t / 10) % 2, t, 2000);
	assert_int_equal(ilp_pagering_bytes(r), 3 * PAGE);
	assert_int_equal(ilp_pagering_oldest(r), 970);
	assert_int_equal(ts_at(r, 1, 0), 970);
	assert_int_equal(ts_at(r, 0, 0), 980);
	assert_int_equal(ts_at(r, 1, 1), 990);
	ilp_pagering_clear(r);
	assert_int_equal(ilp_pagering_bytes(r), 0);
	ilp_pagering_free(r);
}

static void test_short_page_and_bad(void **state)
{
	struct ilp_pagering *r;
	unsigned char p[PAGE] = { 7 };
	const unsigned char *got;

	(void)state;
	assert_int_equal(ilp_pagering_new(0, PAGE, PAGE, &r), -EINVAL);
	assert_null(r);
	assert_int_equal(ilp_pagering_new(1, PAGE, 0, &r), 0);	/* one page per CPU at least */
	assert_int_equal(ilp_pagering_add(r, 1, p, PAGE, 0), -EINVAL);
	assert_int_equal(ilp_pagering_add(r, 0, p, PAGE + 1, 0), -EINVAL);
	assert_int_equal(ilp_pagering_add(r, 0, p, 0, 0), -EINVAL);
	memset(p + 8, 0xee, 8);
	assert_int_equal(ilp_pagering_add(r, 0, p, 16, 0), 0);	/* short: zero-filled */
	got = ilp_pagering_page(r, 0, 0);
	assert_int_equal(got[0], 7);
	assert_int_equal(got[15], 0xee);
	assert_int_equal(got[16], 0);
	assert_int_equal(got[PAGE - 1], 0);
	ilp_pagering_free(r);
	ilp_pagering_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_evict_by_time),
		cmocka_unit_test(test_evict_by_bytes),
		cmocka_unit_test(test_short_page_and_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
