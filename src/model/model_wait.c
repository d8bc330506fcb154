// SPDX-License-Identifier: MIT
/*
 * The wait models' shared part: per-model state, per-process and
 * per-thread records, the dispatch of completed calls, indexing and
 * naming.  See include/waitmodel.h and src/model/wait_internal.h.  Pure C,
 * no I/O.
 *
 * Events of tasks the model does not know (an untraced task switching to a
 * traced one, a kworker issuing a request, an interrupt completing it) never
 * create a thread or a process: model.c looks up only the tids it already
 * traces and hands those threads down (struct ilp_wtask).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "syscalls.h"
#include "wait_internal.h"

/* ---- helpers ---- */

int ilp_wgrow(void **arr, size_t *cap, size_t need, size_t elem)
{
	size_t ncap;
	void *p;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 8;
	while (ncap < need)
		ncap *= 2;
	p = realloc(*arr, ncap * elem);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

void ilp_tidset_add(struct ilp_tidcount *set, size_t *n, uint64_t *more, int tid)
{
	ilp_tidset_add_n(set, n, more, tid, 1);
}

void ilp_tidset_add_n(struct ilp_tidcount *set, size_t *n, uint64_t *more, int tid, uint64_t count)
{
	size_t i;

	for (i = 0; i < *n && set[i].tid != tid; i++)
		;
	if (i == *n) {
		if (*n == ILP_SET_MAX) {
			(*more) += count;
			return;
		}
		set[i].tid = tid;
		set[i].n = 0;
		(*n)++;
	}
	set[i].n += count;
	/* keep count desc, ties by tid asc */
	while (i > 0 && (set[i - 1].n < set[i].n ||
			 (set[i - 1].n == set[i].n && set[i - 1].tid > set[i].tid))) {
		struct ilp_tidcount tmp = set[i - 1];

		set[i - 1] = set[i];
		set[i] = tmp;
		i--;
	}
}

/* ---- records ---- */

static int nr_or(const char *name, int fallback)
{
	int nr = ilp_syscall_nr(name);

	return nr >= 0 ? nr : fallback;
}

struct ilp_wait *ilp_wait_new(void)
{
	struct ilp_wait *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->slow_ns = ILP_SLOW_DEFAULT_NS;
	w->nr_futex = nr_or("futex", -1);
	w->nr_futex_waitv = nr_or("futex_waitv", -1);
#if defined(__x86_64__) || defined(__aarch64__)
	/* futex2 calls (Linux 6.7) newer than some libc headers: generic numbers */
	w->nr_futex_wake = nr_or("futex_wake", 454);
	w->nr_futex_wait = nr_or("futex_wait", 455);
#else
	w->nr_futex_wake = nr_or("futex_wake", -1);
	w->nr_futex_wait = nr_or("futex_wait", -1);
#endif
	w->nr_nanosleep = nr_or("nanosleep", -1);
	w->nr_clock_nanosleep = nr_or("clock_nanosleep", -1);
	w->nr_wait4 = nr_or("wait4", -1);
	w->nr_waitid = nr_or("waitid", -1);
	w->blk = ilp_blk_new();
	if (!w->blk) {
		free(w);
		return NULL;
	}
	return w;
}

static void wproc_free(struct ilp_wproc *wp)
{
	ilp_sched_release(wp);
	ilp_lock_release(wp);
	ilp_ksleep_release(wp);
	ilp_blk_stats_release(&wp->blk);
	ilp_blk_stats_release(&wp->wb);
	free(wp);
}

void ilp_wait_free(struct ilp_wait *w)
{
	size_t i;

	if (!w)
		return;
	for (i = 0; i < w->nprocs; i++)
		wproc_free(w->procs[i]);
	for (i = 0; i < w->nthreads; i++)
		free(w->threads[i]);
	free(w->procs);
	free(w->threads);
	ilp_blk_free(w->blk);
	ilp_ksleeps_free(w->ks);
	free(w);
}

struct ilp_wthread *ilp_wthread_of(struct ilp_wait *w, const struct ilp_wtask *t)
{
	struct ilp_wthread *wt;

	if (*t->wt)
		return *t->wt;
	if (ilp_wgrow((void **)&w->threads, &w->tcap, w->nthreads + 1, sizeof(*w->threads)))
		return NULL;
	wt = calloc(1, sizeof(*wt));
	if (!wt)
		return NULL;
	wt->tid = t->tid;
	w->threads[w->nthreads++] = wt;
	*t->wt = wt;
	return wt;
}

struct ilp_wproc *ilp_wproc_of(struct ilp_wait *w, const struct ilp_wtask *t)
{
	struct ilp_wproc *wp;

	if (*t->wp)
		return *t->wp;
	if (ilp_wgrow((void **)&w->procs, &w->pcap, w->nprocs + 1, sizeof(*w->procs)))
		return NULL;
	wp = calloc(1, sizeof(*wp));
	if (!wp)
		return NULL;
	wp->pid = t->pid;
	wp->comm = t->comm;
	w->procs[w->nprocs++] = wp;
	*t->wp = wp;
	return wp;
}

/* ---- hooks ---- */

int ilp_wait_call_done(struct ilp_wait *w, const struct ilp_wtask *t, const struct ilp_event *ev)
{
	struct ilp_wthread *wt = *t->wt;
	int nr = t->nr, err;

	if (!t->in_call)
		return 0;
	err = ilp_sched_call_done(w, t, wt, ev);
	if (nr == w->nr_futex || nr == w->nr_futex_waitv || nr == w->nr_futex_wait ||
	    nr == w->nr_futex_wake) {
		int e = ilp_lock_call_done(w, t, wt, ev);

		if (!err)
			err = e;
	}
	return err;
}

int ilp_wait_index(struct ilp_wait *w)
{
	int err = 0;
	size_t i;

	if (ilp_ksleep_resolve(w))
		err = -ENOMEM;
	for (i = 0; i < w->nprocs; i++) {
		if (ilp_sched_index(w, w->procs[i]))
			err = -ENOMEM;
		if (ilp_ksleep_index(w, w->procs[i]))
			err = -ENOMEM;
		ilp_lock_index(w->procs[i]);
	}
	if (ilp_blk_index(w->blk))
		err = -ENOMEM;
	return err;
}

int ilp_wait_name(struct ilp_wait *w, ilp_namer_fn fn, void *ctx)
{
	int err = 0, n;
	size_t i;

	if (!w->unnamed)
		return 0;
	/* each pass returns how many objects asked to be asked again */
	w->unnamed = 0;
	n = ilp_blk_name(w->blk, fn, ctx);
	if (n < 0)
		err = n;
	else
		w->unnamed += (uint64_t)n;
	for (i = 0; i < w->nprocs; i++) {
		n = ilp_lock_name(w->procs[i], fn, ctx);
		if (n < 0)
			err = n;
		else
			w->unnamed += (uint64_t)n;
	}
	n = ilp_ksleep_name(w, fn, ctx);
	if (n < 0)
		err = n;
	else
		w->unnamed += (uint64_t)n;
	return err;
}

void ilp_wait_reset(struct ilp_wait *w)
{
	size_t i;

	for (i = 0; i < w->nprocs; i++) {
		struct ilp_wproc *wp = w->procs[i];

		ilp_sched_reset(wp);
		ilp_lock_reset(wp);
		ilp_ksleep_reset(wp);
		ilp_blk_stats_release(&wp->blk);
		memset(&wp->blk, 0, sizeof(wp->blk));
		wp->has_blk = 0;
		ilp_blk_stats_release(&wp->wb);
		memset(&wp->wb, 0, sizeof(wp->wb));
		wp->has_wb = 0;
	}
	ilp_blk_reset(w->blk);
}

void ilp_wait_gap(struct ilp_wait *w)
{
	size_t i;

	for (i = 0; i < w->nthreads; i++) {
		struct ilp_wthread *wt = w->threads[i];

		wt->off_ts = wt->wake_ts = 0;
		wt->acc_enter_ts = 0;
		memset(wt->acc_off, 0, sizeof(wt->acc_off));
		wt->waker_tid = 0;
		wt->waker_enter_ts = 0;
		wt->kl_pending = 0;
		wt->blk_enter_ts = 0;
	}
}

void ilp_wait_forget_thread(struct ilp_wait *w, struct ilp_wthread *wt)
{
	size_t i;

	if (!wt)
		return;
	for (i = 0; i < w->nthreads; i++) {
		if (w->threads[i] != wt)
			continue;
		w->threads[i] = w->threads[--w->nthreads];
		break;
	}
	free(wt);
}

void ilp_wait_forget_proc(struct ilp_wait *w, struct ilp_wproc *wp)
{
	size_t i;

	if (!wp)
		return;
	ilp_blk_forget_proc(w->blk, wp);
	for (i = 0; i < w->nprocs; i++) {
		if (w->procs[i] != wp)
			continue;
		/* the order is the index's to make: kept as it was */
		memmove(&w->procs[i], &w->procs[i + 1], (w->nprocs - i - 1) * sizeof(*w->procs));
		w->nprocs--;
		break;
	}
	wproc_free(wp);
}

void ilp_wait_set_slow(struct ilp_wait *w, uint64_t ns)
{
	w->slow_ns = ns;
}

uint64_t ilp_wait_slow(const struct ilp_wait *w)
{
	return w->slow_ns;
}
