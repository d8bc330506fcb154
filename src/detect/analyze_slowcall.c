// SPDX-License-Identifier: MIT
/*
 * Slow calls: single calls at or above the --slow threshold (the wait model
 * keeps them, include/waitmodel.h), grouped per (thread, syscall, object):
 * count, max, total, and the on/off-CPU split (S: waiting for an event, D:
 * uninterruptible, usually disk).
 *
 * Fires on every group with at least one slow call, except the calls that
 * are waits by design or that another detector already reports:
 *   - timers (nanosleep, clock_nanosleep): the sleep was asked for;
 *   - child waits (wait4, waitid): the time is the child's, profiled as its
 *     own process;
 *   - poll, select, epoll_wait and accept: an event loop or a server idling
 *     until there is work;
 *   - futex waits on a cond/sem address (a join, a condvar waiting for
 *     work), and on a lock that is a [hot lock];
 *   - sync calls (fsync, fdatasync, sync_file_range) on an object with an
 *     [fsync storm] finding;
 *   - reads on the object an [N+1] finding blocks on.
 * A read on a pipe or socket names who it waits for (peers.c): "waiting
 * for pid 812 (pyenv), which holds the write end".
 *
 * Saving ("up to"): the group's calls' wall share, what taking them off
 * the thread's critical path (async I/O, a timeout, a worker) removes,
 * from the cells the calls were counted in (ledger.c): a call an earlier
 * finding took brings nothing.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "analyze.h"
#include "fdmodel.h"
#include "fmt.h"
#include "syscalls.h"
#include "waitmodel.h"

static int same_group(const struct ilp_slow_call *x, const struct ilp_slow_call *y)
{
	return x->tid == y->tid && x->nr == y->nr && x->okind == y->okind && x->obj == y->obj &&
	       x->fobj == y->fobj;
}

/* at or above --slow (0: none is): the model keeps the calls at or above
 * its own threshold, which the session sets to this one, but a model may
 * have been set lower */
static int is_slow(const struct ilp_slow_call *sc, uint64_t slow)
{
	return slow && sc->wall_ns >= slow;
}

/* an earlier finding of kind on the same process and object */
static int reported(const struct ilp_findings *out, size_t from, const char *kind,
		    const char *object)
{
	size_t i;

	for (i = from; i < out->n; i++)
		if (!strcmp(out->v[i].kind, kind) && !strcmp(out->v[i].object, object))
			return 1;
	return 0;
}

/* 1 if the call is left to another detector or is a wait by design */
static int skipped(const struct ilp_analysis *a, const struct ilp_wproc *w,
		   const struct ilp_slow_call *sc, const struct ilp_findings *out, size_t from,
		   const char *object)
{
	unsigned cls = ilp_syscall_class(sc->nr);
	const char *name = ilp_syscall_name(sc->nr);

	switch (sc->okind) {
	case ILP_WOBJ_TIMER:
	case ILP_WOBJ_CHILD:
		return 1;
	case ILP_WOBJ_FUTEX: {
		const struct ilp_ulock *l = ilp_wproc_find_ulock(w, sc->obj);

		return !l || (l->kind != ILP_ULOCK_WAIT && l->kind != ILP_ULOCK_PI) ||
		       ilp_hotlock_ulock_fires(a, l);
	}
	default:
		break;
	}
	if (cls & ILP_SC_WAIT)
		return 1;
	if (!strcmp(name, "accept") || !strcmp(name, "accept4"))
		return 1;
	if ((cls & ILP_SC_SYNC) && sc->fobj && reported(out, from, "fsync", object))
		return 1;
	if ((cls & ILP_SC_READ) && sc->fobj && ilp_nplus1_obj_fires(a, sc->fobj))
		return 1;
	return 0;
}

/* one slow call's time, from the cell the model counted it in */
static int claim_call(const struct ilp_analysis *a, const struct ilp_proc *p,
		      const struct ilp_wproc *w, const struct ilp_slow_call *sc,
		      struct ilp_claim *cl)
{
	const struct ilp_ulock *l;

	if (sc->okind == ILP_WOBJ_FUTEX && (l = ilp_wproc_find_ulock(w, sc->obj)))
		return ilp_claim_ulock(a, cl, p, l, 1, sc->share_ns);
	if (sc->cobj)
		return ilp_claim_io(a, cl, sc->cobj, ilp_io_cat(ilp_syscall_class(sc->nr)), 1,
				    sc->share_ns);
	return ilp_claim_rest(a, cl, p, 1, sc->share_ns);
}

static void object_name(const struct ilp_wproc *w, const struct ilp_slow_call *sc, char *buf,
			size_t size)
{
	const struct ilp_ulock *l;

	switch (sc->okind) {
	case ILP_WOBJ_FD:
		if (sc->fobj)
			ilp_fdobj_format(sc->fobj, buf, size);
		else
			snprintf(buf, size, "fd %d (unresolved)", (int)sc->obj);
		return;
	case ILP_WOBJ_FUTEX:
		l = ilp_wproc_find_ulock(w, sc->obj);
		if (l && l->name)
			snprintf(buf, size, "futex %s", l->name);
		else
			snprintf(buf, size, "futex 0x%" PRIx64, sc->obj);
		return;
	default:
		snprintf(buf, size, "-");
		return;
	}
}

static const char *fix_text(const struct ilp_slow_call *sc, unsigned type, uint64_t s_ns,
			    uint64_t d_ns)
{
	unsigned cls = ilp_syscall_class(sc->nr);

	type &= ILP_OBJ_TYPE_MASK;
	if (sc->okind == ILP_WOBJ_FUTEX)
		return "a lock held long by another thread: see Locks (user) for who woke the"
		       " waiter (the holder) and shorten what it does under the lock";
	if (d_ns > s_ns && d_ns)
		return (cls & ILP_SC_SYNC) ?
		       "the disk is slow to flush here: sync less often (group commits), or"
		       " move the sync off the request path" :
		       "the disk is slow here: use async I/O (io_uring, a writer thread),"
		       " read ahead, or move the call off the request path";
	if (type == ILP_OBJ_PIPE || type == ILP_OBJ_TCP || type == ILP_OBJ_UDP ||
	    type == ILP_OBJ_UNIX || type == ILP_OBJ_SOCKET)
		return "waiting for the peer: the other end is slow to answer; add a timeout,"
		       " or do the call off the hot path (a worker, non-blocking I/O)";
	return "a single call blocked this long: do it off the hot path (a worker thread,"
	       " async I/O) or bound it with a timeout";
}

int ilp_detect_slowcall(const struct ilp_analysis *a, const struct ilp_proc *p,
			struct ilp_findings *out)
{
	const struct ilp_wproc *w = ilp_proc_wait(p);
	uint64_t slow = a->th->slow_ns;
	size_t i, j, n = ilp_wproc_nslow(w), from = out->n;
	char object[ILP_FINDING_OBJ], peer[ILP_FINDING_OBJ + 96];

	/* this process's earlier findings start where its first one was added */
	while (from > 0 && out->v[from - 1].pid == ilp_proc_pid(p))
		from--;
	for (i = 0; i < n; i++) {
		const struct ilp_slow_call *sc = ilp_wproc_slow(w, i), *y;
		uint64_t calls = 0, total = 0, max = 0, off[ILP_OFF_NSTATES] = { 0 }, on, pm;
		char t[ILP_FMT_TIME_LEN], mx[ILP_FMT_TIME_LEN], ts[ILP_FMT_TIME_LEN],
		     tsd[ILP_FMT_TIME_LEN], ton[ILP_FMT_TIME_LEN], lim[ILP_FMT_TIME_LEN];
		char dev[48] = "";
		struct ilp_finding *f;
		struct ilp_claim cl = { 0 };
		int k;

		if (!is_slow(sc, slow))
			continue;
		for (j = 0; j < i; j++)
			if (is_slow(ilp_wproc_slow(w, j), slow) && same_group(ilp_wproc_slow(w, j), sc))
				break;
		if (j < i)
			continue;	/* counted with its group's first call */
		object_name(w, sc, object, sizeof(object));
		if (skipped(a, w, sc, out, from, object))
			continue;
		for (j = i; j < n; j++) {
			y = ilp_wproc_slow(w, j);
			if (!is_slow(y, slow) || !same_group(y, sc))
				continue;
			if (claim_call(a, p, w, y, &cl))
				return -ENOMEM;
			calls++;
			total += y->wall_ns;
			if (y->wall_ns > max)
				max = y->wall_ns;
			for (k = 0; k < ILP_OFF_NSTATES; k++)
				off[k] += y->off_ns[k];
		}
		on = total - off[ILP_OFF_S] - off[ILP_OFF_D] - off[ILP_OFF_R];
		f = ilp_finding_add(out, "slowcall", "slow call", p);
		if (!f)
			return -ENOMEM;
		f->tid = sc->tid;
		f->nr = sc->nr;
		f->obj_type = sc->fobj ? ilp_fdobj_type(sc->fobj) : 0;
		snprintf(f->object, sizeof(f->object), "%s", object);
		f->count = calls;
		f->time_ns = total;
		f->threshold = slow;
		f->fobj = sc->fobj;
		f->saving_ns = cl.share_ns;
		f->saving_calls = 0;	/* the fix moves the calls, it removes none */
		ilp_fmt_time(t, sizeof(t), total);
		ilp_fmt_time(mx, sizeof(mx), max);
		ilp_fmt_time(ts, sizeof(ts), off[ILP_OFF_S]);
		ilp_fmt_time(tsd, sizeof(tsd), off[ILP_OFF_D]);
		ilp_fmt_time(ton, sizeof(ton), on);
		ilp_fmt_time(lim, sizeof(lim), slow);
		if (sc->dev) {
			const struct ilp_blkdev *d = ilp_model_find_blkdev(a->m, sc->dev);
			const char *dn = d ? ilp_blkdev_name(d) : NULL;

			if (dn)
				snprintf(dev, sizeof(dev), ", disk %s", dn);
			else
				snprintf(dev, sizeof(dev), ", disk %u:%u", sc->dev >> 20,
					 sc->dev & 0xfffff);
		}
		pm = ilp_share_pm(total, a->wall_ns);
		snprintf(f->what, sizeof(f->what), "%" PRIu64 " %s call%s of %s or more on %s",
			 calls, ilp_syscall_name(sc->nr), calls == 1 ? "" : "s", lim, object);
		if (a->th->no_offcpu)
			snprintf(f->evidence, sizeof(f->evidence),
				 "%s in %s (%" PRIu64 ".%" PRIu64 "%% of wall time), max %s%s"
				 " (on/off-CPU split not available with the ptrace backend)",
				 t, calls == 1 ? "it" : "them", pm / 10, pm % 10, mx, dev);
		else
			snprintf(f->evidence, sizeof(f->evidence),
				 "%s in %s (%" PRIu64 ".%" PRIu64 "%% of wall time), max %s: off-CPU %s"
				 " waiting for an event (S), %s uninterruptible (D)%s, %s on-CPU",
				 t, calls == 1 ? "it" : "them", pm / 10, pm % 10, mx, ts, tsd, dev, ton);
		if ((ilp_syscall_class(sc->nr) & ILP_SC_READ) && sc->fobj &&
		    ilp_peer_describe(a, p, sc->fobj, sc->tid, peer, sizeof(peer))) {
			size_t len = strlen(f->evidence);

			snprintf(f->evidence + len, sizeof(f->evidence) - len, "; %s", peer);
		}
		snprintf(f->why, sizeof(f->why), "%" PRIu64 " call%s >= %s (--slow), the longest %s",
			 calls, calls == 1 ? "" : "s", lim, mx);
		snprintf(f->fix, sizeof(f->fix), "%s",
			 fix_text(sc, f->obj_type, off[ILP_OFF_S], off[ILP_OFF_D]));
	}
	return 0;
}
