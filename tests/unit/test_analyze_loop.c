// SPDX-License-Identifier: MIT
/*
 * The loop detector and the grouping (src/detect/analyze_loop.c,
 * analyze.c): one finding per loop with its exact iteration count, the
 * findings on its objects nested under it, no call counted twice (the
 * fixture checks the sum rule on every run), and what stays a plain
 * finding.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "analyze.h"
#include "fdtest.h"

#define WALL (10000 * MS)

#include "analyze_fixture.h"

/* one transaction: open the journal (fd jfd), pwrite x10, fdatasync x2,
 * close, unlink, fsync of the directory (opened and closed); 2634 us */
static void txn(struct stream *s, int jfd, const char *journal, const char *dir)
{
	int i;

	open_named(s, jfd, journal, 0);
	for (i = 0; i < 10; i++)
		call6(s, "pwrite64", 10 * US, 512, (uint64_t)jfd, 0, 512, (uint64_t)i * 512);
	call(s, "fdatasync", 1 * MS, 0, jfd);
	call(s, "fdatasync", 1 * MS, 0, jfd);
	call(s, "close", 2 * US, 0, jfd);
	call(s, "unlink", 20 * US, 0, 0);
	call6(s, "openat", 5 * US, jfd + 1, (uint64_t)-100, 0, 0, 0);
	fdinfo(s, jfd + 1, ILP_OBJ_DIR, dir);
	call(s, "fsync", 500 * US, 0, jfd + 1);
	call(s, "close", 2 * US, 0, jfd + 1);
}

#define TXN_NS (2634 * US)

static size_t top_level(const struct fixture *x)
{
	size_t i, n = 0;

	for (i = 0; i < x->f.n; i++)
		n += !x->f.v[i].nested;
	return n;
}

static void test_transaction_group(void **state)
{
	struct fixture *x = *state;
	const struct ilp_finding *f;
	size_t i;
	int k;

	for (k = 0; k < 300; k++)
		txn(&x->s, 3, "/db/journal", "/db");
	assert_int_equal(run(x, "loop"), 1);
	assert_int_equal(top_level(x), 1);		/* one cause, one finding */
	f = &x->f.v[0];
	assert_string_equal(f->kind, "loop");
	assert_int_equal(f->nested, 0);
	assert_int_equal(f->tid, 100);
	assert_int_equal(f->count, 300);
	assert_int_equal(f->threshold, 20);
	assert_int_equal(f->time_ns, 300 * TXN_NS);
	/* batched into one: 299/300 of every step */
	assert_int_equal(f->saving_ns, 299 * TXN_NS);
	assert_int_equal(f->saving_calls, 6 * 299 + 2990 + 598);
	assert_string_equal(f->what, "a transaction per item, 300 times: openat A -> pwrite64 x10 A"
			    " -> fdatasync x2 A -> close A -> unlink -> openat B -> fsync B -> close B"
			    " (A = file /db/journal, B = dir /db)");
	assert_string_equal(f->object, "file /db/journal, dir /db");
	assert_non_null(strstr(f->evidence, "each iteration: 18 calls in 2.63 ms (fdatasync x2 on A:"
				 " 2.00 ms); 790 ms inside the loop's calls (7.9% of wall time)"));
	assert_string_equal(f->why, "the same 8 steps on 2 objects, in order, 300 times >= 20"
			    " (--loop-min); every iteration syncs");
	assert_non_null(strstr(f->fix, "one transaction and one sync per batch"));
	assert_non_null(strstr(f->fix, "keep the files open"));
	assert_int_equal(f->severity, ILP_SEV_MEDIUM);
	/* nested: the syncs of both objects, the reopens of both */
	assert_int_equal(f->nchildren, 4);
	assert_int_equal(x->f.n, 5);
	for (i = 1; i <= 4; i++) {
		assert_int_equal(x->f.v[i].nested, 1);
		assert_int_equal(x->f.v[i].nchildren, 0);
	}
	/* by time: every call on the journal, then its syncs, the dir's... */
	assert_string_equal(x->f.v[1].kind, "repeat");
	assert_string_equal(x->f.v[1].object, "file /db/journal");
	assert_int_equal(x->f.v[1].count, 300);
	assert_string_equal(x->f.v[2].kind, "fsync");
	assert_string_equal(x->f.v[2].object, "file /db/journal");
	assert_int_equal(x->f.v[2].count, 600);
	assert_string_equal(x->f.v[3].kind, "repeat");
	assert_string_equal(x->f.v[3].object, "dir /db");
	assert_string_equal(x->f.v[4].kind, "fsync");
	assert_string_equal(x->f.v[4].object, "dir /db");
	assert_int_equal(x->f.v[4].count, 300);
	/* what the loop left of the syncs: 1/300 of 600 ms, nothing counted twice */
	assert_true(x->f.v[2].saving_ns <= 2 * MS);
}

/* the journal's name lost in some items (another unresolved fd each time
 * for two reasons): still one loop, the same saving to the call (each
 * step's calls rounded once, split over its objects), the lost fds'
 * findings nested */
static void test_missed_names_group(void **state)
{
	struct fixture *x = *state;
	int k, i;

	for (k = 0; k < 300; k++) {
		int jfd = k % 3 == 1 ? 7 : k % 5 == 2 ? 8 : 3;

		if (jfd == 3) {
			txn(&x->s, 3, "/db/journal", "/db");
			continue;
		}
		call6(&x->s, "openat", 5 * US, jfd, (uint64_t)-100, 0, 0, 0);	/* no name */
		for (i = 0; i < 10; i++)
			call6(&x->s, "pwrite64", 10 * US, 512, (uint64_t)jfd, 0, 512, (uint64_t)i * 512);
		call(&x->s, "fdatasync", 1 * MS, 0, jfd);
		call(&x->s, "fdatasync", 1 * MS, 0, jfd);
		call(&x->s, "close", 2 * US, 0, jfd);
		call(&x->s, "unlink", 20 * US, 0, 0);
		call6(&x->s, "openat", 5 * US, jfd + 1, (uint64_t)-100, 0, 0, 0);
		fdinfo(&x->s, jfd + 1, ILP_OBJ_DIR, "/db");
		call(&x->s, "fsync", 500 * US, 0, jfd + 1);
		call(&x->s, "close", 2 * US, 0, jfd + 1);
	}
	assert_int_equal(run(x, "loop"), 1);
	assert_int_equal(top_level(x), 1);
	assert_int_equal(x->f.v[0].count, 300);
	assert_int_equal(x->f.v[0].saving_calls, 6 * 299 + 2990 + 598);
	assert_non_null(strstr(x->f.v[0].what, "(A = file /db/journal, its name lost in some"
				 " iterations (fd 7, fd 8), B = dir /db)"));
	for (i = 1; i <= (int)x->f.v[0].nchildren; i++)
		assert_int_equal(x->f.v[i].nested, 1);
	assert_true(x->f.v[0].nchildren >= 5);	/* fsync storms on fd 7 and fd 8 too */
}

/* noise between and inside iterations: the count stays exact */
static void test_noise_exact(void **state)
{
	struct fixture *x = *state;
	int k;

	open_named(&x->s, 9, "/var/log/app.log", 0);
	for (k = 0; k < 300; k++) {
		if (k % 5 == 2)
			call(&x->s, "write", 3 * US, 40, 9);
		txn(&x->s, 3, "/db/journal", "/db");
	}
	assert_int_equal(run(x, "loop"), 1);
	assert_int_equal(x->f.v[0].count, 300);
	assert_string_equal(x->f.v[0].kind, "loop");
}

/* both sides of --loop-min */
static void test_loop_min(void **state)
{
	struct fixture *x = *state;
	int k;

	for (k = 0; k < 19; k++)
		txn(&x->s, 3, "/db/journal", "/db");
	assert_int_equal(run(x, "loop"), 0);
	x->th.loop_min = 19;
	assert_int_equal(run(x, "loop"), 1);
	assert_int_equal(x->f.v[0].count, 19);
}

/* one object, one detector: the finding is the diagnosis (no group);
 * one object, two detectors (reopened and synced per item): a group */
static void test_one_object(void **state)
{
	struct fixture *x = *state;
	int k;

	open_named(&x->s, 3, "/db/wal", 0);
	for (k = 0; k < 200; k++) {
		call(&x->s, "write", 5 * US, 64, 3);
		call(&x->s, "fsync", 1 * MS, 0, 3);
	}
	assert_int_equal(run(x, "loop"), 0);
	assert_int_equal(run(x, "fsync"), 1);
	assert_int_equal(x->f.n, 1);
	for (k = 0; k < 200; k++) {
		open_named(&x->s, 4, "/db/log", 0);
		call(&x->s, "write", 5 * US, 64, 4);
		call(&x->s, "fsync", 1 * MS, 0, 4);
		call(&x->s, "close", 1 * US, 0, 4);
	}
	assert_int_equal(run(x, "loop"), 1);
	assert_int_equal(top_level(x), 2);	/* the loop, and the wal's storm */
	assert_string_equal(x->f.v[0].kind, "loop");
	assert_int_equal(x->f.v[0].nchildren, 2);	/* fsync storm and repeat on /db/log */
	assert_string_equal(x->f.v[0].what, "a transaction per item, 200 times: openat A -> write A"
			    " -> fsync A -> close A (A = file /db/log)");
}

/* what is no loop finding: a request/response loop (N+1's), a copy loop
 * (no per-item overhead), the same work on a new file each time */
static void test_silent(void **state)
{
	struct fixture *x = *state;
	char path[32];
	int k;

	call6(&x->s, "socket", 2 * US, 3, 2, 1, 0, 0);
	call6(&x->s, "connect", 20 * US, 0, 3, 0, 16, 0);
	fdinfo(&x->s, 3, ILP_OBJ_TCP, "127.0.0.1:1 -> 127.0.0.1:2");
	for (k = 0; k < 200; k++) {
		call(&x->s, "sendto", 5 * US, 16, 3);
		call(&x->s, "recvfrom", 100 * US, 64, 3);
	}
	open_named(&x->s, 4, "/src", 0);
	open_named(&x->s, 5, "/dst", 0);
	for (k = 0; k < 200; k++) {
		call(&x->s, "read", 20 * US, 65536, 4);
		call(&x->s, "write", 20 * US, 65536, 5);
	}
	for (k = 0; k < 200; k++) {
		snprintf(path, sizeof(path), "/tmp/f%d", k);
		open_named(&x->s, 6, path, 0);
		call(&x->s, "read", 2 * US, 10, 6);
		call(&x->s, "close", 1 * US, 0, 6);
	}
	/* a file whose name was lost at every open, and a log: one object with
	 * a name, the other may stand for anything (no loop of 2 objects) */
	open_named(&x->s, 9, "/var/log/app.log", 0);
	for (k = 0; k < 200; k++) {
		call6(&x->s, "openat", 5 * US, 7, (uint64_t)-100, 0, 0, 0);	/* no name */
		call(&x->s, "read", 2 * US, 10, 7);
		call(&x->s, "close", 1 * US, 0, 7);
		call(&x->s, "write", 2 * US, 20, 9);
	}
	assert_int_equal(run(x, "loop"), 0);
	assert_int_equal(run(x, "nplus1"), 1);
}

/* two threads, interleaved, each its own loop: two groups, exact counts */
static void test_two_threads(void **state)
{
	struct fixture *x = *state;
	int k;

	for (k = 0; k < 150; k++) {
		x->s.tid = 100;
		txn(&x->s, 3, "/db/a-journal", "/db/a");
		x->s.tid = 101;
		txn(&x->s, 5, "/db/b-journal", "/db/b");
	}
	assert_int_equal(run(x, "loop"), 2);
	assert_int_equal(top_level(x), 2);
	assert_int_equal(x->f.v[0].count, 150);
	assert_int_equal(x->f.v[0].nchildren, 4);
	assert_int_equal(x->f.v[5].count, 150);
	assert_int_equal(x->f.v[5].nchildren, 4);
	assert_true(x->f.v[0].tid != x->f.v[5].tid);
}

/* the text: the group, its nested findings indented under it, then the
 * minor line for what is under 1 % of the wall time */
static void test_text_group(void **state)
{
	struct fixture *x = *state;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int k;

	for (k = 0; k < 300; k++)
		txn(&x->s, 3, "/db/journal", "/db");
	open_named(&x->s, 7, "/tmp/log", 0);
	for (k = 0; k < 1000; k++)	/* 9.99 ms to save: minor */
		call(&x->s, "write", 10 * US, 1, 7);
	run(x, "loop");
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	render_findings(x, f, 1, 0);
	fclose(f);
	assert_non_null(strstr(buf, "\nFindings (2, ranked by the time a fix would save; their"
				 " savings add up to ~800 ms, 8.0% of wall time):\n\n[loop] a transaction"
				 " per item, 300 times: openat A -> "));
	assert_non_null(strstr(buf, "; saves up to ~788 ms and 5382 syscalls (severity: medium)\n"
				 "      inside it (4 findings on its objects):\n"
				 "        [repeat] file /db/journal opened 300 times and stat'ed 0 times\n"
				 "              pid 100 (?) tid 100: 4200 calls on it"));
	assert_non_null(strstr(buf, "\n        [fsync storm] 600 syncs on file /db/journal\n"));
	assert_non_null(strstr(buf, "; saves up to ~500 us more than the group\n"
				 "\nminor: 1 finding under 1% of wall time each ([unbuffered]), saving"
				 " ~9.99 ms in all; --all lists them\n"));
	assert_null(strstr(buf, "\n[unbuffered]"));
	free(buf);
}

/* json: the group's nested findings in its "children"; html: nested rows
 * under the group, the minor findings in a closed <details> */
static void test_json_html_group(void **state)
{
	struct fixture *x = *state;
	struct ilp_report_info info = { 0 };
	struct ilp_report_opts ro = { 0 };
	char *buf = NULL;
	size_t len = 0;
	const char *p;
	FILE *f;
	int k;

	for (k = 0; k < 300; k++)
		txn(&x->s, 3, "/db/journal", "/db");
	open_named(&x->s, 7, "/tmp/log", 0);
	for (k = 0; k < 1000; k++)
		call(&x->s, "write", 10 * US, 1, 7);
	run(x, "loop");
	info.findings = x->f.v;
	info.nfindings = x->f.n;
	info.ndetectors = ilp_detector_count();
	info.end_ts = WALL;
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(ilp_report_json(f, x->s.m, &info, &ro), 0);
	fclose(f);
	p = strstr(buf, "\"kind\": \"loop\"");
	assert_non_null(p);
	p = strstr(p, "\"children\": [");
	assert_non_null(p);
	assert_non_null(strstr(p, "\"kind\": \"fsync\""));
	/* the minor one is listed (json lists all), after the group, childless */
	p = strstr(buf, "\"kind\": \"unbuffered\"");
	assert_non_null(p);
	assert_non_null(strstr(p, "\"children\": []"));
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(ilp_report_html(f, x->s.m, &info, &ro), 0);
	fclose(f);
	assert_non_null(strstr(buf, "<tr class=\"ilp-nested\"><td>-</td><td>&#8627; fsync storm</td>"));
	p = strstr(buf, "<details><summary>1 minor finding, each under 1% of the wall time,"
		   " saving 9.99 ms in all</summary>");
	assert_non_null(p);
	assert_non_null(strstr(p, "<td>unbuffered</td>"));
	assert_non_null(strstr(buf, "<a href=\"#findings\">Findings (2)</a>"));
	free(buf);
}


/* the demo's orders (tests/workloads/demo.c): the directory open on fd 4
 * throughout, each item's journal on fd 5: openat, pwrite64 x4,
 * fdatasync x2, close, unlink, fsync of the directory; the journal named
 * from the call's argument, or its name lost (fast mode: closed before it
 * could be read) in any subset of the items */
static void demo_item_why(struct stream *s, const char *why)
{
	int i;

	call6(s, "openat", 5 * US, 5, (uint64_t)-100, 0x1000, 0, 0);
	if (why)
		fdinfo(s, 5, ILP_OBJ_UNRESOLVED | ILP_OBJ_SRC(ILP_NAME_SRC_LOST), why);
	else
		fdinfo(s, 5, ILP_OBJ_FILE | ILP_OBJ_SRC(ILP_NAME_SRC_ARG), "/tmp/d/orders.db-journal");
	for (i = 0; i < 4; i++)
		call6(s, "pwrite64", 10 * US, 512, 5, 0, 512, (uint64_t)i * 512);
	call(s, "fdatasync", 1 * MS, 0, 5);
	call(s, "fdatasync", 1 * MS, 0, 5);
	call(s, "close", 2 * US, 0, 5);
	call(s, "unlink", 20 * US, 0, 0);
	call(s, "fsync", 500 * US, 0, 4);
}

static void demo_item(struct stream *s, int lost)
{
	demo_item_why(s, lost ? "closed before it could be read" : NULL);
}

/* any share of the items lost the journal's name, all of them included:
 * one loop of 40 items, the syncs nested under it (one cause, one
 * finding), the legend as honest as the names */
static void test_demo_lost_any(void **state)
{
	struct fixture *x = *state;
	const char *legend;
	char want[256];
	unsigned seed;
	size_t i;
	int k, nlost;

	for (seed = 0; seed < 202; seed++) {
		unsigned r = seed * 2654435761u;
		int pct = (int)(seed % 101);

		teardown(state);
		assert_int_equal(setup(state), 0);
		x = *state;
		open_named(&x->s, 4, "/tmp/d", 0);
		for (k = nlost = 0; k < 40; k++) {
			int lost;

			r = r * 1103515245u + 12345u;
			lost = (int)((r >> 16) % 100) < pct;
			nlost += lost;
			demo_item(&x->s, lost);
		}
		assert_int_equal(run(x, "loop"), 1);
		assert_int_equal(top_level(x), 1);
		assert_string_equal(x->f.v[0].kind, "loop");
		assert_int_equal(x->f.v[0].count, 40);
		for (i = 1; i < x->f.n; i++)
			assert_int_equal(x->f.v[i].nested, 1);
		legend = nlost == 40 ? "(A = fd 5 (name lost: closed before it could be read), B = file /tmp/d)"
			 : nlost ? "(A = file /tmp/d/orders.db-journal, its name lost in some iterations"
				   " (fd 5), B = file /tmp/d)"
				 : "(A = file /tmp/d/orders.db-journal, B = file /tmp/d)";
		snprintf(want, sizeof(want), "a transaction per item, 40 times: openat A -> pwrite64 x4 A"
			 " -> fdatasync x2 A -> close A -> unlink -> fsync B %s", legend);
		assert_string_equal(x->f.v[0].what, want);
	}
}

/* the journal's name lost in every item, for three reasons (each an
 * object of its own): the first items' reason ("closed") stands for the
 * step with 8 syncs, under --fsync-min; the storm fires on the object the
 * name was lost to when the process exited (64 syncs), one of the step's
 * others: still the loop's, nested under it, not a finding beside it
 * (a run of the demo under load, as it was) */
static void test_demo_lost_reasons(void **state)
{
	struct fixture *x = *state;
	size_t i;
	int k, exited = 0;

	open_named(&x->s, 4, "/tmp/d", 0);
	for (k = 0; k < 40; k++)
		demo_item_why(&x->s, k < 4 ? "closed before it could be read"
				     : k < 8 ? "its fd number was reused before it could be read"
					     : "the process exited before it could be read");
	assert_int_equal(run(x, "loop"), 1);
	assert_int_equal(top_level(x), 1);
	assert_string_equal(x->f.v[0].kind, "loop");
	assert_int_equal(x->f.v[0].count, 40);
	assert_string_equal(x->f.v[0].what, "a transaction per item, 40 times: openat A -> pwrite64 x4 A"
			    " -> fdatasync x2 A -> close A -> unlink -> fsync B (A = fd 5 (name lost:"
			    " closed before it could be read), B = file /tmp/d)");
	assert_int_equal(x->f.n, 3);
	for (i = 1; i < x->f.n; i++) {
		assert_int_equal(x->f.v[i].nested, 1);
		assert_string_equal(x->f.v[i].kind, "fsync");
		exited += !strcmp(x->f.v[i].object,
				  "fd 5 (name lost: the process exited before it could be read)");
		if (!exited)
			assert_string_equal(x->f.v[i].object, "file /tmp/d");
	}
	assert_int_equal(exited, 1);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_transaction_group),
		T(test_missed_names_group),
		T(test_noise_exact),
		T(test_loop_min),
		T(test_one_object),
		T(test_silent),
		T(test_two_threads),
		T(test_text_group),
		T(test_json_html_group),
		T(test_demo_lost_any),
		T(test_demo_lost_reasons),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
