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
 *     LOCK_PI/LOCK_PI2 -> "pi-mutex", WAIT_REQUEUE_PI -> "cond-pi".  A
 *     WAIT (or futex_wait(2)) while the word reads 0 is "cond/sem": no
 *     lock reads 0 while held (glibc, musl, Rust and Go's runtime locks
 *     all mean "free" by it), an event does (Go's notes park its threads
 *     so: a goroutine waiting is not lock contention).
 *   - addresses with no wait attempt (only wakes) are not listed; the
 *     others are ranked by sleeps (waits + timeouts), then wait time: a
 *     lock slept on 1000 times ranks above one pthread_join's long wait.
 * Caps, per process: ILP_ULOCK_MAX futex addresses and ILP_KLOCK_MAX
 * kernel lock addresses are kept apart.  A new futex address when the
 * table is full first lets go of the addresses that never slept (only
 * wakes, EAGAIN or errors: no wait time to show), all at once when they
 * are a quarter of the table or more, their counts moved into the
 * process's ulock_more; if the table stays full the new address's calls go
 * to ulock_more too.  Kernel locks past the cap go to klock_more.  So the
 * counts of all records add up to every call, and memory stays bounded
 * whatever addresses a tracee uses.
 * Kernel locks, per (process, lock address): contention_begin opens a wait
 * (a second begin on the same address, e.g. spin then sleep, only adds its
 * flags), contention_end on that address closes it: waits++, time, the
 * thread in the waiters; ret != 0 is counted in errors.
 */
#include <errno.h>
#include <stddef.h>
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

int ilp_futex_call_class(const uint64_t *args, int *kind)
{
	int k, cls = ilp_futex_op_class(args[1], &k);

	if (k == ILP_ULOCK_WAIT && cls == ILP_FUTEX_WAIT && !(uint32_t)args[2])
		k = ILP_ULOCK_COND;	/* asleep while the word reads 0 */
	if (kind)
		*kind = k;
	return cls;
}

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

/* a zeroed lock record of size bytes with its histogram (the member at
 * hist_off) allocated, NULL on ENOMEM */
static void *rec_new(size_t size, size_t hist_off)
{
	char *r = calloc(1, size);
	struct ilp_hist *h = r ? ilp_hist_new() : NULL;

	if (!h) {
		free(r);
		return NULL;
	}
	memcpy(r + hist_off, &h, sizeof(h));
	return r;
}

static void rec_free(void *r, struct ilp_hist *hist, const char *name)
{
	ilp_hist_free(hist);
	free((char *)name);
	free(r);
}

static struct ulock *ulock_new(uint64_t uaddr)
{
	struct ulock *l = rec_new(sizeof(*l), offsetof(struct ulock, pub.hist));

	if (l)
		l->pub.uaddr = uaddr;
	return l;
}

static void ulock_free(struct ulock *l)
{
	if (l)
		rec_free(l, l->pub.hist, l->pub.name);
}

static void tidset_merge(struct ilp_tidcount *dst, size_t *n, uint64_t *more,
			 const struct ilp_tidcount *src, size_t sn, uint64_t smore)
{
	size_t i;

	for (i = 0; i < sn; i++)
		ilp_tidset_add_n(dst, n, more, src[i].tid, src[i].n);
	*more += smore;
}

/* adds src's counts to dst (the "more" record): 0 or -ENOMEM */
static int ulock_fold(struct ulock *dst, const struct ulock *src)
{
	struct ilp_ulock *d = &dst->pub;
	const struct ilp_ulock *s = &src->pub;
	int k;

	d->waits += s->waits;
	d->wait_ns += s->wait_ns;
	if (s->max_ns > d->max_ns)
		d->max_ns = s->max_ns;
	d->timeouts += s->timeouts;
	d->timeout_ns += s->timeout_ns;
	d->eagain += s->eagain;
	d->intr += s->intr;
	d->wake_calls += s->wake_calls;
	d->woken += s->woken;
	for (k = 0; k < ILP_ULOCK_NKINDS; k++)
		dst->kinds[k] += src->kinds[k];
	tidset_merge(d->waiters, &d->nwaiters, &d->waiters_more, s->waiters, s->nwaiters,
		     s->waiters_more);
	tidset_merge(d->wakers, &d->nwakers, &d->wakers_more, s->wakers, s->nwakers,
		     s->wakers_more);
	tidset_merge(d->wakecallers, &d->nwakecallers, &d->wakecallers_more, s->wakecallers,
		     s->nwakecallers, s->wakecallers_more);
	return ilp_hist_merge(d->hist, s->hist);
}

static int ulock_slept(const struct ulock *l)
{
	return l->pub.waits || l->pub.timeouts;
}

/* the process's ulock_more (created on first need), NULL on ENOMEM */
static struct ulock *ulock_more(struct ilp_wproc *wp)
{
	if (!wp->ulock_more)
		wp->ulock_more = ulock_new(0);
	return wp->ulock_more;
}

/* the table is full: moves every kept address that never slept into
 * ulock_more (when they are a quarter of the table or more).  0 or -ENOMEM */
static int ulock_let_go(struct ilp_wproc *wp)
{
	struct ulock *more;
	size_t i = 0;

	if (wp->nulocks_nosleep < ILP_ULOCK_MAX / 4)
		return 0;
	more = ulock_more(wp);
	if (!more)
		return -ENOMEM;
	while (i < wp->nulocks) {
		struct ulock *l = wp->ulocks[i];

		if (ulock_slept(l)) {
			i++;
			continue;
		}
		if (ulock_fold(more, l) || ilp_idcount_add(&wp->ulock_more_addrs, l->pub.uaddr))
			return -ENOMEM;
		ilp_idmap_del(&wp->ulock_map, l->pub.uaddr);
		ulock_free(l);
		wp->ulocks[i] = wp->ulocks[--wp->nulocks];
		wp->nulocks_nosleep--;
	}
	return 0;
}

static struct ulock *ulock_get(struct ilp_wait *w, struct ilp_wproc *wp, uint64_t uaddr)
{
	struct ulock *l = ilp_idmap_get(&wp->ulock_map, uaddr);

	if (l)
		return l;
	if (wp->nulocks >= ILP_ULOCK_MAX && ulock_let_go(wp))
		return NULL;
	if (wp->nulocks >= ILP_ULOCK_MAX)
		return ilp_idcount_add(&wp->ulock_more_addrs, uaddr) ? NULL : ulock_more(wp);
	if (ilp_wgrow((void **)&wp->ulocks, &wp->ulocks_cap, wp->nulocks + 1, sizeof(*wp->ulocks)))
		return NULL;
	l = ulock_new(uaddr);
	if (!l || ilp_idmap_put(&wp->ulock_map, uaddr, l)) {
		ulock_free(l);
		return NULL;
	}
	wp->ulocks[wp->nulocks++] = l;
	wp->nulocks_nosleep++;
	w->unnamed++;
	return l;
}

int ilp_lock_call_done(struct ilp_wait *w, const struct ilp_wtask *t, struct ilp_wthread *wt,
		       const struct ilp_event *ev)
{
	int nr = t->nr;
	uint64_t enter_ts = t->enter_ts;
	const uint64_t *args = t->args;
	uint64_t lat = ev->ts > enter_ts ? ev->ts - enter_ts : 0;
	int kind = ILP_ULOCK_WAIT, cls, tid = t->tid;
	struct ilp_wproc *wp;
	struct ulock *l;
	int64_t ret = ev->ret;

	if (nr == w->nr_futex) {
		cls = ilp_futex_call_class(args, &kind);
	} else if (nr == w->nr_futex_wake) {
		cls = ILP_FUTEX_WAKE;
	} else if (nr == w->nr_futex_wait) {
		cls = ILP_FUTEX_WAIT;
		if (!args[1])	/* futex_wait(2)'s val */
			kind = ILP_ULOCK_COND;
	} else {
		cls = ILP_FUTEX_WAIT;	/* futex_waitv */
		kind = ILP_ULOCK_WAITV;
	}
	wp = ilp_wproc_of(w, t);
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
	if ((ret >= 0 || ret == -ERR_TIMEDOUT) && !ulock_slept(l) && l != wp->ulock_more)
		wp->nulocks_nosleep--;	/* sleeps now: kept for good */
	if (ret >= 0) {
		l->pub.waits++;
		l->pub.wait_ns += lat;
		l->pub.sleep_share += t->share;
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
		l->pub.sleep_share += t->share;
		ilp_hist_record(l->pub.hist, lat);
	} else if (ret == -ERR_AGAIN) {
		l->pub.eagain++;
	} else {
		l->pub.intr++;
	}
	return 0;
}

static struct klock *klock_new(uint64_t addr)
{
	struct klock *l = rec_new(sizeof(*l), offsetof(struct klock, pub.hist));

	if (l)
		l->pub.addr = addr;
	return l;
}

static void klock_free(struct klock *l)
{
	if (l)
		rec_free(l, l->pub.hist, l->pub.name);
}

static struct klock *klock_get(struct ilp_wait *w, struct ilp_wproc *wp, uint64_t addr)
{
	struct klock *l = ilp_idmap_get(&wp->klock_map, addr);

	if (l)
		return l;
	if (wp->nklocks >= ILP_KLOCK_MAX) {
		if (ilp_idcount_add(&wp->klock_more_addrs, addr))
			return NULL;
		if (!wp->klock_more)
			wp->klock_more = klock_new(0);
		return wp->klock_more;
	}
	if (ilp_wgrow((void **)&wp->klocks, &wp->klocks_cap, wp->nklocks + 1, sizeof(*wp->klocks)))
		return NULL;
	l = klock_new(addr);
	if (!l || ilp_idmap_put(&wp->klock_map, addr, l)) {
		klock_free(l);
		return NULL;
	}
	wp->klocks[wp->nklocks++] = l;
	w->unnamed++;
	return l;
}

int ilp_lock_kernel(struct ilp_wait *w, struct ilp_share_clock *clock, const struct ilp_event *ev,
		    const struct ilp_wtask *t)
{
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
		wt->kl_mark = ilp_share_mark(clock, ev->ts);
		return 0;
	}
	if (!wt->kl_pending || wt->kl_addr != ev->lock.addr)
		return 0;	/* began before tracing */
	wt->kl_pending = 0;
	wp = ilp_wproc_of(w, t);
	if (!wp)
		return -ENOMEM;
	l = klock_get(w, wp, ev->lock.addr);
	if (!l)
		return -ENOMEM;
	lat = ev->ts > wt->kl_ts ? ev->ts - wt->kl_ts : 0;
	l->pub.flags |= wt->kl_flags;
	l->pub.waits++;
	l->pub.wait_ns += lat;
	l->pub.wait_share += ilp_share_carve(clock, t->sh, wt->kl_mark, ev->ts);
	if (lat > l->pub.max_ns)
		l->pub.max_ns = lat;
	if (ev->lock.ret)
		l->pub.errors++;
	ilp_hist_record(l->pub.hist, lat);
	ilp_tidset_add(l->pub.waiters, &l->pub.nwaiters, &l->pub.waiters_more, t->tid);
	return 0;
}

/* a lock's counts from 0; its address, name and (kernel) type stay */
static void ulock_reset(struct ulock *l)
{
	struct ilp_ulock keep = l->pub;

	ilp_hist_reset(l->pub.hist);
	memset(&l->pub, 0, sizeof(l->pub));
	memset(l->kinds, 0, sizeof(l->kinds));
	l->pub.uaddr = keep.uaddr;
	l->pub.hist = keep.hist;
	l->pub.name = keep.name;
}

static void klock_reset(struct klock *l)
{
	struct ilp_klock keep = l->pub;

	ilp_hist_reset(l->pub.hist);
	memset(&l->pub, 0, sizeof(l->pub));
	l->pub.addr = keep.addr;
	l->pub.flags = keep.flags;
	l->pub.hist = keep.hist;
	l->pub.name = keep.name;
}

void ilp_lock_reset(struct ilp_wproc *wp)
{
	size_t i;

	wp->futex_calls = 0;
	for (i = 0; i < wp->nulocks; i++)
		ulock_reset(wp->ulocks[i]);
	wp->nulocks_nosleep = wp->nulocks;	/* none slept in the window yet */
	wp->nulocks_view = 0;
	/* the addresses past the cap are counted again as they come */
	ulock_free(wp->ulock_more);
	wp->ulock_more = NULL;
	ilp_idcount_release(&wp->ulock_more_addrs);
	for (i = 0; i < wp->nklocks; i++)
		klock_reset(wp->klocks[i]);
	wp->nklocks_view = 0;
	klock_free(wp->klock_more);
	wp->klock_more = NULL;
	ilp_idcount_release(&wp->klock_more_addrs);
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

	if (!x->pub.waits != !y->pub.waits)	/* none since ilp_lock_reset: last, unshown */
		return x->pub.waits ? -1 : 1;
	if (x->pub.wait_ns != y->pub.wait_ns)
		return x->pub.wait_ns > y->pub.wait_ns ? -1 : 1;
	return (x->pub.addr > y->pub.addr) - (x->pub.addr < y->pub.addr);
}

static void ulock_set_kind(struct ulock *l)
{
	int k, best = ILP_ULOCK_WAIT;

	for (k = 0; k < ILP_ULOCK_NKINDS; k++)
		if (l->kinds[k] > l->kinds[best])
			best = k;
	l->pub.kind = best;
}

void ilp_lock_index(struct ilp_wproc *wp)
{
	size_t i;

	for (i = 0; i < wp->nulocks; i++)
		ulock_set_kind(wp->ulocks[i]);
	if (wp->ulock_more)
		ulock_set_kind(wp->ulock_more);
	if (wp->nulocks > 1)
		qsort(wp->ulocks, wp->nulocks, sizeof(*wp->ulocks), ulock_cmp);
	for (i = 0; i < wp->nulocks && ulock_visible(wp->ulocks[i]); i++)
		;
	wp->nulocks_view = i;
	if (wp->nklocks > 1)
		qsort(wp->klocks, wp->nklocks, sizeof(*wp->klocks), klock_cmp);
	for (i = 0; i < wp->nklocks && wp->klocks[i]->pub.waits; i++)
		;
	wp->nklocks_view = i;
}

void ilp_lock_release(struct ilp_wproc *wp)
{
	size_t i;

	for (i = 0; i < wp->nulocks; i++)
		ulock_free(wp->ulocks[i]);
	free(wp->ulocks);
	ulock_free(wp->ulock_more);
	ilp_idcount_release(&wp->ulock_more_addrs);
	ilp_idmap_release(&wp->ulock_map);
	for (i = 0; i < wp->nklocks; i++)
		klock_free(wp->klocks[i]);
	free(wp->klocks);
	klock_free(wp->klock_more);
	ilp_idcount_release(&wp->klock_more_addrs);
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
	return w ? w->nklocks_view : 0;
}

const struct ilp_klock *ilp_wproc_klock(const struct ilp_wproc *w, size_t i)
{
	return w && i < w->nklocks_view ? &w->klocks[i]->pub : NULL;
}

const struct ilp_ulock *ilp_wproc_ulock_more(const struct ilp_wproc *w, uint64_t *naddrs,
					     int *exact)
{
	if (!w || !w->ulock_more)
		return NULL;
	*naddrs = w->ulock_more_addrs.n;
	*exact = !w->ulock_more_addrs.over;
	return &w->ulock_more->pub;
}

const struct ilp_klock *ilp_wproc_klock_more(const struct ilp_wproc *w, uint64_t *naddrs,
					     int *exact)
{
	if (!w || !w->klock_more)
		return NULL;
	*naddrs = w->klock_more_addrs.n;
	*exact = !w->klock_more_addrs.over;
	return &w->klock_more->pub;
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
