// SPDX-License-Identifier: MIT
/* User lock holds (model_hold.c) on synthetic ULOCK streams. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "holdmodel.h"
#include "wait_helpers.h"

#define MU 0x5000ull	/* a mutex */
#define MU2 0x5100ull
#define SITE_A 0x401111ull	/* return addresses of lock calls */
#define SITE_B 0x402222ull
#define OWNERDEAD 130
#define EBUSY_ 16
#define ETIMEDOUT_ 110

static void feed(struct ilp_model *m, struct ilp_event e)
{
	assert_int_equal(ilp_model_feed(m, &e), 0);
}

static struct ilp_event call(uint64_t ts, int pid, int tid, uint32_t op, uint64_t addr,
			     uint64_t site)
{
	struct ilp_event e = { .ts = ts, .pid = pid, .tid = tid, .kind = ILP_EV_ULOCK_CALL };

	e.ulock.op = op;
	e.ulock.addr = addr;
	e.ulock.site = site;
	return e;
}

static struct ilp_event ret(uint64_t ts, int pid, int tid, uint32_t op, int32_t r)
{
	struct ilp_event e = { .ts = ts, .pid = pid, .tid = tid, .kind = ILP_EV_ULOCK_RET };

	e.ulock.op = op;
	e.ulock.ret = r;
	return e;
}

static struct ilp_event unlock(uint64_t ts, int pid, int tid, uint64_t addr)
{
	struct ilp_event e = { .ts = ts, .pid = pid, .tid = tid, .kind = ILP_EV_ULOCK_UNLOCK };

	e.ulock.addr = addr;
	return e;
}

static struct ilp_event texit(uint64_t ts, int pid, int tid)
{
	struct ilp_event e = { .ts = ts, .pid = pid, .tid = tid, .kind = ILP_EV_TASK_EXIT };

	return e;
}

/* lock (call at t, acquired at t + wait) ... unlock at u */
static void hold(struct ilp_model *m, int pid, int tid, uint64_t addr, uint64_t site,
		 uint64_t t, uint64_t acq, uint64_t u)
{
	feed(m, call(t, pid, tid, ILP_ULOCK_OP_LOCK, addr, site));
	feed(m, ret(acq, pid, tid, ILP_ULOCK_OP_LOCK, 0));
	feed(m, unlock(u, pid, tid, addr));
}

static const struct ilp_hold_lock *find(struct ilp_model *m, int pid, uint64_t addr)
{
	assert_int_equal(ilp_model_index(m, 1000 * MS), 0);
	return ilp_hproc_find(ilp_model_hproc(m, pid), addr);
}

/*
 * Two threads take turns on MU: 3 holds from SITE_A (2, 3, 4 ms) and one
 * from SITE_B (10 ms); the time waiting to acquire is no hold.  A second
 * mutex held once ranks under it.
 */
static void test_holds_sites(void **state)
{
	struct ilp_model *m = ilp_model_new();
	const struct ilp_hproc *hp;
	const struct ilp_hold_lock *l;

	(void)state;
	feed(m, ev_info(0, 100, 101, "app"));
	feed(m, ev_info(0, 100, 102, "app"));
	hold(m, 100, 101, MU, SITE_A, 1 * MS, 1 * MS, 3 * MS);
	hold(m, 100, 102, MU, SITE_A, 2 * MS, 3 * MS, 6 * MS);		/* waited 1 ms */
	hold(m, 100, 101, MU, SITE_A, 6 * MS, 6 * MS, 10 * MS);
	hold(m, 100, 102, MU, SITE_B, 10 * MS, 10 * MS, 20 * MS);
	hold(m, 100, 101, MU2, SITE_A, 21 * MS, 21 * MS, 22 * MS);
	l = find(m, 100, MU);
	assert_non_null(l);
	assert_int_equal(l->holds, 4);
	assert_int_equal(l->total_ns, 19 * MS);
	assert_int_equal(l->max_ns, 10 * MS);
	assert_int_equal(ilp_hist_count(l->hist), 4);
	assert_int_equal(ilp_hist_sum(l->hist), 19 * MS);
	assert_int_equal(l->partial + l->lost + l->recursive + l->open + l->failed, 0);
	assert_int_equal(l->nsites, 2);
	assert_int_equal(l->sites[0].pc, SITE_B);	/* longest held first */
	assert_int_equal(l->sites[0].holds, 1);
	assert_int_equal(l->sites[0].total_ns, 10 * MS);
	assert_int_equal(l->sites[1].pc, SITE_A);
	assert_int_equal(l->sites[1].holds, 3);
	assert_int_equal(l->sites[1].total_ns, 9 * MS);
	assert_int_equal(l->sites[1].max_ns, 4 * MS);
	assert_null(l->site_more);
	hp = ilp_model_hproc(m, 100);
	assert_int_equal(ilp_hproc_nlocks(hp), 2);
	assert_ptr_equal(ilp_hproc_lock(hp, 0), l);
	assert_int_equal(ilp_hproc_lock(hp, 1)->addr, MU2);
	assert_int_equal(ilp_model_hold_counters(m)->calls, 5);
	assert_int_equal(ilp_model_hold_counters(m)->rets, 5);
	assert_int_equal(ilp_model_hold_counters(m)->unlocks, 5);
	ilp_model_free(m);
}

/* trylock: 0 acquires, EBUSY does not; a lock returning EOWNERDEAD holds */
static void test_trylock_failed(void **state)
{
	struct ilp_model *m = ilp_model_new();
	const struct ilp_hold_lock *l;

	(void)state;
	feed(m, call(1 * MS, 100, 101, ILP_ULOCK_OP_TRYLOCK, MU, SITE_A));
	feed(m, ret(1 * MS, 100, 101, ILP_ULOCK_OP_TRYLOCK, EBUSY_));
	feed(m, call(2 * MS, 100, 101, ILP_ULOCK_OP_TRYLOCK, MU, SITE_A));
	feed(m, ret(2 * MS, 100, 101, ILP_ULOCK_OP_TRYLOCK, 0));
	feed(m, unlock(5 * MS, 100, 101, MU));
	feed(m, call(6 * MS, 100, 101, ILP_ULOCK_OP_LOCK, MU, SITE_B));
	feed(m, ret(7 * MS, 100, 101, ILP_ULOCK_OP_LOCK, OWNERDEAD));
	feed(m, unlock(8 * MS, 100, 101, MU));
	/* an error-checking mutex locked twice: EDEADLK, still one hold */
	feed(m, call(9 * MS, 100, 101, ILP_ULOCK_OP_LOCK, MU, SITE_B));
	feed(m, ret(9 * MS, 100, 101, ILP_ULOCK_OP_LOCK, 0));
	feed(m, call(10 * MS, 100, 101, ILP_ULOCK_OP_LOCK, MU, SITE_B));
	feed(m, ret(10 * MS, 100, 101, ILP_ULOCK_OP_LOCK, 35));	/* EDEADLK */
	feed(m, unlock(12 * MS, 100, 101, MU));
	l = find(m, 100, MU);
	assert_int_equal(l->holds, 3);
	assert_int_equal(l->total_ns, 3 * MS + 1 * MS + 3 * MS);
	assert_int_equal(l->failed, 2);
	assert_int_equal(l->recursive, 0);
	assert_int_equal(l->partial, 0);
	ilp_model_free(m);
}

/* a recursive mutex: one hold from the first lock to the last unlock */
static void test_recursive(void **state)
{
	struct ilp_model *m = ilp_model_new();
	const struct ilp_hold_lock *l;

	(void)state;
	feed(m, call(1 * MS, 100, 101, ILP_ULOCK_OP_LOCK, MU, SITE_A));
	feed(m, ret(1 * MS, 100, 101, ILP_ULOCK_OP_LOCK, 0));
	feed(m, call(2 * MS, 100, 101, ILP_ULOCK_OP_LOCK, MU, SITE_B));
	feed(m, ret(2 * MS, 100, 101, ILP_ULOCK_OP_LOCK, 0));
	feed(m, unlock(3 * MS, 100, 101, MU));
	feed(m, unlock(5 * MS, 100, 101, MU));
	l = find(m, 100, MU);
	assert_int_equal(l->holds, 1);
	assert_int_equal(l->total_ns, 4 * MS);
	assert_int_equal(l->recursive, 1);
	assert_int_equal(l->nsites, 1);
	assert_int_equal(l->sites[0].pc, SITE_A);
	ilp_model_free(m);
}

/*
 * Capture started mid-hold: the first unlock has no hold (partial), and
 * so has a thread's unlock of a mutex another one holds; a lost unlock
 * (another thread acquires) ends the hold uncounted; holds open at the
 * end are counted apart.
 */
static void test_partial_lost_open(void **state)
{
	struct ilp_model *m = ilp_model_new();
	const struct ilp_hold_lock *l, *l2;

	(void)state;
	feed(m, unlock(1 * MS, 100, 101, MU));			/* held before the capture */
	hold(m, 100, 101, MU, SITE_A, 2 * MS, 2 * MS, 4 * MS);
	feed(m, call(5 * MS, 100, 101, ILP_ULOCK_OP_LOCK, MU, SITE_A));
	feed(m, ret(5 * MS, 100, 101, ILP_ULOCK_OP_LOCK, 0));
	feed(m, unlock(6 * MS, 100, 102, MU));			/* not 102's */
	feed(m, call(7 * MS, 100, 102, ILP_ULOCK_OP_LOCK, MU, SITE_B));
	feed(m, ret(8 * MS, 100, 102, ILP_ULOCK_OP_LOCK, 0));	/* 101's unlock lost */
	feed(m, unlock(9 * MS, 100, 102, MU));
	feed(m, call(10 * MS, 100, 101, ILP_ULOCK_OP_LOCK, MU2, SITE_A));
	feed(m, ret(10 * MS, 100, 101, ILP_ULOCK_OP_LOCK, 0));	/* still held at the end */
	l = find(m, 100, MU);
	assert_int_equal(l->holds, 2);
	assert_int_equal(l->total_ns, 2 * MS + 1 * MS);
	assert_int_equal(l->partial, 2);
	assert_int_equal(l->lost, 1);
	assert_int_equal(l->open, 0);
	l2 = ilp_hproc_find(ilp_model_hproc(m, 100), MU2);
	assert_int_equal(l2->holds, 0);
	assert_int_equal(l2->open, 1);
	/* a return without its call, a call replaced by another */
	feed(m, ret(11 * MS, 100, 103, ILP_ULOCK_OP_LOCK, 0));
	feed(m, call(12 * MS, 100, 103, ILP_ULOCK_OP_LOCK, MU, SITE_A));
	feed(m, call(13 * MS, 100, 103, ILP_ULOCK_OP_TRYLOCK, MU, SITE_A));
	assert_int_equal(ilp_model_hold_counters(m)->unpaired_rets, 1);
	assert_int_equal(ilp_model_hold_counters(m)->lost_calls, 1);
	ilp_model_free(m);
}

/*
 * pthread_cond_wait: the mutex is released at the wait's entry and held
 * again from its return (the call site: the wait's caller); the 50 ms
 * asleep are no hold.  A timed wait that times out holds it again too.
 */
static void test_cond_wait(void **state)
{
	struct ilp_model *m = ilp_model_new();
	const struct ilp_hold_lock *l;

	(void)state;
	feed(m, call(1 * MS, 100, 101, ILP_ULOCK_OP_LOCK, MU, SITE_A));
	feed(m, ret(1 * MS, 100, 101, ILP_ULOCK_OP_LOCK, 0));
	feed(m, call(2 * MS, 100, 101, ILP_ULOCK_OP_COND, MU, SITE_B));	/* hold 1 ms */
	feed(m, ret(52 * MS, 100, 101, ILP_ULOCK_OP_COND, 0));
	feed(m, call(53 * MS, 100, 101, ILP_ULOCK_OP_COND, MU, SITE_B));	/* hold 1 ms */
	feed(m, ret(153 * MS, 100, 101, ILP_ULOCK_OP_COND, ETIMEDOUT_));
	feed(m, unlock(155 * MS, 100, 101, MU));				/* hold 2 ms */
	l = find(m, 100, MU);
	assert_int_equal(l->holds, 3);
	assert_int_equal(l->total_ns, 4 * MS);
	assert_int_equal(l->max_ns, 2 * MS);
	assert_int_equal(l->cond_waits, 2);
	assert_int_equal(l->partial, 0);
	assert_int_equal(l->nsites, 2);
	assert_int_equal(l->sites[0].pc, SITE_B);
	assert_int_equal(l->sites[0].holds, 2);
	assert_int_equal(l->sites[0].total_ns, 3 * MS);
	ilp_model_free(m);
}

/* a thread exiting while it holds a mutex: the hold ends at its exit */
static void test_thread_exit(void **state)
{
	struct ilp_model *m = ilp_model_new();
	const struct ilp_hold_lock *l;

	(void)state;
	feed(m, ev_info(0, 100, 101, "app"));
	feed(m, call(1 * MS, 100, 101, ILP_ULOCK_OP_LOCK, MU, SITE_A));
	feed(m, ret(1 * MS, 100, 101, ILP_ULOCK_OP_LOCK, 0));
	feed(m, call(2 * MS, 100, 101, ILP_ULOCK_OP_LOCK, MU2, SITE_A));	/* waiting */
	feed(m, texit(7 * MS, 100, 101));
	feed(m, ret(8 * MS, 100, 101, ILP_ULOCK_OP_LOCK, 0));	/* a reused tid, no call */
	l = find(m, 100, MU);
	assert_int_equal(l->holds, 1);
	assert_int_equal(l->total_ns, 6 * MS);
	assert_int_equal(l->exit_held, 1);
	assert_int_equal(l->open, 0);
	assert_null(ilp_hproc_find(ilp_model_hproc(m, 100), MU2));
	assert_int_equal(ilp_model_hold_counters(m)->unpaired_rets, 1);
	ilp_model_free(m);
}

/* names: the mutex by ILP_NAME_ULOCK, each site by ILP_NAME_CODE, once */
static int asked;
static int namer(void *ctx, int kind, int pid, uint64_t key, char *buf, size_t size)
{
	(void)ctx;
	asked++;
	assert_int_equal(pid, 100);
	if (kind == ILP_NAME_ULOCK && key == MU)
		return snprintf(buf, size, "hot_lock") > 0 ? 0 : -EIO;
	if (kind == ILP_NAME_CODE && key == SITE_A)
		return snprintf(buf, size, "worker (app.c:42)") > 0 ? 0 : -EIO;
	return -ENOENT;
}

static void test_naming(void **state)
{
	struct ilp_model *m = ilp_model_new();
	const struct ilp_hold_lock *l;

	(void)state;
	hold(m, 100, 101, MU, SITE_A, 1 * MS, 1 * MS, 3 * MS);
	hold(m, 100, 101, MU, SITE_B, 4 * MS, 4 * MS, 5 * MS);
	asked = 0;
	assert_int_equal(ilp_wait_name_objects(m, namer, NULL), 0);
	assert_int_equal(asked, 3);
	assert_int_equal(ilp_wait_name_objects(m, namer, NULL), 0);
	assert_int_equal(asked, 3);	/* asked once each */
	l = find(m, 100, MU);
	assert_string_equal(l->name, "hot_lock");
	assert_int_equal(l->sites[0].pc, SITE_A);
	assert_string_equal(l->sites[0].name, "worker (app.c:42)");
	assert_string_equal(l->sites[1].name, "");	/* no name: the address is shown */
	ilp_model_free(m);
}

/* --interval: counts from 0, a hold in progress is counted when it ends */
static void test_reset(void **state)
{
	struct ilp_model *m = ilp_model_new();
	const struct ilp_hold_lock *l;

	(void)state;
	hold(m, 100, 101, MU, SITE_A, 1 * MS, 1 * MS, 3 * MS);
	feed(m, call(4 * MS, 100, 101, ILP_ULOCK_OP_LOCK, MU, SITE_A));
	feed(m, ret(4 * MS, 100, 101, ILP_ULOCK_OP_LOCK, 0));
	assert_int_equal(ilp_model_index(m, 5 * MS), 0);
	assert_int_equal(ilp_model_reset_stats(m), 0);
	feed(m, unlock(10 * MS, 100, 101, MU));
	l = find(m, 100, MU);
	assert_int_equal(l->holds, 1);
	assert_int_equal(l->total_ns, 6 * MS);
	assert_int_equal(ilp_hist_count(l->hist), 1);
	ilp_model_free(m);
}

/* mutexes past the cap are counted, not kept */
static void test_cap(void **state)
{
	struct ilp_model *m = ilp_model_new();
	const struct ilp_hproc *hp;
	uint64_t i;

	(void)state;
	for (i = 0; i < ILP_HOLD_LOCK_MAX + 3; i++)
		feed(m, unlock(1 + i, 100, 101, 0x10000 + i * 64));
	assert_int_equal(ilp_model_index(m, 1000 * MS), 0);
	hp = ilp_model_hproc(m, 100);
	assert_int_equal(ilp_hproc_nlocks(hp), ILP_HOLD_LOCK_MAX);
	assert_int_equal(ilp_hproc_untracked(hp), 3);
	ilp_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_holds_sites),
		cmocka_unit_test(test_trylock_failed),
		cmocka_unit_test(test_recursive),
		cmocka_unit_test(test_partial_lost_open),
		cmocka_unit_test(test_cond_wait),
		cmocka_unit_test(test_thread_exit),
		cmocka_unit_test(test_naming),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
