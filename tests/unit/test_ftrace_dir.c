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

/*
 * --stacks: user_stack records (ftrace:user_stack, 8 callers) on pages
 * written here, USTACK_PAGES of them, so the reader's ring grows while
 * every one is held (one round) and wraps while the rounds deliver (1 ms):
 * each event's pcs are its own, zero past the last, and stay so however
 * the ring moved them.  Record s has s % 9 pcs: s * 16 + 1, + 2, ...
 */
#define USTACK_ID 13
#define USTACK_PAGES 300
#define USTACK_PAGE_NS 100000	/* 30 ms of trace: 30 rounds of 1 ms */
#define USTACK_REC 84		/* its u32 header, 8 common, tgid, pad, caller[8] */

struct ustacks {
	uint64_t seen, bad, last_ts;
};

static int check_ustack(const struct ilp_event *ev, void *arg)
{
	struct ustacks *u = arg;
	uint64_t s = u->seen++;
	unsigned j;

	if (ev->kind != ILP_EV_USTACK || ev->tid != 43 || ev->pid != 42 || !ev->ustack.pc ||
	    ev->ts <= u->last_ts) {
		u->bad++;
		return 0;
	}
	u->last_ts = ev->ts;
	for (j = 0; j < ILP_USTACK_PCS; j++)
		if (ev->ustack.pc[j] != (j < s % 9 ? s * 16 + j + 1 : 0))
			u->bad++;
	return 0;
}

static void copy_file(const char *from, const char *to)
{
	char buf[8192];
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	size_t n;

	assert_non_null(in);
	assert_non_null(out);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

/* a capture dir of one CPU: the fixture's formats, user_stack's, the pages */
static void ustack_capture(char *dir)
{
	static const char *const events[] = {
		"raw_syscalls/sys_enter", "raw_syscalls/sys_exit", "task/task_newtask",
		"sched/sched_process_exec", "sched/sched_process_exit",
	};
	char from[4096], to[4096 + 64], cmd[4096 + 64];
	unsigned char page[4096];
	uint64_t s = 0;
	size_t i;
	FILE *fp;
	int p;

	assert_non_null(mkdtemp(dir));
	for (i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		snprintf(cmd, sizeof(cmd), "mkdir -p %s/events/%s", dir, events[i]);
		assert_int_equal(system(cmd), 0);
		snprintf(from, sizeof(from), "%s/capture_threads/events/%s/format", fixture(), events[i]);
		snprintf(to, sizeof(to), "%s/events/%s/format", dir, events[i]);
		copy_file(from, to);
	}
	snprintf(from, sizeof(from), "%s/capture_threads/events/header_page", fixture());
	snprintf(to, sizeof(to), "%s/events/header_page", dir);
	copy_file(from, to);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/events/ftrace/user_stack", dir);
	assert_int_equal(system(cmd), 0);
	snprintf(to, sizeof(to), "%s/events/ftrace/user_stack/format", dir);
	fp = fopen(to, "w");
	assert_non_null(fp);
	fprintf(fp, "name: user_stack\nID: %d\nformat:\n"
		"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
		"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
		"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
		"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
		"\tfield:unsigned int tgid;\toffset:8;\tsize:4;\tsigned:0;\n"
		"\tfield:unsigned long caller[8];\toffset:16;\tsize:64;\tsigned:0;\n\n"
		"print fmt: \"\\t=> %%ps\\n\", (void *)REC->caller[0]\n", USTACK_ID);
	assert_int_equal(fclose(fp), 0);
	snprintf(to, sizeof(to), "%s/cpu0.raw", dir);
	fp = fopen(to, "wb");
	assert_non_null(fp);
	for (p = 0; p < USTACK_PAGES; p++) {
		uint64_t ts = 1000000000ull + (uint64_t)p * USTACK_PAGE_NS, commit;
		size_t off = 16;

		memset(page, 0, sizeof(page));
		memcpy(page, &ts, 8);
		for (; off + USTACK_REC <= sizeof(page); off += USTACK_REC, s++) {
			uint32_t hdr = (USTACK_REC - 4) / 4 | 1u << 5;	/* type_len, delta 1 */
			uint16_t type = USTACK_ID;
			int32_t tid = 43;
			uint32_t tgid = 42;
			unsigned j;

			memcpy(page + off, &hdr, 4);
			memcpy(page + off + 4, &type, 2);
			memcpy(page + off + 8, &tid, 4);
			memcpy(page + off + 12, &tgid, 4);
			for (j = 0; j < s % 9; j++) {
				uint64_t pc = s * 16 + j + 1;

				memcpy(page + off + 20 + 8 * j, &pc, 8);
			}
		}
		commit = off - 16;
		memcpy(page + 8, &commit, 8);
		assert_int_equal(fwrite(page, 1, sizeof(page), fp), sizeof(page));
	}
	assert_int_equal(fclose(fp), 0);
}

static void test_user_stacks_kept_while_held(void **state)
{
	static const unsigned rounds[] = { 0, 1 };
	char dir[] = "/tmp/ilp-ustack-XXXXXX", cmd[64];
	struct ustacks u;
	struct ilp_ftrace *f;
	size_t i;

	(void)state;
	ustack_capture(dir);
	for (i = 0; i < sizeof(rounds) / sizeof(rounds[0]); i++) {
		memset(&u, 0, sizeof(u));
		assert_int_equal(ilp_ftrace_open_dir(dir, 1, rounds[i], &f), 0);
		assert_int_equal(ilp_ftrace_drain(f, 1, check_ustack, &u), 0);
		assert_int_equal(ilp_ftrace_counters(f)->ustacks, USTACK_PAGES * (4080 / USTACK_REC));
		assert_int_equal(ilp_ftrace_counters(f)->malformed, 0);
		ilp_ftrace_close(f);
		assert_int_equal(u.seen, USTACK_PAGES * (4080 / USTACK_REC));
		assert_int_equal(u.bad, 0);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* the marker events' deliveries: [0] the old one, [1] the new one */
static int marker(const struct ilp_event *ev, void *arg)
{
	int *seen = arg;

	if (ev->kind == ILP_EV_TASK_INFO && ev->tid >= 999998)
		seen[ev->tid - 999998]++;
	return 0;
}

static int pages_seen(void *ctx, int cpu, const void *page, size_t size)
{
	(void)cpu;
	(void)page;
	(void)size;
	++*(int *)ctx;
	return 0;
}

/* a reader of the capture with two injected events: 10 ms old, and one
 * a second ahead (after any drain's start here, however slow the build) */
static struct ilp_ftrace *two_markers(const struct ilp_ftrace_tap *tap)
{
	struct ilp_event ev = { .kind = ILP_EV_TASK_INFO, .pid = 999998, .tid = 999998 };
	struct ilp_ftrace *f;
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s/capture_threads", fixture());
	assert_int_equal(ilp_ftrace_open_dir(dir, 2, 0, &f), 0);
	ilp_ftrace_set_tap(f, tap);
	ev.ts = ilp_now_ns() - 10000000;
	assert_int_equal(ilp_ftrace_inject(f, &ev), 0);
	ev.ts = ilp_now_ns() + 1000000000;
	ev.pid = ev.tid = 999999;
	assert_int_equal(ilp_ftrace_inject(f, &ev), 0);
	return f;
}

/*
 * A live drain delivers what came before its start (a second pass reads
 * what came meanwhile, so the names read while decoding are checked);
 * with record's page tap it has no second pass, and holds back what came
 * after the previous drain's start.  Two injected events: one 10 ms old,
 * one a second ahead (only a final drain delivers it).
 */
static void test_drain_delivers_before_its_start(void **state)
{
	struct ilp_ftrace_tap tap = { .page = pages_seen };
	struct ilp_ftrace *f;
	int seen[2] = { 0, 0 }, pages = 0;

	(void)state;
	f = two_markers(NULL);
	assert_int_equal(ilp_ftrace_drain(f, 0, marker, seen), 0);
	assert_int_equal(seen[0], 1);
	assert_int_equal(seen[1], 0);
	assert_int_equal(ilp_ftrace_drain(f, 1, marker, seen), 0);
	assert_int_equal(seen[0], 1);
	assert_int_equal(seen[1], 1);
	ilp_ftrace_close(f);

	seen[0] = seen[1] = 0;
	tap.ctx = &pages;
	f = two_markers(&tap);
	assert_int_equal(ilp_ftrace_drain(f, 0, marker, seen), 0);
	assert_int_equal(seen[0] + seen[1], 0);
	assert_int_equal(pages, (int)ilp_ftrace_counters(f)->pages);	/* each page once */
	assert_int_equal(ilp_ftrace_drain(f, 0, marker, seen), 0);
	assert_int_equal(seen[0], 1);
	assert_int_equal(seen[1], 0);
	assert_int_equal(pages, (int)ilp_ftrace_counters(f)->pages);
	ilp_ftrace_close(f);
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
		cmocka_unit_test(test_user_stacks_kept_while_held),
		cmocka_unit_test(test_drain_delivers_before_its_start),
		cmocka_unit_test(test_missing_capture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
