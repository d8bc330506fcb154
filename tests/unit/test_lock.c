// SPDX-License-Identifier: MIT
/* Futex and kernel lock contention (model_lock.c) on synthetic streams. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "wait_helpers.h"

#define LOCK 0x5000ull
#define COND 0x6000ull

static void feed(struct ilp_model *m, struct ilp_event e)
{
	assert_int_equal(ilp_model_feed(m, &e), 0);
}

static void test_op_decoding(void **state)
{
	int kind = -1;

	(void)state;
	assert_int_equal(ilp_futex_op_class(0, &kind), ILP_FUTEX_WAIT);
	assert_int_equal(kind, ILP_ULOCK_WAIT);
	assert_int_equal(ilp_futex_op_class(0 | 128, &kind), ILP_FUTEX_WAIT);	/* PRIVATE */
	assert_int_equal(kind, ILP_ULOCK_WAIT);
	assert_int_equal(ilp_futex_op_class(9 | 128 | 256, &kind), ILP_FUTEX_WAIT);	/* BITSET, REALTIME */
	assert_int_equal(kind, ILP_ULOCK_COND);
	assert_int_equal(ilp_futex_op_class(6 | 128, &kind), ILP_FUTEX_WAIT);
	assert_int_equal(kind, ILP_ULOCK_PI);
	assert_int_equal(ilp_futex_op_class(13, &kind), ILP_FUTEX_WAIT);
	assert_int_equal(kind, ILP_ULOCK_PI);
	assert_int_equal(ilp_futex_op_class(11 | 128, &kind), ILP_FUTEX_WAIT);
	assert_int_equal(kind, ILP_ULOCK_REQUEUE_PI);
	assert_int_equal(ilp_futex_op_class(1 | 128, NULL), ILP_FUTEX_WAKE);
	assert_int_equal(ilp_futex_op_class(10, NULL), ILP_FUTEX_WAKE);
	assert_int_equal(ilp_futex_op_class(7 | 128, &kind), ILP_FUTEX_WAKE);
	assert_int_equal(kind, ILP_ULOCK_PI);
	assert_int_equal(ilp_futex_op_class(5, NULL), ILP_FUTEX_WAKE);
	assert_int_equal(ilp_futex_op_class(3, NULL), ILP_FUTEX_WAKE);
	assert_int_equal(ilp_futex_op_class(4 | 128, NULL), ILP_FUTEX_WAKE);
	assert_int_equal(ilp_futex_op_class(8, NULL), ILP_FUTEX_OTHER);	/* TRYLOCK_PI */
	assert_string_equal(ilp_ulock_kind_name(ILP_ULOCK_WAIT), "mutex");
	assert_string_equal(ilp_ulock_kind_name(ILP_ULOCK_COND), "cond/sem");
}

/*
 * Two threads, 101 waits on LOCK (100 by 101 woken by 102 through sched_waking,
 * one woken by an untraced task 999 that is still named), 102's FUTEX_WAKE
 * calls, one EAGAIN and one ETIMEDOUT apart, one condvar wait.
 */
static void test_waits_wakers(void **state)
{
	struct ilp_model *m = ilp_model_new();
	int fx = ilp_syscall_nr("futex");
	const struct ilp_wproc *w;
	const struct ilp_ulock *l, *c;
	uint64_t t = 1 * MS;
	int i;

	(void)state;
	feed(m, ev_info(1, 100, 100, "app"));
	feed(m, ev_info(2, 100, 101, "app"));
	feed(m, ev_info(3, 100, 102, "app"));
	for (i = 0; i < 100; i++, t += 1 * MS) {
		feed(m, ev_futex(t, 100, 101, fx, LOCK, 0 | 128, 2));
		feed(m, ev_switch(t + 1 * US, 101, 1, 0));
		feed(m, ev_enter(t + 10 * US, 100, 102, fx, LOCK, 1 | 128));
		feed(m, ev_waking(t + 11 * US, 102, 101));
		feed(m, ev_exit(t + 12 * US, 100, 102, fx, 1));
		feed(m, ev_exit(t + 20 * US, 100, 101, fx, 0));
	}
	feed(m, ev_futex(t, 100, 101, fx, LOCK, 0 | 128, 2));
	feed(m, ev_waking(t + 5 * US, 999, 101));
	feed(m, ev_exit(t + 30 * US, 100, 101, fx, 0));
	feed(m, ev_futex(t + 1 * MS, 100, 101, fx, LOCK, 0 | 128, 2));
	feed(m, ev_exit(t + 1 * MS + 1 * US, 100, 101, fx, -11));	/* EAGAIN */
	feed(m, ev_futex(t + 2 * MS, 100, 102, fx, LOCK, 0 | 128, 2));
	feed(m, ev_exit(t + 7 * MS, 100, 102, fx, -110));	/* ETIMEDOUT */
	feed(m, ev_enter(t + 8 * MS, 100, 102, fx, COND, 9 | 128));
	feed(m, ev_exit(t + 9 * MS, 100, 102, fx, 0));
	feed(m, ev_enter(t + 10 * MS, 100, 101, fx, LOCK, 1 | 128));
	feed(m, ev_exit(t + 10 * MS + 1, 100, 101, fx, 0));	/* woke nobody */
	assert_int_equal(ilp_model_index(m, t + 20 * MS), 0);
	w = ilp_proc_wait(ilp_model_find_proc(m, 100));
	assert_int_equal(ilp_wproc_futex_calls(w), 205);
	assert_int_equal(ilp_wproc_nulocks(w), 2);
	l = ilp_wproc_ulock(w, 0);
	assert_int_equal(l->uaddr, LOCK);
	assert_int_equal(l->kind, ILP_ULOCK_WAIT);
	assert_int_equal(l->waits, 101);
	assert_int_equal(l->wait_ns, 100 * 20 * US + 30 * US);
	assert_int_equal(l->max_ns, 30 * US);
	assert_int_equal(l->eagain, 1);
	assert_int_equal(l->timeouts, 1);
	assert_int_equal(l->timeout_ns, 5 * MS);
	assert_int_equal(l->intr, 0);
	assert_int_equal(l->wake_calls, 101);
	assert_int_equal(l->woken, 100);
	assert_int_equal(l->nwaiters, 1);
	assert_int_equal(l->waiters[0].tid, 101);
	assert_int_equal(l->waiters[0].n, 101);
	assert_int_equal(l->nwakers, 2);
	assert_int_equal(l->wakers[0].tid, 102);
	assert_int_equal(l->wakers[0].n, 100);
	assert_int_equal(l->wakers[1].tid, 999);
	assert_int_equal(l->wakers[1].n, 1);
	assert_int_equal(l->nwakecallers, 1);	/* 101's wake woke nobody */
	assert_int_equal(l->wakecallers[0].tid, 102);
	assert_int_equal(l->wakecallers[0].n, 100);
	c = ilp_wproc_ulock(w, 1);
	assert_int_equal(c->uaddr, COND);
	assert_int_equal(c->kind, ILP_ULOCK_COND);
	assert_int_equal(c->waits, 1);
	assert_ptr_equal(ilp_wproc_find_ulock(w, COND), c);
	/* the futex waits are blocking calls on the futex object */
	assert_int_equal(ilp_wproc_blocking(w, 0)->okind, ILP_WOBJ_FUTEX);
	assert_int_equal(ilp_wproc_blocking(w, 0)->obj, LOCK);
	ilp_model_free(m);
}

/* no futex call: no lock, no wait record; kernel locks paired by address */
static void test_uncontended_and_kernel(void **state)
{
	struct ilp_model *m = ilp_model_new();
	int wr = ilp_syscall_nr("write");
	struct ilp_event b = { .ts = 2 * MS, .tid = 100, .kind = ILP_EV_LOCK_BEGIN };
	struct ilp_event e = { .ts = 3 * MS, .tid = 100, .kind = ILP_EV_LOCK_END };
	const struct ilp_wproc *w;
	const struct ilp_klock *k;

	(void)state;
	feed(m, ev_info(1, 100, 100, "app"));
	feed(m, ev_enter(1 * MS, 100, 100, wr, 1, 0));
	feed(m, ev_exit(1 * MS + 1, 100, 100, wr, 1));
	assert_int_equal(ilp_model_index(m, 2 * MS), 0);
	assert_null(ilp_proc_wait(ilp_model_find_proc(m, 100)));
	b.lock.addr = 0xffffffff81000000ull;
	b.lock.flags = 32 | 1;	/* MUTEX | SPIN */
	feed(m, b);
	b.ts = 2 * MS + 500 * US;
	b.lock.flags = 32;	/* then sleeps: same wait */
	feed(m, b);
	e.lock.addr = b.lock.addr;
	feed(m, e);
	e.ts = 4 * MS;		/* an end without a begin: ignored */
	feed(m, e);
	b.tid = e.tid = 555;	/* untraced task: ignored */
	feed(m, b);
	assert_int_equal(ilp_model_index(m, 5 * MS), 0);
	w = ilp_proc_wait(ilp_model_find_proc(m, 100));
	assert_int_equal(ilp_wproc_nulocks(w), 0);
	assert_int_equal(ilp_wproc_nklocks(w), 1);
	k = ilp_wproc_klock(w, 0);
	assert_int_equal(k->waits, 1);
	assert_int_equal(k->wait_ns, 1 * MS);
	assert_string_equal(ilp_klock_type(k->flags), "mutex");
	assert_null(ilp_model_find_proc(m, 555));
	ilp_model_free(m);
}

static int namer(void *ctx, int kind, int pid, uint64_t key, char *buf, size_t size)
{
	int *calls = ctx;

	(*calls)++;
	if (kind == ILP_NAME_ULOCK && pid == 100 && key == LOCK) {
		snprintf(buf, size, "hot_lock");
		return 0;
	}
	return *calls == 1 ? -EAGAIN : -ENOENT;
}

/* names are asked once per object; -EAGAIN asks again at the next pass */
static void test_naming(void **state)
{
	struct ilp_model *m = ilp_model_new();
	int fx = ilp_syscall_nr("futex"), calls = 0;
	const struct ilp_wproc *w;

	(void)state;
	feed(m, ev_info(1, 100, 100, "app"));
	feed(m, ev_enter(1 * MS, 100, 100, fx, COND, 0));
	feed(m, ev_exit(2 * MS, 100, 100, fx, 0));
	feed(m, ev_futex(3 * MS, 100, 100, fx, LOCK, 0, 2));
	feed(m, ev_exit(4 * MS, 100, 100, fx, 0));
	assert_int_equal(ilp_wait_name_objects(m, namer, &calls), 0);
	assert_int_equal(calls, 2);	/* COND: -EAGAIN, LOCK: named */
	assert_int_equal(ilp_wait_name_objects(m, namer, &calls), 0);
	assert_int_equal(calls, 3);	/* COND again, -ENOENT: given up */
	assert_int_equal(ilp_wait_name_objects(m, namer, &calls), 0);
	assert_int_equal(calls, 3);
	assert_int_equal(ilp_model_index(m, 5 * MS), 0);
	w = ilp_proc_wait(ilp_model_find_proc(m, 100));
	assert_string_equal(ilp_wproc_find_ulock(w, LOCK)->name, "hot_lock");
	assert_null(ilp_wproc_find_ulock(w, COND)->name);
	ilp_model_free(m);
}

/* one futex call by tid on addr with op, returning ret after lat */
static void futex_call(struct ilp_model *m, uint64_t *t, int tid, uint64_t addr, uint64_t op,
		       int64_t ret, uint64_t lat)
{
	int fx = ilp_syscall_nr("futex");

	feed(m, ev_futex(*t, 100, tid, fx, addr, op, 2));
	feed(m, ev_exit(*t + lat, 100, tid, fx, ret));
	*t += lat + 1 * US;
}

/*
 * 100000 addresses that never sleep (an EAGAIN and a wake each) fill the
 * table; they are let go into ulock_more, so LOCK, contended after them,
 * is still kept and listed first; every count adds up across the kept
 * records and the more record.
 */
static void test_ulock_cap_lets_go(void **state)
{
	enum { N = 100000 };
	struct ilp_model *m = ilp_model_new();
	const struct ilp_wproc *w;
	const struct ilp_ulock *l, *more;
	uint64_t t = 1 * MS, naddrs = 0, eagain = 0, wakes = 0;
	int exact = 0;
	size_t i;

	(void)state;
	feed(m, ev_info(1, 100, 100, "app"));
	feed(m, ev_info(2, 100, 101, "app"));
	for (i = 0; i < N; i++) {
		futex_call(m, &t, 100, 0x10000 + 4 * i, 0 | 128, -11, 1 * US);
		futex_call(m, &t, 100, 0x10000 + 4 * i, 1 | 128, 0, 1 * US);
	}
	for (i = 0; i < 10; i++)
		futex_call(m, &t, 101, LOCK, 0 | 128, 0, 100 * US);
	assert_int_equal(ilp_model_index(m, t), 0);
	w = ilp_proc_wait(ilp_model_find_proc(m, 100));
	assert_int_equal(ilp_wproc_futex_calls(w), 2 * N + 10);
	l = ilp_wproc_ulock(w, 0);
	assert_int_equal(l->uaddr, LOCK);
	assert_int_equal(l->waits, 10);
	more = ilp_wproc_ulock_more(w, &naddrs, &exact);
	assert_non_null(more);
	assert_int_equal(more->uaddr, 0);
	assert_true(exact);
	/* kept: LOCK and the addresses seen since the last letting go */
	assert_int_equal(naddrs + ilp_wproc_nulocks(w) - 1, N);
	assert_true(ilp_wproc_nulocks(w) <= ILP_ULOCK_MAX);
	for (i = 0; i < ilp_wproc_nulocks(w); i++) {
		eagain += ilp_wproc_ulock(w, i)->eagain;
		wakes += ilp_wproc_ulock(w, i)->wake_calls;
	}
	assert_int_equal(eagain + more->eagain, N);
	assert_int_equal(wakes + more->wake_calls, N);
	assert_int_equal(more->waits, 0);
	assert_int_equal(more->nwakecallers, 0);	/* the wakes woke nobody */
	assert_null(ilp_wproc_find_ulock(w, 0x10000));	/* let go */
	ilp_model_free(m);
}

/* addresses that all sleep: the first ILP_ULOCK_MAX kept, the rest counted
 * together (waits, time, waiters) */
static void test_ulock_cap_full(void **state)
{
	struct ilp_model *m = ilp_model_new();
	const struct ilp_wproc *w;
	const struct ilp_ulock *more;
	uint64_t t = 1 * MS, naddrs = 0;
	int exact = 0;
	size_t i;

	(void)state;
	feed(m, ev_info(1, 100, 100, "app"));
	for (i = 0; i < ILP_ULOCK_MAX + 100; i++)
		futex_call(m, &t, 100, 0x10000 + 4 * (i % (ILP_ULOCK_MAX + 50)), 0 | 128, 0, 10 * US);
	assert_int_equal(ilp_model_index(m, t), 0);
	w = ilp_proc_wait(ilp_model_find_proc(m, 100));
	assert_int_equal(ilp_wproc_nulocks(w), ILP_ULOCK_MAX);
	more = ilp_wproc_ulock_more(w, &naddrs, &exact);
	assert_non_null(more);
	assert_int_equal(naddrs, 50);
	assert_int_equal(more->waits, 100 - 50);	/* the first 50 came back: kept ones */
	assert_int_equal(more->wait_ns, 50 * 10 * US);
	assert_int_equal(more->kind, ILP_ULOCK_WAIT);
	assert_int_equal(ilp_hist_count(more->hist), 50);
	assert_int_equal(more->nwaiters, 1);
	assert_int_equal(more->waiters[0].n, 50);
	assert_int_equal(ilp_wproc_ulock(w, 0)->waits, 2);	/* 0x10000: twice */
	ilp_model_free(m);
}

/* kernel lock addresses past ILP_KLOCK_MAX: counted together */
static void test_klock_cap(void **state)
{
	struct ilp_model *m = ilp_model_new();
	const struct ilp_wproc *w;
	const struct ilp_klock *more;
	uint64_t naddrs = 0, waits = 0;
	int wr = ilp_syscall_nr("write"), exact = 0;
	size_t i;

	(void)state;
	feed(m, ev_info(1, 100, 100, "app"));
	feed(m, ev_enter(1 * MS, 100, 100, wr, 1, 0));
	for (i = 0; i < ILP_KLOCK_MAX + 7; i++) {
		struct ilp_event b = { .ts = 2 * MS + 10 * i, .tid = 100, .kind = ILP_EV_LOCK_BEGIN };
		struct ilp_event e = { .ts = 2 * MS + 10 * i + 5, .tid = 100, .kind = ILP_EV_LOCK_END };

		b.lock.addr = e.lock.addr = 0xffff888000000000ull + 64 * i;
		feed(m, b);
		feed(m, e);
	}
	feed(m, ev_exit(3 * MS, 100, 100, wr, 1));
	assert_int_equal(ilp_model_index(m, 4 * MS), 0);
	w = ilp_proc_wait(ilp_model_find_proc(m, 100));
	assert_int_equal(ilp_wproc_nklocks(w), ILP_KLOCK_MAX);
	for (i = 0; i < ilp_wproc_nklocks(w); i++)
		waits += ilp_wproc_klock(w, i)->waits;
	more = ilp_wproc_klock_more(w, &naddrs, &exact);
	assert_non_null(more);
	assert_int_equal(naddrs, 7);
	assert_true(exact);
	assert_int_equal(more->waits, 7);
	assert_int_equal(more->wait_ns, 7 * 5);
	assert_int_equal(waits + more->waits, ILP_KLOCK_MAX + 7);
	ilp_model_free(m);
}

/*
 * A plain FUTEX_WAIT (or futex_wait(2)) on a word that reads 0 is an event
 * wait, "cond/sem": Go's runtime parks its threads so, 1341 of a small
 * HTTP client's 1348 waits; on a word that reads 2 (glibc's mutex, Go's
 * runtime lock) it is a mutex.  Each address three waits.
 */
static void test_wait_on_zero_is_event(void **state)
{
	struct ilp_model *m = ilp_model_new();
	int fx = ilp_syscall_nr("futex"), fw = ilp_syscall_nr("futex_wait");
	const struct ilp_wproc *w;
	uint64_t t = 1 * MS;
	int i;

	(void)state;
	if (fw <= 0)
		fw = 455;	/* as model_wait.c: a table older than futex_wait(2) */
	feed(m, ev_info(1, 100, 100, "app"));
	for (i = 0; i < 3; i++, t += 1 * MS) {
		feed(m, ev_futex(t, 100, 100, fx, 0x7000, 0 | 128, 0));	/* a note */
		feed(m, ev_exit(t + 10 * US, 100, 100, fx, 0));
		feed(m, ev_futex(t + 20 * US, 100, 100, fx, LOCK, 0 | 128, 2));
		feed(m, ev_exit(t + 30 * US, 100, 100, fx, 0));
		feed(m, ev_futex(t + 40 * US, 100, 100, fw, 0x8000, 0, 0x80));	/* futex_wait(2), val 0 */
		feed(m, ev_exit(t + 50 * US, 100, 100, fw, 0));
		feed(m, ev_futex(t + 60 * US, 100, 100, fw, 0x9000, 2, 0x80));	/* val 2 */
		feed(m, ev_exit(t + 70 * US, 100, 100, fw, 0));
	}
	assert_int_equal(ilp_model_index(m, t), 0);
	w = ilp_proc_wait(ilp_model_find_proc(m, 100));
	assert_int_equal(ilp_wproc_find_ulock(w, 0x7000)->kind, ILP_ULOCK_COND);
	assert_int_equal(ilp_wproc_find_ulock(w, 0x7000)->waits, 3);
	assert_int_equal(ilp_wproc_find_ulock(w, LOCK)->kind, ILP_ULOCK_WAIT);
	assert_int_equal(ilp_wproc_find_ulock(w, 0x8000)->kind, ILP_ULOCK_COND);
	assert_int_equal(ilp_wproc_find_ulock(w, 0x9000)->kind, ILP_ULOCK_WAIT);
	ilp_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ulock_cap_lets_go),
		cmocka_unit_test(test_ulock_cap_full),
		cmocka_unit_test(test_klock_cap),
		cmocka_unit_test(test_op_decoding),
		cmocka_unit_test(test_waits_wakers),
		cmocka_unit_test(test_uncontended_and_kernel),
		cmocka_unit_test(test_naming),
		cmocka_unit_test(test_wait_on_zero_is_event),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
