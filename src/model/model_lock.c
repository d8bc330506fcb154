// SPDX-License-Identifier: MIT
/*
 * Lock contention: futex waits from the futex syscalls, kernel locks from
 * lock:contention_begin/end.  Pure C, no I/O.
 *
 * Futexes, per (process, uaddr), at the exit of each futex call:
 *   - futex(2): op = args[1] & ~(FUTEX_PRIVATE_FLAG 128 | FUTEX_CLOCK_REALTIME 256);
 *     uaddr = args[0].  futex_wait(2) (futex2: uaddr, val, mask, flags,
 *     timeout, clockid) is a wait, futex_wake(2) a wake; futex_waitv(2)
 *     waits on an array of futexes we cannot read: it is keyed by the
 *     array's address (kind "waitv").
 *   - a wait op returning 0 (or >= 0: futex_waitv's index) slept and was
 *     woken: waits++, its wall time in wait_ns/max/hist, the thread in the
 *     waiters, and the task that emitted sched_waking for it during this
 *     call (if any) in the wakers.  -ETIMEDOUT: timeouts (time counted
 *     apart, in the hist too); -EAGAIN: the value changed before sleeping,
 *     no wait (eagain); other errors (EINTR...): intr.
 *   - a wake op: wake_calls++, woken += ret (> 0), and the caller in the
 *     wake callers when it woke someone (UNLOCK_PI: always).
 *   - every call of the futex family, whatever its op, counts in the
 *     process's futex_calls: the lock table accounts for all of them.
 *   - the kind shown is the one of the wait op used most on the address:
 *     WAIT -> "mutex" (glibc's lowlevellock), WAIT_BITSET -> "cond/sem",
 *     LOCK_PI/LOCK_PI2 -> "pi-mutex", WAIT_REQUEUE_PI -> "cond-pi".
 *   - addresses with no wait attempt (only wakes) are not listed; the
 *     others are ranked by sleeps (waits + timeouts), then wait time: a
 *     lock slept on 1000 times ranks above one pthread_join's long wait.
 * Kernel locks, per (process, lock address): contention_begin opens a wait
 * (a second begin on the same address, e.g. spin then sleep, only adds its
 * flags), contention_end on that address closes it: waits++, time, the
 * thread in the waiters; ret != 0 is counted in errors.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "wait_internal.h"

#define FUTEX_CMD_MASK (~(uint64_t)(128 | 256))
#define ERR_AGAIN 11
#define ERR_TIMEDOUT 110

struct ulock {
	struct ilp_ulock pub;
	uint64_t kinds[ILP_ULOCK_NKINDS];
	int named;			/* 1 named (or given up) */
};

struct klock {
	struct ilp_klock pub;
	int named;
};

int ilp_futex_op_class(uint64_t op, int *kind)
{
	int k = ILP_ULOCK_WAIT, cls;

	switch (op & FUTEX_CMD_MASK) {
	case 0:		/* FUTEX_WAIT */
		cls = ILP_FUTEX_WAIT;
		break;
	case 9:		/* FUTEX_WAIT_BITSET */
		cls = ILP_FUTEX_WAIT;
		k = ILP_ULOCK_COND;
		break;
	case 6:		/* FUTEX_LOCK_PI */
	case 13:	/* FUTEX_LOCK_PI2 */
		cls = ILP_FUTEX_WAIT;
		k = ILP_ULOCK_PI;
		break;
	case 11:	/* FUTEX_WAIT_REQUEUE_PI */
		cls = ILP_FUTEX_WAIT;
		k = ILP_ULOCK_REQUEUE_PI;
		break;
	case 1:		/* FUTEX_WAKE */
	case 10:	/* FUTEX_WAKE_BITSET */
	case 5:		/* FUTEX_WAKE_OP */
	case 3:		/* FUTEX_REQUEUE */
	case 4:		/* FUTEX_CMP_REQUEUE */
	case 12:	/* FUTEX_CMP_REQUEUE_PI */
		cls = ILP_FUTEX_WAKE;
		break;
	case 7:		/* FUTEX_UNLOCK_PI */
		cls = ILP_FUTEX_WAKE;
		k = ILP_ULOCK_PI;
		break;
	default:	/* TRYLOCK_PI 8, FD 2... */
		cls = ILP_FUTEX_OTHER;
		break;
	}
	if (kind)
		*kind = k;
	return cls;
}

const char *ilp_ulock_kind_name(int kind)
{
	static const char *const names[ILP_ULOCK_NKINDS] = {
		[ILP_ULOCK_WAIT] = "mutex",
		[ILP_ULOCK_COND] = "cond/sem",
		[ILP_ULOCK_PI] = "pi-mutex",
		[ILP_ULOCK_REQUEUE_PI] = "cond-pi",
		[ILP_ULOCK_WAITV] = "waitv",
	};

	return kind >= 0 && kind < ILP_ULOCK_NKINDS ? names[kind] : "?";
}

const char *ilp_klock_type(uint32_t flags)
{
	/* LCB_F_SPIN 1, READ 2, WRITE 4, RT 8, PERCPU 16, MUTEX 32 */
	if (flags & 32)
		return (flags & 8) ? "rt-mutex" : "mutex";
	if (flags & 16)
		return (flags & 4) ? "percpu-rwsem:write" : "percpu-rwsem:read";
	if (flags & 8)
		return "rt-mutex";
	if (flags & 1) {
		if (flags & 2)
			return "rwlock:read";
		if (flags & 4)
			return "rwlock:write";
		return "spinlock";
	}
	if (flags & 2)
		return "rwsem:read";
	if (flags & 4)
		return "rwsem:write";
	return "lock";
}

static struct ulock *ulock_get(struct ilp_wait *w, struct ilp_wproc *wp, uint64_t uaddr)
{
	struct ulock *l = ilp_idmap_get(&wp->ulock_map, uaddr);

	if (l)
		return l;
	if (ilp_wgrow((void **)&wp->ulocks, &wp->ulocks_cap, wp->nulocks + 1, sizeof(*wp->ulocks)))
		return NULL;
	l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	l->pub.uaddr = uaddr;
	l->pub.hist = ilp_hist_new();
	if (!l->pub.hist || ilp_idmap_put(&wp->ulock_map, uaddr, l)) {
		ilp_hist_free(l->pub.hist);
		free(l);
		return NULL;
	}
	wp->ulocks[wp->nulocks++] = l;
	w->unnamed++;
	return l;
}

int ilp_lock_call_done(struct ilp_wait *w, struct ilp_thread *t, struct ilp_wthread *wt,
		       int nr, uint64_t enter_ts, const uint64_t *args, const struct ilp_event *ev)
{
	uint64_t lat = ev->ts > enter_ts ? ev->ts - enter_ts : 0;
	int kind = ILP_ULOCK_WAIT, cls, tid = ilp_thread_tid(t);
	struct ilp_wproc *wp;
	struct ulock *l;
	int64_t ret = ev->ret;

	if (nr == w->nr_futex)
		cls = ilp_futex_op_class(args[1], &kind);
	else if (nr == w->nr_futex_wake)
		cls = ILP_FUTEX_WAKE;
	else if (nr == w->nr_futex_wait)
		cls = ILP_FUTEX_WAIT;
	else {
		cls = ILP_FUTEX_WAIT;	/* futex_waitv */
		kind = ILP_ULOCK_WAITV;
	}
	wp = ilp_wproc_of(w, ilp_thread_proc_of(t));
	if (!wp)
		return -ENOMEM;
	wp->futex_calls++;
	if (cls == ILP_FUTEX_OTHER)
		return 0;
	l = ulock_get(w, wp, args[0]);
	if (!l)
		return -ENOMEM;
	if (cls == ILP_FUTEX_WAKE) {
		l->pub.wake_calls++;
		if (ret > 0)
			l->pub.woken += (uint64_t)ret;
		if (ret > 0 || kind == ILP_ULOCK_PI)
			ilp_tidset_add(l->pub.wakecallers, &l->pub.nwakecallers,
				       &l->pub.wakecallers_more, tid);
		return 0;
	}
	l->kinds[kind]++;
	if (ret >= 0) {
		l->pub.waits++;
		l->pub.wait_ns += lat;
		if (lat > l->pub.max_ns)
			l->pub.max_ns = lat;
		ilp_hist_record(l->pub.hist, lat);
		ilp_tidset_add(l->pub.waiters, &l->pub.nwaiters, &l->pub.waiters_more, tid);
		if (wt && wt->waker_enter_ts == enter_ts && wt->waker_tid != tid)
			ilp_tidset_add(l->pub.wakers, &l->pub.nwakers, &l->pub.wakers_more,
				       wt->waker_tid);
	} else if (ret == -ERR_TIMEDOUT) {
		l->pub.timeouts++;
		l->pub.timeout_ns += lat;
		ilp_hist_record(l->pub.hist, lat);
	} else if (ret == -ERR_AGAIN) {
		l->pub.eagain++;
	} else {
		l->pub.intr++;
	}
	return 0;
}

static struct klock *klock_get(struct ilp_wait *w, struct ilp_wproc *wp, uint64_t addr)
{
	struct klock *l = ilp_idmap_get(&wp->klock_map, addr);

	if (l)
		return l;
	if (ilp_wgrow((void **)&wp->klocks, &wp->klocks_cap, wp->nklocks + 1, sizeof(*wp->klocks)))
		return NULL;
	l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	l->pub.addr = addr;
	l->pub.hist = ilp_hist_new();
	if (!l->pub.hist || ilp_idmap_put(&wp->klock_map, addr, l)) {
		ilp_hist_free(l->pub.hist);
		free(l);
		return NULL;
	}
	wp->klocks[wp->nklocks++] = l;
	w->unnamed++;
	return l;
}

int ilp_lock_kernel(struct ilp_model *m, const struct ilp_event *ev)
{
	struct ilp_wait *w = ilp_model_wait_state(m);
	struct ilp_thread *t = ilp_model_live_thread(m, ev->tid);
	struct ilp_wthread *wt;
	struct ilp_wproc *wp;
	struct klock *l;
	uint64_t lat;

	if (!t)
		return 0;	/* not a traced task */
	wt = ilp_wthread_of(w, t);
	if (!wt)
		return -ENOMEM;
	if (ev->kind == ILP_EV_LOCK_BEGIN) {
		if (wt->kl_pending && wt->kl_addr == ev->lock.addr) {
			wt->kl_flags |= ev->lock.flags;
			return 0;
		}
		wt->kl_pending = 1;
		wt->kl_addr = ev->lock.addr;
		wt->kl_flags = ev->lock.flags;
		wt->kl_ts = ev->ts;
		return 0;
	}
	if (!wt->kl_pending || wt->kl_addr != ev->lock.addr)
		return 0;	/* began before tracing */
	wt->kl_pending = 0;
	wp = ilp_wproc_of(w, ilp_thread_proc_of(t));
	if (!wp)
		return -ENOMEM;
	l = klock_get(w, wp, ev->lock.addr);
	if (!l)
		return -ENOMEM;
	lat = ev->ts > wt->kl_ts ? ev->ts - wt->kl_ts : 0;
	l->pub.flags |= wt->kl_flags;
	l->pub.waits++;
	l->pub.wait_ns += lat;
	if (lat > l->pub.max_ns)
		l->pub.max_ns = lat;
	if (ev->lock.ret)
		l->pub.errors++;
	ilp_hist_record(l->pub.hist, lat);
	ilp_tidset_add(l->pub.waiters, &l->pub.nwaiters, &l->pub.waiters_more, ilp_thread_tid(t));
	return 0;
}

static int ulock_visible(const struct ulock *l)
{
	return l->pub.waits || l->pub.timeouts || l->pub.eagain || l->pub.intr;
}

static int ulock_cmp(const void *a, const void *b)
{
	const struct ulock *x = *(const struct ulock *const *)a;
	const struct ulock *y = *(const struct ulock *const *)b;
	uint64_t tx = x->pub.wait_ns + x->pub.timeout_ns, ty = y->pub.wait_ns + y->pub.timeout_ns;

	if (ulock_visible(x) != ulock_visible(y))
		return ulock_visible(y) - ulock_visible(x);
	if (x->pub.waits + x->pub.timeouts != y->pub.waits + y->pub.timeouts)
		return x->pub.waits + x->pub.timeouts > y->pub.waits + y->pub.timeouts ? -1 : 1;
	if (tx != ty)
		return tx > ty ? -1 : 1;
	return (x->pub.uaddr > y->pub.uaddr) - (x->pub.uaddr < y->pub.uaddr);
}

static int klock_cmp(const void *a, const void *b)
{
	const struct klock *x = *(const struct klock *const *)a;
	const struct klock *y = *(const struct klock *const *)b;

	if (x->pub.wait_ns != y->pub.wait_ns)
		return x->pub.wait_ns > y->pub.wait_ns ? -1 : 1;
	return (x->pub.addr > y->pub.addr) - (x->pub.addr < y->pub.addr);
}

void ilp_lock_index(struct ilp_wproc *wp)
{
	size_t i;
	int k;

	for (i = 0; i < wp->nulocks; i++) {
		struct ulock *l = wp->ulocks[i];
		int best = ILP_ULOCK_WAIT;

		for (k = 0; k < ILP_ULOCK_NKINDS; k++)
			if (l->kinds[k] > l->kinds[best])
				best = k;
		l->pub.kind = best;
	}
	if (wp->nulocks > 1)
		qsort(wp->ulocks, wp->nulocks, sizeof(*wp->ulocks), ulock_cmp);
	for (i = 0; i < wp->nulocks && ulock_visible(wp->ulocks[i]); i++)
		;
	wp->nulocks_view = i;
	if (wp->nklocks > 1)
		qsort(wp->klocks, wp->nklocks, sizeof(*wp->klocks), klock_cmp);
}

void ilp_lock_release(struct ilp_wproc *wp)
{
	size_t i;

	for (i = 0; i < wp->nulocks; i++) {
		ilp_hist_free(wp->ulocks[i]->pub.hist);
		free((char *)wp->ulocks[i]->pub.name);
		free(wp->ulocks[i]);
	}
	free(wp->ulocks);
	ilp_idmap_release(&wp->ulock_map);
	for (i = 0; i < wp->nklocks; i++) {
		ilp_hist_free(wp->klocks[i]->pub.hist);
		free((char *)wp->klocks[i]->pub.name);
		free(wp->klocks[i]);
	}
	free(wp->klocks);
	ilp_idmap_release(&wp->klock_map);
}

/* one naming attempt: 1 ask again later, 0 done, -ENOMEM */
static int name_one(ilp_namer_fn fn, void *ctx, int kind, int pid, uint64_t key,
		    const char **name, int *named)
{
	char buf[256];
	int r;

	if (*named)
		return 0;
	r = fn(ctx, kind, pid, key, buf, sizeof(buf));
	if (r == -EAGAIN)
		return 1;
	*named = 1;
	if (r == 0 && buf[0]) {
		*name = strdup(buf);
		if (!*name)
			return -ENOMEM;
	}
	return 0;
}

int ilp_lock_name(struct ilp_wproc *wp, ilp_namer_fn fn, void *ctx)
{
	int again = 0, r;
	size_t i;

	for (i = 0; i < wp->nulocks; i++) {
		struct ulock *l = wp->ulocks[i];

		r = name_one(fn, ctx, ILP_NAME_ULOCK, wp->pid, l->pub.uaddr, &l->pub.name, &l->named);
		if (r < 0)
			return r;
		again += r;
	}
	for (i = 0; i < wp->nklocks; i++) {
		struct klock *l = wp->klocks[i];

		r = name_one(fn, ctx, ILP_NAME_KLOCK, 0, l->pub.addr, &l->pub.name, &l->named);
		if (r < 0)
			return r;
		again += r;
	}
	return again;
}

size_t ilp_wproc_nulocks(const struct ilp_wproc *w)
{
	return w ? w->nulocks_view : 0;
}

const struct ilp_ulock *ilp_wproc_ulock(const struct ilp_wproc *w, size_t i)
{
	return w && i < w->nulocks_view ? &w->ulocks[i]->pub : NULL;
}

size_t ilp_wproc_nklocks(const struct ilp_wproc *w)
{
	return w ? w->nklocks : 0;
}

const struct ilp_klock *ilp_wproc_klock(const struct ilp_wproc *w, size_t i)
{
	return w && i < w->nklocks ? &w->klocks[i]->pub : NULL;
}

uint64_t ilp_wproc_futex_calls(const struct ilp_wproc *w)
{
	return w ? w->futex_calls : 0;
}

const struct ilp_ulock *ilp_wproc_find_ulock(const struct ilp_wproc *w, uint64_t uaddr)
{
	const struct ulock *l = w ? ilp_idmap_peek(&w->ulock_map, uaddr) : NULL;

	return l ? &l->pub : NULL;
}
