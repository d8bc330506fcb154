// SPDX-License-Identifier: MIT
/*
 * Detectors on the wait model and on pairs of objects, synthetic streams:
 * hot lock (user and kernel), slow call, N+1 over two pipes.  Each: the
 * positive case with its fields exact, the negative case, the boundary.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "analyze.h"
#include "fdtest.h"
#include "waitmodel.h"

#define LOCK 0x5000ull
#define COND 0x6000ull
#define WALL (1000 * MS)

#include "analyze_fixture.h"

static void ev(struct fixture *x, struct ilp_event e)
{
	e.pid = e.pid ? e.pid : 100;
	assert_int_equal(ilp_model_feed(x->s.m, &e), 0);
}

static void enter(struct fixture *x, int tid, const char *name, uint64_t a0, uint64_t a1)
{
	struct ilp_event e = { .ts = x->s.ts, .tid = tid, .kind = ILP_EV_SYS_ENTER, .nr = NR(name) };

	e.args[0] = a0;
	e.args[1] = a1;
	ev(x, e);
}

static void leave(struct fixture *x, int tid, const char *name, int64_t ret)
{
	struct ilp_event e = { .ts = x->s.ts, .tid = tid, .kind = ILP_EV_SYS_EXIT, .nr = NR(name) };

	e.ret = ret;
	ev(x, e);
}

/* tid goes off the CPU in state (1 S, 2 D) for ns, woken by waker */
static void sleep_in(struct fixture *x, int tid, int state, uint64_t ns, int waker)
{
	struct ilp_event e = { .ts = x->s.ts + 1 * US, .tid = tid, .kind = ILP_EV_SCHED_SWITCH };

	e.sched.prev_state = state;
	e.sched.next = 0;
	ev(x, e);
	memset(&e, 0, sizeof(e));
	e.ts = x->s.ts + ns - 2 * US;
	e.tid = waker;
	e.kind = ILP_EV_WAKEUP;
	e.sched.target = tid;
	ev(x, e);
	x->s.ts += ns;
}

/* tid waits ns on the futex at addr (op), its word 2, woken by waker */
static void futex_wait(struct fixture *x, int tid, uint64_t addr, uint64_t op, uint64_t ns,
		       int waker)
{
	struct ilp_event e = { .ts = x->s.ts, .tid = tid, .kind = ILP_EV_SYS_ENTER, .nr = NR("futex") };

	e.args[0] = addr;
	e.args[1] = op;
	e.args[2] = 2;	/* the word: a mutex's, locked with waiters */
	ev(x, e);
	sleep_in(x, tid, 1, ns, waker);
	leave(x, tid, "futex", 0);
	x->s.ts += 1 * US;
}

static void threads(struct fixture *x)
{
	struct ilp_event e = { .ts = 1, .tid = 100, .kind = ILP_EV_TASK_INFO };
	int t;

	strcpy(e.task.comm, "app");
	for (t = 100; t <= 102; t++) {
		e.tid = t;
		ev(x, e);
	}
}

static int namer(void *ctx, int kind, int pid, uint64_t key, char *buf, size_t size)
{
	(void)ctx;
	if (kind == ILP_NAME_ULOCK && pid == 100 && key == LOCK) {
		snprintf(buf, size, "hot_lock");
		return 0;
	}
	return -ENOENT;
}

/* ---- hot lock ---- */

static void test_hotlock_fires(void **state)
{
	struct fixture *x = *state;
	const struct ilp_finding *f;
	int i;

	threads(x);
	for (i = 0; i < 10; i++)
		futex_wait(x, 101, LOCK, 0 | 128, 6 * MS, 102);
	assert_int_equal(ilp_wait_name_objects(x->s.m, namer, NULL), 0);
	assert_int_equal(run(x, "hotlock"), 1);
	f = only(x, "hotlock");
	assert_string_equal(f->label, "hot lock");
	assert_string_equal(f->object, "futex hot_lock");
	assert_int_equal(f->pid, 100);
	assert_int_equal(f->tid, 101);
	assert_int_equal(f->count, 10);
	assert_int_equal(f->time_ns, 60 * MS);
	assert_int_equal(f->saving_ns, 60 * MS);
	assert_int_equal(f->threshold, 10);
	assert_string_equal(f->what, "lock hot_lock (mutex, 0x5000): 10 contended waits");
	assert_string_equal(f->evidence,
			    "60.0 ms waiting (6.0% of wall time), max 6.00 ms; waiters (tid x waits):"
			    " 101 x10; woken by (the holders): 102 x10");
	assert_string_equal(f->why, "10 waits >= 10 (--lock-min) and 60.0 ms waiting >= 50.0 ms (--lock-ms)");
	assert_non_null(strstr(f->fix, "shorten the critical section"));
	assert_int_equal(f->severity, ILP_SEV_MEDIUM);
}

static void test_hotlock_count_boundary(void **state)
{
	struct fixture *x = *state;
	int i;

	threads(x);
	for (i = 0; i < 9; i++)
		futex_wait(x, 101, LOCK, 0, 10 * MS, 102);
	assert_int_equal(run(x, "hotlock"), 0);
	x->th.lock_min = 9;		/* --lock-min 9 */
	assert_int_equal(run(x, "hotlock"), 1);
	assert_string_equal(x->f.v[0].object, "futex 0x5000");	/* no name: the address */
}

static void test_hotlock_time_boundaries(void **state)
{
	struct fixture *x = *state;
	int i;

	threads(x);
	for (i = 0; i < 10; i++)	/* 10 x 4.99 ms = 49.9 ms: < 50 ms and < 5 % of 1 s */
		futex_wait(x, 101, LOCK, 0, 4990 * US, 102);
	assert_int_equal(run(x, "hotlock"), 0);
	x->th.lock_ns = 49900 * US;	/* --lock-ms moves it */
	assert_int_equal(run(x, "hotlock"), 1);
	x->th.lock_ns = 3600000 * MS;	/* time rule off: the share decides */
	x->th.lock_pct = 5;		/* 49.9 ms < 5 % of 1 s */
	assert_int_equal(run(x, "hotlock"), 0);
	x->th.lock_pct = 4;		/* 49.9 ms >= 4 % */
	assert_int_equal(run(x, "hotlock"), 1);
	assert_string_equal(x->f.v[0].why,
			    "10 waits >= 10 (--lock-min) and 49.9 ms waiting = 5.0% of wall time >= 4% (--lock-pct)");
}

static void test_hotlock_silent_on_cond_and_uncontended(void **state)
{
	struct fixture *x = *state;
	int i;

	threads(x);
	for (i = 0; i < 100; i++)	/* workers waiting for work on a condvar */
		futex_wait(x, 101, COND, 9 | 128, 10 * MS, 102);
	for (i = 0; i < 1000; i++) {	/* unlocks that wake nobody */
		enter(x, 102, "futex", LOCK, 1 | 128);
		x->s.ts += 1 * US;
		leave(x, 102, "futex", 0);
	}
	assert_int_equal(run(x, "hotlock"), 0);
	assert_int_equal(run(x, "slowcall"), 0);
}

static void test_kernel_lock(void **state)
{
	struct fixture *x = *state;
	struct ilp_event b = { .tid = 101, .kind = ILP_EV_LOCK_BEGIN };
	struct ilp_event e = { .tid = 101, .kind = ILP_EV_LOCK_END };
	const struct ilp_finding *f;
	int i;

	threads(x);
	for (i = 0; i < 10; i++) {	/* each wait inside a 6 ms write */
		enter(x, 101, "write", 1, 0);
		x->s.ts += 500 * US;
		b.ts = x->s.ts;
		b.lock.addr = 0xffffffff81000000ull;
		b.lock.flags = 32;	/* MUTEX */
		ev(x, b);
		x->s.ts += 5 * MS;
		e.ts = x->s.ts;
		e.lock.addr = b.lock.addr;
		ev(x, e);
		x->s.ts += 500 * US;
		leave(x, 101, "write", 1);
	}
	assert_int_equal(run(x, "hotlock"), 1);
	f = only(x, "hotlock");
	assert_string_equal(f->label, "kernel lock");
	assert_string_equal(f->object, "kernel mutex 0xffffffff81000000");
	assert_int_equal(f->count, 10);
	assert_int_equal(f->time_ns, 50 * MS);
	assert_int_equal(f->saving_ns, 50 * MS);	/* carved out of the writes */
	assert_int_equal(f->saving_calls, 0);
	assert_string_equal(f->what, "10 contended waits on kernel mutex 0xffffffff81000000");
	x->th.lock_min = 11;
	assert_int_equal(run(x, "hotlock"), 0);
}

/* waits outside syscalls (page faults) are evidence, not a saving: the
 * sum rule counts time inside syscalls */
static void test_kernel_lock_outside_calls(void **state)
{
	struct fixture *x = *state;
	struct ilp_event b = { .tid = 101, .kind = ILP_EV_LOCK_BEGIN };
	struct ilp_event e = { .tid = 101, .kind = ILP_EV_LOCK_END };
	int i;

	threads(x);
	enter(x, 101, "write", 1, 0);
	x->s.ts += 1 * US;
	leave(x, 101, "write", 1);
	for (i = 0; i < 10; i++) {
		b.ts = x->s.ts;
		b.lock.addr = 0xffffffff81000000ull;
		ev(x, b);
		x->s.ts += 5 * MS;
		e.ts = x->s.ts;
		e.lock.addr = b.lock.addr;
		ev(x, e);
	}
	assert_int_equal(run(x, "hotlock"), 0);	/* saves 0 < --min-saving */
	x->th.min_saving_ns = 0;
	assert_int_equal(run(x, "hotlock"), 1);
	assert_int_equal(x->f.v[0].time_ns, 50 * MS);
	assert_int_equal(x->f.v[0].saving_ns, 0);
}

/* ---- slow call ---- */

static void pipe_fds(struct fixture *x, int rfd, int wfd, const char *name)
{
	call6(&x->s, "pipe2", 1 * US, 0, 0x3000, 0, 0, 0);
	fdinfo(&x->s, rfd, ILP_OBJ_PIPE, name);
	fdinfo(&x->s, wfd, ILP_OBJ_PIPE, name);
}

static void slow_read(struct fixture *x, int tid, int fd, uint64_t ns, int state)
{
	enter(x, tid, "read", (uint64_t)fd, 0);
	sleep_in(x, tid, state, ns, 102);
	leave(x, tid, "read", 1);
	x->s.ts += 1 * US;
}

static void test_slowcall_fires(void **state)
{
	struct fixture *x = *state;
	const struct ilp_finding *f;

	threads(x);
	pipe_fds(x, 3, 4, "pipe:[9]");
	slow_read(x, 100, 3, 150 * MS, 1);
	slow_read(x, 100, 3, 120 * MS, 1);
	slow_read(x, 100, 3, 1 * MS, 1);	/* not slow */
	assert_int_equal(run(x, "slowcall"), 1);
	f = only(x, "slowcall");
	assert_string_equal(f->label, "slow call");
	assert_string_equal(f->object, "pipe pipe:[9]");
	assert_int_equal(f->tid, 100);
	assert_int_equal(f->nr, NR("read"));
	assert_int_equal(f->count, 2);
	assert_int_equal(f->time_ns, 270 * MS);
	assert_int_equal(f->saving_ns, 270 * MS);
	assert_int_equal(f->saving_calls, 0);
	assert_int_equal(f->threshold, 100 * MS);
	assert_string_equal(f->what, "2 read calls of 100 ms or more on pipe pipe:[9]");
	assert_string_equal(f->why, "2 calls >= 100 ms (--slow), the longest 150 ms");
	assert_non_null(strstr(f->evidence, "270 ms in them (27.0% of wall time), max 150 ms: off-CPU "));
	assert_non_null(strstr(f->fix, "waiting for the peer"));
}

static void test_slowcall_boundary_and_disk(void **state)
{
	struct fixture *x = *state;

	threads(x);
	open_named(&x->s, 3, "/data/db", 0);
	slow_read(x, 100, 3, 100 * MS - 1, 2);	/* just under --slow */
	assert_int_equal(run(x, "slowcall"), 0);
	slow_read(x, 100, 3, 100 * MS, 2);	/* at --slow: D state on a file */
	assert_int_equal(run(x, "slowcall"), 1);
	assert_string_equal(x->f.v[0].object, "file /data/db");
	assert_int_equal(x->f.v[0].count, 1);
	assert_non_null(strstr(x->f.v[0].fix, "the disk is slow here"));
	assert_non_null(strstr(x->f.v[0].evidence, "100 ms in it"));
}

/* --slow is the detector's threshold (the thresholds, not the model): a
 * model that kept calls from a lower one gets only those at or above it
 * reported, and --slow 0 reports none */
static void test_slowcall_threshold_is_the_detectors(void **state)
{
	struct fixture *x = *state;

	threads(x);
	ilp_model_set_slow(x->s.m, 10 * MS);
	open_named(&x->s, 3, "/data/db", 0);
	slow_read(x, 100, 3, 50 * MS, 2);	/* kept by the model, under --slow */
	slow_read(x, 100, 3, 150 * MS, 2);
	assert_int_equal(run(x, "slowcall"), 1);
	assert_int_equal(x->f.v[0].count, 1);
	assert_int_equal(x->f.v[0].time_ns, 150 * MS);
	assert_int_equal(x->f.v[0].threshold, 100 * MS);
	x->th.slow_ns = 40 * MS;
	assert_int_equal(run(x, "slowcall"), 1);
	assert_int_equal(x->f.v[0].count, 2);
	assert_string_equal(x->f.v[0].why, "2 calls >= 40.0 ms (--slow), the longest 150 ms");
	x->th.slow_ns = 0;
	assert_int_equal(run(x, "slowcall"), 0);
}

static void test_slowcall_silent_on_waits_by_design(void **state)
{
	struct fixture *x = *state;
	int i;

	threads(x);
	enter(x, 100, "clock_nanosleep", 1, 0);	/* asked for */
	sleep_in(x, 100, 1, 500 * MS, 0);
	leave(x, 100, "clock_nanosleep", 0);
	enter(x, 100, "wait4", 200, 0);	/* the child's time */
	sleep_in(x, 100, 1, 500 * MS, 0);
	leave(x, 100, "wait4", 200);
	enter(x, 100, "epoll_wait", 5, 0);	/* an idle event loop */
	sleep_in(x, 100, 1, 500 * MS, 0);
	leave(x, 100, "epoll_wait", 0);
	futex_wait(x, 100, COND, 9, 300 * MS, 101);	/* a join / condvar */
	for (i = 0; i < 10; i++)	/* a hot lock reports its own slow waits */
		futex_wait(x, 101, LOCK, 0, 110 * MS, 102);
	assert_int_equal(run(x, "slowcall"), 0);
	assert_int_equal(run(x, "hotlock"), 1);
	x->th.lock_min = 11;		/* not a hot lock any more: its waits are slow calls */
	assert_int_equal(run(x, "slowcall"), 1);
	assert_string_equal(x->f.v[0].object, "futex 0x5000");
	assert_int_equal(x->f.v[0].count, 10);
	assert_non_null(strstr(x->f.v[0].fix, "see Locks (user)"));
}

/* ---- N+1 over two pipes ---- */

/* tid 100 writes a request on fd 4 (pipe A), tid 101 reads it on fd 5 and
 * answers on fd 6 (pipe B), tid 100 reads the answer on fd 7 */
static void pipe_trips(struct fixture *x, long n)
{
	long i;

	for (i = 0; i < n; i++) {
		x->s.tid = 100;
		call(&x->s, "write", 2 * US, 8, 4);
		x->s.tid = 101;
		call(&x->s, "read", 3 * US, 8, 5);
		call(&x->s, "write", 2 * US, 3, 6);
		x->s.tid = 100;
		call(&x->s, "read", 100 * US, 3, 7);
	}
	x->s.tid = 100;
}

static void two_pipes(struct fixture *x)
{
	call6(&x->s, "pipe2", 1 * US, 0, 0x3000, 0, 0, 0);
	fdinfo(&x->s, 5, ILP_OBJ_PIPE, "pipe:[10]");
	fdinfo(&x->s, 4, ILP_OBJ_PIPE, "pipe:[10]");
	call6(&x->s, "pipe2", 1 * US, 0, 0x3008, 0, 0, 0);
	fdinfo(&x->s, 7, ILP_OBJ_PIPE, "pipe:[11]");
	fdinfo(&x->s, 6, ILP_OBJ_PIPE, "pipe:[11]");
}

static void test_nplus1_pair_fires(void **state)
{
	struct fixture *x = *state;
	const struct ilp_finding *f;

	two_pipes(x);
	pipe_trips(x, 100);
	assert_int_equal(run(x, "nplus1"), 1);
	f = only(x, "nplus1");
	assert_string_equal(f->object, "pipe pipe:[11] (requests on pipe pipe:[10])");
	assert_int_equal(f->count, 100);
	assert_int_equal(f->nr, NR("read"));
	assert_int_equal(f->time_ns, 10 * MS);
	/* 99 of the 100 waits (99 x 100 us) and 99 of the 100 requests (2 us) */
	assert_int_equal(f->saving_ns, 9900 * US + 198 * US);
	assert_int_equal(f->saving_calls, 198);
	assert_int_equal(f->bytes, 1100);
	assert_string_equal(f->what, "100 request/response round trips: requests written on pipe pipe:[10],"
			    " answers read on pipe pipe:[11] (peer: another thread of this process)");
	assert_string_equal(f->evidence, "10.0 ms blocked in read waiting for the answers (1.0% of wall time)");
	assert_string_equal(f->why, "100 round trips (a write on one object, then a read returning data on"
			    " the other) >= 100 (--nplus1-min)");
}

static void test_nplus1_pair_boundary(void **state)
{
	struct fixture *x = *state;

	two_pipes(x);
	pipe_trips(x, 99);
	assert_int_equal(run(x, "nplus1"), 0);
	x->th.nplus1_min = 99;
	assert_int_equal(run(x, "nplus1"), 1);
	assert_int_equal(x->f.v[0].count, 99);
}

/* the answering side alone (its own process): reads a request first */
static void test_nplus1_pair_silent_on_server_and_one_way(void **state)
{
	struct fixture *x = *state;
	long i;

	two_pipes(x);
	for (i = 0; i < 500; i++) {
		call(&x->s, "read", 100 * US, 8, 5);
		call(&x->s, "write", 2 * US, 3, 6);
	}
	x->s.pid = x->s.tid = 200;	/* a producer: writes on one pipe, reads a file */
	two_pipes(x);
	open_named(&x->s, 3, "/etc/data", 0);
	for (i = 0; i < 500; i++) {
		call(&x->s, "write", 2 * US, 8, 4);
		call(&x->s, "read", 2 * US, 8, 3);
	}
	assert_int_equal(run(x, "nplus1"), 0);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_hotlock_fires),
		T(test_hotlock_count_boundary),
		T(test_hotlock_time_boundaries),
		T(test_hotlock_silent_on_cond_and_uncontended),
		T(test_kernel_lock),
		T(test_kernel_lock_outside_calls),
		T(test_slowcall_fires),
		T(test_slowcall_boundary_and_disk),
		T(test_slowcall_threshold_is_the_detectors),
		T(test_slowcall_silent_on_waits_by_design),
		T(test_nplus1_pair_fires),
		T(test_nplus1_pair_boundary),
		T(test_nplus1_pair_silent_on_server_and_one_way),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
