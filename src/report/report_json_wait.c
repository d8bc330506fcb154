// SPDX-License-Identifier: MIT
/*
 * JSON report sections for the waiting below the syscall (waitmodel.h):
 * block devices, per-process disk I/O, user and kernel locks, off-CPU
 * time per syscall, top blocking calls, slow calls; and --stacks call
 * sites (stacks.h).  Shapes are documented in docs/report.schema.json.
 */

#include <stdio.h>

#include "holdmodel.h"
#include "json.h"
#include "ksleep.h"
#include "report_json_parts.h"
#include "report_wait.h"
#include "stacks.h"
#include "syscalls.h"
#include "waitmodel.h"

static const char *const off_keys[ILP_OFF_NSTATES] = { "off_s_ns", "off_d_ns", "off_r_ns" };

void ilp_json_hist(struct ilp_jw *w, const struct ilp_hist *h, const char *unit)
{
	uint64_t slot[65];
	int n = ilp_hist_log2(h, slot);
	char lo_key[16], hi_key[16];

	snprintf(lo_key, sizeof(lo_key), "lo_%s", unit);
	snprintf(hi_key, sizeof(hi_key), "hi_%s", unit);
	ilp_jw_key(w, "histogram");
	ilp_jw_obj_begin(w);
	ilp_jw_kstr(w, "scale", "log2");
	ilp_jw_kstr(w, "unit", unit);
	ilp_jw_key(w, "buckets");
	ilp_jw_arr_begin(w);
	for (int i = 0; i < n; i++) {
		if (!slot[i])
			continue;
		ilp_jw_obj_begin(w);
		ilp_jw_ku64(w, lo_key, i ? UINT64_C(1) << (i - 1) : 0);
		ilp_jw_ku64(w, hi_key, i == 0 ? 0 : i == 64 ? UINT64_MAX : (UINT64_C(1) << i) - 1);
		ilp_jw_ku64(w, "count", slot[i]);
		ilp_jw_obj_end(w);
	}
	ilp_jw_arr_end(w);
	ilp_jw_obj_end(w);
}

/* count, total, avg, p50/p90/p99, max of a latency histogram; with_hist: its buckets */
static void latency(struct ilp_jw *w, const char *key, const struct ilp_hist *h, int with_hist)
{
	uint64_t n = h ? ilp_hist_count(h) : 0;

	ilp_jw_key(w, key);
	ilp_jw_obj_begin(w);
	ilp_jw_ku64(w, "count", n);
	ilp_jw_ku64(w, "total_ns", n ? ilp_hist_sum(h) : 0);
	ilp_jw_ku64_or_null(w, "p50_ns", n != 0, n ? ilp_hist_percentile(h, 50) : 0);
	ilp_jw_ku64_or_null(w, "p90_ns", n != 0, n ? ilp_hist_percentile(h, 90) : 0);
	ilp_jw_ku64_or_null(w, "p99_ns", n != 0, n ? ilp_hist_percentile(h, 99) : 0);
	ilp_jw_ku64_or_null(w, "max_ns", n != 0, n ? ilp_hist_max(h) : 0);
	if (n && with_hist)
		ilp_json_hist(w, h, "ns");
	ilp_jw_obj_end(w);
}

static void blk_stats(struct ilp_jw *w, const struct ilp_blk_stats *s)
{
	static const char *const ops[ILP_BLK_NOPS] = { "read", "write", "flush", "discard", "other" };

	ilp_jw_ku64(w, "requests", s->requests);
	ilp_jw_ku64(w, "bytes", s->bytes);
	ilp_jw_ku64(w, "errors", s->errors);
	ilp_jw_key(w, "ops");
	ilp_jw_obj_begin(w);
	for (int i = 0; i < ILP_BLK_NOPS; i++) {
		ilp_jw_key(w, ops[i]);
		ilp_jw_obj_begin(w);
		ilp_jw_ku64(w, "requests", s->ops[i]);
		ilp_jw_ku64(w, "bytes", s->op_bytes[i]);
		ilp_jw_obj_end(w);
	}
	ilp_jw_obj_end(w);
	latency(w, "queue_to_complete", s->q2c, 1);
	latency(w, "issue_to_complete", s->d2c, 1);
	ilp_jw_key(w, "size");
	ilp_jw_obj_begin(w);
	if (s->size && ilp_hist_count(s->size))
		ilp_json_hist(w, s->size, "bytes");
	ilp_jw_obj_end(w);
}

void ilp_json_devices(struct ilp_jw *w, const struct ilp_model *m)
{
	char name[32], dev[24];

	ilp_jw_key(w, "devices");
	ilp_jw_arr_begin(w);
	for (size_t i = 0; i < ilp_model_nblkdevs(m); i++) {
		const struct ilp_blkdev *d = ilp_model_blkdev(m, i);
		const struct ilp_blk_stats *s = ilp_blkdev_stats(d);
		uint32_t dv = ilp_blkdev_dev(d);

		snprintf(dev, sizeof(dev), "%u:%u", dv >> 20, dv & 0xfffff);
		ilp_jw_obj_begin(w);
		ilp_jw_kstr(w, "name", ilp_wait_dev_name(m, dv, name, sizeof(name)));
		ilp_jw_kstr(w, "dev", dev);
		/* device time: issue -> complete, summed (what diff compares) */
		ilp_jw_ku64(w, "total_ns", s->d2c ? ilp_hist_sum(s->d2c) : 0);
		ilp_jw_ku64(w, "merges", ilp_blkdev_merges(d));
		ilp_jw_ku64(w, "requeues", ilp_blkdev_requeues(d));
		ilp_jw_ku64(w, "unmatched", ilp_blkdev_unmatched(d));
		blk_stats(w, s);
		ilp_jw_key(w, "submitters");
		ilp_jw_arr_begin(w);
		for (size_t k = 0; k < ilp_blkdev_nsubmitters(d); k++) {
			const struct ilp_blk_submitter *sb = ilp_blkdev_submitter(d, k);

			ilp_jw_obj_begin(w);
			ilp_jw_ku64_or_null(w, "pid", sb->pid != 0, (uint64_t)sb->pid);
			ilp_jw_kstr(w, "comm", sb->comm);
			ilp_jw_kbool(w, "kernel_thread", sb->kernel);
			blk_stats(w, &sb->st);
			ilp_jw_obj_end(w);
		}
		ilp_jw_arr_end(w);
		ilp_jw_obj_end(w);
	}
	ilp_jw_arr_end(w);
}

static void tidset(struct ilp_jw *w, const char *key, const struct ilp_tidcount *set, size_t n,
		   uint64_t more)
{
	char mkey[32];

	ilp_jw_key(w, key);
	ilp_jw_arr_begin(w);
	for (size_t i = 0; i < n; i++) {
		ilp_jw_obj_begin(w);
		ilp_jw_ki64(w, "tid", set[i].tid);
		ilp_jw_ku64(w, "count", set[i].n);
		ilp_jw_obj_end(w);
	}
	ilp_jw_arr_end(w);
	snprintf(mkey, sizeof(mkey), "%s_more", key);
	ilp_jw_ku64(w, mkey, more);
}

static void addr(struct ilp_jw *w, uint64_t a)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)a);
	ilp_jw_kstr(w, "address", buf);
}

static void ulock_fields(struct ilp_jw *w, const char *name, const struct ilp_ulock *l)
{
	ilp_jw_kstr(w, "name", name);
	addr(w, l->uaddr);
	ilp_jw_kstr(w, "kind", ilp_ulock_kind_name(l->kind));
	ilp_jw_ku64(w, "waits", l->waits);
	ilp_jw_ku64(w, "eagain", l->eagain);
	ilp_jw_ku64(w, "timeouts", l->timeouts);
	ilp_jw_ku64(w, "timeout_ns", l->timeout_ns);
	ilp_jw_ku64(w, "other", l->intr);
	ilp_jw_ku64(w, "wake_calls", l->wake_calls);
	ilp_jw_ku64(w, "woken", l->woken);
	ilp_jw_ku64(w, "wait_ns", l->wait_ns);
	ilp_jw_ku64(w, "total_ns", l->wait_ns + l->timeout_ns);
	ilp_jw_ku64_or_null(w, "avg_ns", l->waits != 0,
			    l->waits ? (l->wait_ns + l->waits / 2) / l->waits : 0);
	ilp_jw_ku64_or_null(w, "max_ns", l->waits + l->timeouts != 0, l->max_ns);
	latency(w, "wait", l->hist, 1);
	tidset(w, "waiters", l->waiters, l->nwaiters, l->waiters_more);
	tidset(w, "wakers", l->wakers, l->nwakers, l->wakers_more);
	tidset(w, "wake_callers", l->wakecallers, l->nwakecallers, l->wakecallers_more);
}

/* the addresses past the cap (waitmodel.h): count, exact, kept */
static void more_addrs(struct ilp_jw *w, uint64_t naddrs, int exact, unsigned kept)
{
	ilp_jw_ku64(w, "addresses", naddrs);
	ilp_jw_kbool(w, "addresses_exact", exact);
	ilp_jw_ku64(w, "addresses_kept", kept);
}

static void locks_user(struct ilp_jw *w, const struct ilp_wproc *wp)
{
	char name[256];
	uint64_t naddrs = 0;
	int exact = 1;
	const struct ilp_ulock *more = ilp_wproc_ulock_more(wp, &naddrs, &exact);

	ilp_jw_ku64(w, "futex_calls", ilp_wproc_futex_calls(wp));
	ilp_jw_key(w, "locks_user");
	ilp_jw_arr_begin(w);
	for (size_t i = 0; i < ilp_wproc_nulocks(wp); i++) {
		const struct ilp_ulock *l = ilp_wproc_ulock(wp, i);

		ilp_jw_obj_begin(w);
		ulock_fields(w, ilp_wait_ulock_name(wp, l->uaddr, name, sizeof(name)), l);
		ilp_jw_obj_end(w);
	}
	ilp_jw_arr_end(w);
	if (!more)
		return;
	ilp_jw_key(w, "locks_user_more");
	ilp_jw_obj_begin(w);
	ulock_fields(w, "(more addresses)", more);
	more_addrs(w, naddrs, exact, ILP_ULOCK_MAX);
	ilp_jw_obj_end(w);
}

/* --lock-holds: a call site of a mutex's holds */
static void hold_site(struct ilp_jw *w, const struct ilp_hold_site *s)
{
	char buf[24];

	ilp_jw_obj_begin(w);
	if (s->name && s->name[0])
		ilp_jw_kstr(w, "site", s->name);
	else {
		ilp_jw_key(w, "site");
		ilp_jw_null(w);
	}
	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)s->pc);
	ilp_jw_kstr(w, "pc", buf);
	ilp_jw_ku64(w, "holds", s->holds);
	ilp_jw_ku64(w, "total_ns", s->total_ns);
	ilp_jw_ku64_or_null(w, "max_ns", s->holds != 0, s->max_ns);
	ilp_jw_obj_end(w);
}

/* --lock-holds: "lock_holds", by total hold time, with each mutex's waits */
static void lock_holds(struct ilp_jw *w, const struct ilp_model *m, const struct ilp_proc *p,
		       const struct ilp_wproc *wp)
{
	const struct ilp_hproc *hp = ilp_model_hproc(m, ilp_proc_pid(p));
	char name[256];

	ilp_jw_key(w, "lock_holds");
	ilp_jw_arr_begin(w);
	for (size_t i = 0; i < ilp_hproc_nlocks(hp); i++) {
		const struct ilp_hold_lock *l = ilp_hproc_lock(hp, i);
		const struct ilp_ulock *u = ilp_wproc_find_ulock(wp, l->addr);

		if (l->name)
			snprintf(name, sizeof(name), "%s", l->name);
		else
			snprintf(name, sizeof(name), "0x%llx", (unsigned long long)l->addr);
		ilp_jw_obj_begin(w);
		ilp_jw_kstr(w, "name", name);
		addr(w, l->addr);
		ilp_jw_ku64(w, "holds", l->holds);
		ilp_jw_ku64(w, "total_ns", l->total_ns);
		ilp_jw_ku64_or_null(w, "avg_ns", l->holds != 0,
				    l->holds ? (l->total_ns + l->holds / 2) / l->holds : 0);
		ilp_jw_ku64_or_null(w, "max_ns", l->holds != 0, l->max_ns);
		latency(w, "hold", l->hist, 1);
		ilp_jw_ku64(w, "waits", u ? u->waits : 0);
		ilp_jw_ku64(w, "wait_ns", u ? u->wait_ns : 0);
		ilp_jw_ku64(w, "recursive", l->recursive);
		ilp_jw_ku64(w, "cond_waits", l->cond_waits);
		ilp_jw_ku64(w, "exit_held", l->exit_held);
		ilp_jw_ku64(w, "failed", l->failed);
		ilp_jw_ku64(w, "partial", l->partial);
		ilp_jw_ku64(w, "lost", l->lost);
		ilp_jw_ku64(w, "open", l->open);
		ilp_jw_key(w, "sites");
		ilp_jw_arr_begin(w);
		for (size_t k = 0; k < l->nsites; k++)
			hold_site(w, &l->sites[k]);
		ilp_jw_arr_end(w);
		if (l->site_more) {
			ilp_jw_key(w, "sites_more");
			hold_site(w, l->site_more);
		}
		ilp_jw_obj_end(w);
	}
	ilp_jw_arr_end(w);
	ilp_jw_ku64(w, "lock_holds_untracked", ilp_hproc_untracked(hp));
}

static void klock_fields(struct ilp_jw *w, const char *name, const struct ilp_klock *l)
{
	ilp_jw_kstr(w, "name", name);
	addr(w, l->addr);
	ilp_jw_kstr(w, "type", ilp_klock_type(l->flags));
	ilp_jw_ku64(w, "waits", l->waits);
	ilp_jw_ku64(w, "errors", l->errors);
	ilp_jw_ku64(w, "total_ns", l->wait_ns);
	ilp_jw_ku64_or_null(w, "avg_ns", l->waits != 0,
			    l->waits ? (l->wait_ns + l->waits / 2) / l->waits : 0);
	ilp_jw_ku64_or_null(w, "max_ns", l->waits != 0, l->max_ns);
	latency(w, "wait", l->hist, 1);
	tidset(w, "waiters", l->waiters, l->nwaiters, l->waiters_more);
}

static void locks_kernel(struct ilp_jw *w, const struct ilp_wproc *wp)
{
	char name[32];
	uint64_t naddrs = 0;
	int exact = 1;
	const struct ilp_klock *more = ilp_wproc_klock_more(wp, &naddrs, &exact);

	ilp_jw_key(w, "locks_kernel");
	ilp_jw_arr_begin(w);
	for (size_t i = 0; i < ilp_wproc_nklocks(wp); i++) {
		const struct ilp_klock *l = ilp_wproc_klock(wp, i);

		snprintf(name, sizeof(name), "0x%llx", (unsigned long long)l->addr);
		ilp_jw_obj_begin(w);
		klock_fields(w, l->name ? l->name : name, l);
		ilp_jw_obj_end(w);
	}
	ilp_jw_arr_end(w);
	if (!more)
		return;
	ilp_jw_key(w, "locks_kernel_more");
	ilp_jw_obj_begin(w);
	klock_fields(w, "(more addresses)", more);
	more_addrs(w, naddrs, exact, ILP_KLOCK_MAX);
	ilp_jw_obj_end(w);
}

static void off_states(struct ilp_jw *w, const uint64_t off[ILP_OFF_NSTATES])
{
	for (int s = 0; s < ILP_OFF_NSTATES; s++)
		ilp_jw_ku64(w, off_keys[s], off[s]);
}

/* --sleep-stacks: where a call slept, when known */
static void waited_in(struct ilp_jw *w, const char *func, const char *reason)
{
	if (func)
		ilp_jw_kstr(w, "waited_in", func);
	if (func && reason)
		ilp_jw_kstr(w, "wait_reason", reason);
}

/* --sleep-stacks: per (syscall, kernel function), where the calls slept */
static void kernel_sleeps(struct ilp_jw *w, const struct ilp_wproc *wp)
{
	ilp_jw_key(w, "kernel_sleeps");
	ilp_jw_arr_begin(w);
	for (size_t i = 0; i < ilp_wproc_nksleeps(wp); i++) {
		const struct ilp_ksleep *k = ilp_wproc_ksleep(wp, i);

		ilp_jw_obj_begin(w);
		ilp_jw_kstr(w, "syscall", ilp_syscall_name(k->nr));
		ilp_jw_kstr_or_null(w, "function", k->func);
		ilp_jw_kstr_or_null(w, "reason", k->reason);
		ilp_jw_ku64(w, "sleeps", k->sleeps);
		ilp_jw_ku64(w, "total_ns", k->ns);
		ilp_jw_ku64(w, "off_d_ns", k->d_ns);
		ilp_jw_obj_end(w);
	}
	ilp_jw_arr_end(w);
}

static void blocking(struct ilp_jw *w, const struct ilp_model *m, const struct ilp_proc *p,
		     const struct ilp_wproc *wp, const struct ilp_report_info *info)
{
	char obj[512], name[600];

	ilp_jw_key(w, "off_cpu");
	ilp_jw_arr_begin(w);
	for (size_t i = 0; i < ilp_wproc_noffcpu(wp); i++) {
		const struct ilp_sc_offcpu *o = ilp_wproc_offcpu(wp, i);

		ilp_jw_obj_begin(w);
		ilp_jw_kstr(w, "name", ilp_syscall_name(o->nr));
		ilp_jw_ku64(w, "calls", o->calls);
		ilp_jw_ku64(w, "blocked_calls", o->blocked_calls);
		ilp_jw_ku64(w, "total_ns", o->total_ns);
		ilp_jw_ku64(w, "on_cpu_ns", o->on_ns);
		off_states(w, o->off_ns);
		ilp_jw_obj_end(w);
	}
	ilp_jw_arr_end(w);

	ilp_jw_key(w, "blocking_calls");
	ilp_jw_arr_begin(w);
	for (size_t i = 0; i < ilp_wproc_nblocking(wp); i++) {
		const struct ilp_blocking *b = ilp_wproc_blocking(wp, i);

		ilp_wait_object(m, p, b->okind, b->obj, b->fobj, b->dev, obj, sizeof(obj));
		snprintf(name, sizeof(name), "%s %s", ilp_syscall_name(b->nr), obj);
		ilp_jw_obj_begin(w);
		ilp_jw_kstr(w, "name", name);
		ilp_jw_ki64(w, "tid", b->tid);
		ilp_jw_kstr(w, "syscall", ilp_syscall_name(b->nr));
		ilp_jw_kstr(w, "object", obj);
		ilp_jw_ku64(w, "calls", b->calls);
		ilp_jw_ku64(w, "wall_ns", b->wall_ns);
		ilp_jw_ku64(w, "max_ns", b->max_ns);
		/* blocked time: off-CPU S + D, what the rows are ranked (and diffed) by */
		ilp_jw_ku64(w, "total_ns", b->off_ns[ILP_OFF_S] + b->off_ns[ILP_OFF_D]);
		off_states(w, b->off_ns);
		waited_in(w, b->wfunc, b->wreason);
		ilp_jw_obj_end(w);
	}
	ilp_jw_arr_end(w);

	ilp_jw_key(w, "slow_calls");
	ilp_jw_obj_begin(w);
	ilp_jw_ku64(w, "threshold_ns", ilp_model_slow(m));
	ilp_jw_ku64(w, "dropped", ilp_wproc_slow_dropped(wp));
	ilp_jw_key(w, "calls");
	ilp_jw_arr_begin(w);
	for (size_t i = 0; i < ilp_wproc_nslow(wp); i++) {
		const struct ilp_slow_call *s = ilp_wproc_slow(wp, i);

		ilp_wait_object(m, p, s->okind, s->obj, s->fobj, s->dev, obj, sizeof(obj));
		ilp_jw_obj_begin(w);
		ilp_jw_ki64(w, "tid", s->tid);
		ilp_jw_kstr(w, "syscall", ilp_syscall_name(s->nr));
		ilp_jw_kstr(w, "object", obj);
		ilp_jw_ki64(w, "ret", s->ret);
		ilp_jw_ku64(w, "start_ns", s->start_ts);
		ilp_jw_ku64(w, "start_offset_ns",
			    s->start_ts > info->start_ts ? s->start_ts - info->start_ts : 0);
		ilp_jw_ku64(w, "wall_ns", s->wall_ns);
		off_states(w, s->off_ns);
		waited_in(w, s->wfunc, s->wreason);
		ilp_jw_obj_end(w);
	}
	ilp_jw_arr_end(w);
	ilp_jw_obj_end(w);
}

static void call_sites(struct ilp_jw *w, const struct ilp_proc *p, const struct ilp_stacks *st)
{
	char buf[512];

	ilp_jw_key(w, "call_sites");
	ilp_jw_arr_begin(w);
	for (size_t i = 0; i < ilp_stacks_count(st); i++) {
		const struct ilp_stack *s = ilp_stacks_get(st, i);

		if (s->pid != ilp_proc_pid(p))
			continue;
		ilp_stack_frame_fmt(&s->frames[s->site], buf, sizeof(buf));
		ilp_jw_obj_begin(w);
		ilp_jw_kstr(w, "syscall", ilp_syscall_name(s->nr));
		ilp_jw_kstr(w, "site", buf);
		ilp_jw_ku64(w, "calls", s->calls);
		ilp_jw_ku64(w, "total_ns", s->total_ns);
		ilp_jw_ku64(w, "max_ns", s->max_ns);
		ilp_jw_key(w, "frames");	/* innermost first */
		ilp_jw_arr_begin(w);
		for (size_t k = 0; k < s->nframes; k++) {
			ilp_stack_frame_fmt(&s->frames[k], buf, sizeof(buf));
			ilp_jw_str(w, buf);
		}
		ilp_jw_arr_end(w);
		ilp_jw_obj_end(w);
	}
	ilp_jw_arr_end(w);
}

void ilp_json_proc_wait(struct ilp_jw *w, const struct ilp_model *m, const struct ilp_proc *p,
			const struct ilp_report_info *info)
{
	const struct ilp_wproc *wp = ilp_proc_wait(p);
	const struct ilp_blk_stats *blk = ilp_wproc_blk(wp);

	ilp_jw_key(w, "disk");
	ilp_jw_obj_begin(w);
	if (blk)
		blk_stats(w, blk);
	ilp_jw_obj_end(w);
	locks_user(w, wp);
	if (info->lock_holds)
		lock_holds(w, m, p, wp);
	locks_kernel(w, wp);
	blocking(w, m, p, wp, info);
	if (info->sleep_stacks)
		kernel_sleeps(w, wp);
	if (info->stacks)
		call_sites(w, p, info->stacks);
}
