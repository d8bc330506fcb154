// SPDX-License-Identifier: MIT
/*
 * Unit tests for the live reader's path over saved pages (source.h,
 * ilp_ftrace_open_dir): tests/fixtures/capture_threads is what
 * scripts/capture-raw.sh saved of `threads 4 1000` (4 workers, 1000
 * write(2) calls each, on both CPUs of the machine that made it).  Every
 * drain rhythm must deliver the same events, in time order, and exactly
 * the workload's writes: the page parser, the per-CPU merge and what a
 * drain holds back for the next are all on this path.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "event.h"
#include "source.h"
#include "syscalls.h"

#define WORKERS 4
#define WRITES 1000

struct tally {
	uint64_t last_ts, events, decoded, unordered;
	uint64_t writes, enters, exits;
	int32_t tids[16];
	uint64_t per_tid[16];
	int ntids;
	int nr_write;
};

static const char *fixture(void)
{
	const char *dir = getenv("ILP_FIXTURES");

	return dir && *dir ? dir : "tests/fixtures";
}

static int count(const struct ilp_event *ev, void *arg)
{
	struct tally *t = arg;
	int i;

	t->events++;
	if (ev->ts < t->last_ts)
		t->unordered++;
	t->last_ts = ev->ts;
	if (ev->kind == ILP_EV_FD_INFO)
		return 0;	/* the resolver's, from /proc now: not the file's */
	t->decoded++;
	t->enters += ev->kind == ILP_EV_SYS_ENTER;
	t->exits += ev->kind == ILP_EV_SYS_EXIT;
	if (ev->kind != ILP_EV_SYS_EXIT || ev->nr != t->nr_write || ev->ret != 1)
		return 0;
	t->writes++;
	for (i = 0; i < t->ntids && t->tids[i] != ev->tid; i++)
		;
	if (i == t->ntids && t->ntids < 16)
		t->tids[t->ntids++] = ev->tid;
	if (i < 16)
		t->per_tid[i]++;
	return 0;
}

static void replay(unsigned round_ms, struct tally *t, struct ilp_source_counters *c)
{
	char dir[4096];
	struct ilp_ftrace *f;

	snprintf(dir, sizeof(dir), "%s/capture_threads", fixture());
	memset(t, 0, sizeof(*t));
	t->nr_write = ilp_syscall_nr("write");
	assert_int_equal(ilp_ftrace_open_dir(dir, 2, round_ms, &f), 0);
	assert_int_equal(ilp_ftrace_drain(f, 1, count, t), 0);
	*c = *ilp_ftrace_counters(f);
	ilp_ftrace_close(f);
}

static void test_every_rhythm_same_events(void **state)
{
	static const unsigned rounds[] = { 0, 1, 3, 20, 1000 };
	struct ilp_source_counters c0, c;
	struct tally t0, t;
	size_t i;
	int k;

	(void)state;
	replay(0, &t0, &c0);
	assert_int_equal(c0.missed, 0);
	assert_int_equal(c0.malformed, 0);
	assert_int_equal(c0.unknown, 0);
	assert_true(c0.records > 2 * WORKERS * WRITES);
	assert_int_equal(t0.decoded, c0.records);
	assert_int_equal(t0.unordered, 0);
	/* exactly the workload's writes, 1000 in each worker */
	assert_int_equal(t0.writes, WORKERS * WRITES);
	assert_int_equal(t0.ntids, WORKERS);
	for (k = 0; k < WORKERS; k++)
		assert_int_equal(t0.per_tid[k], WRITES);
	for (i = 1; i < sizeof(rounds) / sizeof(rounds[0]); i++) {
		replay(rounds[i], &t, &c);
		assert_int_equal(c.records, c0.records);
		assert_int_equal(c.pages, c0.pages);
		assert_int_equal(t.decoded, t0.decoded);
		assert_int_equal(t.unordered, 0);
		assert_int_equal(t.enters, t0.enters);
		assert_int_equal(t.exits, t0.exits);
		assert_int_equal(t.writes, WORKERS * WRITES);
	}
}

static void test_both_cpus_in_the_capture(void **state)
{
	char path[4096];
	int cpu;

	(void)state;
	/* the merge is only tested if both CPUs have pages */
	for (cpu = 0; cpu < 2; cpu++) {
		FILE *fp;
		long size;

		snprintf(path, sizeof(path), "%s/capture_threads/cpu%d.raw", fixture(), cpu);
		fp = fopen(path, "rb");
		assert_non_null(fp);
		assert_int_equal(fseek(fp, 0, SEEK_END), 0);
		size = ftell(fp);
		fclose(fp);
		assert_true(size >= 16 * 4096);
	}
}

static void test_missing_capture(void **state)
{
	struct ilp_ftrace *f = (struct ilp_ftrace *)1;

	(void)state;
	assert_int_equal(ilp_ftrace_open_dir("/nonexistent-capture", 2, 0, &f), -ENOENT);
	assert_null(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_both_cpus_in_the_capture),
		cmocka_unit_test(test_every_rhythm_same_events),
		cmocka_unit_test(test_missing_capture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
