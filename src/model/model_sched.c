// SPDX-License-Identifier: MIT
/*
 * Off-CPU time inside syscalls, from sched_switch and sched_waking.
 *
 * Rules (per traced thread; untraced tasks are ignored):
 *   - sched_switch with prev = T while T is inside a call: T is off the
 *     CPU from ts, in the state prev_state tells: 0 -> R (preempted),
 *     bit 2 (TASK_UNINTERRUPTIBLE) -> D, anything else -> S.
 *   - sched_waking of T while it is off in S or D: the sleep ends there;
 *     from then until T runs again it is R (woken, waiting for a CPU).
 *   - sched_switch with next = T: T is back; the interval is added to the
 *     call T is in, if that call started before T left the CPU.  The
 *     kernel's pid filter drops some switch-ins (from the idle task): the
 *     exit of T's call then closes the interval at the exit's time.
 *   - at the call's exit: a call with off-CPU time updates, per process,
 *     the syscall's off-CPU totals and the blocking entry (tid, nr,
 *     object); any call with wall time >= the slow threshold is kept
 *     individually (at most ILP_SLOW_MAX per process, then counted).
 *   - on-CPU time of a syscall = its wall time (the model's, which model.c
 *     gives each row before an index) - its off-CPU time, computed at
 *     index time.
 *   - --sleep-stacks (ksleep.c): a sleep that ends (T back, or its call's
 *     exit) is counted with its kernel stack first; each blocking row keeps
 *     the stacks of its calls' longest sleeps (KS_SLOTS) and each slow call
 *     its own, and at index time they learn the function they slept in.
 * The object of a call: fd (args[0]) for calls whose class has
 * ILP_SC_FD0, the futex address for futex calls, a timer for
 * (clock_)nanosleep, the child for wait4/waitid; the device is the last
 * one the thread submitted a bio to during the call.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fdmodel.h"
#include "syscalls.h"
#include "wait_internal.h"

#define TASK_UNINTERRUPTIBLE 2

#define KS_SLOTS 4	/* sleep stacks kept per blocking row (the calls' longest sleeps) */

struct blocking {
	struct ilp_blocking pub;
	struct blocking *next;		/* same hash */
	uint32_t ks_sid[KS_SLOTS];	/* stack id + 1 (0: free slot) */
	uint64_t ks_ns[KS_SLOTS];	/* the calls' longest sleeps there */
};

static int state_of(int prev_state)
{
	if ((prev_state & 0xff) == 0)
		return ILP_OFF_R;
	return (prev_state & TASK_UNINTERRUPTIBLE) ? ILP_OFF_D : ILP_OFF_S;
}

/* the thread runs again at ts, inside the call entered at enter_ts */
static void back_on_cpu(struct ilp_wthread *wt, uint64_t enter_ts, uint64_t ts)
{
	uint64_t run_from;

	if (enter_ts > wt->off_ts || ts < wt->off_ts)
		return;
	run_from = wt->wake_ts && wt->wake_ts <= ts ? wt->wake_ts : ts;
	if (wt->acc_enter_ts != enter_ts) {
		memset(wt->acc_off, 0, sizeof(wt->acc_off));
		wt->acc_enter_ts = enter_ts;
	}
	wt->acc_off[wt->off_state] += run_from - wt->off_ts;
	wt->acc_off[ILP_OFF_R] += ts - run_from;
}

void ilp_sched_switch(struct ilp_wait *w, const struct ilp_event *ev, const struct ilp_wtask *prev,
		      const struct ilp_wtask *next)
{
	struct ilp_wthread *wt;

	if (prev && prev->in_call) {
		wt = ilp_wthread_of(w, prev);
		if (wt) {
			wt->off_ts = ev->ts;
			wt->wake_ts = 0;
			wt->off_state = state_of(ev->sched.prev_state);
			wt->ks_sid = 0;		/* its stack comes next (ksleep) */
		}
	}
	/* read through the slot: prev's record, just made, is next's if they are one */
	if (!next || !(wt = *next->wt) || !wt->off_ts)
		return;
	if (next->in_call) {
		ilp_ksleep_end(w, next, wt, ev->ts);
		back_on_cpu(wt, next->enter_ts, ev->ts);
	}
	wt->off_ts = 0;
	wt->wake_ts = 0;
}

void ilp_sched_wakeup(struct ilp_wait *w, const struct ilp_event *ev, const struct ilp_wtask *t)
{
	struct ilp_wthread *wt;

	if (!t || !t->in_call)
		return;
	wt = ilp_wthread_of(w, t);
	if (!wt)
		return;
	/* the waker of this call, for the lock model */
	wt->waker_tid = ev->tid;
	wt->waker_enter_ts = t->enter_ts;
	if (wt->off_ts && !wt->wake_ts && wt->off_state != ILP_OFF_R && ev->ts >= wt->off_ts)
		wt->wake_ts = ev->ts;
}

static void object_of(const struct ilp_wait *w, int nr, const uint64_t *args, int *kind,
		      uint64_t *obj)
{
	*obj = 0;
	if (nr == w->nr_futex || nr == w->nr_futex_waitv || nr == w->nr_futex_wait ||
	    nr == w->nr_futex_wake) {
		*kind = ILP_WOBJ_FUTEX;
		*obj = args[0];
	} else if (nr == w->nr_nanosleep || nr == w->nr_clock_nanosleep) {
		*kind = ILP_WOBJ_TIMER;
	} else if (nr == w->nr_wait4) {
		*kind = ILP_WOBJ_CHILD;
		*obj = (uint64_t)(int64_t)(int32_t)args[0];
	} else if (nr == w->nr_waitid) {
		*kind = ILP_WOBJ_CHILD;
		*obj = (uint64_t)(int64_t)(int32_t)args[1];
	} else if (ilp_syscall_class(nr) & ILP_SC_FD0) {
		*kind = ILP_WOBJ_FD;
		*obj = (uint64_t)(int64_t)(int32_t)args[0];
	} else {
		*kind = ILP_WOBJ_NONE;
	}
}

static uint64_t blocking_key(int tid, int nr, int kind, uint64_t obj,
			     const struct ilp_fdobj *fobj)
{
	return ((uint64_t)(uint32_t)tid << 32) ^ ((uint64_t)(uint32_t)nr << 20) ^
	       ((uint64_t)kind << 17) ^ obj * 0x9e3779b97f4a7c15ull ^
	       (uint64_t)(uintptr_t)fobj * 0xff51afd7ed558ccdull;
}

/* a row per (thread, syscall, object); for fds the object is what the fd
 * was (fobj), so fd 3 closed and reopened on another file is another row */
static struct ilp_blocking *blocking_get(struct ilp_wproc *wp, int tid, int nr, int kind,
					 uint64_t obj, const struct ilp_fdobj *fobj)
{
	uint64_t key = blocking_key(tid, nr, kind, obj, fobj);
	struct blocking *head = ilp_idmap_get(&wp->block_map, key), *b;

	for (b = head; b; b = b->next)
		if (b->pub.tid == tid && b->pub.nr == nr && b->pub.okind == kind &&
		    b->pub.obj == obj && b->pub.fobj == fobj)
			return &b->pub;
	if (ilp_wgrow((void **)&wp->blocking, &wp->blocking_cap, wp->nblocking + 1,
		      sizeof(*wp->blocking)))
		return NULL;
	b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	b->pub.tid = tid;
	b->pub.nr = nr;
	b->pub.okind = kind;
	b->pub.obj = obj;
	b->pub.fobj = fobj;
	b->next = head;
	if (ilp_idmap_put(&wp->block_map, key, b)) {
		free(b);
		return NULL;
	}
	wp->blocking[wp->nblocking++] = &b->pub;
	return &b->pub;
}

static struct ilp_sc_offcpu *offcpu_get(struct ilp_wproc *wp, int nr)
{
	int s = nr >= 0 && nr < ILP_SC_MAX ? nr : ILP_SC_MAX;
	struct ilp_sc_offcpu *o = wp->offcpu_by_nr[s];

	if (o)
		return o;
	if (ilp_wgrow((void **)&wp->offcpu, &wp->offcpu_cap, wp->noffcpu + 1, sizeof(*wp->offcpu)))
		return NULL;
	o = calloc(1, sizeof(*o));
	if (!o)
		return NULL;
	o->nr = s;
	wp->offcpu_by_nr[s] = o;
	wp->offcpu[wp->noffcpu++] = o;
	return o;
}

/* the row's calls slept longest in stack sid (id + 1) for ns: kept in a
 * free or the smallest slot */
static void ks_slot_add(struct blocking *b, uint32_t sid, uint64_t ns)
{
	size_t i, low = 0;

	if (!sid)
		return;
	for (i = 0; i < KS_SLOTS; i++) {
		if (b->ks_sid[i] == sid || !b->ks_sid[i]) {
			b->ks_sid[i] = sid;
			b->ks_ns[i] += ns;
			return;
		}
		if (b->ks_ns[i] < b->ks_ns[low])
			low = i;
	}
	if (ns > b->ks_ns[low]) {
		b->ks_sid[low] = sid;
		b->ks_ns[low] = ns;
	}
}

/* a call moved from row a to row b takes its longest sleep along */
static void ks_slot_move(struct blocking *a, struct blocking *b, uint32_t sid, uint64_t ns)
{
	size_t i;

	if (!sid)
		return;
	for (i = 0; i < KS_SLOTS; i++)
		if (a->ks_sid[i] == sid) {
			a->ks_ns[i] = a->ks_ns[i] > ns ? a->ks_ns[i] - ns : 0;
			break;
		}
	ks_slot_add(b, sid, ns);
}

/* where a row's calls slept most: its slots summed per function */
static void ks_where(const struct ilp_wait *w, struct blocking *b)
{
	const char *func[KS_SLOTS], *reason[KS_SLOTS];
	uint64_t best = 0;
	size_t i, j;

	b->pub.wfunc = b->pub.wreason = NULL;
	for (i = 0; i < KS_SLOTS && b->ks_sid[i]; i++)
		func[i] = ilp_ksleep_func(w, b->ks_sid[i], &reason[i]);
	for (i = 0; i < KS_SLOTS && b->ks_sid[i]; i++) {
		uint64_t sum = 0;

		for (j = 0; j < KS_SLOTS && b->ks_sid[j]; j++)
			if (func[j] == func[i])
				sum += b->ks_ns[j];
		if (func[i] && sum > best) {
			best = sum;
			b->pub.wfunc = func[i];
			b->pub.wreason = reason[i];
		}
	}
}

int ilp_sched_call_done(struct ilp_wait *w, const struct ilp_wtask *t, struct ilp_wthread *wt,
			const struct ilp_event *ev)
{
	int nr = t->nr;
	uint64_t enter_ts = t->enter_ts;
	uint64_t lat = ev->ts > enter_ts ? ev->ts - enter_ts : 0;
	const uint64_t *off = NULL;
	struct ilp_wproc *wp;
	struct ilp_blocking *b;
	struct ilp_sc_offcpu *o;
	const struct ilp_fdobj *fobj = NULL;
	uint32_t dev = 0;
	int kind, i;
	uint64_t obj;

	/* the kernel does not pass every switch-in through the pid filter (not
	 * the ones from the idle task): a thread that exits its call ran again */
	if (wt && wt->off_ts) {
		if (ilp_ksleep_end(w, t, wt, ev->ts))
			return -ENOMEM;
		back_on_cpu(wt, enter_ts, ev->ts);
		wt->off_ts = 0;
		wt->wake_ts = 0;
	}
	if (wt && wt->acc_enter_ts == enter_ts &&
	    (wt->acc_off[0] | wt->acc_off[1] | wt->acc_off[2]))
		off = wt->acc_off;
	if (!off && (!w->slow_ns || lat < w->slow_ns))
		return 0;	/* the hot path: nothing to keep */
	wp = ilp_wproc_of(w, t);
	if (!wp)
		return -ENOMEM;
	object_of(w, nr, t->args, &kind, &obj);
	if (kind == ILP_WOBJ_FD)	/* model.c fed the fd model the call first */
		fobj = ilp_fdproc_call_obj(t->fd);
	if (wt && wt->blk_enter_ts == enter_ts)
		dev = wt->blk_dev;
	if (off) {
		o = offcpu_get(wp, nr);
		b = blocking_get(wp, t->tid, nr, kind, obj, fobj);
		if (!o || !b)
			return -ENOMEM;
		o->blocked_calls++;
		if (!b->calls++)
			wp->nblocking_shown++;
		b->wall_ns += lat;
		if (lat > b->max_ns)
			b->max_ns = lat;
		if (dev)
			b->dev = dev;
		for (i = 0; i < ILP_OFF_NSTATES; i++) {
			o->off_ns[i] += off[i];
			b->off_ns[i] += off[i];
		}
		wp->last_block.ks_sid = ilp_ksleep_call_top(wt, enter_ts);
		wp->last_block.ks_ns = wp->last_block.ks_sid ? wt->ks_top_ns : 0;
		ks_slot_add((struct blocking *)(void *)b, wp->last_block.ks_sid,
			    wp->last_block.ks_ns);
		wp->last_block.row = b;
		wp->last_block.tid = t->tid;
		wp->last_block.enter_ts = enter_ts;
		wp->last_block.lat = lat;
		memcpy(wp->last_block.off, off, sizeof(wp->last_block.off));
	}
	if (w->slow_ns && lat >= w->slow_ns) {
		struct ilp_slow_call *sc;

		if (wp->nslow >= ILP_SLOW_MAX) {
			wp->slow_dropped++;
		} else {
			if (ilp_wgrow((void **)&wp->slow, &wp->slow_cap, wp->nslow + 1,
				      sizeof(*wp->slow)))
				return -ENOMEM;
			sc = &wp->slow[wp->nslow++];
			memset(sc, 0, sizeof(*sc));
			sc->tid = t->tid;
			sc->nr = nr;
			sc->okind = kind;
			sc->obj = obj;
			sc->fobj = fobj;
			sc->dev = dev;
			sc->ret = ev->ret;
			sc->start_ts = enter_ts;
			sc->wall_ns = lat;
			sc->share_ns = t->share;
			sc->cobj = fobj;
			sc->ksid = ilp_ksleep_call_top(wt, enter_ts);
			if (off)
				memcpy(sc->off_ns, off, sizeof(sc->off_ns));
		}
	}
	if (wt)
		memset(wt->acc_off, 0, sizeof(wt->acc_off));
	return 0;
}

static uint64_t blocked_of(const uint64_t off[ILP_OFF_NSTATES])
{
	return off[ILP_OFF_S] + off[ILP_OFF_D];
}

static int offcpu_cmp(const void *a, const void *b)
{
	const struct ilp_sc_offcpu *x = *(const struct ilp_sc_offcpu *const *)a;
	const struct ilp_sc_offcpu *y = *(const struct ilp_sc_offcpu *const *)b;
	uint64_t ox = x->off_ns[0] + x->off_ns[1] + x->off_ns[2];
	uint64_t oy = y->off_ns[0] + y->off_ns[1] + y->off_ns[2];

	if (ox != oy)
		return ox > oy ? -1 : 1;
	return (x->nr > y->nr) - (x->nr < y->nr);
}

static int blocking_cmp(const void *a, const void *b)
{
	const struct ilp_blocking *x = *(const struct ilp_blocking *const *)a;
	const struct ilp_blocking *y = *(const struct ilp_blocking *const *)b;
	uint64_t bx = blocked_of(x->off_ns), by = blocked_of(y->off_ns);

	if (!x->calls != !y->calls)	/* rows a rename emptied go last, unshown */
		return x->calls ? -1 : 1;
	if (bx != by)
		return bx > by ? -1 : 1;
	if (x->wall_ns != y->wall_ns)
		return x->wall_ns > y->wall_ns ? -1 : 1;
	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	if (x->nr != y->nr)
		return x->nr < y->nr ? -1 : 1;
	return (x->obj > y->obj) - (x->obj < y->obj);
}

static int slow_cmp(const void *a, const void *b)
{
	const struct ilp_slow_call *x = a, *y = b;

	if (x->start_ts != y->start_ts)
		return x->start_ts < y->start_ts ? -1 : 1;
	return (x->tid > y->tid) - (x->tid < y->tid);
}

int ilp_sched_renamed(struct ilp_wproc *wp, int tid, uint64_t enter_ts,
		      const struct ilp_fdobj *from, const struct ilp_fdobj *to)
{
	struct ilp_blocking *b = wp->last_block.row, *nb;
	size_t i;

	for (i = wp->nslow; i-- > 0;)
		if (wp->slow[i].tid == tid && wp->slow[i].start_ts == enter_ts &&
		    wp->slow[i].fobj == from)
			wp->slow[i].fobj = wp->slow[i].cobj = to;
	if (!b || wp->last_block.tid != tid || wp->last_block.enter_ts != enter_ts ||
	    b->fobj != from)
		return 0;
	/* move the call from the old row to the new name's row (an old row
	 * left without calls is not shown; its max stays an upper bound) */
	nb = blocking_get(wp, tid, b->nr, b->okind, b->obj, to);
	if (!nb)
		return -ENOMEM;
	if (!--b->calls) {
		wp->nblocking_shown--;
		b->max_ns = 0;
	}
	b->wall_ns -= wp->last_block.lat;
	if (!nb->calls++)
		wp->nblocking_shown++;
	nb->wall_ns += wp->last_block.lat;
	if (wp->last_block.lat > nb->max_ns)
		nb->max_ns = wp->last_block.lat;
	nb->dev = b->dev;
	for (i = 0; i < ILP_OFF_NSTATES; i++) {
		b->off_ns[i] -= wp->last_block.off[i];
		nb->off_ns[i] += wp->last_block.off[i];
	}
	ks_slot_move((struct blocking *)(void *)b, (struct blocking *)(void *)nb,
		     wp->last_block.ks_sid, wp->last_block.ks_ns);
	wp->last_block.row = nb;
	return 0;
}

struct ilp_sc_offcpu *ilp_sched_row(struct ilp_wproc *wp, size_t i)
{
	return i < wp->noffcpu ? wp->offcpu[i] : NULL;
}

int ilp_sched_index(const struct ilp_wait *w, struct ilp_wproc *wp)
{
	size_t i;

	for (i = 0; i < wp->nblocking; i++)
		ks_where(w, (struct blocking *)(void *)wp->blocking[i]);
	for (i = 0; i < wp->nslow; i++)
		wp->slow[i].wfunc = ilp_ksleep_func(w, wp->slow[i].ksid, &wp->slow[i].wreason);

	/* calls and total_ns: the model's, given by model.c (ilp_sched_row) */
	for (i = 0; i < wp->noffcpu; i++) {
		struct ilp_sc_offcpu *o = wp->offcpu[i];
		uint64_t off = o->off_ns[0] + o->off_ns[1] + o->off_ns[2];

		o->on_ns = o->total_ns > off ? o->total_ns - off : 0;
	}
	if (wp->noffcpu > 1)
		qsort(wp->offcpu, wp->noffcpu, sizeof(*wp->offcpu), offcpu_cmp);
	if (wp->nblocking > 1)
		qsort(wp->blocking, wp->nblocking, sizeof(*wp->blocking), blocking_cmp);
	if (wp->nslow > 1)
		qsort(wp->slow, wp->nslow, sizeof(*wp->slow), slow_cmp);
	return 0;
}

void ilp_sched_counted(struct ilp_wproc *wp, int tid, uint64_t enter_ts,
		       const struct ilp_fdobj *o)
{
	size_t i, low = wp->nslow > 8 ? wp->nslow - 8 : 0;

	/* counted at the process's next event: among its last slow calls */
	for (i = wp->nslow; i-- > low;)
		if (wp->slow[i].tid == tid && wp->slow[i].start_ts == enter_ts) {
			wp->slow[i].cobj = o;
			return;
		}
}

void ilp_sched_release(struct ilp_wproc *wp)
{
	size_t i;

	for (i = 0; i < wp->noffcpu; i++)
		free(wp->offcpu[i]);
	free(wp->offcpu);
	/* every blocking record is listed once */
	for (i = 0; i < wp->nblocking; i++)
		free((struct blocking *)(void *)wp->blocking[i]);
	free(wp->blocking);
	ilp_idmap_release(&wp->block_map);
	free(wp->slow);
}

void ilp_sched_reset(struct ilp_wproc *wp)
{
	ilp_sched_release(wp);
	memset(wp->offcpu_by_nr, 0, sizeof(wp->offcpu_by_nr));
	wp->offcpu = NULL;
	wp->noffcpu = wp->offcpu_cap = 0;
	memset(&wp->block_map, 0, sizeof(wp->block_map));
	wp->blocking = NULL;
	wp->nblocking = wp->blocking_cap = wp->nblocking_shown = 0;
	memset(&wp->last_block, 0, sizeof(wp->last_block));
	wp->slow = NULL;
	wp->nslow = wp->slow_cap = 0;
	wp->slow_dropped = 0;
}

/* ---- accessors ---- */

size_t ilp_wproc_noffcpu(const struct ilp_wproc *w)
{
	return w ? w->noffcpu : 0;
}

const struct ilp_sc_offcpu *ilp_wproc_offcpu(const struct ilp_wproc *w, size_t i)
{
	return w && i < w->noffcpu ? w->offcpu[i] : NULL;
}

size_t ilp_wproc_nblocking(const struct ilp_wproc *w)
{
	return w ? w->nblocking_shown : 0;
}

const struct ilp_blocking *ilp_wproc_blocking(const struct ilp_wproc *w, size_t i)
{
	return w && i < w->nblocking_shown ? w->blocking[i] : NULL;
}

size_t ilp_wproc_nslow(const struct ilp_wproc *w)
{
	return w ? w->nslow : 0;
}

const struct ilp_slow_call *ilp_wproc_slow(const struct ilp_wproc *w, size_t i)
{
	return w && i < w->nslow ? &w->slow[i] : NULL;
}

uint64_t ilp_wproc_slow_dropped(const struct ilp_wproc *w)
{
	return w ? w->slow_dropped : 0;
}
