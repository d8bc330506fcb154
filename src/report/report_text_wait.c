// SPDX-License-Identifier: MIT
/*
 * Text report sections about waiting below the syscall: "Disk I/O",
 * "Locks (user)", "Locks (kernel)", "Blocking calls".  Formatting only:
 * every number and name comes from include/waitmodel.h accessors (after
 * ilp_model_index); fd descriptions from include/fdmodel.h.
 *
 * Every first column is one word (pid, lock name, tid) so scripts can
 * parse the rows; an empty section says so in one line.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fdmodel.h"
#include "esc.h"
#include "hist.h"
#include "model.h"
#include "outbuf.h"
#include "report.h"
#include "ksleep.h"
#include "report_text_parts.h"
#include "fmt.h"
#include "syscalls.h"
#include "report_wait.h"
#include "waitmodel.h"

#define TOP_BLOCKING 10
#define TOP_SLOW 20
#define TOP_LOCKS 10
#define HIST_STARS 30

const char *ilp_text_time(struct tbuf *t, uint64_t ns)
{
	char *b = t->b[t->i++ & 7];

	ilp_fmt_time(b, ILP_FMT_TIME_LEN, ns);
	return b;
}

#define T ilp_text_time

/* a name the tracee or the trace gave (comm, device, lock), escaped */
static const char *comm_or(struct ilp_escv *e, const char *s)
{
	return ilp_escv(e, s && *s ? s : "?");
}

static void print_log2(struct ilp_out *w, const char *title, const struct ilp_hist *h, int ns)
{
	uint64_t slot[65], peak;
	int n, i, first;
	char bar[HIST_STARS + 1];

	if (!h || !ilp_hist_count(h))
		return;
	n = ilp_hist_log2(h, slot);
	ilp_slots_span(slot, n, &first, &peak);
	if (first < 0)
		return;
	ilp_out_printf(w, "    %s\n    %22s : count     distribution\n", title, ns ? "ns" : "bytes");
	for (i = first; i < n; i++) {
		uint64_t lo = i ? UINT64_C(1) << (i - 1) : 0;
		uint64_t hi = i == 0 ? 0 : i == 64 ? UINT64_MAX : (UINT64_C(1) << i) - 1;
		int stars = (int)((double)slot[i] * HIST_STARS / (double)peak);

		memset(bar, '*', (size_t)stars);
		bar[stars] = '\0';
		ilp_out_printf(w, "    %10" PRIu64 " -> %-9" PRIu64 " : %-8" PRIu64 " |%-*s|\n",
			  lo, hi, slot[i], HIST_STARS, bar);
	}
}

/* "p50 1.20 ms  p99 3.00 ms  max 4.00 ms" */
static void pcts(char *buf, size_t size, const struct ilp_hist *h)
{
	struct tbuf t = { .i = 0 };

	if (!h || !ilp_hist_count(h)) {
		snprintf(buf, size, "-");
		return;
	}
	snprintf(buf, size, "p50 %s  p99 %s  max %s", T(&t, ilp_hist_percentile(h, 50)),
		 T(&t, ilp_hist_percentile(h, 99)), T(&t, ilp_hist_max(h)));
}

/* sections the ptrace backend has no events for say so, not "none" */
#define NO_TP "not available with the ptrace backend (no block/lock/sched tracepoints)"

static int is_ptrace(const struct ilp_report_info *info)
{
	return info && info->backend && !strcmp(info->backend, "ptrace");
}

/* ---- Disk I/O ---- */

/* the note after a submitter row: who the I/O is for */
static const char *submitter_why(const struct ilp_blk_submitter *sb, char *buf, size_t size)
{
	const char *who = sb->kernel ? "kernel thread" : "not traced";
	struct ilp_escv e = { .i = 0 };

	if (sb->pid)
		snprintf(buf, size, "%s", "");
	else if (sb->wb == ILP_WB_TRACED)
		snprintf(buf, size, "  (%s: written back for pid %d (%s) inode %" PRIu64 "%s)", who,
			 sb->wb_pid, comm_or(&e, sb->wb_comm), sb->wb_ino,
			 sb->wb_shared ? ", also dirtied by other traced processes" : "");
	else if (sb->wb == ILP_WB_UNTRACED)
		snprintf(buf, size, "  (%s: writeback of untraced data)", who);
	else if (sb->kernel)
		snprintf(buf, size, "  (kernel thread, not traced: journal/metadata I/O)");
	else
		snprintf(buf, size, "  (not traced)");
	return buf;
}

/* per process: what it submitted, what kernel threads wrote back for it */
static void print_disk_procs(struct ilp_out *w, const struct ilp_model *m)
{
	struct ilp_escv e = { .i = 0 };
	size_t np = ilp_model_nprocs(m), i;

	for (i = 0; i < np; i++) {
		const struct ilp_proc *pr = ilp_model_proc(m, i);
		const struct ilp_blk_stats *own = ilp_wproc_blk(ilp_proc_wait(pr));
		const struct ilp_blk_stats *wb = ilp_wproc_blk_writeback(ilp_proc_wait(pr));

		if (!own && !wb)
			continue;
		ilp_out_printf(w, "pid %d (%s)  submitted: %" PRIu64 " requests, %" PRIu64 " bytes"
			  "  written back for it by kernel threads: %" PRIu64 " requests, %"
			  PRIu64 " bytes\n", ilp_proc_pid(pr), comm_or(&e, ilp_proc_comm(pr)),
			  own ? own->requests : 0, own ? own->bytes : 0,
			  wb ? wb->requests : 0, wb ? wb->bytes : 0);
	}
}

static void print_disk(struct ilp_out *w, const struct ilp_model *m, const struct ilp_report_info *info)
{
	struct ilp_escv e = { .i = 0 };
	size_t nd = ilp_model_nblkdevs(m), i, k;
	struct tbuf t = { .i = 0 };
	char p1[128], p2[128];

	ilp_out_printf(w, "\n== Disk I/O ==\n");
	if (is_ptrace(info)) {
		ilp_out_printf(w, "%s\n", NO_TP);
		return;
	}
	if (!nd) {
		ilp_out_printf(w, "no block I/O completed during the %s\n",
			       info->window_ts ? "interval" : "capture");
		return;
	}
	for (i = 0; i < nd; i++) {
		const struct ilp_blkdev *d = ilp_model_blkdev(m, i);
		const struct ilp_blk_stats *s = ilp_blkdev_stats(d);
		uint32_t dev = ilp_blkdev_dev(d);

		ilp_out_printf(w, "device %s (%u:%u)  requests: %" PRIu64 "  bytes: %" PRIu64
			  "  read: %" PRIu64 "  write: %" PRIu64 "  flush: %" PRIu64
			  "  discard: %" PRIu64 "  errors: %" PRIu64 "\n",
			  comm_or(&e, ilp_blkdev_name(d)), dev >> 20, dev & 0xfffff, s->requests,
			  s->bytes, s->ops[ILP_BLK_READ], s->ops[ILP_BLK_WRITE],
			  s->ops[ILP_BLK_FLUSH], s->ops[ILP_BLK_DISCARD], s->errors);
		ilp_out_printf(w, "  merged: %" PRIu64 "  requeued: %" PRIu64
			  "  completed without a queue/issue seen (in flight at start): %" PRIu64 "\n",
			  ilp_blkdev_merges(d), ilp_blkdev_requeues(d), ilp_blkdev_unmatched(d));
		pcts(p1, sizeof(p1), s->q2c);
		pcts(p2, sizeof(p2), s->d2c);
		ilp_out_printf(w, "  queue->complete: %s\n  issue->complete (device): %s\n", p1, p2);
		ilp_out_printf(w, "  %-7s %-16s %8s %12s %6s %6s %6s %7s %9s %9s %9s\n", "pid", "submitter",
			  "requests", "bytes", "read", "write", "flush", "discard", "d2c-p50",
			  "d2c-p99", "d2c-max");
		for (k = 0; k < ilp_blkdev_nsubmitters(d); k++) {
			const struct ilp_blk_submitter *sb = ilp_blkdev_submitter(d, k);
			const struct ilp_blk_stats *ss = &sb->st;
			char pid[16], why[128];

			snprintf(pid, sizeof(pid), "%d", sb->pid);
			ilp_out_printf(w, "  %-7s %-16s %8" PRIu64 " %12" PRIu64 " %6" PRIu64 " %6" PRIu64
				  " %6" PRIu64 " %7" PRIu64 " %9s %9s %9s%s\n",
				  sb->pid ? pid : "-", comm_or(&e, sb->comm), ss->requests, ss->bytes,
				  ss->ops[ILP_BLK_READ], ss->ops[ILP_BLK_WRITE], ss->ops[ILP_BLK_FLUSH],
				  ss->ops[ILP_BLK_DISCARD],
				  ilp_hist_count(ss->d2c) ? T(&t, ilp_hist_percentile(ss->d2c, 50)) : "-",
				  ilp_hist_count(ss->d2c) ? T(&t, ilp_hist_percentile(ss->d2c, 99)) : "-",
				  ilp_hist_count(ss->d2c) ? T(&t, ilp_hist_max(ss->d2c)) : "-",
				  submitter_why(sb, why, sizeof(why)));
		}
		print_log2(w, "request size", s->size, 0);
		print_log2(w, "issue->complete latency", s->d2c, 1);
	}
	print_disk_procs(w, m);
}

/* ---- Locks ---- */

static void tidset(struct ilp_out *w, const char *what, const struct ilp_tidcount *set, size_t n,
		   uint64_t more)
{
	size_t i;

	if (!n)
		return;
	ilp_out_printf(w, "    %s:", what);
	for (i = 0; i < n; i++)
		ilp_out_printf(w, " %d x%" PRIu64, set[i].tid, set[i].n);
	if (more)
		ilp_out_printf(w, " (+%" PRIu64 " by other threads)", more);
	ilp_out_printf(w, "\n");
}

static const char *ulock_name(const struct ilp_ulock *l, char *buf, size_t size)
{
	if (l->name)
		snprintf(buf, size, "%s", l->name);
	else
		snprintf(buf, size, "0x%" PRIx64, l->uaddr);
	return buf;
}

static void ulock_row(struct ilp_out *w, struct tbuf *t, const char *name,
		      const struct ilp_ulock *l)
{
	ilp_out_printf(w, "  %-24s %-8s %8" PRIu64 " %7" PRIu64 " %8" PRIu64 " %6" PRIu64
		       " %8" PRIu64 " %9s %9s %9s\n", name, ilp_ulock_kind_name(l->kind),
		       l->waits, l->eagain, l->timeouts, l->intr, l->wake_calls,
		       T(t, l->wait_ns), l->waits ? T(t, l->wait_ns / l->waits) : "-",
		       T(t, l->max_ns));
}

static void print_ulocks(struct ilp_out *w, const struct ilp_model *m, const struct ilp_report_info *info)
{
	struct ilp_escv e = { .i = 0 };
	size_t np = ilp_model_nprocs(m), i, k, shown = 0;
	struct tbuf t = { .i = 0 };
	char name[256], p[128];

	ilp_out_printf(w, "\n== Locks (user) ==\n");
	if (is_ptrace(info))
		ilp_out_printf(w, "from the futex syscalls; wakers from FUTEX_WAKE calls only "
			  "(the ptrace backend sees no sched_waking)\n");
	for (i = 0; i < np; i++) {
		const struct ilp_proc *pr = ilp_model_proc(m, i);
		const struct ilp_wproc *wp = ilp_proc_wait(pr);
		size_t n = ilp_wproc_nulocks(wp);
		uint64_t naddrs = 0;
		int exact = 1;
		const struct ilp_ulock *more = ilp_wproc_ulock_more(wp, &naddrs, &exact);
		const struct ilp_hold_lock *hl;

		if (!n && !more)
			continue;
		shown++;
		ilp_out_printf(w, "pid %d (%s)  contended futexes: %zu", ilp_proc_pid(pr),
			       comm_or(&e, ilp_proc_comm(pr)), n);
		if (more)
			ilp_out_printf(w, " (+%s%" PRIu64 " more addresses)", exact ? "" : "at least ",
				       naddrs);
		ilp_out_printf(w, "  futex calls: %" PRIu64 "\n", ilp_wproc_futex_calls(wp));
		ilp_out_printf(w, "  %-24s %-8s %8s %7s %8s %6s %8s %9s %9s %9s\n", "lock", "kind",
			  "waits", "eagain", "timeouts", "other", "wakes", "wait", "avg", "max");
		for (k = 0; k < n && k < TOP_LOCKS; k++) {
			const struct ilp_ulock *l = ilp_wproc_ulock(wp, k);

			ulock_row(w, &t, ilp_escv(&e, ulock_name(l, name, sizeof(name))), l);
			pcts(p, sizeof(p), l->hist);
			ilp_out_printf(w, "    address 0x%" PRIx64 "  wait time %s\n", l->uaddr, p);
			tidset(w, "waiters (tid x waits)", l->waiters, l->nwaiters, l->waiters_more);
			tidset(w, "woken by (sched_waking)", l->wakers, l->nwakers, l->wakers_more);
			tidset(w, "wake calls by", l->wakecallers, l->nwakecallers,
			       l->wakecallers_more);
			hl = ilp_hproc_find(ilp_model_hproc(m, ilp_proc_pid(pr)), l->uaddr);
			if (hl)		/* --lock-holds: who held it, how long */
				ilp_text_hold_line(w, hl);
		}
		if (n > TOP_LOCKS)
			ilp_out_printf(w, "  ... %zu more locks\n", n - TOP_LOCKS);
		if (more) {
			ulock_row(w, &t, "(more addresses)", more);
			ilp_out_printf(w, "    %s%" PRIu64 " addresses past the %u kept apart, counted "
				       "together (those that never slept are let go first)\n",
				       exact ? "" : "at least ", naddrs, ILP_ULOCK_MAX);
		}
	}
	if (!shown)
		ilp_out_printf(w, "no contended user locks (no futex wait was made)\n");
}

static void print_klocks(struct ilp_out *w, const struct ilp_model *m, const struct ilp_report_info *info)
{
	struct ilp_escv e = { .i = 0 };
	size_t np = ilp_model_nprocs(m), i, k, shown = 0;
	struct tbuf t = { .i = 0 };

	ilp_out_printf(w, "\n== Locks (kernel) ==\n");
	if (is_ptrace(info)) {
		ilp_out_printf(w, "%s\n", NO_TP);
		return;
	}
	for (i = 0; i < np; i++) {
		const struct ilp_proc *pr = ilp_model_proc(m, i);
		const struct ilp_wproc *wp = ilp_proc_wait(pr);
		size_t n = ilp_wproc_nklocks(wp);
		uint64_t naddrs = 0;
		int exact = 1;
		const struct ilp_klock *more = ilp_wproc_klock_more(wp, &naddrs, &exact);

		if (!n)
			continue;
		shown++;
		ilp_out_printf(w, "pid %d (%s)  contended kernel locks: %zu", ilp_proc_pid(pr),
			  comm_or(&e, ilp_proc_comm(pr)), n);
		if (more)
			ilp_out_printf(w, " (+%s%" PRIu64 " more addresses)", exact ? "" : "at least ",
				       naddrs);
		ilp_out_printf(w, "\n");
		ilp_out_printf(w, "  %-32s %-20s %-18s %8s %9s %9s %9s\n", "lock", "address", "type",
			  "waits", "wait", "avg", "max");
		for (k = 0; k < n && k < TOP_LOCKS; k++) {
			const struct ilp_klock *l = ilp_wproc_klock(wp, k);
			char addr[24];

			snprintf(addr, sizeof(addr), "0x%" PRIx64, l->addr);
			ilp_out_printf(w, "  %-32s %-20s %-18s %8" PRIu64 " %9s %9s %9s\n",
				  ilp_escv(&e, l->name ? l->name : "(dynamic)"), addr, ilp_klock_type(l->flags),
				  l->waits, T(&t, l->wait_ns), T(&t, l->wait_ns / l->waits),
				  T(&t, l->max_ns));
			tidset(w, "waiters (tid x waits)", l->waiters, l->nwaiters, l->waiters_more);
		}
		if (n > TOP_LOCKS)
			ilp_out_printf(w, "  ... %zu more locks\n", n - TOP_LOCKS);
		if (more) {
			ilp_out_printf(w, "  %-32s %-20s %-18s %8" PRIu64 " %9s %9s %9s\n",
				       "(more addresses)", "-", ilp_klock_type(more->flags), more->waits,
				       T(&t, more->wait_ns), T(&t, more->wait_ns / more->waits),
				       T(&t, more->max_ns));
			ilp_out_printf(w, "    %s%" PRIu64 " addresses past the %u kept apart, counted "
				       "together\n", exact ? "" : "at least ", naddrs, ILP_KLOCK_MAX);
		}
	}
	if (!shown)
		ilp_out_printf(w, "no kernel lock contention in the traced tasks\n");
}

/* ---- Blocking calls ---- */

/* --sleep-stacks: "waited in anon_pipe_read (pipe empty)" */
static const char *where(char *buf, size_t size, const char *func, const char *reason)
{
	if (!func)
		return "";
	snprintf(buf, size, "  waited in %s%s%s%s", func, reason ? " (" : "",
		 reason ? reason : "", reason ? ")" : "");
	return buf;
}

/* one line per (syscall, sleeping function): where the calls slept */
static void print_ksleeps(struct ilp_out *w, struct tbuf *t, const struct ilp_wproc *wp)
{
	size_t n = ilp_wproc_nksleeps(wp), k;

	if (!n)
		return;
	ilp_out_printf(w, "  where they slept (kernel stack at each sleep):\n");
	for (k = 0; k < n; k++) {
		const struct ilp_ksleep *s = ilp_wproc_ksleep(wp, k);

		ilp_out_printf(w, "  %s waited in %s%s%s%s: %" PRIu64 " sleep%s, %s\n",
			       ilp_syscall_name(s->nr), s->func ? s->func : "an unnamed kernel function",
			       s->reason ? " (" : "", s->reason ? s->reason : "", s->reason ? ")" : "",
			       s->sleeps, s->sleeps == 1 ? "" : "s", T(t, s->ns));
	}
}

static void print_blocking(struct ilp_out *w, const struct ilp_model *m, const struct ilp_report_info *info)
{
	struct ilp_escv e = { .i = 0 };
	size_t np = ilp_model_nprocs(m), i, k, shown = 0;
	struct tbuf t = { .i = 0 };
	uint64_t slow = ilp_model_slow(m);
	char obj[512], wh[160];

	ilp_out_printf(w, "\n== Blocking calls ==\n");
	if (is_ptrace(info))	/* slow calls still come from the syscall times */
		ilp_out_printf(w, "off-CPU time: %s\n", NO_TP);
	for (i = 0; i < np; i++) {
		const struct ilp_proc *pr = ilp_model_proc(m, i);
		const struct ilp_wproc *wp = ilp_proc_wait(pr);
		size_t no = ilp_wproc_noffcpu(wp), nb = ilp_wproc_nblocking(wp), ns = ilp_wproc_nslow(wp);

		if (!no && !ns)
			continue;
		if (!shown++ && !is_ptrace(info))
			ilp_out_printf(w, "off-CPU time inside syscalls: S = sleeping until an event (pipe, "
				  "socket, futex, timer), D = uninterruptible (usually disk), R = "
				  "runnable (preempted, or woken and waiting for a CPU)\n");
		ilp_out_printf(w, "pid %d (%s)\n", ilp_proc_pid(pr), comm_or(&e, ilp_proc_comm(pr)));
		if (no) {
			ilp_out_printf(w, "  %-16s %8s %8s %9s %9s %9s %9s %9s\n", "syscall", "calls",
				  "blocked", "total", "on-CPU", "off-S", "off-D", "off-R");
			for (k = 0; k < no; k++) {
				const struct ilp_sc_offcpu *o = ilp_wproc_offcpu(wp, k);

				ilp_out_printf(w, "  %-16s %8" PRIu64 " %8" PRIu64 " %9s %9s %9s %9s %9s\n",
					  ilp_syscall_name(o->nr), o->calls, o->blocked_calls,
					  T(&t, o->total_ns), T(&t, o->on_ns), T(&t, o->off_ns[ILP_OFF_S]),
					  T(&t, o->off_ns[ILP_OFF_D]), T(&t, o->off_ns[ILP_OFF_R]));
			}
		}
		print_ksleeps(w, &t, wp);
		if (nb) {
			ilp_out_printf(w, "  top blocking calls (by off-CPU S+D time):\n");
			ilp_out_printf(w, "  %-8s %-16s %6s %9s %9s %9s %9s %9s  %s\n", "tid", "syscall",
				  "calls", "total", "off-S", "off-D", "off-R", "max", "object");
			for (k = 0; k < nb && k < TOP_BLOCKING; k++) {
				const struct ilp_blocking *b = ilp_wproc_blocking(wp, k);

				ilp_wait_object(m, pr, b->okind, b->obj, b->fobj, b->dev, obj, sizeof(obj));
				ilp_out_printf(w, "  %-8d %-16s %6" PRIu64 " %9s %9s %9s %9s %9s  %s%s\n",
					  b->tid, ilp_syscall_name(b->nr), b->calls, T(&t, b->wall_ns),
					  T(&t, b->off_ns[ILP_OFF_S]), T(&t, b->off_ns[ILP_OFF_D]),
					  T(&t, b->off_ns[ILP_OFF_R]), T(&t, b->max_ns), ilp_escv(&e, obj),
					  where(wh, sizeof(wh), b->wfunc, b->wreason));
			}
			if (nb > TOP_BLOCKING)
				ilp_out_printf(w, "  ... %zu more\n", nb - TOP_BLOCKING);
		}
		if (ns) {
			ilp_out_printf(w, "  slow calls (>= %s):\n", T(&t, slow));
			ilp_out_printf(w, "  %-12s %-8s %-16s %9s %9s %9s %9s  %s\n", "start", "tid",
				  "syscall", "time", "off-S", "off-D", "off-R", "object");
			for (k = 0; k < ns && k < TOP_SLOW; k++) {
				const struct ilp_slow_call *s = ilp_wproc_slow(wp, k);
				uint64_t at = s->start_ts > info->start_ts ? s->start_ts - info->start_ts : 0;
				char start[ILP_FMT_TIME_LEN + 1];

				snprintf(start, sizeof(start), "+%s", T(&t, at));
				ilp_wait_object(m, pr, s->okind, s->obj, s->fobj, s->dev, obj, sizeof(obj));
				ilp_out_printf(w, "  %-12s %-8d %-16s %9s %9s %9s %9s  %s%s\n", start, s->tid,
					  ilp_syscall_name(s->nr), T(&t, s->wall_ns),
					  T(&t, s->off_ns[ILP_OFF_S]), T(&t, s->off_ns[ILP_OFF_D]),
					  T(&t, s->off_ns[ILP_OFF_R]), ilp_escv(&e, obj),
					  where(wh, sizeof(wh), s->wfunc, s->wreason));
			}
			if (ns > TOP_SLOW || ilp_wproc_slow_dropped(wp))
				ilp_out_printf(w, "  ... %" PRIu64 " more slow calls\n",
					  (uint64_t)(ns > TOP_SLOW ? ns - TOP_SLOW : 0) +
					  ilp_wproc_slow_dropped(wp));
		}
	}
	if (!shown && is_ptrace(info))
		ilp_out_printf(w, "no slow call%s\n", slow ? "" : " (--slow 0: none kept)");
	else if (!shown)
		ilp_out_printf(w, "no syscall went off the CPU%s\n",
			  slow ? " and none was slow" : "");
}

int ilp_text_wait(FILE *out, const struct ilp_model *m, const struct ilp_report_info *info)
{
	struct ilp_out w = { out, 0 };

	print_disk(&w, m, info);
	print_ulocks(&w, m, info);
	if (ilp_text_holds(out, m, info))
		w.err = -EIO;
	print_klocks(&w, m, info);
	print_blocking(&w, m, info);
	return w.err;
}
