// SPDX-License-Identifier: MIT
/*
 * Detector unit tests: synthetic streams, each detector's positive case,
 * its negative case, and the boundary at its threshold (exact counts).
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "analyze.h"
#include "fdtest.h"
#include "report.h"
#include "../../src/report/report_text_parts.h"	/* the report layer's own */
#include "waitmodel.h"

#define WALL (10000 * MS)

#include "analyze_fixture.h"

/* runs every detector: exactly one finding, of kind, about object */
static const struct ilp_finding *single(struct fixture *x, const char *kind, const char *object)
{
	assert_int_equal(run(x, kind), 1);
	assert_string_equal(only(x, kind)->object, object);
	return &x->f.v[0];
}

static void writes(struct fixture *x, int fd, long n, int64_t size)
{
	long i;

	for (i = 0; i < n; i++)
		call(&x->s, "write", 10 * US, size, fd);
}

/* ---- unbuffered ---- */

static void test_unbuffered_fires(void **state)
{
	struct fixture *x = *state;
	const struct ilp_finding *f;

	open_named(&x->s, 3, "/tmp/log", 0);
	writes(x, 3, 1000, 1);
	f = single(x, "unbuffered", "file /tmp/log");
	assert_int_equal(f->nr, ilp_syscall_nr("write"));	/* for --stacks call sites */
	assert_int_equal(f->pid, 100);
	assert_int_equal(f->tid, 100);
	assert_int_equal(f->count, 1000);
	assert_int_equal(f->bytes, 1000);
	assert_int_equal(f->size, 1);
	assert_int_equal(f->time_ns, 10 * MS);
	assert_int_equal(f->saving_calls, 999);
	assert_int_equal(f->saving_ns, 9990 * US);
	assert_int_equal(f->threshold, 1000);
	assert_string_equal(f->what, "1000 writes of 1 B (median) on file /tmp/log");
	assert_string_equal(f->why, "1000 writes >= 1000 (--min-ops) and median size 1 B < 512 B (--small-bytes)");
	assert_string_equal(f->fix, "buffer the writes (a 64 KiB buffer: 1000 -> 1 write calls)");
}

/* the finding's nr is the syscall of most of the calls, wherever it stands */
static void test_unbuffered_nr_majority(void **state)
{
	struct fixture *x = *state;
	long i;

	open_named(&x->s, 3, "/tmp/in", 0);
	for (i = 0; i < 400; i++)
		call(&x->s, "read", 10 * US, 1, 3);
	for (i = 0; i < 750; i++)
		call(&x->s, "readv", 10 * US, 1, 3);
	for (i = 0; i < 300; i++)
		call(&x->s, "read", 10 * US, 1, 3);
	assert_int_equal(single(x, "unbuffered", "file /tmp/in")->nr, ilp_syscall_nr("readv"));
	assert_int_equal(x->f.v[0].count, 1450);
}

static void test_unbuffered_below_count(void **state)
{
	struct fixture *x = *state;

	open_named(&x->s, 3, "/tmp/log", 0);
	writes(x, 3, 999, 1);
	assert_int_equal(run(x, "unbuffered"), 0);
	x->th.min_ops = 999;		/* the flag moves the boundary */
	assert_int_equal(run(x, "unbuffered"), 1);
}

static void test_unbuffered_size_boundary(void **state)
{
	struct fixture *x = *state;

	open_named(&x->s, 3, "/tmp/a", 0);
	open_named(&x->s, 4, "/tmp/b", 0);
	writes(x, 3, 1000, 511);
	writes(x, 4, 1000, 512);	/* median 512 is not < 512 */
	single(x, "unbuffered", "file /tmp/a");
	assert_int_equal(only(x, "unbuffered")->saving_calls, 1000 - 8);	/* 511000 B / 64 KiB */
}

static void test_unbuffered_silent_on_64k_and_reopen(void **state)
{
	struct fixture *x = *state;
	int i;

	open_named(&x->s, 3, "/tmp/big", 0);
	writes(x, 3, 2000, 65536);
	/* one small read per open: no buffer merges those (repeat's business) */
	for (i = 0; i < 1000; i++) {
		open_named(&x->s, 4, "/etc/conf", 0);
		call(&x->s, "read", 10 * US, 10, 4);
		call(&x->s, "read", 10 * US, 0, 4);
		call(&x->s, "close", 1 * US, 0, 4);
	}
	assert_int_equal(run(x, "unbuffered"), 0);
	assert_int_equal(run(x, "repeat"), 1);
}

/* ---- N+1 ---- */

static void exchanges(struct fixture *x, int fd, long n)
{
	long i;

	for (i = 0; i < n; i++) {
		call(&x->s, "sendto", 5 * US, 16, fd);
		call(&x->s, "recvfrom", 100 * US, 64, fd);
	}
}

static void client_socket(struct fixture *x, int fd, const char *name)
{
	call6(&x->s, "socket", 2 * US, fd, 2, 1, 0, 0);
	call6(&x->s, "connect", 20 * US, 0, (uint64_t)fd, 0, 16, 0);
	fdinfo(&x->s, fd, ILP_OBJ_TCP, name);
}

static void test_nplus1_fires(void **state)
{
	struct fixture *x = *state;
	const struct ilp_finding *f;

	client_socket(x, 3, "127.0.0.1:41234 -> 127.0.0.1:6379");
	exchanges(x, 3, 100);
	f = single(x, "nplus1", "tcp 127.0.0.1:41234 -> 127.0.0.1:6379");
	assert_string_equal(f->label, "N+1");
	assert_int_equal(f->count, 100);
	assert_int_equal(f->time_ns, 10 * MS);
	/* 99 of the 100 waits (99 x 100 us) and 99 of the 100 requests (5 us) */
	assert_int_equal(f->saving_ns, 9900 * US + 495 * US);
	assert_int_equal(f->saving_calls, 198);
	assert_int_equal(f->nr, NR("recvfrom"));
	assert_string_equal(f->what, "100 request/response round trips on tcp 127.0.0.1:41234 -> 127.0.0.1:6379");
	assert_string_equal(f->evidence, "10.0 ms blocked in recvfrom waiting for the peer (0.1% of wall time)");
	assert_int_equal(f->severity, ILP_SEV_LOW);
}

static void test_nplus1_boundary_and_single(void **state)
{
	struct fixture *x = *state;

	client_socket(x, 3, "127.0.0.1:1 -> 127.0.0.1:2");
	exchanges(x, 3, 99);
	client_socket(x, 4, "127.0.0.1:3 -> 127.0.0.1:4");
	exchanges(x, 4, 1);		/* a single request/response */
	assert_int_equal(run(x, "nplus1"), 0);
	x->th.nplus1_min = 99;
	single(x, "nplus1", "tcp 127.0.0.1:1 -> 127.0.0.1:2");
}

static void test_nplus1_silent_on_server(void **state)
{
	struct fixture *x = *state;
	long i;

	call(&x->s, "accept4", 2 * US, 5, 4);
	fdinfo(&x->s, 5, ILP_OBJ_TCP, "127.0.0.1:6379 -> 127.0.0.1:41234");
	for (i = 0; i < 2000; i++) {
		call(&x->s, "read", 100 * US, 16, 5);
		call(&x->s, "write", 5 * US, 64, 5);
	}
	assert_int_equal(run(x, "nplus1"), 0);
	assert_int_equal(run(x, "unbuffered"), 0);	/* request/response: no buffer helps */
}

/* ---- repeat ---- */

static void reopen(struct fixture *x, const char *path, long opens, long stats)
{
	long i;

	for (i = 0; i < opens; i++) {
		open_named(&x->s, 3, path, 0);
		call(&x->s, "read", 10 * US, 100, 3);
		call(&x->s, "close", 1 * US, 0, 3);
	}
	for (i = 0; i < stats; i++) {
		call6(&x->s, "newfstatat", 4 * US, 0, (uint64_t)-100, 0x1000, 0, 0);
		fdinfo(&x->s, ILP_FD_PATHARG, ILP_OBJ_FILE, path);
	}
}

static void test_repeat_fires(void **state)
{
	struct fixture *x = *state;
	const struct ilp_finding *f;

	reopen(x, "/etc/app.conf", 100, 0);
	f = single(x, "repeat", "file /etc/app.conf");
	assert_int_equal(f->count, 100);
	assert_int_equal(f->time_ns, 100 * 16 * US);
	assert_int_equal(f->saving_calls, 297);
	assert_int_equal(f->saving_ns, 99 * 16 * US);
	assert_string_equal(f->what, "file /etc/app.conf opened 100 times and stat'ed 0 times");
	assert_string_equal(f->why, "100 opens + 0 stats = 100 >= 100 (--repeat-min)");
}

static void test_repeat_boundary_mixed(void **state)
{
	struct fixture *x = *state;

	reopen(x, "/a", 60, 39);
	reopen(x, "/b", 60, 40);
	single(x, "repeat", "file /b");
	assert_int_equal(only(x, "repeat")->count, 100);
}

static void test_repeat_silent_on_unresolved(void **state)
{
	struct fixture *x = *state;
	long i;

	for (i = 0; i < 500; i++) {
		call6(&x->s, "openat", 5 * US, 3, (uint64_t)-100, 0x1000, 0, 0);
		call(&x->s, "close", 1 * US, 0, 3);
	}
	assert_int_equal(run(x, "repeat"), 0);
}

/* ---- fsync ---- */

static void syncs(struct fixture *x, int fd, long n, uint64_t gap)
{
	long i;

	for (i = 0; i < n; i++) {
		call(&x->s, "write", 5 * US, 64, fd);
		call(&x->s, "fsync", 2 * MS, 0, fd);
		x->s.ts += gap;
	}
}

static void test_fsync_fires(void **state)
{
	struct fixture *x = *state;
	const struct ilp_finding *f;

	open_named(&x->s, 3, "/var/db/journal", 0);
	syncs(x, 3, 10, 0);
	f = single(x, "fsync", "file /var/db/journal");
	assert_string_equal(f->label, "fsync storm");
	assert_int_equal(f->count, 10);
	assert_int_equal(f->time_ns, 20 * MS);
	assert_int_equal(f->saving_calls, 9);	/* 10 syncs in 18 ms: one would do */
	assert_int_equal(f->saving_ns, 18 * MS);
}

static void test_fsync_boundary_and_end(void **state)
{
	struct fixture *x = *state;

	open_named(&x->s, 3, "/a", 0);
	syncs(x, 3, 9, 0);
	open_named(&x->s, 4, "/b", 0);
	writes(x, 4, 500, 4096);
	call(&x->s, "fsync", 50 * MS, 0, 4);	/* one sync at the end */
	assert_int_equal(run(x, "fsync"), 0);
	x->th.fsync_min = 9;
	single(x, "fsync", "file /a");
}

static void test_fsync_silent_when_slow(void **state)
{
	struct fixture *x = *state;

	/* 20 syncs one second apart: 1 per second, not a storm */
	open_named(&x->s, 3, "/a", 0);
	syncs(x, 3, 20, 1000 * MS);
	assert_int_equal(run(x, "fsync"), 0);
}

/* ---- random ---- */

/* n preads of 4 KiB; calls 1 .. jumps start away from the previous end */
static void preads(struct fixture *x, int fd, long n, long jumps)
{
	long i;
	uint64_t off = 0;

	for (i = 0; i < n; i++) {
		if (i >= 1 && i <= jumps)
			off += 1 << 20;		/* a jump */
		call6(&x->s, "pread64", 20 * US, 4096, (uint64_t)fd, 0, 4096, off);
		off += 4096;
	}
}

static void test_random_fires(void **state)
{
	struct fixture *x = *state;
	const struct ilp_finding *f;

	open_named(&x->s, 3, "/data/db", 0);
	preads(x, 3, 1000, 999);	/* every call but the first jumps */
	f = single(x, "random", "file /data/db");
	assert_int_equal(f->count, 1000);
	assert_int_equal(f->size, 4096);
	assert_int_equal(f->saving_calls, 1000 - 63);	/* 4096000 B / 64 KiB */
	assert_string_equal(f->what, "1000 positioned reads/writes of 4096 B (median) on file /data/db, 99% at random offsets");
}

static void test_random_boundaries(void **state)
{
	struct fixture *x = *state;

	open_named(&x->s, 3, "/seq", 0);
	preads(x, 3, 1000, 0);		/* sequential */
	open_named(&x->s, 4, "/few", 0);
	preads(x, 4, 999, 998);		/* below --min-ops */
	open_named(&x->s, 5, "/r199", 0);
	preads(x, 5, 1000, 199);	/* 19.9 % random */
	assert_int_equal(run(x, "random"), 0);
	open_named(&x->s, 6, "/r200", 0);
	preads(x, 6, 1000, 200);	/* 20 %: fires */
	single(x, "random", "file /r200");
}

/* ---- the ledger ---- */

/* the double count of the issue: a journal opened, written, synced and
 * closed 100 times fires [fsync storm] and [repeat]; the syncs count once
 * (fsync claims first), repeat gets the other calls on the path and the
 * syncs fsync left: the savings add up to at most the time in the calls.
 * (The loop detector, off here, would group the two: test_analyze_loop.c) */
static void test_ledger_fsync_then_repeat(void **state)
{
	struct fixture *x = *state;
	const struct ilp_finding *fs, *rp;
	int i;

	x->th.loop_min = UINT64_MAX;
	for (i = 0; i < 100; i++) {
		open_named(&x->s, 3, "/db/journal", 0);
		call(&x->s, "write", 5 * US, 64, 3);
		call(&x->s, "fsync", 2 * MS, 0, 3);
		call(&x->s, "close", 1 * US, 0, 3);
	}
	assert_int_equal(run(x, "fsync"), 1);
	assert_int_equal(x->f.n, 2);
	fs = &x->f.v[0];
	rp = &x->f.v[1];
	assert_string_equal(fs->kind, "fsync");
	assert_string_equal(rp->kind, "repeat");
	/* 100 syncs over 99 x 2.015 ms: one per 100 ms leaves 2 */
	assert_int_equal(fs->saving_calls, 98);
	assert_int_equal(fs->saving_ns, 98 * 2 * MS);
	/* 99 of each open, write, close; of the 99 syncs it asks for, the 2 left */
	assert_int_equal(rp->saving_calls, 99 + 99 + 2 + 99);
	assert_int_equal(rp->saving_ns, 99 * 5 * US + 99 * 5 * US + 2 * 2 * MS + 99 * US);
	assert_true(fs->saving_ns + rp->saving_ns <= 100 * (2 * MS + 11 * US));
}

/* a slow call whose time an earlier finding took brings nothing more: a
 * path reopened 100 times with one 150 ms read; repeat claims 99/100 of
 * the reads' time first, the slow call gets what is left */
static void test_ledger_slow_call_after_repeat(void **state)
{
	struct fixture *x = *state;
	const struct ilp_finding *rp, *sc;
	uint64_t reads = 99 * 10 * US + 150 * MS;
	long i;

	for (i = 0; i < 100; i++) {
		open_named(&x->s, 3, "/etc/conf", 0);
		call(&x->s, "read", i == 50 ? 150 * MS : 10 * US, 100, 3);
		call(&x->s, "close", 1 * US, 0, 3);
	}
	assert_int_equal(run(x, "slowcall"), 1);
	assert_int_equal(x->f.n, 2);
	rp = &x->f.v[0];
	sc = &x->f.v[1];
	assert_string_equal(rp->kind, "repeat");
	assert_int_equal(rp->saving_ns, 99 * 5 * US + reads / 100 * 99 + 99 * US);
	assert_int_equal(sc->saving_ns, reads - reads / 100 * 99);
	assert_int_equal(sc->time_ns, 150 * MS);
}

/* ---- the pass itself ---- */

/* severity from the saving's share of the wall time (10 s here): under 1 %
 * low (folded into "minor" in the text), from 1 % medium, from 10 % high */
static void test_severity_boundaries(void **state)
{
	struct fixture *x = *state;
	static const struct {
		uint64_t ns;
		int sev;
	} cases[] = {
		{ 99999 * US, ILP_SEV_LOW }, { 100 * MS, ILP_SEV_MEDIUM },
		{ 999999 * US, ILP_SEV_MEDIUM }, { 1000 * MS, ILP_SEV_HIGH },
	};
	size_t i, j;

	/* --slow 99: the model keeps the calls, the detector reports them */
	ilp_model_set_slow(x->s.m, 99 * MS);
	x->th.slow_ns = 99 * MS;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		x->s.tid = 200 + (int)i;	/* one thread each: a group each */
		call(&x->s, "read", cases[i].ns, 1, 0);
	}
	assert_int_equal(run(x, "slowcall"), 4);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (j = 0; j < x->f.n && x->f.v[j].tid != 200 + (int)i; j++)
			;
		assert_true(j < x->f.n);
		assert_int_equal(x->f.v[j].saving_ns, cases[i].ns);
		assert_int_equal(x->f.v[j].severity, cases[i].sev);
		assert_int_equal(ilp_finding_minor(&x->f.v[j]), cases[i].sev == ILP_SEV_LOW);
	}
}

static void test_ranking_and_min_saving(void **state)
{
	struct fixture *x = *state;

	open_named(&x->s, 3, "/small", 0);
	writes(x, 3, 1000, 1);		/* saves 9.99 ms */
	client_socket(x, 4, "1.1.1.1:1 -> 2.2.2.2:2");
	exchanges(x, 4, 1000);		/* saves 99.9 ms */
	assert_int_equal(run(x, "nplus1"), 1);
	assert_int_equal(x->f.n, 2);
	assert_string_equal(x->f.v[0].kind, "nplus1");
	assert_string_equal(x->f.v[1].kind, "unbuffered");
	assert_true(x->f.v[0].saving_ns > x->f.v[1].saving_ns);
	x->th.min_saving_ns = 10 * MS;	/* --min-saving 10 */
	assert_int_equal(run(x, "unbuffered"), 0);
	assert_int_equal(x->f.n, 1);
}

static void test_registry(void **state)
{
	size_t i;

	(void)state;
	assert_int_equal(ilp_detector_count(), 8);
	for (i = 0; i < ilp_detector_count(); i++) {
		assert_non_null(ilp_detector(i)->fn);
		assert_true(strlen(ilp_detector(i)->doc) > 10);
	}
	assert_string_equal(ilp_detector(0)->name, "loop");	/* the ledger's order */
	assert_string_equal(ilp_detector(ilp_detector_count() - 1)->name, "slowcall");
	assert_null(ilp_detector(8));
	assert_int_equal(ilp_scale(UINT64_MAX, 3, 4), UINT64_MAX / 4 * 3 + 2);
	assert_int_equal(ilp_share_pm(5, 1000), 5);
	assert_int_equal(ilp_share_pm(1, 0), 0);
}

/* ---- text sections (formatting only) ---- */

static char *render(struct fixture *x, int with_findings, int all)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	render_findings(x, f, with_findings, all);
	assert_int_equal(ilp_text_io(f, ilp_model_find_proc(x->s.m, 100), 10), 0);
	fclose(f);
	return buf;
}

static void test_text_sections(void **state)
{
	struct fixture *x = *state;
	char *text;

	open_named(&x->s, 3, "/tmp/log", 0);
	writes(x, 3, 1000, 1);
	assert_int_equal(run(x, "unbuffered"), 1);
	text = render(x, 1, 1);		/* --all */
	assert_string_equal(text,
		"\nFindings (1, ranked by the time a fix would save; their savings add up to"
		" ~9.99 ms, 0.1% of wall time):\n"
		"\n[unbuffered] 1000 writes of 1 B (median) on file /tmp/log\n"
		"      pid 100 (?) tid 100: 1000 B in 10.0 ms inside write calls (0.1% of wall time)\n"
		"      why: 1000 writes >= 1000 (--min-ops) and median size 1 B < 512 B (--small-bytes)\n"
		"      fix: buffer the writes (a 64 KiB buffer: 1000 -> 1 write calls); saves up to ~9.99 ms and 999 syscalls (severity: low)\n"
		"\n  I/O by object (time inside calls on it; top 1 of 1):\n"
		"  object         calls  reads  writes  read B  written B  syncs  other     time      p99\n"
		"  file /tmp/log   1001      0    1000       0       1000      0      1  10.0 ms  10.0 us\n");
	free(text);
	text = render(x, 1, 0);		/* under 1 %: one "minor" line */
	assert_non_null(strstr(text,
		"\nFindings (1, ranked by the time a fix would save; their savings add up to"
		" ~9.99 ms, 0.1% of wall time):\n"
		"\nminor: 1 finding under 1% of wall time each ([unbuffered]), saving ~9.99 ms"
		" in all; --all lists them\n"));
	assert_null(strstr(text, "[unbuffered] 1000"));
	free(text);
	ilp_findings_release(&x->f);
	text = render(x, 1, 0);	/* analysis ran, nothing found */
	assert_non_null(strstr(text, "\nFindings: none (8 detectors ran; thresholds: docs/detectors.md)\n"));
	free(text);
	text = render(x, 0, 0);	/* analysis not run: no section */
	assert_null(strstr(text, "Findings"));
	free(text);
}

/* a long name keeps its type and the tail of its path; the mark comes on top */
static void test_text_long_names(void **state)
{
	struct fixture *x = *state;
	char *text;

	call6(&x->s, "openat", 5 * US, 3, (uint64_t)-100, 0x1000, 0, 0);
	fdinfo(&x->s, 3, ILP_OBJ_FILE | ILP_OBJ_F_FROM_ARG, "/usr/lib/x86_64-linux-gnu/libc.so.6");
	call6(&x->s, "openat", 5 * US, 4, (uint64_t)-100, 0x1000, 0, 0);
	fdinfo(&x->s, 4, ILP_OBJ_FILE,
	       "/var/lib/some/very/long/directory/name/that/goes/on/and/on/data.db");
	call6(&x->s, "openat", 5 * US, 5, (uint64_t)-100, 0x1000, 0, 0);
	fdinfo(&x->s, 5, ILP_OBJ_FILE | ILP_OBJ_F_FROM_ARG,
	       "/srv/a/very/long/path/that/needs/its/tail/kept/and/the/mark/too.log");
	{	/* longer than the buffer ilp_fdobj_format fills (512) */
		char lp[700];

		memset(lp, 'x', sizeof(lp));
		lp[0] = '/';
		memcpy(lp + sizeof(lp) - 6, "/y.db", 6);
		call6(&x->s, "openat", 5 * US, 6, (uint64_t)-100, 0x1000, 0, 0);
		fdinfo(&x->s, 6, ILP_OBJ_FILE | ILP_OBJ_F_FROM_ARG, lp);
	}
	writes(x, 3, 2, 1);
	writes(x, 4, 1, 1);
	writes(x, 5, 1, 1);
	writes(x, 6, 1, 1);
	assert_int_equal(run(x, "unbuffered"), 0);
	text = render(x, 0, 0);
	assert_non_null(strstr(text,
		"\n  file /usr/lib/x86_64-linux-gnu/libc.so.6 (name from call argument)"
		"                              3 "));
	assert_non_null(strstr(text,
		"\n  file ...ome/very/long/directory/name/that/goes/on/and/on/data.db"
		"                                2 "));
	assert_non_null(strstr(text,
		"\n  file .../long/path/that/needs/its/tail/kept/and/the/mark/too.log"
		" (name from call argument)      2 "));
	assert_non_null(strstr(text,
		"\n  file ...xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/y.db"
		" (name from call argument)      2 "));
	free(text);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_unbuffered_fires),
		T(test_text_long_names),
		T(test_unbuffered_nr_majority),
		T(test_unbuffered_below_count),
		T(test_unbuffered_size_boundary),
		T(test_unbuffered_silent_on_64k_and_reopen),
		T(test_nplus1_fires),
		T(test_nplus1_boundary_and_single),
		T(test_nplus1_silent_on_server),
		T(test_repeat_fires),
		T(test_repeat_boundary_mixed),
		T(test_repeat_silent_on_unresolved),
		T(test_fsync_fires),
		T(test_fsync_boundary_and_end),
		T(test_fsync_silent_when_slow),
		T(test_random_fires),
		T(test_random_boundaries),
		T(test_ledger_fsync_then_repeat),
		T(test_ledger_slow_call_after_repeat),
		T(test_severity_boundaries),
		T(test_ranking_and_min_saving),
		T(test_text_sections),
		cmocka_unit_test(test_registry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
