// SPDX-License-Identifier: MIT
/*
 * Hot locks: a lock whose contended waits take a large share of the
 * capture's wall time.
 *
 * User locks (futex addresses, include/waitmodel.h): a lock of a mutex
 * kind (FUTEX_WAIT: glibc's mutex slow path; LOCK_PI) fires when its
 * sleeps (waits woken + timeouts) >= th->lock_min and their wait time is
 * >= th->lock_pct % of the wall time or >= th->lock_ns.  Condition
 * variables, semaphores and joins (FUTEX_WAIT_BITSET, WAIT_REQUEUE_PI,
 * futex_waitv) are waits for an event: an idle worker pool waits on its
 * condvar all day, which is not contention; they stay in the Locks table.
 *
 * Kernel locks (lock:contention_begin/end): the same thresholds on the
 * contended waits of one kernel lock by the process's threads.
 *
 * Saving: the waits' wall share (what shortening or sharding the critical
 * section can remove at most; waits of several threads at once count
 * once, as wall time).  A kernel lock's waits count only inside syscalls
 * (the model carves them out of those calls); one in a page fault has no
 * share.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "analyze.h"
#include "fmt.h"
#include "waitmodel.h"

static int mutex_kind(int kind)
{
	return kind == ILP_ULOCK_WAIT || kind == ILP_ULOCK_PI;
}

/* waits >= lock_min and (time >= lock_pct % of wall or time >= lock_ns) */
static int hot(const struct ilp_analysis *a, uint64_t waits, uint64_t ns)
{
	const struct ilp_thresholds *th = a->th;

	if (waits < th->lock_min || !waits)
		return 0;
	if (ns >= th->lock_ns)
		return 1;
	return a->wall_ns &&
	       (unsigned __int128)ns * 100 >= (unsigned __int128)th->lock_pct * a->wall_ns;
}

int ilp_hotlock_ulock_fires(const struct ilp_analysis *a, const struct ilp_ulock *l)
{
	return l && mutex_kind(l->kind) && hot(a, l->waits + l->timeouts, l->wait_ns + l->timeout_ns);
}

/* "12643 x68, 12641 x62" (+ "and N more") */
static void tids(char *buf, size_t size, const struct ilp_tidcount *v, size_t n, uint64_t more)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < n && len < size; i++) {
		int k = snprintf(buf + len, size - len, "%s%d x%" PRIu64, i ? ", " : "", v[i].tid,
				 v[i].n);

		if (k < 0)
			return;
		len += (size_t)k;
	}
	if (!n && size > 1)
		snprintf(buf, size, "none seen");
	if (more && len < size)
		snprintf(buf + len, size - len, " and %" PRIu64 " more", more);
}

static void why(char *buf, size_t size, const struct ilp_analysis *a, uint64_t waits, uint64_t ns)
{
	const struct ilp_thresholds *th = a->th;
	char t[ILP_FMT_TIME_LEN], lim[ILP_FMT_TIME_LEN];
	uint64_t pm = ilp_share_pm(ns, a->wall_ns);

	ilp_fmt_time(t, sizeof(t), ns);
	ilp_fmt_time(lim, sizeof(lim), th->lock_ns);
	if (ns >= th->lock_ns)
		snprintf(buf, size, "%" PRIu64 " waits >= %" PRIu64 " (--lock-min) and %s waiting >= %s (--lock-ms)",
			 waits, th->lock_min, t, lim);
	else
		snprintf(buf, size, "%" PRIu64 " waits >= %" PRIu64 " (--lock-min) and %s waiting = %" PRIu64
			 ".%" PRIu64 "%% of wall time >= %" PRIu64 "%% (--lock-pct)",
			 waits, th->lock_min, t, pm / 10, pm % 10, th->lock_pct);
}

static int user_lock(const struct ilp_analysis *a, const struct ilp_proc *p,
		     const struct ilp_ulock *l, struct ilp_findings *out)
{
	uint64_t waits = l->waits + l->timeouts, ns = l->wait_ns + l->timeout_ns, pm;
	char t[ILP_FMT_TIME_LEN], mx[ILP_FMT_TIME_LEN], w[160], h[160];
	struct ilp_finding *f;
	struct ilp_claim cl = { 0 };

	f = ilp_finding_add(out, "hotlock", "hot lock", p);
	if (!f || ilp_claim_ulock(a, &cl, p, l, waits, l->sleep_share))
		return -ENOMEM;
	f->tid = l->nwaiters == 1 && !l->waiters_more ? l->waiters[0].tid : 0;
	if (l->name)
		snprintf(f->object, sizeof(f->object), "futex %s", l->name);
	else
		snprintf(f->object, sizeof(f->object), "futex 0x%" PRIx64, l->uaddr);
	f->count = waits;
	f->time_ns = ns;
	f->threshold = a->th->lock_min;
	f->saving_ns = cl.share_ns;
	f->saving_calls = cl.calls;
	ilp_fmt_time(t, sizeof(t), ns);
	ilp_fmt_time(mx, sizeof(mx), l->max_ns);
	pm = ilp_share_pm(ns, a->wall_ns);
	snprintf(f->what, sizeof(f->what), "%s %s (%s, 0x%" PRIx64 "): %" PRIu64 " contended waits",
		 l->name ? "lock" : "lock at", l->name ? l->name : "futex",
		 ilp_ulock_kind_name(l->kind), l->uaddr, waits);
	tids(w, sizeof(w), l->waiters, l->nwaiters, l->waiters_more);
	if (l->nwakers)
		tids(h, sizeof(h), l->wakers, l->nwakers, l->wakers_more);
	else
		tids(h, sizeof(h), l->wakecallers, l->nwakecallers, l->wakecallers_more);
	snprintf(f->evidence, sizeof(f->evidence),
		 "%s waiting (%" PRIu64 ".%" PRIu64 "%% of wall time), max %s; waiters (tid x waits): %s;"
		 " woken by (the holders): %s", t, pm / 10, pm % 10, mx, w, h);
	why(f->why, sizeof(f->why), a, waits, ns);
	snprintf(f->fix, sizeof(f->fix),
		 "shorten the critical section (no I/O or sleeps under the lock), shard the lock"
		 " (one per bucket or per thread, batch updates per thread), or use a"
		 " reader-writer lock where reads dominate");
	return 0;
}

static int kernel_lock(const struct ilp_analysis *a, const struct ilp_proc *p,
		       const struct ilp_klock *k, struct ilp_findings *out)
{
	char t[ILP_FMT_TIME_LEN], mx[ILP_FMT_TIME_LEN], w[160];
	struct ilp_finding *f;
	struct ilp_claim cl = { 0 };
	uint64_t pm;

	f = ilp_finding_add(out, "hotlock", "kernel lock", p);
	if (!f || ilp_claim_klock(a, &cl, p, k, k->wait_share))
		return -ENOMEM;
	f->tid = k->nwaiters == 1 && !k->waiters_more ? k->waiters[0].tid : 0;
	if (k->name)
		snprintf(f->object, sizeof(f->object), "kernel %s %s", ilp_klock_type(k->flags), k->name);
	else
		snprintf(f->object, sizeof(f->object), "kernel %s 0x%" PRIx64,
			 ilp_klock_type(k->flags), k->addr);
	f->count = k->waits;
	f->time_ns = k->wait_ns;
	f->threshold = a->th->lock_min;
	f->saving_ns = cl.share_ns;
	ilp_fmt_time(t, sizeof(t), k->wait_ns);
	ilp_fmt_time(mx, sizeof(mx), k->max_ns);
	pm = ilp_share_pm(k->wait_ns, a->wall_ns);
	snprintf(f->what, sizeof(f->what), "%" PRIu64 " contended waits on %s", k->waits, f->object);
	tids(w, sizeof(w), k->waiters, k->nwaiters, k->waiters_more);
	snprintf(f->evidence, sizeof(f->evidence),
		 "%s waiting (%" PRIu64 ".%" PRIu64 "%% of wall time), max %s; waiters (tid x waits): %s",
		 t, pm / 10, pm % 10, mx, w);
	why(f->why, sizeof(f->why), a, k->waits, k->wait_ns);
	snprintf(f->fix, sizeof(f->fix),
		 "the threads make concurrent calls that take one kernel lock (mmap/munmap and"
		 " page faults: mmap_lock; writes to one file: its inode lock): spread them over"
		 " several objects, batch them, or make fewer of them");
	return 0;
}

int ilp_detect_hotlock(const struct ilp_analysis *a, const struct ilp_proc *p,
		       struct ilp_findings *out)
{
	const struct ilp_wproc *w = ilp_proc_wait(p);
	size_t i;
	int err;

	for (i = 0; i < ilp_wproc_nulocks(w); i++) {
		const struct ilp_ulock *l = ilp_wproc_ulock(w, i);

		if (!ilp_hotlock_ulock_fires(a, l))
			continue;
		err = user_lock(a, p, l, out);
		if (err)
			return err;
	}
	for (i = 0; i < ilp_wproc_nklocks(w); i++) {
		const struct ilp_klock *k = ilp_wproc_klock(w, i);

		if (!hot(a, k->waits, k->wait_ns))
			continue;
		err = kernel_lock(a, p, k, out);
		if (err)
			return err;
	}
	return 0;
}
