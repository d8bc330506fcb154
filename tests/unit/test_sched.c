// SPDX-License-Identifier: MIT
/* Off-CPU accounting (model_sched.c) on synthetic streams: exact numbers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "callsmodel.h"
#include "fdmodel.h"
#include "report_wait.h"
#include "wait_helpers.h"

#define S_STATE 1
#define D_STATE 2

static void feed(struct ilp_model *m, struct ilp_event e)
{
	assert_int_equal(ilp_model_feed(m, &e), 0);
}

static const struct ilp_wproc *wproc(struct ilp_model *m, int pid)
{
	assert_int_equal(ilp_model_index(m, ilp_model_last_ts(m)), 0);
	return ilp_proc_wait(ilp_model_find_proc(m, pid));
}

/* read blocked in S 10 ms, woken, runnable 1 ms, then 2 us on CPU */
static void test_s_state_split(void **state)
{
	struct ilp_model *m = ilp_model_new();
	int rd = ilp_syscall_nr("read");
	const struct ilp_wproc *w;
	const struct ilp_blocking *b;
	const struct ilp_sc_offcpu *o;

	(void)state;
	feed(m, ev_info(1, 100, 100, "app"));
	feed(m, ev_enter(1 * MS, 100, 100, rd, 3, 0));
	feed(m, ev_switch(1 * MS + 5 * US, 100, S_STATE, 0));
	feed(m, ev_waking(11 * MS + 5 * US, 200, 100));	/* untraced waker */
	feed(m, ev_switch(12 * MS + 5 * US, 0, 0, 100));
	feed(m, ev_exit(12 * MS + 7 * US, 100, 100, rd, 1));
	w = wproc(m, 100);
	assert_non_null(w);
	assert_int_equal(ilp_wproc_noffcpu(w), 1);
	o = ilp_wproc_offcpu(w, 0);
	assert_int_equal(o->nr, rd);
	assert_int_equal(o->calls, 1);
	assert_int_equal(o->blocked_calls, 1);
	assert_int_equal(o->total_ns, 11 * MS + 7 * US);
	assert_int_equal(o->off_ns[ILP_OFF_S], 10 * MS);
	assert_int_equal(o->off_ns[ILP_OFF_R], 1 * MS);
	assert_int_equal(o->off_ns[ILP_OFF_D], 0);
	assert_int_equal(o->on_ns, 7 * US);
	assert_int_equal(ilp_wproc_nblocking(w), 1);
	b = ilp_wproc_blocking(w, 0);
	assert_int_equal(b->tid, 100);
	assert_int_equal(b->okind, ILP_WOBJ_FD);
	assert_int_equal(b->obj, 3);
	assert_int_equal(b->calls, 1);
	/* untraced tasks 0 and 200 were never made threads or processes */
	assert_null(ilp_model_find_proc(m, 200));
	assert_int_equal(ilp_model_nprocs(m), 1);
	ilp_model_free(m);
}

/* fsync in D twice (two I/Os), preempted once (R), and a call that never
 * leaves the CPU adds nothing */
static void test_d_state_and_preempt(void **state)
{
	struct ilp_model *m = ilp_model_new();
	int fs = ilp_syscall_nr("fsync"), gp = ilp_syscall_nr("getpid");
	const struct ilp_sc_offcpu *o;
	const struct ilp_wproc *w;

	(void)state;
	feed(m, ev_info(1, 100, 100, "db"));
	feed(m, ev_enter(10 * US, 100, 100, gp, 0, 0));
	feed(m, ev_exit(11 * US, 100, 100, gp, 100));
	feed(m, ev_enter(1 * MS, 100, 100, fs, 5, 0));
	feed(m, ev_switch(2 * MS, 100, D_STATE, 0));
	feed(m, ev_switch(5 * MS, 0, 0, 100));	/* no waking seen: all D */
	feed(m, ev_switch(6 * MS, 100, 0, 300));	/* preempted */
	feed(m, ev_switch(7 * MS, 300, 0, 100));
	feed(m, ev_switch(8 * MS, 100, D_STATE | 0x100, 0));
	feed(m, ev_waking(9 * MS, 0, 100));
	feed(m, ev_switch(9 * MS + 500 * US, 0, 0, 100));
	feed(m, ev_exit(10 * MS, 100, 100, fs, 0));
	w = wproc(m, 100);
	assert_int_equal(ilp_wproc_noffcpu(w), 1);
	o = ilp_wproc_offcpu(w, 0);
	assert_int_equal(o->nr, fs);
	assert_int_equal(o->off_ns[ILP_OFF_D], 3 * MS + 1 * MS);
	assert_int_equal(o->off_ns[ILP_OFF_R], 1 * MS + 500 * US);
	assert_int_equal(o->off_ns[ILP_OFF_S], 0);
	assert_int_equal(o->on_ns, 9 * MS - 5500 * US);
	/* the getpid never went off-CPU: no entry, no wait record for it */
	assert_null(ilp_model_find_proc(m, 300));
	ilp_model_free(m);
}

/* the kernel may drop the switch-in (from idle): the call's exit closes it;
 * a switch-out outside a call is not counted in the next call */
static void test_missing_switch_in_and_outside_call(void **state)
{
	struct ilp_model *m = ilp_model_new();
	int rd = ilp_syscall_nr("read"), wr = ilp_syscall_nr("write");
	const struct ilp_sc_offcpu *o;
	const struct ilp_wproc *w;

	(void)state;
	feed(m, ev_info(1, 100, 100, "app"));
	feed(m, ev_switch(100 * US, 100, 0, 0));	/* user-space preemption */
	feed(m, ev_switch(200 * US, 0, 0, 100));
	feed(m, ev_enter(1 * MS, 100, 100, rd, 0, 0));
	feed(m, ev_switch(2 * MS, 100, S_STATE, 0));
	feed(m, ev_waking(4 * MS, 0, 100));
	feed(m, ev_exit(5 * MS, 100, 100, rd, 1));	/* no switch-in seen */
	feed(m, ev_enter(6 * MS, 100, 100, wr, 1, 0));
	feed(m, ev_exit(7 * MS, 100, 100, wr, 1));
	w = wproc(m, 100);
	assert_int_equal(ilp_wproc_noffcpu(w), 1);
	o = ilp_wproc_offcpu(w, 0);
	assert_int_equal(o->nr, rd);
	assert_int_equal(o->off_ns[ILP_OFF_S], 2 * MS);
	assert_int_equal(o->off_ns[ILP_OFF_R], 1 * MS);
	ilp_model_free(m);
}

/* slow calls: at or above the threshold, with start time and off-CPU split */
static void test_slow_calls(void **state)
{
	struct ilp_model *m = ilp_model_new();
	int ns = ilp_syscall_nr("nanosleep");
	const struct ilp_slow_call *s;
	const struct ilp_wproc *w;

	(void)state;
	ilp_model_set_slow(m, 50 * MS);
	feed(m, ev_info(1, 100, 100, "app"));
	feed(m, ev_enter(1 * MS, 100, 100, ns, 0, 0));
	feed(m, ev_exit(50 * MS, 100, 100, ns, 0));	/* 49 ms: not slow, on CPU */
	feed(m, ev_enter(60 * MS, 100, 100, ns, 0, 0));
	feed(m, ev_switch(60 * MS + 1, 100, S_STATE, 0));
	feed(m, ev_switch(110 * MS + 1, 0, 0, 100));
	feed(m, ev_exit(110 * MS, 100, 100, ns, 0));	/* exit ts < switch-in: clamped */
	feed(m, ev_enter(200 * MS, 100, 100, ns, 0, 0));
	feed(m, ev_exit(250 * MS, 100, 100, ns, 0));	/* exactly 50 ms, on CPU */
	w = wproc(m, 100);
	assert_int_equal(ilp_wproc_nslow(w), 2);
	s = ilp_wproc_slow(w, 0);
	assert_int_equal(s->start_ts, 60 * MS);
	assert_int_equal(s->wall_ns, 50 * MS);
	assert_int_equal(s->okind, ILP_WOBJ_TIMER);
	assert_int_equal(s->off_ns[ILP_OFF_S], 50 * MS);
	s = ilp_wproc_slow(w, 1);
	assert_int_equal(s->start_ts, 200 * MS);
	assert_int_equal(s->off_ns[ILP_OFF_S], 0);
	assert_int_equal(ilp_wproc_slow_dropped(w), 0);
	ilp_model_free(m);
}

static struct ilp_event ev_fd(uint64_t ts, int pid, int fd, unsigned type, const char *str)
{
	struct ilp_event e = { .ts = ts, .pid = pid, .tid = pid, .kind = ILP_EV_FD_INFO, .nr = -1 };

	e.fd.fd = fd;
	e.fd.type = type;
	e.fd.str = str;
	return e;
}

/* fd 3 is a pipe for a slow blocking read, then closed and reopened on a
 * file: the slow call, its blocking row and the kept call name the pipe
 * (what fd 3 was then), the file's own slow read names the file; a slow
 * close names what it closed */
static void test_objects_at_the_call(void **state)
{
	struct ilp_model *m = ilp_model_new();
	int rd = ilp_syscall_nr("read"), cl = ilp_syscall_nr("close");
	int p2 = ilp_syscall_nr("pipe2"), op = ilp_syscall_nr("openat");
	const struct ilp_wproc *w;
	const struct ilp_slow_call *s;
	const struct ilp_calls *top;
	char buf[64];
	size_t i, n = 0;

	(void)state;
	ilp_model_set_slow(m, 10 * MS);
	feed(m, ev_info(1, 100, 100, "app"));
	feed(m, ev_enter(1 * MS, 100, 100, p2, 0x1000, 0));
	feed(m, ev_exit(1 * MS + 1, 100, 100, p2, 0));
	feed(m, ev_fd(1 * MS + 1, 100, 3, ILP_OBJ_PIPE, "pipe:[7]"));
	feed(m, ev_fd(1 * MS + 1, 100, 4, ILP_OBJ_PIPE, "pipe:[7]"));
	feed(m, ev_enter(2 * MS, 100, 100, rd, 3, 0));
	feed(m, ev_switch(2 * MS + 1, 100, S_STATE, 0));
	feed(m, ev_switch(22 * MS, 0, 0, 100));
	feed(m, ev_exit(22 * MS + 1, 100, 100, rd, 1));	/* 20 ms, blocked */
	feed(m, ev_enter(30 * MS, 100, 100, cl, 3, 0));
	feed(m, ev_exit(45 * MS, 100, 100, cl, 0));	/* a 15 ms close, on CPU */
	feed(m, ev_enter(50 * MS, 100, 100, op, (uint64_t)-100, 0x2000));
	feed(m, ev_exit(50 * MS + 1, 100, 100, op, 3));
	feed(m, ev_fd(50 * MS + 1, 100, 3, ILP_OBJ_FILE, "/data/b"));
	feed(m, ev_enter(60 * MS, 100, 100, rd, 3, 0));
	feed(m, ev_exit(72 * MS, 100, 100, rd, 1));	/* 12 ms, on CPU */
	w = wproc(m, 100);
	assert_int_equal(ilp_wproc_nslow(w), 3);
	s = ilp_wproc_slow(w, 0);
	assert_int_equal(s->nr, rd);
	assert_string_equal(ilp_wait_object(m, ilp_model_find_proc(m, 100), s->okind, s->obj,
					    s->fobj, s->dev, buf, sizeof(buf)), "fd:3 (pipe pipe:[7])");
	s = ilp_wproc_slow(w, 1);
	assert_int_equal(s->nr, cl);
	assert_non_null(s->fobj);
	assert_string_equal(ilp_fdobj_desc(s->fobj), "pipe:[7]");
	s = ilp_wproc_slow(w, 2);
	assert_string_equal(ilp_wait_object(m, ilp_model_find_proc(m, 100), s->okind, s->obj,
					    s->fobj, s->dev, buf, sizeof(buf)), "fd:3 (file /data/b)");
	assert_int_equal(ilp_wproc_nblocking(w), 1);
	assert_string_equal(ilp_fdobj_desc(ilp_wproc_blocking(w, 0)->fobj), "pipe:[7]");
	top = ilp_proc_top_calls(ilp_model_find_proc(m, 100));
	for (i = 0; i < ilp_calls_count(top); i++) {
		const struct ilp_call *c = ilp_calls_get(top, i);

		if (c->nr != rd)
			continue;
		assert_non_null(c->fobj);
		assert_string_equal(ilp_fdobj_desc(c->fobj), n++ ? "/data/b" : "pipe:[7]");
	}
	assert_int_equal(n, 2);
	ilp_model_free(m);
}

/* a slow connect() blocked 20 ms: its socket is renamed by the fact that
 * follows the exit, and the slow call, the one blocking row and the kept
 * call name the peer, not "(unconnected, fd 3)"; a second connect of a new
 * socket on fd 3 gets its own row */
static void test_connect_renamed(void **state)
{
	struct ilp_model *m = ilp_model_new();
	int so = ilp_syscall_nr("socket"), co = ilp_syscall_nr("connect");
	int cl = ilp_syscall_nr("close");
	const struct ilp_wproc *w;
	const struct ilp_calls *top;
	size_t i, n = 0;

	(void)state;
	ilp_model_set_slow(m, 10 * MS);
	feed(m, ev_info(1, 100, 100, "app"));
	for (int k = 0; k < 2; k++) {
		uint64_t t0 = (uint64_t)k * 100 * MS;

		feed(m, ev_enter(t0 + 1 * MS, 100, 100, so, 2, 1));
		feed(m, ev_exit(t0 + 1 * MS + 1, 100, 100, so, 3));
		feed(m, ev_fd(t0 + 1 * MS + 1, 100, 3, ILP_OBJ_TCP, "(unconnected, fd 3)"));
		feed(m, ev_enter(t0 + 2 * MS, 100, 100, co, 3, 0));
		feed(m, ev_switch(t0 + 2 * MS + 1, 100, S_STATE, 0));
		feed(m, ev_switch(t0 + 22 * MS, 0, 0, 100));
		feed(m, ev_exit(t0 + 22 * MS + 1, 100, 100, co, 0));
		feed(m, ev_fd(t0 + 22 * MS + 1, 100, 3, ILP_OBJ_SOCKET,
			      k ? "127.0.0.1:2 -> 10.0.0.6:80" : "127.0.0.1:1 -> 10.0.0.5:5432"));
		feed(m, ev_enter(t0 + 30 * MS, 100, 100, cl, 3, 0));
		feed(m, ev_exit(t0 + 30 * MS + 1, 100, 100, cl, 0));
	}
	w = wproc(m, 100);
	assert_int_equal(ilp_wproc_nslow(w), 2);
	assert_string_equal(ilp_fdobj_desc(ilp_wproc_slow(w, 0)->fobj), "127.0.0.1:1 -> 10.0.0.5:5432");
	assert_int_equal(ilp_fdobj_type(ilp_wproc_slow(w, 0)->fobj) & ILP_OBJ_TYPE_MASK, ILP_OBJ_TCP);
	assert_string_equal(ilp_fdobj_desc(ilp_wproc_slow(w, 1)->fobj), "127.0.0.1:2 -> 10.0.0.6:80");
	assert_int_equal(ilp_wproc_nblocking(w), 2);
	for (i = 0; i < 2; i++) {
		const struct ilp_blocking *b = ilp_wproc_blocking(w, i);

		assert_int_equal(b->nr, co);
		assert_int_equal(b->calls, 1);
		assert_int_equal(b->off_ns[ILP_OFF_S], 20 * MS - 1);
		assert_null(strstr(ilp_fdobj_desc(b->fobj), "unconnected"));
	}
	assert_null(ilp_wproc_blocking(w, 2));
	top = ilp_proc_top_calls(ilp_model_find_proc(m, 100));
	for (i = 0; i < ilp_calls_count(top); i++) {
		const struct ilp_call *c = ilp_calls_get(top, i);

		if (c->nr != co)
			continue;
		assert_string_equal(ilp_fdobj_desc(c->fobj), n++ ? "127.0.0.1:2 -> 10.0.0.6:80"
							  : "127.0.0.1:1 -> 10.0.0.5:5432");
	}
	assert_int_equal(n, 2);
	ilp_model_free(m);
}

/* many files read through one fd number, each blocked once: one row each */
static void test_blocking_rows_by_object(void **state)
{
	struct ilp_model *m = ilp_model_new();
	int rd = ilp_syscall_nr("read"), op = ilp_syscall_nr("openat"), cl = ilp_syscall_nr("close");
	char path[32];
	int k;

	(void)state;
	feed(m, ev_info(1, 100, 100, "app"));
	for (k = 0; k < 2000; k++) {
		uint64_t t0 = (uint64_t)(k + 1) * MS;

		snprintf(path, sizeof(path), "/data/%d", k);
		feed(m, ev_enter(t0, 100, 100, op, (uint64_t)-100, 0x1000));
		feed(m, ev_exit(t0 + 1, 100, 100, op, 3));
		feed(m, ev_fd(t0 + 1, 100, 3, ILP_OBJ_FILE, path));
		feed(m, ev_enter(t0 + 10, 100, 100, rd, 3, 0));
		feed(m, ev_switch(t0 + 11, 100, D_STATE, 0));
		feed(m, ev_switch(t0 + 511, 0, 0, 100));
		feed(m, ev_exit(t0 + 512, 100, 100, rd, 1));
		feed(m, ev_enter(t0 + 600, 100, 100, cl, 3, 0));
		feed(m, ev_exit(t0 + 601, 100, 100, cl, 0));
	}
	assert_int_equal(ilp_wproc_nblocking(wproc(m, 100)), 2000);
	ilp_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_s_state_split),
		cmocka_unit_test(test_d_state_and_preempt),
		cmocka_unit_test(test_missing_switch_in_and_outside_call),
		cmocka_unit_test(test_slow_calls),
		cmocka_unit_test(test_objects_at_the_call),
		cmocka_unit_test(test_connect_renamed),
		cmocka_unit_test(test_blocking_rows_by_object),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
