// SPDX-License-Identifier: MIT
/*
 * The wall share (src/model/model_share.c): each instant divided among the
 * threads inside a counted call; waits by design take no part; a kernel
 * lock wait inside a call is carved out of it.  Exact numbers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fdmodel.h"
#include "model.h"
#include "syscalls.h"
#include "waitmodel.h"

#define US 1000ull
#define MS 1000000ull

static int NR(const char *name)
{
	int nr = ilp_syscall_nr(name);

	assert_true(nr >= 0);
	return nr;
}

static void ev3(struct ilp_model *m, uint64_t ts, int tid, int kind, int nr, uint64_t a0,
		uint64_t a1, uint64_t a2)
{
	struct ilp_event e = { .ts = ts, .pid = 100, .tid = tid, .kind = (uint16_t)kind, .nr = nr };

	if (kind == ILP_EV_SYS_ENTER) {
		e.args[0] = a0;
		e.args[1] = a1;
		e.args[2] = a2;
	}
	assert_int_equal(ilp_model_feed(m, &e), 0);
}

static void ev(struct ilp_model *m, uint64_t ts, int tid, int kind, int nr, uint64_t a0,
	       uint64_t a1)
{
	ev3(m, ts, tid, kind, nr, a0, a1, 0);
}

/* a futex call (op) on addr, its word read as val */
static void enter_futex(struct ilp_model *m, uint64_t ts, int tid, uint64_t addr, uint64_t op,
			uint64_t val)
{
	ev3(m, ts, tid, ILP_EV_SYS_ENTER, NR("futex"), addr, op, val);
}

static void enter(struct ilp_model *m, uint64_t ts, int tid, const char *name, uint64_t a0,
		  uint64_t a1)
{
	ev(m, ts, tid, ILP_EV_SYS_ENTER, NR(name), a0, a1);
}

static void leave(struct ilp_model *m, uint64_t ts, int tid, const char *name)
{
	ev(m, ts, tid, ILP_EV_SYS_EXIT, NR(name), 0, 0);
}

static uint64_t share(struct ilp_model *m)
{
	assert_int_equal(ilp_model_index(m, 1000 * MS), 0);
	return ilp_proc_share_ns(ilp_model_find_proc(m, 100));
}

/* one thread: a call's share is its latency */
static void test_one_thread(void **state)
{
	struct ilp_model *m = ilp_model_new();

	(void)state;
	enter(m, 0, 100, "getpid", 0, 0);
	leave(m, 7 * US, 100, "getpid");
	enter(m, 10 * US, 100, "write", 1, 0);
	leave(m, 30 * US, 100, "write");
	assert_int_equal(share(m), 27 * US);
	assert_int_equal(ilp_proc_total_ns(ilp_model_find_proc(m, 100)), 27 * US);
	ilp_model_free(m);
}

/* A in [0, 100 us), B in [50, 150): the overlap is halved; the shares add
 * up to the union (150 us), the latencies to 200 us */
static void test_overlap_halved(void **state)
{
	struct ilp_model *m = ilp_model_new();
	const struct ilp_io_stats *s;

	(void)state;
	enter(m, 0, 100, "read", 3, 0);
	enter(m, 50 * US, 101, "write", 4, 0);
	leave(m, 100 * US, 100, "read");
	leave(m, 150 * US, 101, "write");
	assert_int_equal(share(m), 150 * US);
	s = ilp_fdobj_stats(ilp_fdproc_fd(ilp_proc_fds(ilp_model_find_proc(m, 100)), 3));
	assert_int_equal(s->share_ns, 75 * US);
	assert_int_equal(s->cat_share[ILP_IO_SREAD], 75 * US);
	assert_int_equal(s->cat_calls[ILP_IO_SREAD], 1);
	assert_int_equal(s->total_ns, 100 * US);
	ilp_model_free(m);
}

/* three threads at once: a third each; the sum is never above the union */
static void test_three_thirds(void **state)
{
	struct ilp_model *m = ilp_model_new();

	(void)state;
	enter(m, 0, 100, "read", 3, 0);
	enter(m, 0, 101, "read", 4, 0);
	enter(m, 0, 102, "read", 5, 0);
	leave(m, 90 * US, 100, "read");
	leave(m, 90 * US, 101, "read");
	leave(m, 90 * US, 102, "read");
	assert_int_equal(share(m), 90 * US);
	ilp_model_free(m);
}

/* waits by design take no part: a read beside a sleep, a condvar wait, a
 * poll and a child wait keeps its whole time; a mutex wait takes part, a
 * FUTEX_WAIT on a word that reads 0 (an event: Go's parked threads) not */
static void test_idle_calls(void **state)
{
	struct ilp_model *m = ilp_model_new();
	const struct ilp_ulock *l;

	(void)state;
	enter(m, 0, 101, "clock_nanosleep", 1, 0);
	enter(m, 0, 102, "futex", 0x6000, 9 | 128);	/* WAIT_BITSET: cond/sem */
	enter(m, 0, 103, "poll", 0, 0);
	enter(m, 0, 104, "wait4", 200, 0);
	enter(m, 0, 100, "read", 3, 0);
	leave(m, 100 * US, 100, "read");
	leave(m, 100 * US, 101, "clock_nanosleep");
	leave(m, 100 * US, 102, "futex");
	leave(m, 100 * US, 103, "poll");
	leave(m, 100 * US, 104, "wait4");
	assert_int_equal(share(m), 100 * US);	/* all of it the read's */
	enter(m, 200 * US, 100, "read", 3, 0);
	enter_futex(m, 200 * US, 101, 0x5000, 0 | 128, 2);	/* WAIT on a locked word: a mutex */
	leave(m, 300 * US, 100, "read");
	leave(m, 300 * US, 101, "futex");
	assert_int_equal(share(m), 200 * US);
	enter(m, 400 * US, 100, "read", 3, 0);
	enter_futex(m, 400 * US, 101, 0x7000, 0 | 128, 0);	/* WAIT on a 0 word: an event */
	leave(m, 500 * US, 100, "read");
	leave(m, 500 * US, 101, "futex");
	assert_int_equal(share(m), 300 * US);	/* the read's whole 100 us */
	l = ilp_wproc_find_ulock(ilp_proc_wait(ilp_model_find_proc(m, 100)), 0x5000);
	assert_non_null(l);
	assert_int_equal(l->sleep_share, 50 * US);
	ilp_model_free(m);
}

/* a kernel lock wait inside a write is carved out of it; one outside any
 * call (a page fault) has no share */
static void test_kernel_lock_carved(void **state)
{
	struct ilp_model *m = ilp_model_new();
	struct ilp_event b = { .pid = 100, .tid = 100, .kind = ILP_EV_LOCK_BEGIN };
	struct ilp_event e = { .pid = 100, .tid = 100, .kind = ILP_EV_LOCK_END };
	const struct ilp_klock *k;
	const struct ilp_io_stats *s;

	(void)state;
	enter(m, 0, 100, "write", 3, 0);
	b.ts = 20 * US;
	b.lock.addr = 0xffff1000;
	assert_int_equal(ilp_model_feed(m, &b), 0);
	e.ts = 60 * US;
	e.lock.addr = 0xffff1000;
	assert_int_equal(ilp_model_feed(m, &e), 0);
	leave(m, 100 * US, 100, "write");
	b.ts = 200 * US;		/* outside any call */
	e.ts = 250 * US;
	assert_int_equal(ilp_model_feed(m, &b), 0);
	assert_int_equal(ilp_model_feed(m, &e), 0);
	assert_int_equal(share(m), 60 * US);
	k = ilp_wproc_klock(ilp_proc_wait(ilp_model_find_proc(m, 100)), 0);
	assert_non_null(k);
	assert_int_equal(k->waits, 2);
	assert_int_equal(k->wait_ns, 90 * US);
	assert_int_equal(k->wait_share, 40 * US);
	s = ilp_fdobj_stats(ilp_fdproc_fd(ilp_proc_fds(ilp_model_find_proc(m, 100)), 3));
	assert_int_equal(s->share_ns, 60 * US);
	ilp_model_free(m);
}

/* an unfinished call and a lost enter take no share, and do not keep the
 * instants they covered from the others for ever */
static void test_unfinished_and_lost(void **state)
{
	struct ilp_model *m = ilp_model_new();

	(void)state;
	enter(m, 0, 101, "read", 4, 0);		/* never returns */
	enter(m, 0, 100, "read", 3, 0);
	enter(m, 10 * US, 100, "write", 3, 0);	/* the read's exit was lost */
	leave(m, 30 * US, 100, "write");	/* [10, 30): shared with 101 */
	ev(m, 40 * US, 101, ILP_EV_TASK_EXIT, -1, 0, 0);	/* ends its call unfinished */
	enter(m, 50 * US, 100, "write", 3, 0);
	leave(m, 70 * US, 100, "write");	/* alone now */
	assert_int_equal(share(m), 10 * US + 20 * US);
	ilp_model_finish(m, 100 * US);
	ilp_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_thread),
		cmocka_unit_test(test_overlap_halved),
		cmocka_unit_test(test_three_thirds),
		cmocka_unit_test(test_idle_calls),
		cmocka_unit_test(test_kernel_lock_carved),
		cmocka_unit_test(test_unfinished_and_lost),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
