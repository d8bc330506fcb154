/* SPDX-License-Identifier: MIT */
#ifndef ILP_WAIT_INTERNAL_H
#define ILP_WAIT_INTERNAL_H

/*
 * Private between model.c and the wait models (model_wait.c, model_sched.c,
 * model_block.c, model_lock.c).  model.c owns the wait models and calls
 * down into them; they never call back up: what they need of a thread, its
 * process and its call comes in a struct ilp_wtask that model.c fills for
 * the event at hand.  model.c keeps one pointer per model, process and
 * thread; the wait models own every record they create (freed by
 * ilp_wait_free), so the pointers in model.c's records are borrowed.
 */

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "idmap.h"
#include "share_internal.h"
#include "syscalls.h"
#include "waitmodel.h"

struct ilp_wait;
struct ilp_wthread;
struct ilp_wproc;
struct ilp_blk;
struct ilp_fdproc;
struct ilp_fdobj;

/*
 * A traced thread as model.c shows it to the wait models, for one event.
 * The slots are model.c's: a wait model stores there the record it makes
 * (ilp_wthread_of, ilp_wproc_of), so they are read through, never copied.
 * comm points at model.c's array, renamed in place by an exec: read when
 * needed, it is the process's name at that time.  Filling one costs a few
 * stores and no lookup, so the per-event paths stay as cheap as before.
 */
struct ilp_wtask {
	int tid, pid;
	const char *comm;		/* the process's comm */
	struct ilp_wthread **wt;	/* the thread's wait record, NULL until made */
	struct ilp_wproc **wp;		/* its process's */
	const struct ilp_fdproc *fd;	/* its process's fd model, the call already fed to it */
	struct ilp_share_slot *sh;	/* its counted call (a kernel lock wait carves it) */
	/* the call it is inside (enter seen, no exit yet), if in_call */
	int in_call;
	int nr;
	uint64_t enter_ts;
	const uint64_t *args;		/* its six arguments */
	uint64_t share;			/* at the call's exit: its wall share (model_share.c) */
};

/* ---- hooks model.c calls (model_wait.c) ---- */
struct ilp_wait *ilp_wait_new(void);		/* NULL on ENOMEM */
void ilp_wait_free(struct ilp_wait *w);		/* NULL ok */
/*
 * The sched, lock and block events come to the model of their kind
 * (ilp_sched_switch, ilp_sched_wakeup, ilp_lock_kernel, ilp_blk_feed) with
 * the traced threads they name: model.c looks them up before creating any
 * thread for them (NULL: a task the model does not trace).
 */
/* t completes its call (t->in_call, t->share set) with exit event ev */
int ilp_wait_call_done(struct ilp_wait *w, const struct ilp_wtask *t, const struct ilp_event *ev);
/* after the off-CPU rows got their totals (ilp_sched_row) */
int ilp_wait_index(struct ilp_wait *w);
/* naming passes (ilp_wait_name_objects): 0 or -ENOMEM */
int ilp_wait_name(struct ilp_wait *w, ilp_namer_fn fn, void *ctx);
void ilp_wait_set_slow(struct ilp_wait *w, uint64_t ns);
/*
 * A new window (ilp_model_reset_stats): every count, time and kept record
 * (off-CPU rows, blocking rows, slow calls, lock counts, disk requests)
 * starts again from 0; what is in progress (a thread off the CPU, a kernel
 * lock wait, a request in flight, who woke a call) and what is known
 * (lock and device names, dirtied inodes) stays.
 */
void ilp_wait_reset(struct ilp_wait *w);
uint64_t ilp_wait_slow(const struct ilp_wait *w);
/*
 * A capture gap (ilp_model_gap): what was in progress is forgotten (a
 * thread off the CPU, a kernel lock wait, who woke a call, the call the
 * off-CPU accumulators belong to), so nothing spans the gap.
 */
void ilp_wait_gap(struct ilp_wait *w);
/* pruning (ilp_model_prune): a dropped thread's or process's records, freed
 * (NULL ok); disk requests and dirtied inodes that named the process
 * become untraced ones */
void ilp_wait_forget_thread(struct ilp_wait *w, struct ilp_wthread *wt);
void ilp_wait_forget_proc(struct ilp_wait *w, struct ilp_wproc *wp);

/* ---- shared between the wait models ---- */

int ilp_wgrow(void **arr, size_t *cap, size_t need, size_t elem);
/* adds one (count) to tid's count in a set kept sorted by count desc */
void ilp_tidset_add(struct ilp_tidcount *set, size_t *n, uint64_t *more, int tid);
void ilp_tidset_add_n(struct ilp_tidcount *set, size_t *n, uint64_t *more, int tid, uint64_t count);

struct ilp_wthread {
	int tid;
	/* sched: the thread is off the CPU since off_ts (0: on it) */
	uint64_t off_ts, wake_ts;
	int off_state;			/* enum ilp_off_state */
	uint64_t acc_enter_ts;		/* the call the accumulators below belong to */
	uint64_t acc_off[ILP_OFF_NSTATES];
	/* lock: who woke the thread during its call acc_enter_ts */
	int waker_tid;
	uint64_t waker_enter_ts;
	/* kernel lock contention in progress */
	int kl_pending;
	uint32_t kl_flags;
	uint64_t kl_addr, kl_ts;
	ilp_share_t kl_mark;		/* the share integral at its begin */
	/* block: device of the last bio submitted during call blk_enter_ts */
	uint32_t blk_dev;
	uint64_t blk_enter_ts;
	/* ksleep: the stack of the sleep in progress (id + 1, 0: none), and
	 * the longest sleep of call ks_enter_ts (ksleep.c) */
	uint32_t ks_sid, ks_top;
	uint64_t ks_enter_ts, ks_top_ns;
};

struct ulock;
struct klock;
struct blocking;
struct ks_row;
struct ilp_ksleep;
struct ilp_ksleeps;

struct ilp_wproc {
	int pid;
	const char *comm;		/* model.c's array for the process (ilp_wtask) */
	/* sched */
	struct ilp_sc_offcpu *offcpu_by_nr[ILP_SC_MAX + 1];
	struct ilp_sc_offcpu **offcpu;
	size_t noffcpu, offcpu_cap;
	struct ilp_idmap block_map;	/* hash of (tid, nr, obj, fobj) -> chain of struct blocking */
	struct ilp_blocking **blocking;
	size_t nblocking, blocking_cap;
	size_t nblocking_shown;		/* rows with calls (a renamed call can empty one) */
	struct {			/* the last call added to a row, for a rename */
		struct ilp_blocking *row;
		int tid;
		uint64_t enter_ts, lat;
		uint64_t off[ILP_OFF_NSTATES];
		uint32_t ks_sid;	/* its longest sleep's stack (ksleep), 0: none */
		uint64_t ks_ns;
	} last_block;
	struct ilp_slow_call *slow;
	size_t nslow, slow_cap;
	uint64_t slow_dropped;
	/* locks: at most ILP_ULOCK_MAX / ILP_KLOCK_MAX kept apart, the rest
	 * counted together in the *_more records (not in the arrays) */
	uint64_t futex_calls;
	struct ilp_idmap ulock_map;
	struct ulock **ulocks;
	size_t nulocks, ulocks_cap, nulocks_view;
	size_t nulocks_nosleep;		/* kept ones that never slept: let go first */
	struct ulock *ulock_more;
	struct ilp_idcount ulock_more_addrs;
	struct ilp_idmap klock_map;
	struct klock **klocks;
	size_t nklocks, klocks_cap, nklocks_view;	/* view: those with waits, first */
	struct klock *klock_more;
	struct ilp_idcount klock_more_addrs;
	/* block */
	struct ilp_blk_stats blk;
	int has_blk;
	struct ilp_blk_stats wb;	/* written back by kernel threads, dirtied by it */
	int has_wb;
	/* ksleep: (syscall, stack) rows, and per (syscall, function) at index */
	struct ilp_idmap ks_map;
	struct ks_row **ks_rows;
	size_t nks, ks_cap;
	struct ilp_ksleep *ksv;
	size_t nksv, ksv_cap;
};

struct ilp_wait {
	uint64_t slow_ns;
	int nr_futex, nr_futex_waitv, nr_futex_wait, nr_futex_wake;
	int nr_nanosleep, nr_clock_nanosleep, nr_wait4, nr_waitid;
	struct ilp_wproc **procs;
	size_t nprocs, pcap;
	struct ilp_wthread **threads;
	size_t nthreads, tcap;
	struct ilp_blk *blk;
	struct ilp_ksleeps *ks;		/* sleep stacks, made at the first one */
	uint64_t unnamed;		/* objects created since the last naming pass */
};

/*
 * 1 if ilp_wait_call_done() of the call nr of a thread (its record wt,
 * NULL if none) from enter_ts to exit_ts would do nothing: no sleep of
 * the thread to end, no off-CPU time of this call, not slow, not a futex
 * call.  The hot path's test (model.c), before it fills a struct ilp_wtask;
 * it must say 0 wherever ilp_sched_call_done or ilp_lock_call_done acts.
 */
static inline int ilp_wait_call_quiet(const struct ilp_wait *w, const struct ilp_wthread *wt,
				      int nr, uint64_t enter_ts, uint64_t exit_ts)
{
	uint64_t lat = exit_ts > enter_ts ? exit_ts - enter_ts : 0;

	if (wt && (wt->off_ts || (wt->acc_enter_ts == enter_ts &&
				  (wt->acc_off[0] | wt->acc_off[1] | wt->acc_off[2]))))
		return 0;
	if (w->slow_ns && lat >= w->slow_ns)
		return 0;
	return nr != w->nr_futex && nr != w->nr_futex_waitv && nr != w->nr_futex_wait &&
	       nr != w->nr_futex_wake;
}

/* t's records, created in its slots if needed; NULL on ENOMEM */
struct ilp_wthread *ilp_wthread_of(struct ilp_wait *w, const struct ilp_wtask *t);
struct ilp_wproc *ilp_wproc_of(struct ilp_wait *w, const struct ilp_wtask *t);

/* model_sched.c */
/* prev leaves the CPU, next takes it (each NULL if not traced) */
void ilp_sched_switch(struct ilp_wait *w, const struct ilp_event *ev, const struct ilp_wtask *prev,
		      const struct ilp_wtask *next);
/* t (NULL if not traced) is woken by ev->tid */
void ilp_sched_wakeup(struct ilp_wait *w, const struct ilp_event *ev, const struct ilp_wtask *t);
int ilp_sched_call_done(struct ilp_wait *w, const struct ilp_wtask *t, struct ilp_wthread *wt,
			const struct ilp_event *ev);
/* the off-CPU rows, unsorted (NULL past the last): before each index
 * model.c gives each its syscall's completed calls and their wall time
 * (calls, total_ns) */
struct ilp_sc_offcpu *ilp_sched_row(struct ilp_wproc *wp, size_t i);
/* after ilp_ksleep_resolve: blocking rows and slow calls learn where they slept */
int ilp_sched_index(const struct ilp_wait *w, struct ilp_wproc *wp);
/* tid's call entered at enter_ts, kept on fd object from, is on to now
 * (ilp_fdproc_take_rename): its slow call and blocking row follow.  0 or -ENOMEM */
int ilp_sched_renamed(struct ilp_wproc *wp, int tid, uint64_t enter_ts,
		      const struct ilp_fdobj *from, const struct ilp_fdobj *to);
/* tid's call entered at enter_ts was counted on fd object o once the source
 * named it (ilp_fdproc_take_counted): its slow call learns its cell */
void ilp_sched_counted(struct ilp_wproc *wp, int tid, uint64_t enter_ts,
		       const struct ilp_fdobj *o);
void ilp_sched_release(struct ilp_wproc *wp);
void ilp_sched_reset(struct ilp_wproc *wp);

/* model_lock.c */
int ilp_lock_call_done(struct ilp_wait *w, const struct ilp_wtask *t, struct ilp_wthread *wt,
		       const struct ilp_event *ev);
/* LOCK_BEGIN/END of t (NULL if not traced); clock: the model's wall share */
int ilp_lock_kernel(struct ilp_wait *w, struct ilp_share_clock *clock, const struct ilp_event *ev,
		    const struct ilp_wtask *t);
void ilp_lock_index(struct ilp_wproc *wp);
void ilp_lock_release(struct ilp_wproc *wp);
void ilp_lock_reset(struct ilp_wproc *wp);
/* naming passes: objects left to ask again (-EAGAIN), or -ENOMEM */
int ilp_lock_name(struct ilp_wproc *wp, ilp_namer_fn fn, void *ctx);

/* ksleep.c (include/ksleep.h) */
void ilp_ksleeps_free(struct ilp_ksleeps *ks);		/* NULL ok */
/* KSTACK event: the stack of the sleep t (NULL: untraced) just began; 0 or -ENOMEM */
int ilp_ksleep_stack(struct ilp_wait *w, const struct ilp_event *ev, const struct ilp_wtask *t);
/* t's sleep (wt->off_ts) ends at ts: called before the off-CPU interval is
 * closed; 0 or -ENOMEM */
int ilp_ksleep_end(struct ilp_wait *w, const struct ilp_wtask *t, struct ilp_wthread *wt,
		   uint64_t ts);
/* the stack (id + 1, 0: none) of the longest sleep of the call entered at enter_ts */
uint32_t ilp_ksleep_call_top(const struct ilp_wthread *wt, uint64_t enter_ts);
/* naming pass: stacks left to ask again (-EAGAIN), or -ENOMEM */
int ilp_ksleep_name(struct ilp_wait *w, ilp_namer_fn fn, void *ctx);
/* at index, first: each stack's sleeping function from the names known */
int ilp_ksleep_resolve(struct ilp_wait *w);
/* stack id + 1 -> its function (NULL: unknown) and reason, after resolve */
const char *ilp_ksleep_func(const struct ilp_wait *w, uint32_t sid, const char **reason);
/* a process's rows per (syscall, function), after resolve */
int ilp_ksleep_index(const struct ilp_wait *w, struct ilp_wproc *wp);
void ilp_ksleep_release(struct ilp_wproc *wp);
void ilp_ksleep_reset(struct ilp_wproc *wp);

/* model_block.c */
struct ilp_blk *ilp_blk_new(void);
void ilp_blk_free(struct ilp_blk *b);
/*
 * BLOCK_* and WB_* events: 0, -ENOMEM, or ILP_BLK_ASK when the task that
 * emitted ev may be a traced thread the event needs (a request's
 * submitter, a page's dirtier): model.c then looks ev->tid up and gives
 * the rest of the event to ilp_blk_feed_task (t NULL if not traced).  The
 * lookup stays where it was: only for the events that use it.
 */
#define ILP_BLK_ASK 1
int ilp_blk_feed(struct ilp_wait *w, const struct ilp_event *ev);
int ilp_blk_feed_task(struct ilp_wait *w, const struct ilp_event *ev, const struct ilp_wtask *t);
int ilp_blk_index(struct ilp_blk *b);
int ilp_blk_name(struct ilp_blk *b, ilp_namer_fn fn, void *ctx);
void ilp_blk_stats_release(struct ilp_blk_stats *s);
void ilp_blk_reset(struct ilp_blk *b);
/* wp is going: what names it names an untraced submitter (ilp_wait_forget_proc) */
void ilp_blk_forget_proc(struct ilp_blk *b, const struct ilp_wproc *wp);
int ilp_blk_stats_add(struct ilp_blk_stats *s, int op, uint32_t bytes, int error,
		      uint64_t q2c, uint64_t d2c);
/* the devices, for the public accessors model.c implements */
size_t ilp_blk_ndevs(const struct ilp_wait *w);
const struct ilp_blkdev *ilp_blk_dev(const struct ilp_wait *w, size_t i);
const struct ilp_blkdev *ilp_blk_find_dev(const struct ilp_wait *w, uint32_t dev);

#endif
