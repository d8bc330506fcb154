// SPDX-License-Identifier: MIT
/*
 * Text reporter against golden files: each case builds a model from a
 * synthetic ilp_event stream, renders it into memory and compares the bytes
 * with tests/fixtures/report_text_<case>.txt.
 *
 *   ILP_UPDATE_GOLDEN=1 build/tests/test_report_text    rewrites the goldens
 *   ILP_FIXTURES=dir                                     reads them elsewhere
 *
 * The version in the first line is stored as @VERSION@ so a release bump
 * does not invalidate every golden file.  After regenerating, read the
 * files and check the numbers by hand.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <cmocka.h>

#include "event.h"
#include "model.h"
#include "report.h"
#include "fmt.h"

#define T0 UINT64_C(1000000000)	/* tracing on, 1 s after boot */
#define MS UINT64_C(1000000)

/* ---- building the event stream ---- */

struct stream {
	struct ilp_model *m;
	uint64_t ts[64];	/* per-tid clock, indexed tid % 64 */
};

static void stream_init(struct stream *s)
{
	memset(s, 0, sizeof(*s));
	s->m = ilp_model_new();
	assert_non_null(s->m);
}

static void feed(struct stream *s, const struct ilp_event *ev)
{
	assert_int_equal(ilp_model_feed(s->m, ev), 0);
}

static void task_info(struct stream *s, int pid, int tid, const char *comm)
{
	struct ilp_event ev = { .ts = T0, .pid = pid, .tid = tid,
				.kind = ILP_EV_TASK_INFO };

	snprintf(ev.task.comm, sizeof(ev.task.comm), "%s", comm);
	feed(s, &ev);
	s->ts[tid % 64] = T0 + 1000;
}

static void sys_enter(struct stream *s, int pid, int tid, int nr, uint64_t ts)
{
	struct ilp_event ev = { .ts = ts, .pid = pid, .tid = tid,
				.kind = ILP_EV_SYS_ENTER, .nr = nr };

	feed(s, &ev);
}

static void sys_exit(struct stream *s, int pid, int tid, int nr, uint64_t ts,
		     int64_t ret)
{
	struct ilp_event ev = { .ts = ts, .pid = pid, .tid = tid,
				.kind = ILP_EV_SYS_EXIT, .nr = nr, .ret = ret };

	feed(s, &ev);
}

/*
 * n calls of nr by tid, each lasting exactly lat ns, 100 ns apart.  Only
 * one thread is fed at a time, so timestamps stay in order when each
 * thread's calls are fed in one go after the previous thread's.
 */
static void calls(struct stream *s, int pid, int tid, int nr, int n,
		  uint64_t lat, int64_t ret)
{
	uint64_t *t = &s->ts[tid % 64];

	for (int i = 0; i < n; i++) {
		sys_enter(s, pid, tid, nr, *t);
		sys_exit(s, pid, tid, nr, *t + lat, ret);
		*t += lat + 100;
	}
}

/* keep every thread's clock past every other's, so feeds stay ordered */
static void sync_clocks(struct stream *s)
{
	uint64_t max = 0;

	for (int i = 0; i < 64; i++)
		if (s->ts[i] > max)
			max = s->ts[i];
	for (int i = 0; i < 64; i++)
		s->ts[i] = max;
}

static const struct ilp_report_info default_info = {
	.command = "./app arg1",
	.backend = "ftrace",
	.start_ts = T0,
	.end_ts = T0 + 10 * MS,
	.events = 1234,
	.lost = 0,
	.interim = 0,
	.exit_status = 0,
};

static const struct ilp_report_opts default_opts = {
	.threads = 0,
	.top_hist = 3,
	.top_syscalls = 0,
};

/* ---- rendering and golden comparison ---- */

static char *render(const struct ilp_model *m, const struct ilp_report_info *info,
		    const struct ilp_report_opts *opts)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(ilp_report_text(f, m, info, opts), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* the rendered text with this build's version replaced by @VERSION@ */
static char *unversion(char *text)
{
	static const char key[] = "iolockprof " ILP_VERSION ":";
	static const char rep[] = "iolockprof @VERSION@:";
	size_t klen = strlen(key), rlen = strlen(rep), len = strlen(text);
	char *out;

	if (strncmp(text, key, klen))
		return text;	/* no version: the comparison will say so */
	out = malloc(len - klen + rlen + 1);
	assert_non_null(out);
	memcpy(out, rep, rlen);
	memcpy(out + rlen, text + klen, len - klen + 1);
	free(text);
	return out;
}

static void golden_path(char *buf, size_t size, const char *name)
{
	const char *dir = getenv("ILP_FIXTURES");

	snprintf(buf, size, "%s/report_text_%s.txt", dir && *dir ? dir : "tests/fixtures",
		 name);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;
	char chunk[4096];
	size_t n;

	if (!f)
		return NULL;
	mem = open_memstream(&buf, &len);
	assert_non_null(mem);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		assert_int_equal(fwrite(chunk, 1, n, mem), n);
	fclose(f);
	assert_int_equal(fclose(mem), 0);
	return buf;
}

/* print the first differing line of both texts */
static void show_diff(const char *want, const char *got)
{
	int line = 1;
	const char *w = want, *g = got;

	while (*w && *w == *g) {
		if (*w == '\n') {
			line++;
			want = w + 1;
			got = g + 1;
		}
		w++;
		g++;
	}
	print_error("first difference at line %d\n  want: %.*s\n  got:  %.*s\n",
		    line, (int)strcspn(want, "\n"), want, (int)strcspn(got, "\n"), got);
}

static void check_golden(const char *name, char *text)
{
	char path[4096];
	const char *upd = getenv("ILP_UPDATE_GOLDEN");
	char *want;

	text = unversion(text);
	golden_path(path, sizeof(path), name);
	if (upd && !strcmp(upd, "1")) {
		FILE *f = fopen(path, "wb");

		assert_non_null(f);
		assert_int_equal(fputs(text, f) >= 0, 1);
		assert_int_equal(fclose(f), 0);
		print_message("updated %s\n", path);
		free(text);
		return;
	}
	want = slurp(path);
	if (!want) {
		print_error("%s: missing (ILP_UPDATE_GOLDEN=1 writes it)\n", path);
		free(text);
		fail();
	}
	if (strcmp(want, text)) {
		print_error("%s differs from the rendered report\n", path);
		show_diff(want, text);
		free(want);
		free(text);
		fail();
	}
	free(want);
	free(text);
}

static void render_check(const char *name, struct ilp_model *m,
			 const struct ilp_report_info *info,
			 const struct ilp_report_opts *opts)
{
	check_golden(name, render(m, info, opts));
}

/*
 * pid 100 "app": 100 writes and 50 reads with chosen latencies.
 *   write: 60 x 1000 ns, 35 x 2000 ns, 5 x 50000 ns
 *          total 380 us, avg 3.80 us, p50 ~1.00 us, p90 ~2.00 us,
 *          p99 50.0 us (values 96..100), max 50.0 us, 3.8 % of 10 ms
 *   read:  30 x 10 ns, 17 x 20 ns, 3 x 60 ns (3 of the 10 ns fail: EAGAIN)
 *          total 820 ns, avg 16 ns, p50 10, p90 20, p99 60, max 60 ns
 */
static void build_basic(struct stream *s)
{
	task_info(s, 100, 100, "app");
	calls(s, 100, 100, SYS_write, 60, 1000, 10);
	calls(s, 100, 100, SYS_read, 3, 10, -EAGAIN);
	calls(s, 100, 100, SYS_read, 27, 10, 5);
	calls(s, 100, 100, SYS_write, 35, 2000, 10);
	calls(s, 100, 100, SYS_read, 17, 20, 5);
	calls(s, 100, 100, SYS_write, 5, 50000, 10);
	calls(s, 100, 100, SYS_read, 3, 60, 5);
}

static void finish(struct stream *s, uint64_t end)
{
	ilp_model_finish(s->m, end);
	assert_int_equal(ilp_model_index(s->m, end), 0);
}

static void test_basic(void **state)
{
	struct stream s;

	(void)state;
	stream_init(&s);
	build_basic(&s);
	finish(&s, default_info.end_ts);
	render_check("basic", s.m, &default_info, &default_opts);
	ilp_model_free(s.m);
}

static void test_lost(void **state)
{
	struct stream s;
	struct ilp_report_info info = default_info;

	(void)state;
	info.lost = 1234;
	info.exit_status = -1;
	stream_init(&s);
	task_info(&s, 100, 100, "app");
	calls(&s, 100, 100, SYS_write, 10, 1500, 10);
	finish(&s, info.end_ts);
	render_check("lost", s.m, &info, &default_opts);
	ilp_model_free(s.m);
}

/* capture still running at +12.3 s; a read is in flight since +12.0 s */
static void test_interim(void **state)
{
	struct stream s;
	struct ilp_report_info info = default_info;
	uint64_t now = T0 + 12300 * MS;

	(void)state;
	info.interim = 1;
	info.end_ts = now;
	info.exit_status = -1;
	stream_init(&s);
	task_info(&s, 100, 100, "server");
	calls(&s, 100, 100, SYS_write, 4, 3000, 10);
	sys_enter(&s, 100, 100, SYS_read, T0 + 12000 * MS);
	assert_int_equal(ilp_model_index(s.m, now), 0);
	render_check("interim", s.m, &info, &default_opts);
	ilp_model_free(s.m);
}

/*
 * the third interim report of one interval each (--interval 5 without
 * --cumulative), +10 s to +15 s: the model was reset at +10 s; 4 writes
 * completed since and a read in flight since +12 s.  The header says the
 * span, the duration and %wall are the interval's (4 x 3 us of 5 s).
 */
static void test_interval(void **state)
{
	struct stream s;
	struct ilp_report_info info = default_info;
	uint64_t now = T0 + 15000 * MS;

	(void)state;
	info.interim = 1;
	info.interval = 3;
	info.window_ts = T0 + 10000 * MS;
	info.end_ts = now;
	info.exit_status = -1;
	stream_init(&s);
	task_info(&s, 100, 100, "server");
	calls(&s, 100, 100, SYS_write, 2, 3000, 10);
	assert_int_equal(ilp_model_reset_stats(s.m), 0);
	calls(&s, 100, 100, SYS_write, 4, 3000, 10);
	sys_enter(&s, 100, 100, SYS_read, T0 + 12000 * MS);
	assert_int_equal(ilp_model_index(s.m, now), 0);
	render_check("interval", s.m, &info, &default_opts);
	ilp_model_free(s.m);
}

/*
 * pid 200 "pool": tid 200 (main) 2 writes of 10 us; tid 201 "worker" 5
 * reads of 4 us and 1 write of 10 us; tid 202 "worker" 3 fsyncs of 2 ms.
 */
static void test_threads(void **state)
{
	struct stream s;
	struct ilp_report_opts opts = default_opts;

	(void)state;
	opts.threads = 1;
	opts.top_hist = 1;
	stream_init(&s);
	task_info(&s, 200, 200, "pool");
	task_info(&s, 200, 201, "worker");
	task_info(&s, 200, 202, "worker");
	calls(&s, 200, 200, SYS_write, 2, 10000, 1);
	sync_clocks(&s);
	calls(&s, 200, 201, SYS_read, 5, 4000, 1);
	calls(&s, 200, 201, SYS_write, 1, 10000, 1);
	sync_clocks(&s);
	calls(&s, 200, 202, SYS_fsync, 3, 2 * MS, 0);
	finish(&s, default_info.end_ts);
	render_check("threads", s.m, &default_info, &opts);
	ilp_model_free(s.m);
}

/* a read entered at +1 ms never returns by the end (+10 ms): 9.00 ms so far */
static void test_unfinished(void **state)
{
	struct stream s;

	(void)state;
	stream_init(&s);
	task_info(&s, 100, 100, "app");
	calls(&s, 100, 100, SYS_write, 3, 5000, 1);
	sys_enter(&s, 100, 100, SYS_read, T0 + 1 * MS);
	finish(&s, default_info.end_ts);
	render_check("unfinished", s.m, &default_info, &default_opts);
	ilp_model_free(s.m);
}

static void test_empty(void **state)
{
	struct stream s;

	(void)state;
	stream_init(&s);
	finish(&s, default_info.end_ts);
	assert_int_equal(ilp_model_nprocs(s.m), 0);
	render_check("empty", s.m, &default_info, &default_opts);
	ilp_model_free(s.m);
}

/*
 * Two processes: pid 300 "busy" (the only one shown) and pid 301 "idle"
 * which made no syscall and is skipped.
 */
static void test_skip_idle(void **state)
{
	struct stream s;

	(void)state;
	stream_init(&s);
	task_info(&s, 300, 300, "busy");
	task_info(&s, 301, 301, "idle");
	calls(&s, 300, 300, SYS_write, 2, 1000, 1);
	finish(&s, default_info.end_ts);
	assert_int_equal(ilp_model_nprocs(s.m), 2);
	render_check("skip_idle", s.m, &default_info, &default_opts);
	ilp_model_free(s.m);
}

/* four syscalls, table cut at 2: "... 2 more syscalls (X total)" */
static void test_top_syscalls(void **state)
{
	struct stream s;
	struct ilp_report_opts opts = default_opts;

	(void)state;
	opts.top_syscalls = 2;
	opts.top_hist = 0;
	stream_init(&s);
	task_info(&s, 100, 100, "app");
	calls(&s, 100, 100, SYS_write, 4, 1 * MS, 1);		/* 4.00 ms */
	calls(&s, 100, 100, SYS_read, 3, 1 * MS, 1);		/* 3.00 ms */
	calls(&s, 100, 100, SYS_close, 2, 500, 0);		/* 1.00 us */
	calls(&s, 100, 100, SYS_openat, 1, 700, 3);		/* 700 ns */
	finish(&s, default_info.end_ts);
	render_check("top_syscalls", s.m, &default_info, &opts);
	ilp_model_free(s.m);
}

/*
 * Unit edges in a table: one call each of 999 ns (read), 1000 ns (write),
 * 999999 ns (fsync) and 1 s (nanosleep); 2 s of wall clock.
 */
static void test_time_edges_report(void **state)
{
	struct stream s;
	struct ilp_report_info info = default_info;

	(void)state;
	info.end_ts = T0 + 2000 * MS;
	stream_init(&s);
	task_info(&s, 100, 100, "edges");
	calls(&s, 100, 100, SYS_read, 1, 999, 1);
	calls(&s, 100, 100, SYS_write, 1, 1000, 1);
	calls(&s, 100, 100, SYS_fsync, 1, 999999, 0);
	calls(&s, 100, 100, SYS_nanosleep, 1, 1000 * MS, 0);
	finish(&s, info.end_ts);
	render_check("time_edges", s.m, &info, &default_opts);
	ilp_model_free(s.m);
}

static void check_time(uint64_t ns, const char *want)
{
	char buf[ILP_FMT_TIME_LEN];

	ilp_fmt_time(buf, sizeof(buf), ns);
	assert_string_equal(buf, want);
}

static void test_fmt_time(void **state)
{
	(void)state;
	check_time(0, "0 ns");
	check_time(801, "801 ns");
	check_time(999, "999 ns");
	check_time(1000, "1.00 us");
	check_time(1104, "1.10 us");
	check_time(1105, "1.11 us");	/* half up */
	check_time(9994, "9.99 us");
	check_time(9995, "10.0 us");
	check_time(99950, "100 us");
	check_time(999499, "999 us");
	check_time(999500, "1.00 ms");
	check_time(999999, "1.00 ms");
	check_time(80100000, "80.1 ms");
	check_time(999999999, "1.00 s");
	check_time(1000000000, "1.00 s");
	check_time(5200000000, "5.20 s");
	check_time(UINT64_C(1234000000000), "1234 s");
	check_time(UINT64_MAX, "18446744074 s");
}

static void test_write_failure(void **state)
{
	struct stream s;
	FILE *f;

	(void)state;
	stream_init(&s);
	build_basic(&s);
	finish(&s, default_info.end_ts);

	/* a FILE opened read-only: every write fails, with the write's errno */
	f = fopen("/dev/null", "r");
	assert_non_null(f);
	assert_int_equal(ilp_report_text(f, s.m, &default_info, &default_opts), -EBADF);
	fclose(f);

	/* a device that is always full: the failure shows at flush */
	f = fopen("/dev/full", "w");
	if (f) {
		assert_int_equal(ilp_report_text(f, s.m, &default_info, &default_opts),
				 -ENOSPC);
		fclose(f);
	}
	ilp_model_free(s.m);
}

/*
 * Names the tracee supplies (command line, comm, a path with a newline,
 * an escape sequence and a byte that is not UTF-8) come out escaped: no
 * control character but the line ends reaches the terminal.
 */
static void test_hostile_names(void **state)
{
	struct stream s;
	struct ilp_report_info info = default_info;
	struct ilp_report_opts opts = default_opts;
	struct ilp_event fi = { .ts = T0 + 500, .pid = 1, .tid = 1, .kind = ILP_EV_FD_INFO };
	char *out;
	size_t i;

	(void)state;
	stream_init(&s);
	task_info(&s, 1, 1, "ev\x1b[2Jil\n");
	fi.fd.fd = 3;
	fi.fd.type = 1;		/* ILP_OBJ_FILE */
	fi.fd.str = "/tmp/a b\nc\xff\x1b" "]0;pwned\x07";
	feed(&s, &fi);
	for (i = 0; i < 3; i++) {
		struct ilp_event en = { .ts = T0 + 2000 + i * 100, .pid = 1, .tid = 1,
					.kind = ILP_EV_SYS_ENTER, .nr = SYS_write,
					.args = { 3, 0, 2 } };

		feed(&s, &en);
		sys_exit(&s, 1, 1, SYS_write, en.ts + 50, 2);
	}
	ilp_model_finish(s.m, T0 + 10 * MS);
	assert_int_equal(ilp_model_index(s.m, T0 + 10 * MS), 0);
	info.command = "./app '\n' \x9b" "31m";
	opts.top_objects = 5;
	out = render(s.m, &info, &opts);
	for (i = 0; out[i]; i++)
		if ((unsigned char)out[i] < 0x20 && out[i] != '\n')
			fail_msg("control byte 0x%02x at %zu", (unsigned char)out[i], i);
	assert_null(strchr(out, '\x9b'));
	assert_null(strchr(out, '\xff'));
	assert_non_null(strstr(out, "command:  ./app '\\x0a' \\x9b31m\n"));
	assert_non_null(strstr(out, "== pid 1 (ev\\x1b[2Jil\\x0a)"));
	assert_non_null(strstr(out, "  file /tmp/a b\\x0ac\\xff\\x1b]0;pwned\\x07 "));
	free(out);
	ilp_model_free(s.m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fmt_time),
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_lost),
		cmocka_unit_test(test_interim),
		cmocka_unit_test(test_interval),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_unfinished),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_skip_idle),
		cmocka_unit_test(test_top_syscalls),
		cmocka_unit_test(test_time_edges_report),
		cmocka_unit_test(test_write_failure),
		cmocka_unit_test(test_hostile_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
