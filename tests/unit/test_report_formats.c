// SPDX-License-Identifier: MIT
/*
 * The machine-readable and graphical reporters (json, folded, perfetto,
 * html) and the calls model behind perfetto, on one synthetic model with
 * known numbers:
 *
 *   pid 100 "app": tid 100 writes 3 times (1000, 2000, 3000 ns; the last
 *                  fails with -EBADF); tid 101 "worker" reads once (5 ms)
 *   pid 200 "db":  tid 200 fsyncs once (1 ms), then enters nanosleep and
 *                  is still inside at the end (unfinished, 1.97 ms so far)
 *   pid 300 "idle": named, never calls anything (not shown: > 1 process)
 *
 * The JSON is read back with our parser and checked value by value; the
 * folded and perfetto outputs are compared byte for byte; the HTML is
 * checked for its charts, its escaping and for anything external.
 */
#include <errno.h>
#include <malloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <cmocka.h>

#include "callsmodel.h"
#include "event.h"
#include "fdmodel.h"
#include "json.h"
#include "model.h"
#include "report.h"
#include "stacks.h"
#include "waitmodel.h"

#define T0 UINT64_C(1000000000)
#define MS_NS UINT64_C(1000000)
#define VDA ((254u << 20) | 0)
#define END (T0 + 2000000)
#define CMD "app \"q\" \\ \x01 \xff"

static void feed(struct ilp_model *m, uint64_t ts, int pid, int tid, int kind, int nr, int64_t ret)
{
	struct ilp_event ev = { .ts = ts, .pid = pid, .tid = tid, .kind = (uint16_t)kind,
				.nr = nr };

	if (kind == ILP_EV_SYS_EXIT)
		ev.ret = ret;
	else if (kind == ILP_EV_SYS_ENTER)
		ev.args[0] = (uint64_t)ret;	/* arg0 */
	assert_int_equal(ilp_model_feed(m, &ev), 0);
}

static void info_ev(struct ilp_model *m, int pid, int tid, const char *comm)
{
	struct ilp_event ev = { .ts = T0, .pid = pid, .tid = tid, .kind = ILP_EV_TASK_INFO };

	snprintf(ev.task.comm, sizeof(ev.task.comm), "%s", comm);
	assert_int_equal(ilp_model_feed(m, &ev), 0);
}

static void call(struct ilp_model *m, int pid, int tid, int nr, uint64_t t, uint64_t dur,
		 int64_t ret, uint64_t arg0)
{
	feed(m, t, pid, tid, ILP_EV_SYS_ENTER, nr, (int64_t)arg0);
	feed(m, t + dur, pid, tid, ILP_EV_SYS_EXIT, nr, ret);
}

static struct ilp_model *build(void)
{
	struct ilp_model *m = ilp_model_new();

	assert_non_null(m);
	info_ev(m, 100, 100, "app");
	info_ev(m, 100, 101, "worker");
	info_ev(m, 200, 200, "db");
	info_ev(m, 300, 300, "idle");
	call(m, 100, 100, SYS_write, T0 + 1000, 1000, 1, 3);
	call(m, 100, 100, SYS_write, T0 + 3000, 2000, 1, 3);
	call(m, 100, 100, SYS_write, T0 + 6000, 3000, -EBADF, 9);
	call(m, 100, 101, SYS_read, T0 + 10000, 5000000, 0, 4);
	call(m, 200, 200, SYS_fsync, T0 + 20000, 1000000, 0, 5);
	feed(m, T0 + 30000, 200, 200, ILP_EV_SYS_ENTER, SYS_nanosleep, 0);
	ilp_model_finish(m, END);
	assert_int_equal(ilp_model_index(m, END), 0);
	return m;
}

static const struct ilp_report_info info = {
	.command = CMD, .backend = "ftrace", .start_ts = T0, .end_ts = END,
	.events = 15, .lost = 3, .interim = 0, .exit_status = 0,
};

typedef int (*reporter)(FILE *, const struct ilp_model *, const struct ilp_report_info *,
			const struct ilp_report_opts *);

static char *render_top(reporter fn, const struct ilp_model *m, int threads, int top_objects)
{
	struct ilp_report_opts opts = { .threads = threads, .top_hist = 3,
					 .top_objects = top_objects };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(fn(f, m, &info, &opts), 0);
	fclose(f);
	return buf;
}

static char *render(reporter fn, const struct ilp_model *m, int threads)
{
	return render_top(fn, m, threads, 0);
}

/* ---- json ---- */

static uint64_t u64_at(const struct ilp_json *obj, const char *key)
{
	uint64_t v = 0;

	if (ilp_json_u64(ilp_json_get(obj, key), &v))
		fail_msg("'%s' is not an unsigned integer", key);
	return v;
}

static int64_t i64_at(const struct ilp_json *obj, const char *key)
{
	int64_t v = 0;

	if (ilp_json_i64(ilp_json_get(obj, key), &v))
		fail_msg("'%s' is not an integer", key);
	return v;
}

static void assert_null_at(const struct ilp_json *obj, const char *key)
{
	assert_non_null(ilp_json_get(obj, key));
	assert_int_equal(ilp_json_type(ilp_json_get(obj, key)), ILP_JSON_NULL);
}

static void check_bucket(const struct ilp_json *b, uint64_t lo, uint64_t hi, uint64_t count)
{
	assert_int_equal(u64_at(b, "lo_ns"), lo);
	assert_int_equal(u64_at(b, "hi_ns"), hi);
	assert_int_equal(u64_at(b, "count"), count);
}

static void test_json(void **state)
{
	struct ilp_model *m = build();
	char *out = render(ilp_report_json, m, 1);
	struct ilp_json_doc *d = NULL;
	struct ilp_json_error e;
	const struct ilp_json *r, *cap, *procs, *app, *sc, *h, *th, *db, *tc, *c;
	const struct ilp_proc *mp;

	(void)state;
	if (ilp_json_parse(out, strlen(out), NULL, &d, &e))
		fail_msg("json output does not parse: %d:%d: %s", e.line, e.col, e.msg);
	r = ilp_json_root(d);
	assert_int_equal(u64_at(r, "schema_version"), ILP_JSON_SCHEMA_VERSION);
	assert_string_equal(ilp_json_get_str(ilp_json_get(r, "tool"), "name"), "iolockprof");
	cap = ilp_json_get(r, "capture");
	/* escaped on the way out, decoded on the way in; \xff became U+FFFD */
	assert_string_equal(ilp_json_get_str(cap, "command"), "app \"q\" \\ \x01 \xef\xbf\xbd");
	assert_string_equal(ilp_json_get_str(cap, "backend"), "ftrace");
	assert_int_equal(u64_at(cap, "start_ns"), T0);
	assert_int_equal(u64_at(cap, "end_ns"), END);
	assert_int_equal(u64_at(cap, "duration_ns"), 2000000);
	assert_int_equal(u64_at(cap, "events"), 15);
	assert_int_equal(u64_at(cap, "lost_events"), 3);
	assert_int_equal(ilp_json_bool(ilp_json_get(cap, "interim")), 0);
	assert_int_equal(ilp_json_type(ilp_json_get(cap, "interval")), ILP_JSON_NULL);
	assert_int_equal(ilp_json_bool(ilp_json_get(cap, "cumulative")), 1);
	assert_int_equal(u64_at(cap, "window_start_ns"), T0);
	assert_int_equal(u64_at(cap, "window_end_ns"), END);
	assert_int_equal(ilp_json_len(ilp_json_get(cap, "since_start")), 0);
	assert_int_equal(i64_at(cap, "exit_status"), 0);
	assert_int_equal(u64_at(ilp_json_get(r, "model"), "events"), 15);
	assert_int_equal(u64_at(ilp_json_get(r, "model"), "unpaired_exits"), 0);

	procs = ilp_json_get(r, "processes");
	assert_int_equal(ilp_json_len(procs), 2);	/* idle left out */
	app = ilp_json_at(procs, 0);
	assert_int_equal(i64_at(app, "pid"), 100);
	assert_string_equal(ilp_json_get_str(app, "comm"), "app");
	assert_int_equal(u64_at(app, "threads_seen"), 2);
	assert_int_equal(u64_at(app, "calls"), 4);
	assert_int_equal(u64_at(app, "total_ns"), 5006000);

	sc = ilp_json_get(app, "syscalls");
	assert_int_equal(ilp_json_len(sc), 2);
	c = ilp_json_at(sc, 0);
	assert_string_equal(ilp_json_get_str(c, "name"), "read");
	assert_int_equal(i64_at(c, "nr"), SYS_read);
	assert_int_equal(u64_at(c, "calls"), 1);
	assert_int_equal(u64_at(c, "errors"), 0);
	assert_int_equal(u64_at(c, "total_ns"), 5000000);
	assert_int_equal(u64_at(c, "avg_ns"), 5000000);
	assert_int_equal(u64_at(c, "p50_ns"), 5000000);	/* clamped to [min, max] */
	assert_int_equal(u64_at(c, "p99_ns"), 5000000);
	assert_int_equal(u64_at(c, "max_ns"), 5000000);
	h = ilp_json_get(ilp_json_get(c, "histogram"), "buckets");
	assert_int_equal(ilp_json_len(h), 1);
	check_bucket(ilp_json_at(h, 0), 4194304, 8388607, 1);

	c = ilp_json_at(sc, 1);
	assert_string_equal(ilp_json_get_str(c, "name"), "write");
	assert_int_equal(u64_at(c, "calls"), 3);
	assert_int_equal(u64_at(c, "errors"), 1);
	assert_int_equal(u64_at(c, "total_ns"), 6000);
	assert_int_equal(u64_at(c, "avg_ns"), 2000);
	assert_int_equal(u64_at(c, "max_ns"), 3000);
	assert_int_equal(u64_at(c, "unfinished"), 0);
	/* percentiles are the model's, to the ns */
	mp = ilp_model_find_proc(m, 100);
	assert_int_equal(u64_at(c, "p50_ns"),
			 ilp_hist_percentile(ilp_proc_find_syscall(mp, SYS_write)->hist, 50.0));
	assert_true(u64_at(c, "p50_ns") >= 1960 && u64_at(c, "p50_ns") <= 2040);
	assert_int_equal(u64_at(c, "p99_ns"), 2991);	/* bucket [2976, 3008) midpoint */
	assert_int_equal(u64_at(c, "p99_ns"),
			 ilp_hist_percentile(ilp_proc_find_syscall(mp, SYS_write)->hist, 99.0));
	h = ilp_json_get(ilp_json_get(c, "histogram"), "buckets");
	assert_int_equal(ilp_json_len(h), 3);
	check_bucket(ilp_json_at(h, 0), 512, 1023, 1);
	check_bucket(ilp_json_at(h, 1), 1024, 2047, 1);
	check_bucket(ilp_json_at(h, 2), 2048, 4095, 1);

	th = ilp_json_get(app, "threads");
	assert_int_equal(ilp_json_len(th), 2);
	assert_int_equal(i64_at(ilp_json_at(th, 0), "tid"), 100);
	assert_int_equal(u64_at(ilp_json_at(th, 0), "calls"), 3);
	assert_int_equal(u64_at(ilp_json_at(th, 0), "total_ns"), 6000);
	assert_null(ilp_json_get(ilp_json_at(ilp_json_get(ilp_json_at(th, 0), "syscalls"), 0),
				 "p50_ns"));
	assert_int_equal(i64_at(ilp_json_at(th, 1), "tid"), 101);
	assert_string_equal(ilp_json_get_str(ilp_json_at(th, 1), "comm"), "worker");
	assert_int_equal(u64_at(ilp_json_at(th, 1), "total_ns"), 5000000);

	tc = ilp_json_get(app, "top_calls");
	assert_int_equal(u64_at(tc, "limit"), ILP_CALLS_TOP);
	assert_int_equal(u64_at(tc, "seen"), 4);
	tc = ilp_json_get(tc, "calls");
	assert_int_equal(ilp_json_len(tc), 4);
	assert_int_equal(u64_at(ilp_json_at(tc, 0), "start_ns"), T0 + 1000);
	assert_int_equal(u64_at(ilp_json_at(tc, 0), "dur_ns"), 1000);
	assert_int_equal(u64_at(ilp_json_at(tc, 0), "arg0"), 3);
	assert_string_equal(ilp_json_get_str(ilp_json_at(tc, 0), "object"), "fd 3 (unresolved)");
	assert_int_equal(i64_at(ilp_json_at(tc, 2), "ret"), -EBADF);
	assert_string_equal(ilp_json_get_str(ilp_json_at(tc, 3), "syscall"), "read");
	assert_int_equal(i64_at(ilp_json_at(tc, 3), "tid"), 101);
	assert_int_equal(u64_at(ilp_json_at(tc, 3), "dur_ns"), 5000000);

	db = ilp_json_at(procs, 1);
	assert_int_equal(i64_at(db, "pid"), 200);
	assert_int_equal(u64_at(db, "total_ns"), 1000000);
	sc = ilp_json_get(db, "syscalls");
	assert_int_equal(ilp_json_len(sc), 2);
	c = ilp_json_at(sc, 1);
	assert_string_equal(ilp_json_get_str(c, "name"), "nanosleep");
	assert_int_equal(u64_at(c, "calls"), 0);
	assert_int_equal(u64_at(c, "unfinished"), 1);
	assert_int_equal(u64_at(c, "unfinished_ns"), 1970000);
	assert_null_at(c, "avg_ns");
	assert_null_at(c, "p50_ns");
	assert_null_at(c, "max_ns");
	assert_null(ilp_json_get(c, "histogram"));
	ilp_json_doc_free(d);
	free(out);

	/* without --threads: no "threads" member */
	out = render(ilp_report_json, m, 0);
	assert_int_equal(ilp_json_parse(out, strlen(out), NULL, &d, &e), 0);
	assert_null(ilp_json_get(ilp_json_at(ilp_json_get(ilp_json_root(d), "processes"), 0),
				 "threads"));
	ilp_json_doc_free(d);
	free(out);
	ilp_model_free(m);
}

/* the JSON report of an empty model under i2, parsed; *buf to free after d */
static struct ilp_json_doc *empty_json(const struct ilp_report_info *i2, char **buf)
{
	struct ilp_model *m = ilp_model_new();
	struct ilp_report_opts opts = { 0 };
	struct ilp_json_doc *d = NULL;
	size_t len = 0;
	FILE *f = open_memstream(buf, &len);

	assert_int_equal(ilp_model_index(m, END), 0);
	assert_int_equal(ilp_report_json(f, m, i2, &opts), 0);
	fclose(f);
	assert_int_equal(ilp_json_parse(*buf, len, NULL, &d, NULL), 0);
	ilp_model_free(m);
	return d;
}

static void test_json_no_exit_status(void **state)
{
	struct ilp_report_info i2 = info;
	struct ilp_json_doc *d;
	char *buf = NULL;

	(void)state;
	i2.exit_status = -1;
	i2.interim = 1;
	d = empty_json(&i2, &buf);
	assert_int_equal(ilp_json_type(ilp_json_get(ilp_json_get(ilp_json_root(d), "capture"),
						    "exit_status")), ILP_JSON_NULL);
	assert_int_equal(ilp_json_bool(ilp_json_get(ilp_json_get(ilp_json_root(d), "capture"),
						    "interim")), 1);
	assert_int_equal(ilp_json_len(ilp_json_get(ilp_json_root(d), "processes")), 0);
	ilp_json_doc_free(d);
	free(buf);
}

/* the interim report of one interval: its number, window and duration */
static void test_json_interval(void **state)
{
	struct ilp_report_info i2 = info;
	const struct ilp_json *cap;
	struct ilp_json_doc *d;
	char *buf = NULL;

	(void)state;
	i2.exit_status = -1;
	i2.interim = 1;
	i2.interval = 4;
	i2.window_ts = END - 500000;
	d = empty_json(&i2, &buf);
	cap = ilp_json_get(ilp_json_root(d), "capture");
	assert_int_equal(u64_at(cap, "interval"), 4);
	assert_int_equal(ilp_json_bool(ilp_json_get(cap, "cumulative")), 0);
	assert_int_equal(u64_at(cap, "start_ns"), T0);
	assert_int_equal(u64_at(cap, "window_start_ns"), END - 500000);
	assert_int_equal(u64_at(cap, "window_end_ns"), END);
	assert_int_equal(u64_at(cap, "duration_ns"), 500000);
	ilp_json_doc_free(d);
	free(buf);
}

/* ---- folded ---- */

static void test_folded(void **state)
{
	struct ilp_model *m = build();
	char *out = render(ilp_report_folded, m, 0);

	(void)state;
	assert_string_equal(out,
		"app-100;app-100;write 6000\n"
		"app-100;worker-101;read 5000000\n"
		"db-200;db-200;fsync 1000000\n"
		"db-200;db-200;nanosleep 1970000\n");
	free(out);
	ilp_model_free(m);
}

static void test_folded_names(void **state)
{
	struct ilp_model *m = ilp_model_new();
	char *out;

	(void)state;
	info_ev(m, 7, 7, "a;b c\td\n\xff");
	call(m, 7, 7, SYS_read, T0 + 10, 5, 0, 0);
	ilp_model_finish(m, END);
	assert_int_equal(ilp_model_index(m, END), 0);
	out = render(ilp_report_folded, m, 0);
	/* ';' and blanks are the format's: '_'; the rest escaped as in text */
	assert_string_equal(out, "a_b_c\\x09d\\x0a\\xff-7;a_b_c\\x09d\\x0a\\xff-7;read 5\n");
	free(out);
	ilp_model_free(m);
}

/*
 * "srv" (pid 50): tid 50 reads fd 3 twice, blocked off-CPU (S) 10 ms in
 * the first (10.007 ms in all), 2 us on the CPU in the second; tid 51
 * "w" is inside a write at the end (unfinished, 1 ms so far)
 */
static struct ilp_model *build_blocking(void)
{
	struct ilp_model *m = ilp_model_new();
	struct ilp_event sw = { .kind = ILP_EV_SCHED_SWITCH };

	assert_non_null(m);
	info_ev(m, 50, 50, "srv");
	info_ev(m, 50, 51, "w");
	feed(m, T0 + 1000, 50, 50, ILP_EV_SYS_ENTER, SYS_read, 3);
	sw.ts = T0 + 6000;
	sw.tid = 50;
	sw.sched.prev_state = 1;	/* S */
	assert_int_equal(ilp_model_feed(m, &sw), 0);
	sw.ts = T0 + 10006000;
	sw.tid = 0;
	sw.sched.prev_state = 0;
	sw.sched.next = 50;
	assert_int_equal(ilp_model_feed(m, &sw), 0);
	feed(m, T0 + 10008000, 50, 50, ILP_EV_SYS_EXIT, SYS_read, 1);
	call(m, 50, 50, SYS_read, T0 + 10010000, 2000, 1, 3);
	feed(m, END - MS_NS, 50, 51, ILP_EV_SYS_ENTER, SYS_write, 4);
	ilp_model_finish(m, END);
	assert_int_equal(ilp_model_index(m, END), 0);
	return m;
}

/* the off-CPU part of a syscall's time on the object waited on, the
 * rest on the syscall; an unfinished call counts its time so far */
static void test_folded_objects(void **state)
{
	struct ilp_model *m = build_blocking();
	char *out = render(ilp_report_folded, m, 0);

	(void)state;
	assert_string_equal(out,
		"srv-50;srv-50;read;fd:3_(fd_3_(unresolved)) 10007000\n"
		"srv-50;srv-50;read 2000\n"
		"srv-50;w-51;write 1000000\n");
	free(out);
	ilp_model_free(m);
}

/* --stacks: a process's lines are its call stacks, outermost frame first */
static void test_folded_stacks(void **state)
{
	struct ilp_model *m = build();
	struct ilp_stacks *st = ilp_stacks_new();
	struct ilp_report_info inf = info;
	struct ilp_report_opts opts = { .top_hist = 3 };
	uint64_t pcs[2][3] = { { 0x7f0000001000ull, 0x401234, 0x401000 },
			       { 0x7f0000001000ull, 0x401300, 0x401000 } };
	static const char *const fn[2] = { "fetch", "store" };
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_non_null(st);
	for (int k = 0; k < 2; k++) {
		int is_new, id = ilp_stacks_intern(st, 100, SYS_write, pcs[k], 3, &is_new);

		assert_true(id >= 0 && is_new);
		assert_int_equal(ilp_stacks_name_frame(st, id, 0, "__write", "write.c", 26,
						       "/usr/lib/libc.so.6"), 0);
		assert_int_equal(ilp_stacks_name_frame(st, id, 1, fn[k], "/src/app c.c", 42 + k,
						       "/home/u/app"), 0);
		assert_int_equal(ilp_stacks_name_frame(st, id, 2, NULL, NULL, 0, NULL), 0);
		ilp_stacks_add(st, id, 1000 * (k + 1));
		ilp_stacks_add(st, id, 1000);
	}
	assert_int_equal(ilp_stacks_index(st), 0);
	inf.stacks = st;
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(ilp_report_folded(f, m, &inf, &opts), 0);
	fclose(f);
	/* app (pid 100) has stacks: its lines, by total time; db has none */
	assert_string_equal(buf,
		"app-100;0x401000;store_(app_c.c:43);__write_(write.c:26);write 3000\n"
		"app-100;0x401000;fetch_(app_c.c:42);__write_(write.c:26);write 2000\n"
		"db-200;db-200;fsync 1000000\n"
		"db-200;db-200;nanosleep 1970000\n");
	free(buf);
	ilp_stacks_free(st);
	ilp_model_free(m);
}

/* an object's name_source, and a name that is not UTF-8 exactly in desc_hex */
static void test_json_objects(void **state)
{
	static const char odd[] = "/tmp/a b\nc\xff";
	struct ilp_model *m = ilp_model_new();
	struct ilp_event fi = { .ts = T0 + 10, .pid = 7, .tid = 7, .kind = ILP_EV_FD_INFO };
	const struct ilp_json *objs, *o, *l;
	struct ilp_json_doc *d = NULL;
	struct ilp_json_error e;
	char *out;

	(void)state;
	assert_non_null(m);
	info_ev(m, 7, 7, "app");
	call(m, 7, 7, SYS_openat, T0 + 100, 1000, 3, 0);
	fi.ts = T0 + 1100;
	fi.fd.fd = 3;
	fi.fd.type = ILP_OBJ_FILE | ILP_OBJ_SRC(ILP_NAME_SRC_PROC);
	fi.fd.str = odd;
	assert_int_equal(ilp_model_feed(m, &fi), 0);
	call(m, 7, 7, SYS_write, T0 + 2000, 5000, 2, 3);
	call(m, 7, 7, SYS_openat, T0 + 8000, 1000, 4, 0);
	fi.ts = T0 + 9000;
	fi.fd.fd = 4;
	fi.fd.type = ILP_OBJ_FILE | ILP_OBJ_SRC(ILP_NAME_SRC_LOST);
	fi.fd.str = "closed before it could be read";
	assert_int_equal(ilp_model_feed(m, &fi), 0);
	call(m, 7, 7, SYS_write, T0 + 10000, 500, 2, 4);
	ilp_model_finish(m, END);
	assert_int_equal(ilp_model_index(m, END), 0);
	out = render(ilp_report_json, m, 0);
	if (ilp_json_parse(out, strlen(out), NULL, &d, &e))
		fail_msg("json output does not parse: %d:%d: %s", e.line, e.col, e.msg);
	objs = ilp_json_get(ilp_json_at(ilp_json_get(ilp_json_root(d), "processes"), 0), "objects");
	assert_int_equal(ilp_json_len(objs), 2);
	o = ilp_json_at(objs, 0);
	assert_string_equal(ilp_json_get_str(o, "type"), "file");
	assert_string_equal(ilp_json_get_str(o, "desc"), "/tmp/a b\nc\xef\xbf\xbd");
	assert_string_equal(ilp_json_get_str(o, "desc_hex"), "2f746d702f6120620a63ff");
	assert_string_equal(ilp_json_get_str(o, "name_source"), "proc");
	l = ilp_json_at(objs, 1);
	assert_string_equal(ilp_json_get_str(l, "type"), "unresolved");
	assert_string_equal(ilp_json_get_str(l, "name"),
			    "fd 4 (name lost: closed before it could be read)");
	assert_string_equal(ilp_json_get_str(l, "name_source"), "lost");
	assert_null(ilp_json_get(l, "desc_hex"));	/* valid UTF-8: none */
	ilp_json_doc_free(d);
	free(out);
	ilp_model_free(m);
}

/* ---- perfetto ---- */

#define M_EV(what, pid, tid, name) \
	"{\"ph\":\"M\",\"name\":\"" what "\",\"pid\":" #pid ",\"tid\":" #tid \
	",\"args\":{\"name\":\"" name "\"}}"
/* name: the syscall, then the fd's object the model knows (obj) */
#define X_EV(name, obj, pid, tid, ts, dur, ret, arg0, durns) \
	"{\"ph\":\"X\",\"cat\":\"syscall\",\"name\":\"" name " " obj "\",\"pid\":" #pid \
	",\"tid\":" #tid ",\"ts\":" ts ",\"dur\":" dur ",\"args\":{\"ret\":" #ret \
	",\"arg0\":" #arg0 ",\"dur_ns\":" #durns ",\"object\":\"" obj "\"}}"

static void test_perfetto(void **state)
{
	struct ilp_model *m = build();
	char *out = render(ilp_report_perfetto, m, 0);
	struct ilp_json_doc *d = NULL;
	char want[4096];

	(void)state;
	snprintf(want, sizeof(want),
		 "{\"displayTimeUnit\":\"ns\",\"otherData\":{\"tool\":\"iolockprof\","
		 "\"version\":\"%s\",\"command\":\"app \\\"q\\\" \\\\ \\u0001 \\ufffd\","
		 "\"calls_per_process\":%d,\"note\":\"only the longest calls of each process "
		 "are shown\",\"disk_requests_per_device\":%d,\"disk_note\":\"only the slowest "
		 "requests of each device (issue to complete) are shown\"},\"traceEvents\":["
		 M_EV("process_name", 100, 100, "app") ","
		 M_EV("thread_name", 100, 100, "app") ","
		 M_EV("thread_name", 100, 101, "worker") ","
		 M_EV("process_name", 200, 200, "db") ","
		 M_EV("thread_name", 200, 200, "db") ","
		 X_EV("write", "fd 3 (unresolved)", 100, 100, "1000001.000", "1.000", 1, 3, 1000) ","
		 X_EV("write", "fd 3 (unresolved)", 100, 100, "1000003.000", "2.000", 1, 3, 2000) ","
		 /* EBADF on fd 9, never opened: a call on no object */
		 "{\"ph\":\"X\",\"cat\":\"syscall\",\"name\":\"write\",\"pid\":100,"
		 "\"tid\":100,\"ts\":1000006.000,\"dur\":3.000,\"args\":{\"ret\":-9,"
		 "\"arg0\":9,\"dur_ns\":3000,\"object\":\"\"}},"
		 X_EV("read", "fd 4 (unresolved)", 100, 101, "1000010.000", "5000.000", 0, 4, 5000000) ","
		 X_EV("fsync", "fd 5 (unresolved)", 200, 200, "1000020.000", "1000.000", 0, 5, 1000000)
		 "]}\n", ILP_VERSION, ILP_CALLS_TOP, ILP_BLK_REQS_TOP);
	assert_string_equal(out, want);
	assert_int_equal(ilp_json_parse(out, strlen(out), NULL, &d, NULL), 0);
	ilp_json_doc_free(d);
	free(out);
	ilp_model_free(m);
}

static struct ilp_event blk(uint64_t ts, int tid, int kind, uint64_t sector, uint32_t bytes,
			    const char *rwbs, const char *comm)
{
	struct ilp_event e = { .ts = ts, .tid = tid, .kind = (uint16_t)kind };

	e.block.dev = VDA;
	e.block.sector = sector;
	e.block.bytes = bytes;
	snprintf(e.block.rwbs, sizeof(e.block.rwbs), "%s", rwbs);
	snprintf(e.block.comm, sizeof(e.block.comm), "%s", comm);
	return e;
}

static void feed_ev(struct ilp_model *m, struct ilp_event e)
{
	assert_int_equal(ilp_model_feed(m, &e), 0);
}

static int name_vda(void *ctx, int kind, int pid, uint64_t key, char *buf, size_t size)
{
	(void)ctx;
	(void)pid;
	if (kind != ILP_NAME_DEV || key != VDA)
		return -ENOENT;
	snprintf(buf, size, "vda");
	return 0;
}

static size_t count(const char *hay, const char *needle);

#define DISK_PID "1000000000"
#define D_X(name, tid, ts, dur, bytes, sector, rw, who, spid, stid, q2i, durns) \
	"{\"ph\":\"X\",\"cat\":\"disk\",\"name\":\"" name "\",\"pid\":" DISK_PID \
	",\"tid\":" tid ",\"ts\":" ts ",\"dur\":" dur ",\"args\":{\"bytes\":" #bytes \
	",\"sector\":" #sector ",\"rw\":\"" rw "\",\"submitter\":\"" who "\"," \
	"\"submitter_pid\":" #spid ",\"submitter_tid\":" #stid ",\"queue_to_issue_ns\":" \
	q2i ",\"dur_ns\":" #durns ",\"error\":0}}"
#define D_I(ts, bytes, sector) \
	"{\"ph\":\"i\",\"s\":\"t\",\"cat\":\"disk\",\"name\":\"disk write queued\"," \
	"\"pid\":100,\"tid\":100,\"ts\":" ts ",\"args\":{\"device\":\"vda\",\"bytes\":" \
	#bytes ",\"sector\":" #sector "}}"

/*
 * Disk requests on the timeline.  pid 100 "dio" pwrites (100 us) and
 * queues two overlapping 4 KiB writes (A: queue +2, insert +3, issue +5
 * by a kworker, complete +25 us; B: queue +10, issue +12, complete +40
 * us); jbd2 (untraced) writes 8 KiB (C: queue +50, issue +50.5, complete
 * +60 us) and flushes (D: issue +70 us, complete 9 ns later).  A, C, D on
 * lane 1, B on lane 2; the queued marks of A and B on tid 100.
 */
static void test_perfetto_disk(void **state)
{
	struct ilp_model *m = ilp_model_new();
	struct ilp_json_doc *d = NULL;
	char *out;

	(void)state;
	info_ev(m, 100, 100, "dio");
	feed(m, T0 + 1000, 100, 100, ILP_EV_SYS_ENTER, SYS_pwrite64, 3);
	feed_ev(m, blk(T0 + 2000, 100, ILP_EV_BLOCK_QUEUE, 8, 4096, "WS", "dio"));
	feed_ev(m, blk(T0 + 3000, 100, ILP_EV_BLOCK_INSERT, 8, 4096, "WS", "dio"));
	feed_ev(m, blk(T0 + 5000, 77, ILP_EV_BLOCK_ISSUE, 8, 4096, "WS", "kworker/0:1H"));
	feed_ev(m, blk(T0 + 10000, 100, ILP_EV_BLOCK_QUEUE, 16, 4096, "WS", "dio"));
	feed_ev(m, blk(T0 + 12000, 77, ILP_EV_BLOCK_ISSUE, 16, 4096, "WS", "kworker/0:1H"));
	feed_ev(m, blk(T0 + 25000, 0, ILP_EV_BLOCK_COMPLETE, 8, 4096, "WS", ""));
	feed_ev(m, blk(T0 + 40000, 0, ILP_EV_BLOCK_COMPLETE, 16, 4096, "WS", ""));
	feed_ev(m, blk(T0 + 50000, 300, ILP_EV_BLOCK_QUEUE, 9000, 8192, "WS", "jbd2/vda-8"));
	feed_ev(m, blk(T0 + 50500, 300, ILP_EV_BLOCK_ISSUE, 9000, 8192, "WS", "jbd2/vda-8"));
	feed_ev(m, blk(T0 + 60000, 0, ILP_EV_BLOCK_COMPLETE, 9000, 8192, "WS", ""));
	feed_ev(m, blk(T0 + 70000, 300, ILP_EV_BLOCK_ISSUE, 0, 0, "FF", "jbd2/vda-8"));
	feed_ev(m, blk(T0 + 70009, 0, ILP_EV_BLOCK_COMPLETE, 0, 0, "FF", ""));
	feed(m, T0 + 101000, 100, 100, ILP_EV_SYS_EXIT, SYS_pwrite64, 4096);
	ilp_model_finish(m, END);
	assert_int_equal(ilp_model_index(m, END), 0);
	assert_int_equal(ilp_wait_name_objects(m, name_vda, NULL), 0);
	out = render(ilp_report_perfetto, m, 0);
	/* the device's section ends the output, exactly */
	assert_non_null(strstr(out,
		"," M_EV("process_name", 1000000000, 1000000000, "disk vda (254:0)") ","
		M_EV("thread_name", 1000000000, 1000000001, "requests #1") ","
		M_EV("thread_name", 1000000000, 1000000002, "requests #2") ","
		D_X("write", "1000000001", "1000005.000", "20.000", 4096, 8, "WS",
		    "dio (pid 100 tid 100)", 100, 100, "3000", 20000) ","
		D_X("write", "1000000002", "1000012.000", "28.000", 4096, 16, "WS",
		    "dio (pid 100 tid 100)", 100, 100, "2000", 28000) ","
		D_X("write", "1000000001", "1000050.500", "9.500", 8192, 9000, "WS",
		    "jbd2/vda-8 (kernel thread)", 0, 0, "500", 9500) ","
		D_X("flush", "1000000001", "1000070.000", "0.009", 0, 0, "FF",
		    "jbd2/vda-8 (kernel thread)", 0, 0, "null", 9) ","
		D_I("1000002.000", 4096, 8) ","
		D_I("1000010.000", 4096, 16) "]}\n"));
	assert_int_equal(count(out, "\"cat\":\"disk\""), 6);
	assert_int_equal(count(out, "\"ph\":\"X\""), 5);	/* the pwrite + 4 requests */
	assert_int_equal(ilp_json_parse(out, strlen(out), NULL, &d, NULL), 0);
	ilp_json_doc_free(d);
	free(out);
	ilp_model_free(m);
}

/* 10 x ILP_BLK_REQS_TOP requests on one device: exactly K X events on it */
static void test_perfetto_disk_bound(void **state)
{
	struct ilp_model *m = ilp_model_new();
	char *out;

	(void)state;
	for (uint64_t i = 0; i < 10 * ILP_BLK_REQS_TOP; i++) {
		feed_ev(m, blk(T0 + i * 10000, 300, ILP_EV_BLOCK_ISSUE, 8 * i, 4096, "R", "kworker/0:1"));
		feed_ev(m, blk(T0 + i * 10000 + 100 + i, 0, ILP_EV_BLOCK_COMPLETE, 8 * i, 4096, "R", ""));
	}
	ilp_model_finish(m, T0 + 100 * MS_NS);
	assert_int_equal(ilp_model_index(m, T0 + 100 * MS_NS), 0);
	out = render(ilp_report_perfetto, m, 0);
	assert_int_equal(count(out, "\"ph\":\"X\",\"cat\":\"disk\",\"name\":\"read\""),
			 ILP_BLK_REQS_TOP);
	/* sequential requests: one lane; the slowest is the last one */
	assert_int_equal(count(out, "\"requests #"), 1);
	assert_non_null(strstr(out, "\"dur_ns\":2659,\"error\":0}}]}\n"));
	free(out);
	ilp_model_free(m);
}

/* ---- html ---- */

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void test_html(void **state)
{
	struct ilp_model *m = build();
	char *out = render(ilp_report_html, m, 1);

	(void)state;
	assert_true(!strncmp(out, "<!DOCTYPE html>\n", 16));
	assert_non_null(strstr(out, "</html>\n"));
	/* app: read + write, db: fsync (nanosleep has no completed call) */
	assert_int_equal(count(out, "<svg class=\"ilp-hist\""), 3);
	assert_int_equal(count(out, "</svg>"), 5);	/* and 2 flame graphs */
	/* one bar per log2 bucket from the first to the last non-empty one:
	 * read 1, write 3 (512..4095), fsync 1 */
	assert_int_equal(count(out, "<rect class=\"bar\""), 5);
	assert_non_null(strstr(out, "<title>512 ns to 1.02 us: 1</title>"));
	assert_int_equal(count(out, "<section class=\"ilp-proc\" id=\"proc-"), 2);
	assert_non_null(strstr(out, "<section class=\"ilp-proc\" id=\"proc-0\">\n<h2>pid 100 (app)</h2>"));
	assert_non_null(strstr(out, "<section class=\"ilp-proc\" id=\"proc-1\">\n<h2>pid 200 (db)</h2>"));
	/* contents: a link to each process section, with its syscall time */
	assert_non_null(strstr(out, "<nav class=\"ilp-nav\"><p><a href=\"#proc-0\">pid 100 (app) "));
	assert_non_null(strstr(out, " &middot; <a href=\"#proc-1\">pid 200 (db) "));
	assert_int_equal(count(out, "<a href=\"#proc-"), 2);
	assert_non_null(strstr(out, "<h3>tid 101 (worker)"));
	assert_non_null(strstr(out, "unfinished: nanosleep 1 call, 1.97 ms so far"));
	assert_non_null(strstr(out, "<strong>3 events were lost</strong>"));
	assert_non_null(strstr(out, "<tr><th>exit status</th><td>0</td></tr>"));
	/* escaping: quotes as entities; backslash, control char and bad byte
	 * shown as esc.h escapes */
	assert_non_null(strstr(out, "<td>app &quot;q&quot; \\\\ \\x01 \\xff</td>"));
	/* self-contained: nothing fetched, nothing run */
	assert_null(strstr(out, "<script"));
	assert_null(strstr(out, "src="));
	assert_int_equal(count(out, "href"), count(out, "href=\"#"));	/* in-page links only */
	assert_null(strstr(out, "url("));
	assert_null(strstr(out, "@import"));
	/* the SVG xmlns only: 3 charts, 2 flame graphs */
	assert_int_equal(count(out, "http"), 5);
	assert_int_equal(count(out, "xmlns=\"http://www.w3.org/2000/svg\""), 5);
	free(out);
	ilp_model_free(m);
}

/* the wait flame graph of each process: its folded stacks (fold.h), 1000
 * px for the process's time inside syscalls; the thread row with
 * --threads only */
static void test_html_flame(void **state)
{
	struct ilp_model *m = build();
	char *out = render(ilp_report_html, m, 0), *db;

	(void)state;
	assert_int_equal(count(out, "<svg class=\"ilp-flame\""), 2);
	assert_non_null(strstr(out, "<svg class=\"ilp-flame\" data-pid=\"100\" "
			       "xmlns=\"http://www.w3.org/2000/svg\" width=\"1000\" height=\"42\" "
			       "viewBox=\"0 0 1000 42\" role=\"img\" aria-label=\"wait flame graph "
			       "of app-100: 5.01 ms inside syscalls\">\n"));
	/* db: 1 ms of fsync, 1.97 ms in the unfinished nanosleep */
	db = strstr(out, "data-pid=\"200\"");
	assert_non_null(db);
	assert_non_null(strstr(db, ">\n<rect class=\"ilp-frame\" data-kind=\"process\" x=\"0.00\" "
			       "y=\"21\" width=\"1000.00\" height=\"16\" fill=\"#b0b032\"><title>"
			       "db-200\n2970000 ns (2.97 ms), 100.0 % of db-200's time inside syscalls"
			       "</title></rect>\n<text x=\"3.00\" y=\"33\">db-200</text>\n"));
	assert_non_null(strstr(db, "<rect class=\"ilp-frame\" data-kind=\"syscall\" x=\"0.00\" "
			       "y=\"4\" width=\"336.70\" height=\"16\" fill=\"#ec8800\"><title>fsync\n"
			       "1000000 ns (1.00 ms), 33.7 % of db-200's"));
	assert_non_null(strstr(db, "<rect class=\"ilp-frame\" data-kind=\"syscall\" "
			       "x=\"336.70\" y=\"4\" width=\"663.30\""));
	/* app: write (6 us) and read (5 ms), by name: read first */
	assert_non_null(strstr(out, "data-kind=\"syscall\" x=\"0.00\" y=\"4\" width=\"998.80\" "
			       "height=\"16\" fill=\"#f08c00\"><title>read\n"));
	assert_non_null(strstr(out, "data-kind=\"syscall\" x=\"998.80\" y=\"4\" width=\"1.20\" "
			       "height=\"16\" fill=\"#d57100\"><title>write\n"));
	/* write is 1.2 px: no room for a label */
	assert_null(strstr(out, ">write</text>"));
	assert_int_equal(count(out, "<rect class=\"ilp-frame\""), 6);
	assert_int_equal(count(out, "data-kind=\"thread\""), 0);
	free(out);
	/* --threads: a thread row between process and syscalls */
	out = render(ilp_report_html, m, 1);
	assert_int_equal(count(out, "data-kind=\"thread\""), 3);
	assert_non_null(strstr(out, "data-kind=\"thread\" x=\"1.20\" y=\"21\" width=\"998.80\" "
			       "height=\"16\" fill=\"#b6b634\"><title>worker-101\n"));
	free(out);
	ilp_model_free(m);
}

/* names are escaped in titles and labels, and a label too long for its
 * frame is cut with ".."; call stacks (--stacks) are site frames; the
 * first 10 processes only have a flame graph */
static void test_html_flame_names(void **state)
{
	struct ilp_model *m = ilp_model_new();
	struct ilp_stacks *st = ilp_stacks_new();
	struct ilp_report_info inf = info;
	struct ilp_report_opts opts = { .top_hist = 0 };
	uint64_t pcs[2] = { 0x401234, 0x401000 };
	char *buf = NULL, *svg;
	size_t len = 0;
	FILE *f;
	int is_new, id;

	(void)state;
	info_ev(m, 7, 7, "<b>&'x");
	call(m, 7, 7, SYS_read, T0 + 10, 500, 0, 0);
	for (int i = 0; i < 11; i++) {
		info_ev(m, 20 + i, 20 + i, "many");
		call(m, 20 + i, 20 + i, SYS_write, T0 + 10, 10 - i, 0, 0);
	}
	ilp_model_finish(m, END);
	assert_int_equal(ilp_model_index(m, END), 0);
	id = ilp_stacks_intern(st, 7, SYS_read, pcs, 2, &is_new);
	assert_true(id >= 0);
	assert_int_equal(ilp_stacks_name_frame(st, id, 0,
					       "a_function_name_far_too_long_for_its_frame_at_all",
					       "/s/a.c", 9, "/a"), 0);
	assert_int_equal(ilp_stacks_name_frame(st, id, 1, "main", NULL, 0, "/a"), 0);
	ilp_stacks_add(st, id, 500);
	/* another stack of 10 times less: 100 px, 13 glyphs of room */
	pcs[0] = 0x401300;
	id = ilp_stacks_intern(st, 7, SYS_read, pcs, 2, &is_new);
	assert_int_equal(ilp_stacks_name_frame(st, id, 0, "zzzzzzzzzzzzzzzzzz", NULL, 0, "/a"), 0);
	assert_int_equal(ilp_stacks_name_frame(st, id, 1, "main", NULL, 0, "/a"), 0);
	ilp_stacks_add(st, id, 50);
	assert_int_equal(ilp_stacks_index(st), 0);
	inf.stacks = st;
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(ilp_report_html(f, m, &inf, &opts), 0);
	fclose(f);
	assert_non_null(strstr(buf, "aria-label=\"wait flame graph of &lt;b&gt;&amp;&#39;x-7: "));
	assert_non_null(strstr(buf, "<title>&lt;b&gt;&amp;&#39;x-7\n550 ns (550 ns), 100.0 % of "
			       "&lt;b&gt;&amp;&#39;x-7's time inside syscalls</title>"));
	assert_non_null(strstr(buf, "<text x=\"3.00\" y=\"67\">&lt;b&gt;&amp;&#39;x-7</text>"));
	/* main, then the two sites by name above it, then read on each */
	assert_non_null(strstr(buf, "data-kind=\"site\" x=\"0.00\" y=\"38\" width=\"1000.00\""));
	assert_non_null(strstr(buf, "data-kind=\"site\" x=\"0.00\" y=\"21\" width=\"909.09\""));
	assert_non_null(strstr(buf, "<title>a_function_name_far_too_long_for_its_frame_at_all "
			       "(a.c:9)\n500 ns"));
	assert_non_null(strstr(buf, ">a_function_name_far_too_long_for_its_frame_at_all "
			       "(a.c:9)</text>"));
	assert_non_null(strstr(buf, "data-kind=\"site\" x=\"909.09\" y=\"21\" width=\"90.91\""));
	/* 90.91 px: 84.91 px of room, 11 glyphs: 9 characters and ".." */
	assert_non_null(strstr(buf, "<text x=\"912.09\" y=\"33\">zzzzzzzzz..</text>"));
	svg = strstr(buf, "data-pid=\"7\"");
	assert_non_null(svg);
	svg = strndup(svg, (size_t)(strstr(svg, "</svg>") - svg));
	assert_int_equal(count(svg, "data-kind=\"syscall\""), 2);
	assert_int_equal(count(svg, "data-kind=\"site\""), 3);
	assert_int_equal(count(svg, "<rect "), 6);
	free(svg);
	/* 12 processes shown, the first 10 with a flame graph: not the last two "many" */
	assert_int_equal(count(buf, "<section class=\"ilp-proc\""), 12);
	assert_int_equal(count(buf, "<svg class=\"ilp-flame\""), 10);
	assert_non_null(strstr(buf, "data-pid=\"28\""));
	assert_null(strstr(buf, "data-pid=\"29\""));
	assert_null(strstr(buf, "data-pid=\"30\""));
	free(buf);
	ilp_stacks_free(st);
	ilp_model_free(m);
}

/* ---- caps: the "more" rows ---- */

/* one process writing once on each of ILP_FDOBJ_MAX + 5 fds never named:
 * 5 objects past the cap, their calls counted together */
static struct ilp_model *build_many_objects(void)
{
	struct ilp_model *m = ilp_model_new();
	uint64_t i;

	assert_non_null(m);
	info_ev(m, 100, 100, "app");
	for (i = 0; i < ILP_FDOBJ_MAX + 5; i++)
		call(m, 100, 100, SYS_write, T0 + 1000 + i * 100, 10 + (i >= ILP_FDOBJ_MAX), 1, 3 + i);
	ilp_model_finish(m, END);
	assert_int_equal(ilp_model_index(m, END), 0);
	return m;
}

static void test_objects_more(void **state)
{
	struct ilp_model *m = build_many_objects();
	struct ilp_json_doc *d = NULL;
	const struct ilp_json *p, *objs, *more;
	uint64_t ops = 0;
	char *out;

	(void)state;
	out = render_top(ilp_report_text, m, 0, 10);
	assert_non_null(strstr(out, "I/O by object (time inside calls on it; top 10 of 4096):"));
	assert_non_null(strstr(out, "  ... 4086 more objects\n  more objects (past the first 4096 "
			       "of the process)      5  "));
	assert_non_null(strstr(out, "  (the last row: the calls on 5 objects past the first 4096 and "
			       "on 0 fds opened past the 16384 fds >= 1024 tracked, counted together)\n"));
	free(out);
	out = render(ilp_report_json, m, 0);
	assert_int_equal(ilp_json_parse(out, strlen(out), NULL, &d, NULL), 0);
	p = ilp_json_at(ilp_json_get(ilp_json_root(d), "processes"), 0);
	objs = ilp_json_get(p, "objects");
	assert_int_equal(ilp_json_len(objs), ILP_FDOBJ_MAX);
	for (size_t i = 0; i < ilp_json_len(objs); i++)
		ops += u64_at(ilp_json_at(objs, i), "ops");
	more = ilp_json_get(p, "objects_more");
	assert_non_null(more);
	assert_string_equal(ilp_json_get_str(more, "type"), "more");
	assert_string_equal(ilp_json_get_str(more, "name"),
			    "more objects (past the first 4096 of the process)");
	assert_int_equal(u64_at(more, "ops"), 5);
	assert_int_equal(u64_at(more, "writes"), 5);
	assert_int_equal(u64_at(more, "total_ns"), 5 * 11);
	assert_int_equal(u64_at(more, "objects"), 5);
	assert_int_equal(ilp_json_bool(ilp_json_get(more, "objects_exact")), 1);
	assert_int_equal(u64_at(more, "objects_kept"), ILP_FDOBJ_MAX);
	assert_int_equal(u64_at(more, "fds_untracked"), 0);
	assert_int_equal(ops + u64_at(more, "ops"), ILP_FDOBJ_MAX + 5);	/* every call once */
	ilp_json_doc_free(d);
	free(out);
	out = render_top(ilp_report_html, m, 0, 10);
	assert_non_null(strstr(out, "<tr><td>more objects (past the first 4096 of the process)</td>"
			       "<td>5</td>"));
	assert_non_null(strstr(out, "<p>The last row: the calls on 5 objects past the first 4096"));
	free(out);
	ilp_model_free(m);
}

/* one process waiting once (woken, 10 us) on each of ILP_ULOCK_MAX + 3
 * futex addresses: 3 past the cap, counted together */
static void test_locks_more(void **state)
{
	struct ilp_model *m = ilp_model_new();
	struct ilp_json_doc *d = NULL;
	const struct ilp_json *p, *more;
	uint64_t i;
	char *out;

	(void)state;
	assert_non_null(m);
	info_ev(m, 100, 100, "app");
	for (i = 0; i < ILP_ULOCK_MAX + 3; i++) {
		struct ilp_event ev = { .ts = T0 + 100 * i, .pid = 100, .tid = 100,
					.kind = ILP_EV_SYS_ENTER, .nr = SYS_futex };

		ev.args[0] = 0x10000 + 4 * i;
		ev.args[1] = 0 | 128;		/* FUTEX_WAIT_PRIVATE */
		ev.args[2] = 2;			/* on a mutex's word, locked */
		assert_int_equal(ilp_model_feed(m, &ev), 0);
		feed(m, T0 + 100 * i + 10000, 100, 100, ILP_EV_SYS_EXIT, SYS_futex, 0);
	}
	ilp_model_finish(m, END);
	assert_int_equal(ilp_model_index(m, END), 0);
	out = render(ilp_report_text, m, 0);
	assert_non_null(strstr(out, "pid 100 (app)  contended futexes: 4096 (+3 more addresses)  "
			       "futex calls: 4099\n"));
	assert_non_null(strstr(out, "  (more addresses)         mutex           3       0        0"
			       "      0        0   30.0 us   10.0 us   10.0 us\n"
			       "    3 addresses past the 4096 kept apart, counted together"));
	free(out);
	out = render(ilp_report_json, m, 0);
	assert_int_equal(ilp_json_parse(out, strlen(out), NULL, &d, NULL), 0);
	p = ilp_json_at(ilp_json_get(ilp_json_root(d), "processes"), 0);
	assert_int_equal(ilp_json_len(ilp_json_get(p, "locks_user")), ILP_ULOCK_MAX);
	more = ilp_json_get(p, "locks_user_more");
	assert_non_null(more);
	assert_string_equal(ilp_json_get_str(more, "name"), "(more addresses)");
	assert_string_equal(ilp_json_get_str(more, "address"), "0x0");
	assert_int_equal(u64_at(more, "waits"), 3);
	assert_int_equal(u64_at(more, "wait_ns"), 30000);
	assert_int_equal(u64_at(more, "addresses"), 3);
	assert_int_equal(ilp_json_bool(ilp_json_get(more, "addresses_exact")), 1);
	assert_int_equal(u64_at(more, "addresses_kept"), ILP_ULOCK_MAX);
	assert_null(ilp_json_get(p, "locks_kernel_more"));
	ilp_json_doc_free(d);
	free(out);
	out = render(ilp_report_html, m, 0);
	assert_non_null(strstr(out, "<tr><td>(more addresses)</td><td>mutex</td><td>3</td>"));
	assert_non_null(strstr(out, "<p>The last row: 3 addresses past the 4096 kept apart, "
			       "counted together.</p>"));
	free(out);
	ilp_model_free(m);
}

/* ---- calls model ---- */

static void test_calls_topk(void **state)
{
	struct ilp_calls *s = ilp_calls_new(3);
	static const uint64_t dur[] = { 50, 10, 70, 50, 20, 90, 50 };

	(void)state;
	assert_non_null(s);
	for (size_t i = 0; i < sizeof(dur) / sizeof(dur[0]); i++) {
		struct ilp_call c = { .start_ts = 1000 - i * 10, .dur_ns = dur[i],
				      .tid = (int)i, .nr = 0 };

		assert_int_equal(ilp_calls_add(&s, &c), 0);
	}
	ilp_calls_index(s);
	assert_int_equal(ilp_calls_seen(s), 7);
	assert_int_equal(ilp_calls_count(s), 3);
	assert_int_equal(ilp_calls_cap(s), 3);
	/* kept: 90 (i=5), 70 (i=2), and of the three 50s the first (i=0);
	 * in start order: i=5 (950), i=2 (980), i=0 (1000) */
	assert_int_equal(ilp_calls_get(s, 0)->tid, 5);
	assert_int_equal(ilp_calls_get(s, 1)->tid, 2);
	assert_int_equal(ilp_calls_get(s, 2)->tid, 0);
	assert_int_equal(ilp_calls_get(s, 2)->dur_ns, 50);
	assert_null(ilp_calls_get(s, 3));
	ilp_calls_free(s);
	ilp_calls_free(NULL);
	assert_int_equal(ilp_calls_count(NULL), 0);
	assert_int_equal(ilp_calls_cap(NULL), ILP_CALLS_TOP);
}

static void test_calls_bounded_in_model(void **state)
{
	struct ilp_model *m = ilp_model_new();
	const struct ilp_calls *set;
	uint64_t t = T0;

	(void)state;
	/* 1000 calls, durations 1..1000 ns: the model keeps the 256 longest */
	for (int i = 1; i <= 1000; i++) {
		call(m, 1, 1, SYS_write, t, (uint64_t)i, 1, 1);
		t += 2000;
	}
	ilp_model_finish(m, t);
	assert_int_equal(ilp_model_index(m, t), 0);
	set = ilp_proc_top_calls(ilp_model_find_proc(m, 1));
	assert_int_equal(ilp_calls_seen(set), 1000);
	assert_int_equal(ilp_calls_count(set), ILP_CALLS_TOP);
	assert_int_equal(ilp_calls_get(set, 0)->dur_ns, 1000 - ILP_CALLS_TOP + 1);
	assert_int_equal(ilp_calls_get(set, ILP_CALLS_TOP - 1)->dur_ns, 1000);
	for (size_t i = 1; i < ILP_CALLS_TOP; i++)
		assert_true(ilp_calls_get(set, i)->start_ts > ilp_calls_get(set, i - 1)->start_ts);
	ilp_model_free(m);
}

/*
 * A fork storm: 2000 processes of one call each.  The top calls of a
 * process were allocated whole at its first call (256 entries, 35 KB a
 * process with everything else; 3.5 GB for 100000 short processes); now
 * they grow with the calls kept: measured 8.8 KB a process.
 */
static void test_calls_small_process(void **state)
{
	struct ilp_model *m = ilp_model_new();
	size_t heap0 = mallinfo2().uordblks, per;
	uint64_t t = T0;

	(void)state;
	for (int pid = 1000; pid < 3000; pid++, t += 2000)
		call(m, pid, pid, SYS_write, t, 100, 1, 1);
	ilp_model_finish(m, t);
	assert_int_equal(ilp_model_index(m, t), 0);
	per = (mallinfo2().uordblks - heap0) / 2000;
#ifndef __SANITIZE_ADDRESS__
	assert_true(per < 16384);
#else
	(void)per;
#endif
	assert_int_equal(ilp_calls_count(ilp_proc_top_calls(ilp_model_find_proc(m, 2999))), 1);
	assert_int_equal(ilp_calls_get(ilp_proc_top_calls(ilp_model_find_proc(m, 2999)), 0)->dur_ns,
			 100);
	ilp_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_no_exit_status),
		cmocka_unit_test(test_json_interval),
		cmocka_unit_test(test_folded),
		cmocka_unit_test(test_folded_names),
		cmocka_unit_test(test_folded_objects),
		cmocka_unit_test(test_folded_stacks),
		cmocka_unit_test(test_json_objects),
		cmocka_unit_test(test_perfetto),
		cmocka_unit_test(test_perfetto_disk),
		cmocka_unit_test(test_perfetto_disk_bound),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_html_flame),
		cmocka_unit_test(test_html_flame_names),
		cmocka_unit_test(test_objects_more),
		cmocka_unit_test(test_locks_more),
		cmocka_unit_test(test_calls_topk),
		cmocka_unit_test(test_calls_bounded_in_model),
		cmocka_unit_test(test_calls_small_process),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
