// SPDX-License-Identifier: MIT
/*
 * The model: pure C, no I/O, on the hot path (one call per event).
 *
 * Cost: O(1) per event, no malloc per event.  Memory grows only with the
 * number of threads, processes and distinct (entity, syscall) pairs seen,
 * never with the number of events: allocations happen when a thread or
 * process is first seen, when a syscall number is first completed by a
 * thread/process, and when a lookup table doubles (amortized).
 *
 * Threads and processes
 *   - Lookup: open-addressing hash tables (linear probing, power-of-two
 *     size, load <= 1/2) keyed by tid and by pid, each with a last-hit
 *     cache.  Entries are never removed; a reused id re-points its entry at
 *     a fresh record, and every record ever created stays listed (so
 *     ilp_proc_nthreads_seen() counts every thread, reused tids included).
 *   - ILP_EV_TASK_INFO(pid, tid, comm): tid belongs to process pid
 *     (pid <= 0: pid = tid), both created if unknown.  The thread is named
 *     comm; the process too if tid == pid or it has no name yet.  A tid that
 *     is already known and alive keeps its record (and its process): it is
 *     only renamed.  Sources emit TASK_INFO before a thread's other events.
 *   - ILP_EV_TASK_NEW from thread T, child C, clone_flags:
 *     CLONE_THREAD (0x00010000) set: C joins T's process; otherwise C
 *     starts process pid = C.  task.comm is the creator's comm: the new
 *     thread (and new process) inherit it.  A C that exists and has exited
 *     gets a fresh record (tid/pid reuse); a C that exists and is alive
 *     (e.g. its events were merged ahead of the fork) keeps its record and
 *     is only named if it has no name.
 *   - ILP_EV_EXEC: the thread's and its process's comm become task.comm.
 *   - TASK_INFO with task.flags ILP_TASK_GATED: the thread is run's command
 *     at iolockprof's gate; until its ILP_EV_EXEC its calls are not counted
 *     (counters.gated), except the exec that succeeds (event.h).
 *   - ILP_EV_TASK_EXIT: the thread ended; task.group_dead marks its process
 *     exited.  If the thread is inside exit or exit_group (numbers looked up
 *     once, at ilp_model_new), that call completes at this event's ts with
 *     ret 0; any other call in progress is counted unfinished with its time
 *     so far.
 *   - Any event from a tid not registered (or registered and exited, other
 *     than a fresh TASK_INFO/TASK_NEW): the thread is created in process
 *     ev->pid if ev->pid > 0, else in process pid = tid (assumption: a
 *     source that does not know the tgid sees single-threaded processes).
 *     A process found exited is likewise replaced by a fresh record.  A
 *     TASK_EXIT for a thread already exited is ignored.
 *
 * Syscall pairing (per thread)
 *   - SYS_ENTER stores nr, ts and args[6] in the thread (readable through
 *     ilp_thread_current_call()).  An enter while already inside a call:
 *     counters.lost_enters++, the new enter replaces the old one.
 *   - SYS_EXIT with the same nr as the pending enter: completed call,
 *     latency = exit.ts - enter.ts, clamped at 0.  Error when
 *     -4095 <= ret <= -1.  Updates the process's stats for nr (calls,
 *     errors, total_ns, max_ns, hist) and the thread's (same, hist NULL),
 *     and the process/thread totals.
 *   - SYS_EXIT with no pending enter or a different nr:
 *     counters.unpaired_exits++, the pending state is cleared, no call is
 *     counted.
 *   - Numbers outside [0, ILP_SC_MAX) pair normally (on their exact nr) but
 *     are aggregated under one overflow slot, nr = ILP_SC_OTHER.
 *   - Stats are created per entity on the first completed (or unfinished)
 *     call of a number: a two-level table (chunks of 64 pointers) indexed by
 *     nr, so lookup is O(1) and an idle thread costs no table.
 *
 * Unfinished calls
 *   - ilp_model_finish(end_ts): each call in progress becomes unfinished
 *     (unfinished++, unfinished_ns += end_ts - enter.ts, clamped at 0) in
 *     both process and thread stats and is closed.  Feeding afterwards
 *     returns -EINVAL.
 *   - ilp_model_index(now_ts) before finish shows calls in progress as
 *     unfinished up to now_ts without closing them: the "closed" unfinished
 *     counts are kept apart from the ones presented, and every index (and
 *     finish) recomputes presented = closed + in progress, so nothing is
 *     ever counted twice.  Process/thread totals count completed calls only.
 *
 * Views (built by ilp_model_index)
 *   - processes by total_ns desc, then pid asc, then creation order;
 *   - syscalls of a process or thread by total_ns desc, then calls desc,
 *     then nr asc; only numbers with a completed or unfinished call appear;
 *   - threads of a process by tid asc, then creation order.
 *
 * Windows (ilp_model_reset_stats): every statistic, here and in each
 *   sub-model, starts again from 0; state stays (threads, processes and
 *   names, calls in progress, fd tables and objects, waits in progress,
 *   requests in flight).  Processes and threads that exited before the
 *   reset are retired: sorted last by the next index and left out of the
 *   counts and listings.  A model never reset has none.
 *
 * Sub-models: model.c owns them and calls down; none calls back up.  The
 * fd, calls and loop models get plain values; the wait models (off-CPU,
 * locks, block I/O: wait_internal.h) get each traced thread an event
 * names as a struct ilp_wtask filled here: its tid, pid, comm, record
 * slots and the call it is in.  Sched, lock and block events may name
 * tasks the model does not trace: only known, live threads are handed
 * down, and none is created for them.
 *
 * Stream counters: events counts every event fed (dropped ones included);
 * out_of_order counts events whose ts is older than the previous event's
 * (they are still applied); first_ts/last_ts are the min/max ts seen.
 * -ENOMEM while applying an event leaves the model consistent and counts
 * the event in counters.dropped.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "callsmodel.h"
#include "idmap.h"
#include "fdmodel.h"
#include "model.h"
#include "share_internal.h"
#include "syscalls.h"
#include "hold_internal.h"
#include "uringmodel.h"
#include "wait_internal.h"

#define ILP_CLONE_THREAD 0x00010000ull
#define SC_CHUNK_BITS 6
#define SC_CHUNK (1u << SC_CHUNK_BITS)
#define SC_NCHUNKS ((ILP_SC_MAX >> SC_CHUNK_BITS) + 1)	/* + overflow slot */

struct sc_entry {
	struct ilp_sc_stats pub;	/* presented; unfinished* = closed + in progress */
	uint64_t closed_unfinished;
	uint64_t closed_unfinished_ns;
};

struct sc_table {
	struct sc_entry **chunk[SC_NCHUNKS];
	struct sc_entry **list;		/* every entry; sorted by index */
	size_t n, cap;
	size_t nview;			/* visible entries at the head of list */
};

struct ilp_proc {
	int pid;
	int exited;
	uint64_t seq;
	char comm[ILP_COMM_LEN];
	uint64_t total_ns, calls;
	uint64_t share_ns;		/* wall share of its completed calls (model_share.c) */
	struct sc_table sc;
	struct ilp_calls *top;		/* longest calls (model_calls.c) */
	struct ilp_fdproc *fd;		/* fd table and objects (model_fd.c) */
	struct ilp_wproc *wait;		/* owned by m->wait (model_wait.c) */
	struct ilp_uproc *uring;	/* owned by m->uring (model_uring.c) */
	struct ilp_thread **threads;
	size_t nthreads, cap;
	size_t nretired;		/* threads retired (listed last after an index) */
	int retired;			/* exited before the last ilp_model_reset_stats */
};

struct ilp_thread {
	int tid;
	int exited;
	int retired;			/* exited before the last ilp_model_reset_stats */
	int gated;			/* held at iolockprof's gate, not exec'd yet */
	uint64_t seq;
	struct ilp_proc *proc;
	char comm[ILP_COMM_LEN];
	uint64_t total_ns, calls;
	struct sc_table sc;
	/* call in progress */
	int in_call;
	int32_t cur_nr;
	uint64_t cur_ts;
	uint64_t cur_args[6];
	struct ilp_share_slot sh;	/* its counted call in progress (wall share) */
	uint64_t cur_share;		/* the share of the call completing now */
	struct ilp_wthread *wait;	/* owned by m->wait (model_wait.c) */
};

struct ilp_model {
	struct ilp_model_counters cnt;
	uint64_t first_ts, last_ts, prev_ts;
	int finished;
	int nr_exit, nr_exit_group, nr_execve, nr_execveat, nr_uring_enter;
	struct ilp_uring *uring;	/* io_uring requests (model_uring.c) */
	struct ilp_fdm *fdm;		/* model_fd.c */
	struct ilp_wait *wait;		/* off-CPU, locks, block I/O (model_wait.c) */
	struct ilp_holds *holds;	/* user lock holds (model_hold.c) */
	uint64_t seq;
	struct ilp_share_clock sh;	/* wall share (model_share.c) */
	uint8_t idle[ILP_SC_MAX];	/* IDLE_* by syscall number */
	uint16_t cls[ILP_SC_MAX];	/* ilp_syscall_class by number, looked up once a call */

	struct ilp_idmap tmap, pmap;	/* tid -> thread, pid -> process */

	struct ilp_thread **threads;	/* every thread record ever made */
	size_t nthreads, tcap;
	struct ilp_proc **procs;	/* every process record; sorted by index */
	size_t nprocs, pcap;
	size_t nretired;		/* processes retired (listed last after an index) */
};

/* ---- small helpers ---- */

/* the wait models' array growth (model_wait.c): same doubling */
static int grow(void **arr, size_t *cap, size_t need, size_t elem)
{
	return ilp_wgrow(arr, cap, need, elem);
}

static void set_comm(char dst[ILP_COMM_LEN], const char *src)
{
	size_t i;

	for (i = 0; i < ILP_COMM_LEN - 1 && src[i]; i++)
		dst[i] = src[i];
	dst[i] = '\0';
}

static int sc_slot(int nr)
{
	return (nr >= 0 && nr < ILP_SC_MAX) ? nr : ILP_SC_OTHER;
}

/* ---- syscall stats tables ---- */

static struct sc_entry *sc_get(const struct sc_table *t, int nr)
{
	int s = sc_slot(nr);
	struct sc_entry **c = t->chunk[s >> SC_CHUNK_BITS];

	return c ? c[s & (SC_CHUNK - 1)] : NULL;
}

/* sc_get_or_add's first call of nr: its entry made (NULL on ENOMEM) */
static __attribute__((noinline)) struct sc_entry *sc_add(struct sc_table *t, int s, int with_hist)
{
	struct sc_entry ***c = &t->chunk[s >> SC_CHUNK_BITS];
	struct sc_entry *e;

	if (!*c) {
		*c = calloc(SC_CHUNK, sizeof(**c));
		if (!*c)
			return NULL;
	}
	if (grow((void **)&t->list, &t->cap, t->n + 1, sizeof(*t->list)))
		return NULL;
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->pub.nr = s;
	if (with_hist) {
		e->pub.hist = ilp_hist_new();
		if (!e->pub.hist) {
			free(e);
			return NULL;
		}
	}
	(*c)[s & (SC_CHUNK - 1)] = e;
	t->list[t->n++] = e;
	return e;
}

/* the entry of nr, made at its first call: per call, so the lookup is
 * inline and the making apart */
static inline struct sc_entry *sc_get_or_add(struct sc_table *t, int nr, int with_hist)
{
	struct sc_entry *e = sc_get(t, nr);

	return __builtin_expect(!!e, 1) ? e : sc_add(t, sc_slot(nr), with_hist);
}

static void sc_release(struct sc_table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		ilp_hist_free(t->list[i]->pub.hist);
		free(t->list[i]);
	}
	for (i = 0; i < SC_NCHUNKS; i++)
		free(t->chunk[i]);
	free(t->list);
	memset(t, 0, sizeof(*t));
}

/* a new window: every entry's counts from 0 (entries stay, unseen) */
static void sc_zero(struct sc_table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		struct sc_entry *e = t->list[i];
		struct ilp_hist *h = e->pub.hist;
		int nr = e->pub.nr;

		ilp_hist_reset(h);
		memset(e, 0, sizeof(*e));
		e->pub.nr = nr;
		e->pub.hist = h;
	}
	t->nview = 0;
}

/* presented unfinished = closed ones; in-progress ones are added by index */
static void sc_reset_unfinished(struct sc_table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		t->list[i]->pub.unfinished = t->list[i]->closed_unfinished;
		t->list[i]->pub.unfinished_ns = t->list[i]->closed_unfinished_ns;
	}
}

static int sc_visible(const struct sc_entry *e)
{
	return e->pub.calls || e->pub.unfinished;
}

static int sc_cmp(const void *a, const void *b)
{
	const struct sc_entry *x = *(const struct sc_entry *const *)a;
	const struct sc_entry *y = *(const struct sc_entry *const *)b;
	int vx = sc_visible(x), vy = sc_visible(y);

	if (vx != vy)
		return vy - vx;
	if (x->pub.total_ns != y->pub.total_ns)
		return x->pub.total_ns > y->pub.total_ns ? -1 : 1;
	if (x->pub.calls != y->pub.calls)
		return x->pub.calls > y->pub.calls ? -1 : 1;
	return (x->pub.nr > y->pub.nr) - (x->pub.nr < y->pub.nr);
}

static void sc_sort(struct sc_table *t)
{
	size_t i;

	if (t->n > 1)
		qsort(t->list, t->n, sizeof(*t->list), sc_cmp);
	for (i = 0; i < t->n && sc_visible(t->list[i]); i++)
		;
	t->nview = i;
}

/* ---- records ---- */

static void proc_free(struct ilp_proc *p)
{
	if (!p)
		return;
	sc_release(&p->sc);
	ilp_calls_free(p->top);
	ilp_fdproc_free(p->fd);
	free(p->threads);
	free(p);
}

static void thread_free(struct ilp_thread *t)
{
	if (!t)
		return;
	sc_release(&t->sc);
	free(t);
}

static struct ilp_proc *proc_new(struct ilp_model *m, int pid)
{
	struct ilp_proc *p;

	if (grow((void **)&m->procs, &m->pcap, m->nprocs + 1, sizeof(*m->procs)))
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->pid = pid;
	p->seq = m->seq++;
	if (ilp_idmap_put(&m->pmap, pid, p)) {
		free(p);
		return NULL;
	}
	m->procs[m->nprocs++] = p;
	return p;
}

static struct ilp_proc *proc_find(struct ilp_model *m, int pid)
{
	return ilp_idmap_get(&m->pmap, pid);
}

/* the live process pid, created (fresh if the old one exited) if needed */
static struct ilp_proc *proc_live(struct ilp_model *m, int pid)
{
	struct ilp_proc *p = proc_find(m, pid);

	if (p && !p->exited)
		return p;
	return proc_new(m, pid);
}

static struct ilp_thread *thread_new(struct ilp_model *m, int tid, struct ilp_proc *p)
{
	struct ilp_thread *t;

	if (grow((void **)&m->threads, &m->tcap, m->nthreads + 1, sizeof(*m->threads)))
		return NULL;
	if (grow((void **)&p->threads, &p->cap, p->nthreads + 1, sizeof(*p->threads)))
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->tid = tid;
	t->proc = p;
	t->seq = m->seq++;
	if (ilp_idmap_put(&m->tmap, tid, t)) {
		free(t);
		return NULL;
	}
	m->threads[m->nthreads++] = t;
	p->threads[p->nthreads++] = t;
	return t;
}

static struct ilp_thread *thread_find(struct ilp_model *m, int tid)
{
	return ilp_idmap_get(&m->tmap, tid);
}

/* thread_of when the thread is new or its tid's record exited */
static __attribute__((noinline)) struct ilp_thread *thread_made(struct ilp_model *m,
								const struct ilp_event *ev)
{
	struct ilp_proc *p;

	p = proc_live(m, ev->pid > 0 ? ev->pid : ev->tid);
	if (!p)
		return NULL;
	return thread_new(m, ev->tid, p);
}

/* the live thread that emitted ev, created by the documented rule if needed */
static inline struct ilp_thread *thread_of(struct ilp_model *m, const struct ilp_event *ev)
{
	struct ilp_thread *t = thread_find(m, ev->tid);

	return t && !t->exited ? t : thread_made(m, ev);
}

/* ---- wall share: which calls take part (share_internal.h) ---- */

enum { COUNTED = 0, IDLE, IDLE_BY_OP };

static void idle_init(struct ilp_model *m)
{
	static const char *const idle_names[] = { "accept", "accept4" };
	static const char *const by_op[] = { "futex", "futex_time64" };
	size_t i;
	int nr;

	for (i = 0; i < ILP_SC_MAX; i++) {
		m->cls[i] = (uint16_t)ilp_syscall_class((int)i);
		m->idle[i] = (m->cls[i] & ILP_SC_WAIT) ? IDLE : COUNTED;
	}
	for (i = 0; i < sizeof(idle_names) / sizeof(idle_names[0]); i++)
		if ((nr = ilp_syscall_nr(idle_names[i])) >= 0 && nr < ILP_SC_MAX)
			m->idle[nr] = IDLE;
	for (i = 0; i < sizeof(by_op) / sizeof(by_op[0]); i++)
		if ((nr = ilp_syscall_nr(by_op[i])) >= 0 && nr < ILP_SC_MAX)
			m->idle[nr] = IDLE_BY_OP;
}

/* the call takes part in the wall share: not a wait by design (a futex
 * wait of a mutex kind is contention, of a cond/sem kind waiting for work) */
static int counted(const struct ilp_model *m, int nr, const uint64_t *args)
{
	int kind = ILP_ULOCK_WAIT;

	if (nr < 0 || nr >= ILP_SC_MAX || m->idle[nr] == COUNTED)
		return 1;
	if (m->idle[nr] == IDLE)
		return 0;
	return ilp_futex_call_class(args, &kind) != ILP_FUTEX_WAIT ||
	       kind == ILP_ULOCK_WAIT || kind == ILP_ULOCK_PI;
}

/* ilp_syscall_class(nr), from the model's copy */
static unsigned sc_class(const struct ilp_model *m, int nr)
{
	return nr >= 0 && nr < ILP_SC_MAX ? m->cls[nr] : 0;
}

/* ---- the wait models (wait_internal.h) ---- */

/* t as the wait models see it for the event at hand */
static void wtask_fill(struct ilp_thread *t, struct ilp_wtask *v)
{
	v->tid = t->tid;
	v->pid = t->proc->pid;
	v->comm = t->proc->comm;
	v->wt = &t->wait;
	v->wp = &t->proc->wait;
	v->fd = t->proc->fd;
	v->sh = &t->sh;
	v->in_call = t->in_call;
	v->nr = t->cur_nr;
	v->enter_ts = t->cur_ts;
	v->args = t->cur_args;
	v->share = t->cur_share;
}

/* the live thread tid filled in v, or NULL: never creates one */
static const struct ilp_wtask *wtask_of(struct ilp_model *m, int tid, struct ilp_wtask *v)
{
	struct ilp_thread *t = thread_find(m, tid);

	if (!t || t->exited)
		return NULL;
	wtask_fill(t, v);
	return v;
}

/* SCHED_*, WAKEUP, LOCK_*, BLOCK_*, WB_*: each model gets the traced
 * threads the event names, looked up only where it uses them */
static int wait_feed(struct ilp_model *m, const struct ilp_event *ev)
{
	struct ilp_wtask a, b;
	int err;

	switch (ev->kind) {
	case ILP_EV_SCHED_SWITCH:
		ilp_sched_switch(m->wait, ev, wtask_of(m, ev->tid, &a),
				 ev->sched.next ? wtask_of(m, ev->sched.next, &b) : NULL);
		return 0;
	case ILP_EV_WAKEUP:
		ilp_sched_wakeup(m->wait, ev, wtask_of(m, ev->sched.target, &a));
		return 0;
	case ILP_EV_LOCK_BEGIN:
	case ILP_EV_LOCK_END:
		return ilp_lock_kernel(m->wait, &m->sh, ev, wtask_of(m, ev->tid, &a));
	case ILP_EV_KSTACK:
		return ilp_ksleep_stack(m->wait, ev, wtask_of(m, ev->tid, &a));
	default:
		err = ilp_blk_feed(m->wait, ev);
		if (err != ILP_BLK_ASK)
			return err;
		return ilp_blk_feed_task(m->wait, ev, wtask_of(m, ev->tid, &a));
	}
}

/* the off-CPU rows of p's wait model get the syscall's completed calls
 * and time: the on-CPU part is what the model counted minus off-CPU */
static void offcpu_totals(struct ilp_proc *p)
{
	struct ilp_sc_offcpu *o;
	size_t i;

	for (i = 0; (o = ilp_sched_row(p->wait, i)); i++) {
		const struct ilp_sc_stats *sc = ilp_proc_find_syscall(p, o->nr);

		o->calls = sc ? sc->calls : 0;
		o->total_ns = sc ? sc->total_ns : 0;
	}
}

/* ---- calls ---- */

/* cls: the call's ilp_syscall_class */
static int call_complete(struct ilp_thread *t, uint64_t ts, int64_t ret, unsigned cls)
{
	struct sc_entry *te, *pe;
	uint64_t lat = ts > t->cur_ts ? ts - t->cur_ts : 0;
	int err = ret >= -4095 && ret <= -1;

	t->in_call = 0;
	te = sc_get_or_add(&t->sc, t->cur_nr, 0);
	pe = sc_get_or_add(&t->proc->sc, t->cur_nr, 1);
	if (!te || !pe)
		return -ENOMEM;
	te->pub.calls++;
	te->pub.errors += err;
	te->pub.total_ns += lat;
	if (lat > te->pub.max_ns)
		te->pub.max_ns = lat;
	pe->pub.calls++;
	pe->pub.errors += err;
	pe->pub.total_ns += lat;
	if (lat > pe->pub.max_ns)
		pe->pub.max_ns = lat;
	ilp_hist_record(pe->pub.hist, lat);	/* -ENOMEM: still in count/sum */
	if (!ilp_calls_skip(t->proc->top, lat))	/* the record only if it may be kept */
		ilp_calls_add(&t->proc->top, &(struct ilp_call){ t->cur_ts, lat, ret,
				t->cur_args[0], t->tid, t->cur_nr,
				(cls & ILP_SC_FD0) ? ilp_fdproc_call_obj(t->proc->fd) : NULL });
							/* -ENOMEM: not kept */
	t->calls++;
	t->total_ns += lat;
	t->proc->calls++;
	t->proc->total_ns += lat;
	t->proc->share_ns += t->cur_share;
	return 0;
}

/* a call that waited for its name was counted on an object: its slow
 * call record learns the object (the cell its time is in) */
static void counted_forward(struct ilp_proc *p)
{
	const struct ilp_fdobj *o;
	struct ilp_wproc *wp;
	uint64_t enter_ts;
	int tid;

	if (ilp_fdproc_take_counted(p->fd, &tid, &enter_ts, &o) && (wp = p->wait))
		ilp_sched_counted(wp, tid, enter_ts, o);
}

/* a fact naming an fd; when it renames a connect's socket, the kept
 * records of that call follow the new name */
static int fd_info(struct ilp_model *m, struct ilp_thread *t, const struct ilp_event *ev)
{
	const struct ilp_fdobj *from, *to;
	struct ilp_wproc *wp;
	uint64_t enter_ts;
	int err = ilp_fdm_info(m->fdm, &t->proc->fd, ev), tid;

	counted_forward(t->proc);
	if (err || !ilp_fdproc_take_rename(t->proc->fd, &tid, &enter_ts, &from, &to))
		return err;
	ilp_calls_rename(t->proc->top, tid, enter_ts, from, to);
	wp = t->proc->wait;
	return wp ? ilp_sched_renamed(wp, tid, enter_ts, from, to) : 0;
}

/* closes the call in progress as unfinished at ts */
static int call_close_unfinished(struct ilp_model *m, struct ilp_thread *t, uint64_t ts)
{
	struct sc_entry *te, *pe;
	uint64_t dur = ts > t->cur_ts ? ts - t->cur_ts : 0;

	t->in_call = 0;
	t->cur_share = 0;
	ilp_share_exit(&m->sh, &t->sh, ts);	/* an unfinished call's time is no one's saving */
	te = sc_get_or_add(&t->sc, t->cur_nr, 0);
	pe = sc_get_or_add(&t->proc->sc, t->cur_nr, 1);
	if (!te || !pe)
		return -ENOMEM;
	te->closed_unfinished++;
	te->closed_unfinished_ns += dur;
	te->pub.unfinished = te->closed_unfinished;
	te->pub.unfinished_ns = te->closed_unfinished_ns;
	pe->closed_unfinished++;
	pe->closed_unfinished_ns += dur;
	pe->pub.unfinished = pe->closed_unfinished;
	pe->pub.unfinished_ns = pe->closed_unfinished_ns;
	return 0;
}

/* ---- events ---- */

static int on_task_info(struct ilp_model *m, const struct ilp_event *ev)
{
	int pid = ev->pid > 0 ? ev->pid : ev->tid;
	struct ilp_thread *t = thread_find(m, ev->tid);
	struct ilp_proc *p;

	if (!t || t->exited) {
		p = proc_live(m, pid);
		if (!p)
			return -ENOMEM;
		t = thread_new(m, ev->tid, p);
		if (!t)
			return -ENOMEM;
	}
	set_comm(t->comm, ev->task.comm);
	if (t->tid == t->proc->pid || !t->proc->comm[0])
		set_comm(t->proc->comm, ev->task.comm);
	if (ev->task.flags & ILP_TASK_GATED)
		t->gated = 1;
	return 0;
}

static int is_exec(const struct ilp_model *m, int nr)
{
	return (m->nr_execve >= 0 && nr == m->nr_execve) ||
	       (m->nr_execveat >= 0 && nr == m->nr_execveat);
}

/*
 * A call of a task at iolockprof's gate (ILP_TASK_GATED): 1 if it is
 * iolockprof's own and not counted: every call but an exec, and an exec
 * that failed (execvp's tries along PATH); the exec that succeeds opens
 * normally and ends the gate at its ILP_EV_EXEC.
 */
static int gated_call(struct ilp_model *m, struct ilp_thread *t, const struct ilp_event *ev)
{
	if (ev->kind == ILP_EV_SYS_ENTER) {
		if (is_exec(m, ev->nr))
			return 0;
		if (t->in_call) {	/* an exec entered, then another call: lost exit */
			t->in_call = 0;
			ilp_share_exit(&m->sh, &t->sh, ev->ts);
		}
		m->cnt.gated++;
		return 1;
	}
	if (t->in_call && t->cur_nr == ev->nr && ev->ret >= 0)
		return 0;	/* the exec returns only after ILP_EV_EXEC: not here */
	if (t->in_call) {	/* a failed exec */
		m->cnt.gated++;
		t->in_call = 0;
		ilp_share_exit(&m->sh, &t->sh, ev->ts);
	}
	return 1;
}

static int on_task_new(struct ilp_model *m, const struct ilp_event *ev)
{
	struct ilp_thread *parent = thread_of(m, ev);
	struct ilp_thread *c;
	struct ilp_proc *p;
	int child = ev->task.child;

	if (!parent)
		return -ENOMEM;
	c = thread_find(m, child);
	if (c && !c->exited) {
		if (!c->comm[0])
			set_comm(c->comm, ev->task.comm);
		if (!c->proc->comm[0])
			set_comm(c->proc->comm, ev->task.comm);
		return 0;
	}
	if (ev->task.clone_flags & ILP_CLONE_THREAD) {
		p = parent->proc;
	} else {
		p = proc_live(m, child);
		if (!p)
			return -ENOMEM;
		if (!p->comm[0])
			set_comm(p->comm, ev->task.comm);
		if (!p->fd && ilp_fdm_fork(parent->proc->fd, &p->fd))
			return -ENOMEM;
	}
	c = thread_new(m, child, p);
	if (!c)
		return -ENOMEM;
	set_comm(c->comm, ev->task.comm);
	return 0;
}

static int on_task_exit(struct ilp_model *m, struct ilp_thread *t, const struct ilp_event *ev)
{
	int err = 0;

	if (t->in_call) {
		if ((m->nr_exit >= 0 && t->cur_nr == m->nr_exit) ||
		    (m->nr_exit_group >= 0 && t->cur_nr == m->nr_exit_group)) {
			t->cur_share = ilp_share_exit(&m->sh, &t->sh, ev->ts);
			err = call_complete(t, ev->ts, 0, sc_class(m, t->cur_nr));
		} else {
			err = call_close_unfinished(m, t, ev->ts);
		}
	}
	t->exited = 1;
	ilp_holds_thread_exit(m->holds, t->proc->pid, t->tid, ev->ts);
	if (ev->task.group_dead)
		t->proc->exited = 1;
	if (!err)
		err = ilp_fdm_thread_exit(t->proc->fd, t->tid);
	return err;
}

/* ---- io_uring (model_uring.c) ---- */

/* a completed request: data and sync requests count on their file in the
 * fd model as the syscall they stand for (no share of their own: the
 * thread waits in io_uring_enter, whose time is counted there), then in
 * the io_uring model with the file's object */
static int uring_done(struct ilp_model *m, const struct ilp_uring_done *d)
{
	struct ilp_proc *p = d->owner;
	struct ilp_thread *t = thread_find(m, d->tid);
	const struct ilp_fdobj *obj = NULL;
	int err = 0, cerr;

	if (d->fd >= 0 && d->nr >= 0) {
		err = ilp_fdm_request(m->fdm, &p->fd, d->tid, d->nr, d->fd, d->res,
				      d->submit_ts, d->complete_ts);
		counted_forward(p);
		obj = ilp_fdproc_call_obj(p->fd);
		/* its thread waits for it: that wait is the request's */
		if (!err && obj && t && t->proc == p && t->in_call && t->cur_nr == m->nr_uring_enter)
			err = ilp_uring_waited(m->uring, &p->uring, p, t->tid, obj,
					       ilp_io_cat(ilp_syscall_class(d->nr)));
	} else if (d->fd >= 0) {
		obj = ilp_fdproc_fd(p->fd, d->fd);
	}
	cerr = ilp_uring_count(m->uring, d, obj);
	return err ? err : cerr;
}

/* an io_uring_enter returns: its share goes to the requests it waited
 * for, split by their count; returns what is left for the call itself */
static uint64_t uring_credit(struct ilp_thread *t)
{
	struct ilp_uring_cell cell[ILP_URING_CELLS];
	uint64_t other, total, left = t->cur_share, ns;
	size_t n = ilp_uring_take_waited(t->proc->uring, t->tid, cell, &other), i;

	for (i = 0, total = other; i < n; i++)
		total += cell[i].n;
	for (i = 0; i < n && t->proc->fd; i++) {
		ns = (uint64_t)((unsigned __int128)t->cur_share * cell[i].n / total);
		ilp_fdproc_add_share(t->proc->fd, cell[i].obj, cell[i].cat, ns);
		left -= ns;
	}
	return left;
}

/* URING_*: a request is its submitter's, whatever thread completes it */
static int uring_feed(struct ilp_model *m, const struct ilp_event *ev)
{
	struct ilp_thread *t = thread_find(m, ev->tid);
	struct ilp_uring_done d;
	int r;

	if (t && t->exited)
		t = NULL;
	r = ilp_uring_feed(m->uring, ev, t ? &t->proc->uring : NULL, t ? t->proc : NULL, &d);
	return r > 0 ? uring_done(m, &d) : r;
}

static int apply(struct ilp_model *m, const struct ilp_event *ev)
{
	struct ilp_thread *t;

	switch (ev->kind) {
	case ILP_EV_TASK_INFO:
		return on_task_info(m, ev);
	case ILP_EV_TASK_NEW:
		return on_task_new(m, ev);
	case ILP_EV_TASK_EXIT:
		t = thread_find(m, ev->tid);
		if (t && t->exited)
			return 0;	/* repeated exit: nothing left to end */
		break;
	case ILP_EV_SCHED_SWITCH: case ILP_EV_WAKEUP: case ILP_EV_LOCK_BEGIN:
	case ILP_EV_LOCK_END: case ILP_EV_BLOCK_QUEUE: case ILP_EV_BLOCK_BACKMERGE:
	case ILP_EV_BLOCK_FRONTMERGE: case ILP_EV_BLOCK_INSERT: case ILP_EV_BLOCK_ISSUE:
	case ILP_EV_BLOCK_REQUEUE: case ILP_EV_BLOCK_RQMERGE: case ILP_EV_BLOCK_COMPLETE:
	case ILP_EV_WB_DIRTY: case ILP_EV_WB_START: case ILP_EV_WB_END:
	case ILP_EV_KSTACK:
		return wait_feed(m, ev);	/* may name untraced tasks: creates none */
	case ILP_EV_URING_CREATE: case ILP_EV_URING_SUBMIT: case ILP_EV_URING_FILE:
	case ILP_EV_URING_ASYNC: case ILP_EV_URING_COMPLETE: case ILP_EV_URING_FAILED:
	case ILP_EV_URING_CQWAIT: case ILP_EV_URING_SHORT:
		return uring_feed(m, ev);	/* io-wq workers, SQPOLL: creates none */
	default:
		break;
	}
	t = thread_of(m, ev);
	if (!t)
		return -ENOMEM;
	if (t->gated && (ev->kind == ILP_EV_SYS_ENTER || ev->kind == ILP_EV_SYS_EXIT) &&
	    gated_call(m, t, ev))
		return 0;
	switch (ev->kind) {
	case ILP_EV_SYS_ENTER:
		if (t->in_call)
			m->cnt.lost_enters++;
		t->in_call = 1;
		t->cur_nr = ev->nr;
		t->cur_ts = ev->ts;
		memcpy(t->cur_args, ev->args, sizeof(t->cur_args));
		ilp_share_enter(&m->sh, &t->sh, ev->ts, counted(m, ev->nr, ev->args));
		return 0;
	case ILP_EV_SYS_EXIT:
		if (t->in_call && t->cur_nr == ev->nr) {
			struct ilp_wtask v;
			unsigned cls = sc_class(m, t->cur_nr);
			int ferr, werr, cerr;

			/* the share first: the fd and wait models count it; then
			 * the fd model: the call's object, even for an fd seen
			 * first now or closed by the call, is its call_obj */
			t->cur_share = ilp_share_exit(&m->sh, &t->sh, ev->ts);
			ferr = ilp_fdm_call(m->fdm, &t->proc->fd, t->tid, t->cur_nr, cls,
					    t->cur_args, ev->ret, t->cur_ts, ev->ts,
					    t->cur_nr == m->nr_uring_enter ? uring_credit(t) :
					    t->cur_share);
			counted_forward(t->proc);
			/* after the fd model (the call's object is set), before
			 * the call closes */
			werr = 0;
			if (!ilp_wait_call_quiet(m->wait, t->wait, t->cur_nr, t->cur_ts, ev->ts)) {
				wtask_fill(t, &v);
				werr = ilp_wait_call_done(m->wait, &v, ev);
			}
			cerr = call_complete(t, ev->ts, ev->ret, cls);
			if (t->cur_nr == m->nr_uring_enter && m->nr_uring_enter >= 0 &&
			    ilp_uring_enter(m->uring, &t->proc->uring, t->proc, t->tid, t->cur_ts,
					    ev->ts, t->cur_args[3]))
				cerr = cerr ? cerr : -ENOMEM;
			return cerr ? cerr : ferr ? ferr : werr;
		}
		m->cnt.unpaired_exits++;
		t->in_call = 0;
		ilp_share_exit(&m->sh, &t->sh, ev->ts);
		return 0;
	case ILP_EV_FD_INFO:
		return fd_info(m, t, ev);
	case ILP_EV_EXEC:
		t->gated = 0;
		ilp_fdm_exec(t->proc->fd);
		counted_forward(t->proc);
		set_comm(t->comm, ev->task.comm);
		set_comm(t->proc->comm, ev->task.comm);
		return 0;
	case ILP_EV_TASK_EXIT:
		return on_task_exit(m, t, ev);
	case ILP_EV_ULOCK_CALL:
	case ILP_EV_ULOCK_RET:
	case ILP_EV_ULOCK_UNLOCK:
		return ilp_holds_feed(m->holds, t->proc->pid, ev);
	default:
		return 0;	/* unknown kinds are counted, not applied */
	}
}

/* ---- API ---- */

struct ilp_model *ilp_model_new(void)
{
	struct ilp_model *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->nr_exit = ilp_syscall_nr("exit");
	m->nr_exit_group = ilp_syscall_nr("exit_group");
	m->nr_execve = ilp_syscall_nr("execve");
	m->nr_execveat = ilp_syscall_nr("execveat");
	m->nr_uring_enter = ilp_syscall_nr("io_uring_enter");
	idle_init(m);
	m->fdm = ilp_fdm_new();
	if (!m->fdm) {
		free(m);
		return NULL;
	}
	m->wait = ilp_wait_new();
	m->holds = ilp_holds_new();
	m->uring = ilp_uring_new();
	if (!m->wait || !m->holds || !m->uring) {
		ilp_wait_free(m->wait);
		ilp_holds_free(m->holds);
		ilp_uring_free(m->uring);
		ilp_fdm_free(m->fdm);
		free(m);
		return NULL;
	}
	return m;
}

void ilp_model_free(struct ilp_model *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->nthreads; i++)
		thread_free(m->threads[i]);
	for (i = 0; i < m->nprocs; i++)
		proc_free(m->procs[i]);
	free(m->threads);
	free(m->procs);
	ilp_idmap_release(&m->tmap);
	ilp_idmap_release(&m->pmap);
	ilp_fdm_free(m->fdm);
	ilp_wait_free(m->wait);
	ilp_holds_free(m->holds);
	ilp_uring_free(m->uring);
	free(m);
}

int ilp_model_feed(struct ilp_model *m, const struct ilp_event *ev)
{
	int err;

	if (m->finished)
		return -EINVAL;
	m->cnt.events++;
	if (m->cnt.events == 1) {
		m->first_ts = ev->ts;
		m->last_ts = ev->ts;
	} else {
		if (ev->ts < m->prev_ts)
			m->cnt.out_of_order++;
		if (ev->ts < m->first_ts)
			m->first_ts = ev->ts;
		if (ev->ts > m->last_ts)
			m->last_ts = ev->ts;
	}
	m->prev_ts = ev->ts;
	err = apply(m, ev);
	if (err)
		m->cnt.dropped++;
	return err;
}

int ilp_model_feed_many(struct ilp_model *m, const struct ilp_event *ev, size_t n)
{
	int err = 0, e;
	size_t i;

	for (i = 0; i < n; i++) {
		e = ilp_model_feed(m, &ev[i]);
		if (e == -EINVAL)
			return e;
		if (e && !err)
			err = e;
	}
	return err;
}

static void reset_unfinished(struct ilp_model *m)
{
	size_t i;

	for (i = 0; i < m->nthreads; i++)
		sc_reset_unfinished(&m->threads[i]->sc);
	for (i = 0; i < m->nprocs; i++)
		sc_reset_unfinished(&m->procs[i]->sc);
}

void ilp_model_finish(struct ilp_model *m, uint64_t end_ts)
{
	size_t i;

	if (m->finished)
		return;
	reset_unfinished(m);
	for (i = 0; i < m->nthreads; i++) {
		struct ilp_thread *t = m->threads[i];

		if (t->in_call && call_close_unfinished(m, t, end_ts))
			m->cnt.dropped++;
	}
	ilp_uring_finish(m->uring);
	m->finished = 1;
}

static int thread_cmp(const void *a, const void *b)
{
	const struct ilp_thread *x = *(const struct ilp_thread *const *)a;
	const struct ilp_thread *y = *(const struct ilp_thread *const *)b;

	if (x->retired != y->retired)
		return x->retired - y->retired;
	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

static int proc_cmp(const void *a, const void *b)
{
	const struct ilp_proc *x = *(const struct ilp_proc *const *)a;
	const struct ilp_proc *y = *(const struct ilp_proc *const *)b;

	if (x->retired != y->retired)
		return x->retired - y->retired;
	if (x->total_ns != y->total_ns)
		return x->total_ns > y->total_ns ? -1 : 1;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

int ilp_model_index(struct ilp_model *m, uint64_t now_ts)
{
	int err = 0;
	size_t i;

	reset_unfinished(m);
	/* in-progress calls, shown as unfinished up to now_ts, not closed */
	for (i = 0; i < m->nthreads; i++) {
		struct ilp_thread *t = m->threads[i];
		struct sc_entry *te, *pe;
		uint64_t dur;

		if (!t->in_call)
			continue;
		te = sc_get_or_add(&t->sc, t->cur_nr, 0);
		pe = sc_get_or_add(&t->proc->sc, t->cur_nr, 1);
		if (!te || !pe) {
			err = -ENOMEM;
			continue;
		}
		dur = now_ts > t->cur_ts ? now_ts - t->cur_ts : 0;
		te->pub.unfinished++;
		te->pub.unfinished_ns += dur;
		pe->pub.unfinished++;
		pe->pub.unfinished_ns += dur;
	}
	for (i = 0; i < m->nthreads; i++)
		sc_sort(&m->threads[i]->sc);
	for (i = 0; i < m->nprocs; i++) {
		struct ilp_proc *p = m->procs[i];

		sc_sort(&p->sc);
		if (p->wait)
			offcpu_totals(p);
		if (ilp_calls_index(p->top))
			err = -ENOMEM;
		if (ilp_fdm_index(p->fd, m->finished))
			err = -ENOMEM;
		counted_forward(p);
		if (p->nthreads > 1)
			qsort(p->threads, p->nthreads, sizeof(*p->threads), thread_cmp);
	}
	if (m->nprocs > 1)
		qsort(m->procs, m->nprocs, sizeof(*m->procs), proc_cmp);
	if (ilp_wait_index(m->wait))
		err = -ENOMEM;
	if (ilp_holds_index(m->holds))
		err = -ENOMEM;
	if (ilp_uring_index(m->uring))
		err = -ENOMEM;
	return err;
}

int ilp_model_reset_stats(struct ilp_model *m)
{
	int err = 0;
	size_t i;

	for (i = 0; i < m->nthreads; i++) {
		struct ilp_thread *t = m->threads[i];

		sc_zero(&t->sc);
		t->total_ns = t->calls = 0;
		if (t->exited && !t->retired) {
			t->retired = 1;
			t->proc->nretired++;
		}
	}
	for (i = 0; i < m->nprocs; i++) {
		struct ilp_proc *p = m->procs[i];

		sc_zero(&p->sc);
		p->total_ns = p->calls = p->share_ns = 0;
		ilp_calls_reset(p->top);
		if (ilp_fdm_reset(p->fd))
			err = -ENOMEM;
		counted_forward(p);
		if (p->exited && !p->retired) {
			p->retired = 1;
			m->nretired++;
		}
	}
	ilp_wait_reset(m->wait);
	ilp_holds_reset(m->holds);
	ilp_uring_reset_stats(m->uring);
	memset(&m->cnt, 0, sizeof(m->cnt));
	m->first_ts = m->last_ts = 0;
	return err;
}

/* ---- continuous capture: gaps and pruning ---- */

void ilp_model_gap(struct ilp_model *m, uint64_t ts)
{
	size_t i;

	for (i = 0; i < m->nthreads; i++) {
		struct ilp_thread *t = m->threads[i];

		if (!t->in_call)
			continue;
		/* neither completed nor unfinished: not seen to its end */
		t->in_call = 0;
		t->cur_share = 0;
		ilp_share_exit(&m->sh, &t->sh, ts);
	}
	ilp_wait_gap(m->wait);
}

/* drops t from the maps and the wait model; the caller compacts arrays */
static void thread_drop(struct ilp_model *m, struct ilp_thread *t)
{
	if (ilp_idmap_peek(&m->tmap, (uint64_t)t->tid) == t)
		ilp_idmap_del(&m->tmap, (uint64_t)t->tid);
	ilp_wait_forget_thread(m->wait, t->wait);
	thread_free(t);
}

void ilp_model_prune(struct ilp_model *m)
{
	size_t i, j, k;

	/* threads: from their process's list, then the model's */
	for (i = 0; i < m->nprocs; i++) {
		struct ilp_proc *p = m->procs[i];

		for (j = k = 0; j < p->nthreads; j++) {
			if (p->threads[j]->exited)
				continue;
			p->threads[k++] = p->threads[j];
		}
		p->nthreads = k;
		p->nretired = 0;
	}
	for (i = k = 0; i < m->nthreads; i++) {
		struct ilp_thread *t = m->threads[i];

		if (t->exited)
			thread_drop(m, t);
		else
			m->threads[k++] = t;
	}
	m->nthreads = k;
	/* processes: exited with no thread left (a live thread keeps one) */
	for (i = k = 0; i < m->nprocs; i++) {
		struct ilp_proc *p = m->procs[i];

		if (!p->exited || p->nthreads) {
			p->retired = 0;	/* kept: listed again */
			m->procs[k++] = p;
			continue;
		}
		if (ilp_idmap_peek(&m->pmap, (uint64_t)p->pid) == p)
			ilp_idmap_del(&m->pmap, (uint64_t)p->pid);
		ilp_wait_forget_proc(m->wait, p->wait);
		proc_free(p);
	}
	m->nprocs = k;
	m->nretired = 0;
}

void ilp_model_size(const struct ilp_model *m, size_t *nprocs, size_t *nthreads)
{
	*nprocs = m->nprocs;
	*nthreads = m->nthreads;
}

const struct ilp_model_counters *ilp_model_counters(const struct ilp_model *m)
{
	return &m->cnt;
}

uint64_t ilp_model_first_ts(const struct ilp_model *m)
{
	return m->first_ts;
}

uint64_t ilp_model_last_ts(const struct ilp_model *m)
{
	return m->last_ts;
}

/* the candidate (p, nr) with ns in it so far, if it beats *out */
static void top_wait_consider(const struct ilp_proc *p, int nr, uint64_t ns, uint64_t calls,
			      const struct ilp_proc **best, struct ilp_top_wait *out)
{
	if (*best && ns <= out->ns)
		return;
	*best = p;
	out->nr = nr;
	out->ns = ns;
	out->calls = calls;
}

int ilp_model_top_wait(const struct ilp_model *m, uint64_t now_ts, struct ilp_top_wait *out)
{
	/* in-progress time by slot, for the slots of calls in progress only:
	 * one pass over the threads and one over the syscalls per process */
	static _Thread_local uint64_t inprog[ILP_SC_MAX + 1];
	const struct ilp_proc *best = NULL;
	size_t i, j;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < m->nprocs - m->nretired; i++) {
		const struct ilp_proc *p = m->procs[i];

		for (j = 0; j < p->nthreads; j++) {
			const struct ilp_thread *t = p->threads[j];

			if (t->in_call && now_ts > t->cur_ts)
				inprog[sc_slot(t->cur_nr)] += now_ts - t->cur_ts;
		}
		for (j = 0; j < p->sc.n; j++) {
			const struct ilp_sc_stats *st = &p->sc.list[j]->pub;

			top_wait_consider(p, st->nr, st->total_ns + inprog[sc_slot(st->nr)],
					  st->calls, &best, out);
		}
		/* a first call still in progress has no entry yet; then clear
		 * the slots used */
		for (j = 0; j < p->nthreads; j++) {
			const struct ilp_thread *t = p->threads[j];
			int slot = sc_slot(t->cur_nr);

			if (!t->in_call || !inprog[slot])
				continue;
			if (!sc_get(&p->sc, t->cur_nr))
				top_wait_consider(p, t->cur_nr, inprog[slot], 0, &best, out);
			inprog[slot] = 0;
		}
	}
	if (!best)
		return -ENOENT;
	out->pid = best->pid;
	out->comm = best->comm;
	return 0;
}

size_t ilp_model_nprocs(const struct ilp_model *m)
{
	return m->nprocs - m->nretired;
}

const struct ilp_proc *ilp_model_proc(const struct ilp_model *m, size_t i)
{
	return i < m->nprocs - m->nretired ? m->procs[i] : NULL;
}

const struct ilp_proc *ilp_model_find_proc(const struct ilp_model *m, int pid)
{
	return ilp_idmap_peek(&m->pmap, pid);
}

int ilp_proc_pid(const struct ilp_proc *p)
{
	return p->pid;
}

const char *ilp_proc_comm(const struct ilp_proc *p)
{
	return p->comm;
}

size_t ilp_proc_nthreads_seen(const struct ilp_proc *p)
{
	return p->nthreads - p->nretired;
}

uint64_t ilp_proc_total_ns(const struct ilp_proc *p)
{
	return p->total_ns;
}

uint64_t ilp_proc_share_ns(const struct ilp_proc *p)
{
	return p->share_ns;
}

uint64_t ilp_proc_calls(const struct ilp_proc *p)
{
	return p->calls;
}

int ilp_proc_exited(const struct ilp_proc *p)
{
	return p->exited;
}

size_t ilp_proc_nsyscalls(const struct ilp_proc *p)
{
	return p->sc.nview;
}

const struct ilp_sc_stats *ilp_proc_syscall(const struct ilp_proc *p, size_t i)
{
	return i < p->sc.nview ? &p->sc.list[i]->pub : NULL;
}

const struct ilp_sc_stats *ilp_proc_find_syscall(const struct ilp_proc *p, int nr)
{
	const struct sc_entry *e = sc_get(&p->sc, nr);

	return e && sc_visible(e) ? &e->pub : NULL;
}

const struct ilp_thread *ilp_proc_thread(const struct ilp_proc *p, size_t i)
{
	return i < p->nthreads - p->nretired ? p->threads[i] : NULL;
}

int ilp_thread_tid(const struct ilp_thread *t)
{
	return t->tid;
}

int ilp_thread_pid(const struct ilp_thread *t)
{
	return t->proc ? t->proc->pid : t->tid;
}

const char *ilp_thread_comm(const struct ilp_thread *t)
{
	return t->comm;
}

uint64_t ilp_thread_total_ns(const struct ilp_thread *t)
{
	return t->total_ns;
}

uint64_t ilp_thread_calls(const struct ilp_thread *t)
{
	return t->calls;
}

int ilp_thread_exited(const struct ilp_thread *t)
{
	return t->exited;
}

size_t ilp_thread_nsyscalls(const struct ilp_thread *t)
{
	return t->sc.nview;
}

const struct ilp_sc_stats *ilp_thread_syscall(const struct ilp_thread *t, size_t i)
{
	return i < t->sc.nview ? &t->sc.list[i]->pub : NULL;
}

const struct ilp_sc_stats *ilp_thread_find_syscall(const struct ilp_thread *t, int nr)
{
	const struct sc_entry *e = sc_get(&t->sc, nr);

	return e && sc_visible(e) ? &e->pub : NULL;
}

const struct ilp_thread *ilp_model_find_thread(const struct ilp_model *m, int tid)
{
	return ilp_idmap_peek(&m->tmap, tid);
}

int ilp_thread_current_call(const struct ilp_thread *t, int *nr, uint64_t *enter_ts,
			    const uint64_t **args)
{
	if (!t->in_call)
		return 0;
	if (nr)
		*nr = t->cur_nr;
	if (enter_ts)
		*enter_ts = t->cur_ts;
	if (args)
		*args = t->cur_args;
	return 1;
}

const struct ilp_calls *ilp_proc_top_calls(const struct ilp_proc *p)
{
	return p->top;
}

const struct ilp_fdproc *ilp_proc_fds(const struct ilp_proc *p)
{
	return p->fd;
}

#define PEER_AFTER_NS 50000000ull	/* blocked this long (without --slow): ask */

int ilp_model_name_peers(struct ilp_model *m, uint64_t now_ts, ilp_peer_fn fn, void *ctx)
{
	uint64_t slow = ilp_model_slow(m), after = slow ? slow / 2 : PEER_AFTER_NS;
	size_t i;
	int err = 0;

	for (i = 0; i < m->nthreads && !err; i++) {
		const struct ilp_thread *t = m->threads[i];
		unsigned cls;

		if (t->exited || !t->in_call || t->cur_nr < 0 || t->cur_nr >= ILP_SC_MAX)
			continue;
		cls = ilp_syscall_class(t->cur_nr);
		if (!(cls & ILP_SC_READ) || !(cls & ILP_SC_FD0) || now_ts < t->cur_ts + after)
			continue;
		err = ilp_fdm_name_peer(t->proc->fd, t->proc->pid, (int)t->cur_args[0], fn, ctx);
	}
	return err;
}

/* ---- the wait models' public entry points (waitmodel.h) ---- */

void ilp_model_set_slow(struct ilp_model *m, uint64_t ns)
{
	ilp_wait_set_slow(m->wait, ns);
}

uint64_t ilp_model_slow(const struct ilp_model *m)
{
	return ilp_wait_slow(m->wait);
}

int ilp_wait_name_objects(struct ilp_model *m, ilp_namer_fn fn, void *ctx)
{
	int err = ilp_wait_name(m->wait, fn, ctx), herr;

	herr = ilp_holds_name(m->holds, fn, ctx);
	return err ? err : herr < 0 ? herr : 0;
}

const struct ilp_hproc *ilp_model_hproc(const struct ilp_model *m, int pid)
{
	return ilp_holds_proc(m->holds, pid);
}

const struct ilp_hold_counters *ilp_model_hold_counters(const struct ilp_model *m)
{
	return ilp_holds_counters(m->holds);
}

const struct ilp_uproc *ilp_proc_uring(const struct ilp_proc *p)
{
	return p->uring;
}

const struct ilp_wproc *ilp_proc_wait(const struct ilp_proc *p)
{
	return p->wait;
}

size_t ilp_model_nblkdevs(const struct ilp_model *m)
{
	return ilp_blk_ndevs(m->wait);
}

const struct ilp_blkdev *ilp_model_blkdev(const struct ilp_model *m, size_t i)
{
	return ilp_blk_dev(m->wait, i);
}

const struct ilp_blkdev *ilp_model_find_blkdev(const struct ilp_model *m, uint32_t dev)
{
	return ilp_blk_find_dev(m->wait, dev);
}
