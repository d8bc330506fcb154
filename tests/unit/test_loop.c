// SPDX-License-Identifier: MIT
/*
 * The loop model (src/model/model_loop.c) on synthetic streams: exact
 * iteration counts and per-step calls for a transaction per item, with
 * noise between and inside iterations, two interleaved threads, an inner
 * pattern that locks first, a loop resumed later, and what is no loop;
 * the period detector step by step against the plain scan it replaced.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fdtest.h"
#include "loopmodel.h"
#include "../../src/model/loop_internal.h"	/* the model layer's own, for tests */

static struct stream *mk(void)
{
	struct stream *s = calloc(1, sizeof(*s));

	assert_non_null(s);
	s->m = ilp_model_new();
	assert_non_null(s->m);
	s->ts = 1000 * MS;
	s->pid = s->tid = 100;
	return s;
}

static void rm(struct stream *s)
{
	ilp_model_free(s->m);
	free(s);
}

/* one transaction: open the journal (fd jfd), pwrite x10, fdatasync x2,
 * close, unlink, fsync of the directory (opened and closed) */
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

static const struct ilp_loop *only_loop(struct stream *s, int pid)
{
	const struct ilp_fdproc *f = fds_of(s, pid);

	assert_int_equal(ilp_fdproc_nloops(f), 1);
	return ilp_fdproc_loop(f, 0);
}

static void assert_txn_loop(const struct ilp_loop *l, int tid, uint64_t n)
{
	static const char *const names[] = { "openat", "pwrite64", "fdatasync", "close",
					     "unlink", "openat", "fsync", "close" };
	static const uint64_t calls[] = { 1, 10, 2, 1, 1, 1, 1, 1 };
	size_t i;

	assert_int_equal(l->tid, tid);
	assert_int_equal(l->iterations, n);
	assert_int_equal(l->nsteps, 8);
	for (i = 0; i < 8; i++) {
		uint64_t c = l->steps[i].calls;	/* its object's, and its missed names' */

		for (size_t a = 0; a < l->steps[i].nalt; a++)
			c += l->steps[i].alt_calls[a];
		assert_int_equal(l->steps[i].nr, NR(names[i]));
		assert_int_equal(c, calls[i] * n);
	}
	assert_null(l->steps[4].obj);		/* unlink: a path with no name */
	assert_non_null(l->steps[0].obj);
	assert_ptr_equal(l->steps[0].obj, l->steps[1].obj);
	assert_ptr_equal(l->steps[5].obj, l->steps[6].obj);
	assert_true(l->steps[0].obj != l->steps[5].obj);
	assert_int_equal(l->steps[2].ns, 2 * MS * n);
	assert_int_equal(l->steps[2].share, 2 * MS * n);	/* alone: share = time */
	assert_int_equal(l->steps[1].ns, 100 * US * n);
}

static void test_transaction_per_item(void **state)
{
	struct stream *s = mk();
	const struct ilp_loop *l;
	uint64_t t0 = s->ts;
	int i;

	(void)state;
	for (i = 0; i < 300; i++)
		txn(s, 3, "/db/journal", "/db");
	l = only_loop(s, 100);
	assert_txn_loop(l, 100, 300);
	assert_int_equal(l->episodes, 1);
	assert_int_equal(l->first_ts, t0);
	assert_int_equal(l->last_ts, s->ts - US);
	rm(s);
}

/* a log line between some iterations and inside others (between two
 * pwrites, splitting their run): skipped, every iteration still counted,
 * the noise's calls not in the loop */
static void test_noise(void **state)
{
	struct stream *s = mk();
	int i, k;

	(void)state;
	open_named(s, 9, "/var/log/app.log", 0);
	for (i = 0; i < 300; i++) {
		if (i % 7 == 3)
			call(s, "write", 3 * US, 40, 9);
		if (i % 11 == 5) {	/* inside: after 4 pwrites */
			open_named(s, 3, "/db/journal", 0);
			for (k = 0; k < 4; k++)
				call6(s, "pwrite64", 10 * US, 512, 3, 0, 512, 0);
			call(s, "write", 3 * US, 40, 9);
			for (k = 0; k < 6; k++)
				call6(s, "pwrite64", 10 * US, 512, 3, 0, 512, 0);
			call(s, "fdatasync", 1 * MS, 0, 3);
			call(s, "fdatasync", 1 * MS, 0, 3);
			call(s, "close", 2 * US, 0, 3);
			call(s, "unlink", 20 * US, 0, 0);
			call6(s, "openat", 5 * US, 4, (uint64_t)-100, 0, 0, 0);
			fdinfo(s, 4, ILP_OBJ_DIR, "/db");
			call(s, "fsync", 500 * US, 0, 4);
			call(s, "close", 2 * US, 0, 4);
			continue;
		}
		txn(s, 3, "/db/journal", "/db");
	}
	assert_txn_loop(only_loop(s, 100), 100, 300);
	rm(s);
}

/* a log line after every other transaction: rare enough to be noise (not
 * a 17-step loop of two transactions) */
static void test_noise_every_other(void **state)
{
	struct stream *s = mk();
	int i;

	(void)state;
	open_named(s, 9, "/var/log/app.log", 0);
	for (i = 0; i < 300; i++) {
		txn(s, 3, "/db/journal", "/db");
		if (i % 2)
			call(s, "write", 3 * US, 40, 9);
	}
	assert_txn_loop(only_loop(s, 100), 100, 300);
	rm(s);
}

/* a transaction whose directory the source could not name in some items
 * (fd 4 (unresolved)), or named with another type ("file /db"): the
 * iterations count, the unresolved fd's calls kept apart at that step */
static void test_missed_names(void **state)
{
	struct stream *s = mk();
	const struct ilp_loop *l;
	uint64_t total;
	int i, k;

	(void)state;
	/* the tail of an item first: the repetition begins with it, the
	 * sequence still starts at the journal's open (the only open of it,
	 * whatever the missed name of the directory's open in the copies) */
	call6(s, "openat", 5 * US, 4, (uint64_t)-100, 0, 0, 0);	/* no name */
	call(s, "fsync", 500 * US, 0, 4);
	call(s, "close", 2 * US, 0, 4);
	for (i = 0; i < 300; i++) {
		/* the directory's fd: 4, or 6 in some items (another lost name) */
		int dfd = i % 8 == 3 ? 6 : 4;

		if (i % 4 != 1 && i % 10 != 7 && i % 8 != 3) {
			txn(s, 3, "/db/journal", "/db");
			continue;
		}
		open_named(s, 3, "/db/journal", 0);
		for (k = 0; k < 10; k++)
			call6(s, "pwrite64", 10 * US, 512, 3, 0, 512, (uint64_t)k * 512);
		call(s, "fdatasync", 1 * MS, 0, 3);
		call(s, "fdatasync", 1 * MS, 0, 3);
		call(s, "close", 2 * US, 0, 3);
		call(s, "unlink", 20 * US, 0, 0);
		call6(s, "openat", 5 * US, dfd, (uint64_t)-100, 0, 0, 0);	/* no name */
		if (i % 10 == 7)
			fdinfo(s, dfd, ILP_OBJ_FILE, "/db");	/* the name, typed wrong */
		call(s, "fsync", 500 * US, 0, dfd);
		call(s, "close", 2 * US, 0, dfd);
	}
	l = only_loop(s, 100);
	assert_int_equal(l->iterations, 300);
	assert_int_equal(l->nsteps, 8);
	assert_int_equal(l->steps[0].nr, NR("openat"));
	assert_string_equal(ilp_fdobj_desc(l->steps[0].obj), "/db/journal");
	/* fsync of the directory: on dir /db (named, or named typed wrong),
	 * fd 4 (unresolved) or fd 6 (unresolved): two alternates */
	assert_int_equal(l->steps[6].nalt, 2);
	total = l->steps[6].calls;
	for (k = 0; k < (int)l->steps[6].nalt; k++) {
		const char *d = ilp_fdobj_desc(l->steps[6].alt[k]);

		total += l->steps[6].alt_calls[k];
		/* fd 4: i % 4 == 1, not i % 10 == 7: 75 - 15 = 60 items;
		 * fd 6: i % 8 == 3, not i % 10 == 7: 38 - 7 = 31 items */
		if (!strcmp(d, "fd 4 (unresolved)"))
			assert_int_equal(l->steps[6].alt_calls[k], 60);
		else if (!strcmp(d, "fd 6 (unresolved)"))
			assert_int_equal(l->steps[6].alt_calls[k], 31);
		else if (strcmp(d, "/db"))
			fail_msg("alternate %s", d);
	}
	assert_int_equal(total, 300);
	rm(s);
}

/* one txn with the directory's fd unresolved (dfd, no name) */
static void txn_lost_dir(struct stream *s, int dfd)
{
	int k;

	open_named(s, 3, "/db/journal", 0);
	for (k = 0; k < 10; k++)
		call6(s, "pwrite64", 10 * US, 512, 3, 0, 512, (uint64_t)k * 512);
	call(s, "fdatasync", 1 * MS, 0, 3);
	call(s, "fdatasync", 1 * MS, 0, 3);
	call(s, "close", 2 * US, 0, 3);
	call(s, "unlink", 20 * US, 0, 0);
	call6(s, "openat", 5 * US, dfd, (uint64_t)-100, 0, 0, 0);
	call(s, "fsync", 500 * US, 0, dfd);
	call(s, "close", 2 * US, 0, dfd);
}

/* the first items lost a name each (two different fds): the repetition
 * is exact only from the third; the first two count all the same, found
 * in the ring when the loop locks */
static void test_late_lock(void **state)
{
	struct stream *s = mk();

	(void)state;
	txn_lost_dir(s, 4);
	txn_lost_dir(s, 6);
	for (int i = 0; i < 100; i++)
		txn(s, 3, "/db/journal", "/db");
	assert_txn_loop(only_loop(s, 100), 100, 102);
	rm(s);
}

/* the first item named the directory, every later one lost its name (the
 * loop locks on the lost one): that item counts, its call on the
 * directory kept as the step's alternate; a short pattern just before it
 * (three fstat/read pairs, a loop of its own) keeps the calls it counted
 * and no more */
static void test_named_first(void **state)
{
	struct stream *s = mk();
	const struct ilp_loop *l = NULL;
	const struct ilp_fdproc *f;
	uint64_t total;
	size_t k;
	int i;

	(void)state;
	open_named(s, 5, "/etc/db.conf", 0);
	for (i = 0; i < 3; i++) {
		call(s, "fstat", 1 * US, 0, 5);
		call(s, "read", 2 * US, 100, 5);
	}
	call6(s, "openat", 5 * US, 6, (uint64_t)-100, 0, 0, 0);	/* no name */
	call(s, "read", 2 * US, 10, 6);
	call(s, "close", 1 * US, 0, 6);
	txn(s, 3, "/db/journal", "/db");
	for (i = 0; i < 100; i++)
		txn_lost_dir(s, 4);
	f = fds_of(s, 100);
	for (k = 0; k < ilp_fdproc_nloops(f); k++)
		if (ilp_fdproc_loop(f, k)->nsteps == 8)
			l = ilp_fdproc_loop(f, k);
	assert_non_null(l);
	assert_txn_loop(l, 100, 101);
	assert_string_equal(ilp_fdobj_desc(l->steps[6].obj), "fd 4 (unresolved)");
	total = l->steps[6].calls;
	for (k = 0; k < l->steps[6].nalt; k++) {
		total += l->steps[6].alt_calls[k];
		if (!strcmp(ilp_fdobj_desc(l->steps[6].alt[k]), "/db"))
			assert_int_equal(l->steps[6].alt_calls[k], 1);
	}
	assert_int_equal(total, 101);
	rm(s);
}

/* an unrelated earlier use of the fd (a library opened, read, closed on
 * fd 3 at start-up) is not the loop's object when the loop's names are
 * all lost: exact steps make the loop, a lost name only matches in it */
static void test_no_borrowed_name(void **state)
{
	struct stream *s = mk();
	const struct ilp_loop *l;
	size_t k;

	(void)state;
	open_named(s, 3, "/usr/lib/libc.so.6", 0);
	call(s, "read", 2 * US, 832, 3);
	call(s, "close", 1 * US, 0, 3);
	for (int i = 0; i < 200; i++) {
		call6(s, "openat", 5 * US, 3, (uint64_t)-100, 0, 0, 0);	/* no name */
		call(s, "read", 2 * US, 10, 3);
		call(s, "close", 1 * US, 0, 3);
	}
	l = only_loop(s, 100);
	for (k = 0; k < l->nsteps; k++)
		assert_string_equal(ilp_fdobj_desc(l->steps[k].obj), "fd 3 (unresolved)");
	assert_int_equal(l->iterations, 200);	/* not 201: libc's use is not an item */
	rm(s);
}

/* an item that skips a step or two (nothing to unlink) still counts; the
 * last item, whose next one never begins its prologue, counts at the end;
 * so does a first item the repetition began two steps into */
static void test_items_that_differ(void **state)
{
	struct stream *s = mk();
	const struct ilp_loop *l;
	int i;

	(void)state;
	open_named(s, 5, "/db/main", 0);
	for (i = 0; i < 100; i++) {
		call(s, "fcntl", 1 * US, 0, 5);		/* the item's lock: a prologue */
		if (i == 0) {		/* the first item: no fstat, creat(2) for openat */
			call6(s, "creat", 5 * US, 3, 0, 0644, 0, 0);
			fdinfo(s, 3, ILP_OBJ_FILE, "/db/journal");
		} else {
			call(s, "fstat", 1 * US, 0, 5);
			open_named(s, 3, "/db/journal", 0);
		}
		call(s, "write", 10 * US, 64, 3);
		call(s, "fdatasync", 1 * MS, 0, 3);
		call(s, "close", 2 * US, 0, 3);
		if (i % 9 != 4)				/* some items leave the journal */
			call(s, "unlink", 20 * US, 0, 0);
		call(s, "pwrite64", 10 * US, 4096, 5);
	}
	ilp_model_finish(s->m, s->ts);
	l = only_loop(s, 100);
	assert_int_equal(l->iterations, 100);
	rm(s);
}

/* a thread that exits ends its loop (its last item counts when more than
 * half of it came); its loop stays, its ring goes; a thread with no loop
 * leaves nothing */
static void test_thread_exit(void **state)
{
	struct stream *s = mk();
	struct ilp_event e = { .pid = 100, .kind = ILP_EV_TASK_EXIT };
	const struct ilp_loop *l;
	int i;

	(void)state;
	s->tid = 101;
	for (i = 0; i < 50; i++)
		txn(s, 3, "/db/journal", "/db");
	open_named(s, 3, "/db/journal", 0);	/* the 51st item, 6 of its 8 steps */
	call6(s, "pwrite64", 10 * US, 512, 3, 0, 512, 0);
	call(s, "fdatasync", 1 * MS, 0, 3);
	call(s, "close", 2 * US, 0, 3);
	call(s, "unlink", 20 * US, 0, 0);
	call6(s, "openat", 5 * US, 4, (uint64_t)-100, 0, 0, 0);
	fdinfo(s, 4, ILP_OBJ_DIR, "/db");
	e.ts = s->ts;
	e.tid = 101;
	feed(s, e);
	s->tid = 102;
	open_named(s, 5, "/etc/hosts", 0);
	call(s, "close", 1 * US, 0, 5);
	e.ts = s->ts;
	e.tid = 102;
	feed(s, e);
	s->tid = 100;
	l = only_loop(s, 100);
	assert_int_equal(l->tid, 101);
	assert_int_equal(l->iterations, 51);
	rm(s);
}

/* two threads of one process, their calls interleaved: each its own loop */
static void test_two_threads(void **state)
{
	struct stream *s = mk();
	const struct ilp_fdproc *f;
	const struct ilp_loop *a, *b;
	int i;

	(void)state;
	for (i = 0; i < 150; i++) {
		s->tid = 100;
		txn(s, 3, "/db/a-journal", "/db");
		s->tid = 101;
		txn(s, 5, "/db/b-journal", "/db");
	}
	f = fds_of(s, 100);
	assert_int_equal(ilp_fdproc_nloops(f), 2);
	a = ilp_fdproc_loop(f, 0);
	b = ilp_fdproc_loop(f, 1);
	if (a->tid != 100) {
		const struct ilp_loop *x = a;

		a = b;
		b = x;
	}
	assert_txn_loop(a, 100, 150);
	assert_txn_loop(b, 101, 150);
	rm(s);
}

/* a b a b c, 100 times: "a b" repeats first, the 5-step sequence takes
 * over; one loop of 100 iterations, no loop of "a b" */
static void test_inner_pattern(void **state)
{
	struct stream *s = mk();
	const struct ilp_loop *l;
	int i;

	(void)state;
	open_named(s, 3, "/a", 0);
	open_named(s, 4, "/b", 0);
	open_named(s, 5, "/c", 0);
	for (i = 0; i < 100; i++) {
		call(s, "read", 1 * US, 1, 3);
		call(s, "write", 1 * US, 1, 4);
		call(s, "read", 1 * US, 1, 3);
		call(s, "write", 1 * US, 1, 4);
		call(s, "fsync", 1 * US, 0, 5);
	}
	l = only_loop(s, 100);
	assert_int_equal(l->nsteps, 5);
	assert_int_equal(l->iterations, 100);
	assert_int_equal(l->steps[4].calls, 100);
	assert_int_equal(l->steps[0].calls, 100);
	rm(s);
}

/* the loop stops for other work and comes back: two runs, one sequence */
static void test_resumed(void **state)
{
	struct stream *s = mk();
	const struct ilp_loop *l;
	int i;

	(void)state;
	for (i = 0; i < 50; i++)
		txn(s, 3, "/db/journal", "/db");
	for (i = 0; i < 40; i++) {	/* other work: a new file each time */
		char path[32];

		snprintf(path, sizeof(path), "/tmp/f%d", i);
		open_named(s, 7, path, 0);
		call(s, "read", 2 * US, 10, 7);
		call(s, "close", 1 * US, 0, 7);
	}
	for (i = 0; i < 70; i++)
		txn(s, 3, "/db/journal", "/db");
	l = only_loop(s, 100);
	assert_txn_loop(l, 100, 120);
	assert_int_equal(l->episodes, 2);
	rm(s);
}

/* no loop: different files each time; one file written and synced (one
 * object, one period of 2 steps is still a loop of the model: the
 * detector decides what it is worth) */
static void test_not_loops(void **state)
{
	struct stream *s = mk();
	int i;

	(void)state;
	for (i = 0; i < 200; i++) {
		char path[32];

		snprintf(path, sizeof(path), "/tmp/f%d", i);
		open_named(s, 7, path, 0);
		call(s, "read", 2 * US, 10, 7);
		call(s, "close", 1 * US, 0, 7);
	}
	assert_int_equal(ilp_fdproc_nloops(fds_of(s, 100)), 0);
	for (i = 0; i < 1000; i++)	/* one run: a single step */
		call(s, "write", 1 * US, 1, 7);
	assert_int_equal(ilp_fdproc_nloops(fds_of(s, 100)), 0);
	rm(s);
}

/* memory: distinct sequences are bounded per thread; the rare ones make
 * room, the counted loop stays */
static void test_bounded(void **state)
{
	struct stream *s = mk();
	const struct ilp_fdproc *f;
	size_t i, found = 0;
	int k, j;

	(void)state;
	for (k = 0; k < 200; k++)
		txn(s, 3, "/db/journal", "/db");
	for (k = 0; k < 100; k++) {	/* 100 distinct 2-step sequences, 2 copies each */
		char a[32], b[32];

		snprintf(a, sizeof(a), "/x/%d", k);
		snprintf(b, sizeof(b), "/y/%d", k);
		open_named(s, 7, a, 0);
		open_named(s, 8, b, 0);
		for (j = 0; j < 2; j++) {
			call(s, "read", 1 * US, 1, 7);
			call(s, "read", 1 * US, 1, 8);
		}
		call(s, "close", 1 * US, 0, 7);
		call(s, "close", 1 * US, 0, 8);
	}
	f = fds_of(s, 100);
	assert_true(ilp_fdproc_nloops(f) <= ILP_LOOP_SEQS);
	for (i = 0; i < ilp_fdproc_nloops(f); i++)
		found += ilp_fdproc_loop(f, i)->iterations == 200;
	assert_int_equal(found, 1);
	rm(s);
}

/* ---- the period detector against a plain O(W) scan of the ring ---- */

#define RW ILP_LOOP_PERIOD
#define RRING (2 * RW)

struct ref {			/* the detector as it was: each step against the W before */
	uint64_t n;		/* steps */
	int nr[RRING];
	const struct ilp_fdobj *obj[RRING];
	uint16_t run[RW + 1];
	int stale;		/* the last step was not scanned */
	uint64_t scans, rebuilds, skips, confirmed;
	uint64_t reindexed[3];	/* the index before scans and rebuilds: up to date,
				 * caught up step by step, made again */
};

static int ref_same(const struct ref *r, uint64_t i, uint64_t j)
{
	return r->nr[i % RRING] == r->nr[j % RRING] && r->obj[i % RRING] == r->obj[j % RRING];
}

static size_t ref_scan(struct ref *r)
{
	size_t p, pmax = r->n - 1 < RW ? (size_t)(r->n - 1) : RW, best = 0;

	for (p = pmax; p >= 1; p--) {
		uint16_t x = ref_same(r, r->n - 1, r->n - 1 - p) ?
				     (uint16_t)(r->run[p] + (r->run[p] < UINT16_MAX)) : 0;

		r->run[p] = x;
		best = p >= 2 && x >= p ? p : best;
	}
	return best;
}

static size_t ref_rebuild(struct ref *r)
{
	size_t p, k, pmax = r->n - 1 < RW ? (size_t)(r->n - 1) : RW, best = 0;

	for (p = 1; p <= pmax; p++) {
		for (k = 0; k + p < RRING && k + p < r->n && ref_same(r, r->n - 1 - k, r->n - 1 - k - p);
		     k++)
			;
		r->run[p] = (uint16_t)k;
		if (!best && p >= 2 && k >= p)
			best = p;
	}
	return best;
}

/* one call into t and into the reference: run[] and the period found the same */
static void both(struct ilp_loopt *t, struct ref *r, uint64_t *ts, int nr,
		 const struct ilp_fdobj *obj, int wild)
{
	struct ilp_loopt_scan sc;
	size_t best;

	*ts += 3 * US;
	assert_int_equal(ilp_loopt_call(t, nr, obj, wild, 2 * US, 1 * US, *ts), 0);
	ilp_loopt_last_scan(t, &sc);
	if (r->n && r->nr[(r->n - 1) % RRING] == nr && r->obj[(r->n - 1) % RRING] == obj) {
		assert_int_equal(sc.steps, r->n);	/* a run goes on */
		return;
	}
	r->nr[r->n % RRING] = nr;
	r->obj[r->n % RRING] = obj;
	r->n++;
	assert_int_equal(sc.steps, r->n);
	if (!sc.how) {		/* a steady lock: run[] waits */
		r->stale = 1;
		r->skips++;
		return;
	}
	assert_int_equal(sc.how, r->stale ? 2 : 1);
	if (r->stale)
		r->rebuilds++;
	else
		r->scans++;
	assert_in_range(sc.reindexed, 0, 2);
	r->reindexed[sc.reindexed]++;
	best = r->stale ? ref_rebuild(r) : ref_scan(r);
	r->stale = 0;
	r->confirmed += best != 0;
	assert_int_equal(sc.best, best);
	assert_memory_equal(sc.run + 1, r->run + 1, RW * sizeof(r->run[0]));
}

/* a random step: syscall i % nnr on object i / nnr (of objs[], NULL past it) */
static void rand_step(unsigned *seed, unsigned keys, int *nr, const struct ilp_fdobj **obj,
		      const int *nrs, size_t nnr, const struct ilp_fdobj *const *objs, size_t nobjs)
{
	unsigned k = (unsigned)rand_r(seed) % keys, o = (unsigned)(k / nnr);

	*nr = nrs[k % nnr];
	*obj = o < nobjs ? objs[o] : NULL;
}

static void test_scan_differential(void **state)
{
	static const char *const names[] = { "read", "write", "pwrite64", "fsync", "epoll_wait",
					     "close", "unlink" };
	enum { NOBJS = 60, NNR = 7 };
	struct stream *s = mk();
	const struct ilp_fdobj *objs[NOBJS];
	const struct ilp_fdproc *f;
	struct ilp_loopt *t = ilp_loopt_new(100);
	struct ref r = { 0 };
	int nrs[NNR], nr, seq_nr[80];
	const struct ilp_fdobj *obj, *seq_obj[80];
	unsigned seed = 7;
	uint64_t ts = 1000 * MS, calls = 0;
	size_t i, j, seg, len, p;
	char path[32];

	(void)state;
	assert_non_null(t);
	for (i = 0; i < NNR; i++)
		nrs[i] = NR(names[i]);
	for (i = 0; i < NOBJS; i++) {	/* real objects: a lock compares their names */
		snprintf(path, sizeof(path), "/data/%zu", i % 50);	/* a few named alike */
		open_named(s, 10 + (int)i, path, 0);
	}
	f = fds_of(s, 100);
	for (i = 0; i < NOBJS; i++)
		assert_non_null(objs[i] = ilp_fdproc_fd(f, 10 + (int)i));
	for (seg = 0; calls < 400000; seg++) {
		unsigned mode = (unsigned)rand_r(&seed) % 5, keys;
		unsigned noise = (unsigned)rand_r(&seed) % 4;	/* 1 step in 2^(3 * noise) noise */

		len = 20 + (size_t)rand_r(&seed) % 3000;
		if (mode == 0 || mode == 1) {	/* no loop: few keys, or many */
			keys = mode == 0 ? 2 + (unsigned)rand_r(&seed) % 4 : NNR * (NOBJS + 1);
			for (i = 0; i < len; i++, calls++) {
				rand_step(&seed, keys, &nr, &obj, nrs, NNR, objs, NOBJS);
				both(t, &r, &ts, nr, obj, !(rand_r(&seed) % 50));
			}
		} else if (mode == 2) {	/* a server: epoll_wait, read and write of a client */
			for (i = 0; i < len; i++, calls++) {
				obj = objs[rand_r(&seed) % 20];
				if (!(i % 4))
					both(t, &r, &ts, nrs[4], objs[59], 0);
				both(t, &r, &ts, nrs[0], obj, 0);
				both(t, &r, &ts, nrs[1], obj, 0);
			}
		} else {	/* a loop of p steps (some too long to lock): noise, runs, skips */
			p = 2 + (size_t)rand_r(&seed) % 70;
			keys = mode == 3 ? 3 + (unsigned)rand_r(&seed) % 6 : NNR * (NOBJS + 1);
			for (j = 0; j < p; j++)
				do
					rand_step(&seed, keys, &seq_nr[j], &seq_obj[j], nrs, NNR, objs,
						  NOBJS);
				while (j && seq_nr[j] == seq_nr[j - 1] && seq_obj[j] == seq_obj[j - 1]);
			for (i = 0; i < len; i++, calls++) {
				j = i % p;
				if (noise && !(rand_r(&seed) % (1u << (3 * noise)))) {
					rand_step(&seed, keys, &nr, &obj, nrs, NNR, objs, NOBJS);
					both(t, &r, &ts, nr, obj, 0);
				}
				if (noise && !(rand_r(&seed) % (1u << (3 * noise))))
					continue;	/* a step skipped */
				both(t, &r, &ts, seq_nr[j], seq_obj[j], 0);
				if (!(rand_r(&seed) % 8))	/* a run */
					both(t, &r, &ts, seq_nr[j], seq_obj[j], 0);
			}
		}
		if (!(rand_r(&seed) % 4)) {	/* the thread exits; its tid comes again, or
						 * another thread (its table of loops empty) */
			ilp_loopt_retire(t);
			if (rand_r(&seed) % 2) {
				ilp_loopt_free(t);
				assert_non_null(t = ilp_loopt_new(100));
			}
			memset(&r.run, 0, sizeof(r.run));
			r.n = 0;
			r.stale = 0;
		}
	}
	/* every path taken, many times */
	assert_true(r.scans > 100000);
	assert_true(r.skips > 10000);
	assert_true(r.rebuilds > 1000);
	assert_true(r.confirmed > 10000);
	/* the index after steps a steady lock let go by: caught up step by
	 * step, made again (run[] above checks prev[] and the table) */
	assert_true(r.reindexed[1] > 1000);
	assert_true(r.reindexed[2] > 20);
	ilp_loopt_free(t);
	rm(s);
}

/*
 * A server's thread (epoll_wait, read and write of a client) on clients
 * whose names were lost, more than a step keeps apart, with bursts of
 * reads then writes on many clients, a log line now and then, flushed
 * (noise) more rarely: the counts pinned to those the model gave before a
 * lock with no noise in the ring matched every step alone and kept its
 * steps' names at a glance (main at 781046d, the same).
 */
static void test_server_lost_names(void **state)
{
	struct stream *s = mk();
	const struct ilp_fdproc *f;
	static const char *const names[] = { "epoll_wait", "read", "write" };
	static const uint64_t calls[] = { 3000, 111, 111 }, alt_calls[] = { 0, 3137, 3368 };
	const struct ilp_loop *l;
	uint64_t alts = 0;
	int i, k, c;

	(void)state;
	open_named(s, 3, "/dev/epoll", 0);
	open_named(s, 9, "/var/log/server.log", 0);
	for (c = 20; c < 50; c++)	/* the clients: no name */
		call6(s, "openat", 5 * US, c, (uint64_t)-100, 0, 0, 0);
	for (i = 0; i < 3000; i++) {
		c = i < 4 ? 20 : 20 + (i * 7) % 30;	/* one client first: a lock */
		if (i % 97 == 50) {	/* a burst: reads, then writes, of 8 clients */
			for (k = 0; k < 8; k++)
				call(s, "read", 2 * US, 100, 20 + (c + k) % 30);
			for (k = 0; k < 8; k++)
				call(s, "write", 3 * US, 100, 20 + (c + k) % 30);
		}
		call(s, "epoll_wait", 50 * US, 1, 3);
		call(s, "read", 2 * US, 100, c);
		if (i % 13 == 7)	/* a log line (another name at the write) */
			call(s, "write", 4 * US, 40, 9);
		if (i % 200 == 7)	/* the log flushed: noise, now and then */
			call(s, "fsync", 40 * US, 0, 9);
		call(s, "write", 3 * US, 100, c);
	}
	f = fds_of(s, 100);
	assert_int_equal(ilp_fdproc_nloops(f), 1);
	l = ilp_fdproc_loop(f, 0);
	assert_int_equal(l->iterations, 3479);
	assert_int_equal(l->episodes, 1);
	assert_int_equal(l->first_ts, 1000192000);
	assert_int_equal(l->last_ts, 1177697000);
	assert_int_equal(l->nsteps, 3);
	for (k = 0; k < 3; k++) {
		assert_int_equal(l->steps[k].nr, NR(names[k]));
		assert_int_equal(l->steps[k].calls, calls[k]);
		assert_int_equal(l->steps[k].nalt, k ? ILP_LOOP_ALTS : 0);
		for (c = 0; c < (int)l->steps[k].nalt; c++)
			alts += l->steps[k].alt_calls[c];
		assert_int_equal(alts, alt_calls[k]);
		alts = 0;
	}
	assert_int_equal(l->steps[1].alt_calls[ILP_LOOP_ALTS - 1], 2812);	/* the rest */
	assert_int_equal(l->steps[2].alt_calls[ILP_LOOP_ALTS - 1], 3043);
	rm(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_transaction_per_item),
		cmocka_unit_test(test_noise),
		cmocka_unit_test(test_noise_every_other),
		cmocka_unit_test(test_missed_names),
		cmocka_unit_test(test_items_that_differ),
		cmocka_unit_test(test_thread_exit),
		cmocka_unit_test(test_late_lock),
		cmocka_unit_test(test_named_first),
		cmocka_unit_test(test_no_borrowed_name),
		cmocka_unit_test(test_two_threads),
		cmocka_unit_test(test_inner_pattern),
		cmocka_unit_test(test_resumed),
		cmocka_unit_test(test_not_loops),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_scan_differential),
		cmocka_unit_test(test_server_lost_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
