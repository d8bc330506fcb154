// SPDX-License-Identifier: MIT
/*
 * Where blocked calls slept (--sleep-stacks).  See include/ksleep.h.
 *
 * Rules (per traced thread inside a call):
 *   - sched_switch puts it to sleep (model_sched.c sets off_ts); the
 *     KSTACK event that follows on its CPU is that sleep's stack: the
 *     stack is interned (one copy per distinct stack, an id) and the
 *     thread remembers it.  A thread preempted (R) has no stack.
 *   - when it runs again (or its call exits first), the sleep ends: the
 *     time asleep (from off_ts to its wakeup, or to now if the wakeup was
 *     not seen) goes to the (process, syscall, stack) row, one sleep more;
 *     the call remembers its longest sleep's stack (its blocking row and
 *     slow call say where they waited).
 *   - naming: every frame address of a stack is asked once (the namer can
 *     say "later", -EAGAIN); at index time each stack gets its sleeping
 *     function (ilp_ksleep_pick) and the rows are summed per (process,
 *     syscall, function).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ipool.h"
#include "keyhash.h"
#include "ksleep.h"
#include "wait_internal.h"

#define KS_STACKS_MAX 65536		/* distinct stacks kept; more are not counted */
#define KS_NAMES_MAX_BYTES (4u << 20)	/* names of frames kept */

/* one (syscall, stack) of a process */
struct ks_row {
	int nr;
	uint32_t sid;
	uint64_t sleeps, ns, d_ns;
};

/* what a stack resolved to at the last index */
struct ks_pick {
	const char *func;	/* interned base name, NULL: unknown */
	const char *reason;
};

struct ilp_ksleeps {
	struct ilp_ipool *stacks;	/* by id */
	size_t nnamed;			/* stacks whose every frame was asked */
	struct ilp_umap names;		/* address -> interned name, or unnamed */
	struct ilp_spool pool;		/* the names, and the base names */
	struct ks_pick *picks;		/* by stack id, at index */
	size_t npicks;
};

static const char unnamed[] = "";	/* a frame the namer could not name */

/* ---- the rule: which frame is the sleeping function ---- */

/* names that start so are the tracing machinery's frames */
static const char *const trace_prefixes[] = {
	"trace_event_raw_event_", "__traceiter_", "perf_trace_", "__probestub_",
	"__bpf_trace_", "stacktrace_trigger", "event_triggers_call", "__trace_stack",
	"__ftrace_trace_stack", "trace_event_buffer_commit",
};

/* the scheduler's own functions: never the reason a task sleeps */
static const char *const sched_funcs[] = {
	"__schedule", "schedule", "schedule_idle", "schedule_preempt_disabled",
	"schedule_timeout", "schedule_timeout_interruptible", "schedule_timeout_killable",
	"schedule_timeout_uninterruptible", "schedule_timeout_idle", "io_schedule",
	"io_schedule_timeout", "schedule_hrtimeout", "schedule_hrtimeout_range",
	"schedule_hrtimeout_range_clock", "__cond_resched", "preempt_schedule",
	"preempt_schedule_common", "preempt_schedule_irq", "freezable_schedule",
	"rt_mutex_schedule", "schedule_rtlock",
};

struct named_reason {
	const char *func;
	const char *reason;	/* NULL: none of its own */
};

/* generic wait helpers: their caller tells more; some tell the kind of wait */
static const struct named_reason helpers[] = {
	{ "do_wait_for_common", NULL }, { "__wait_for_common", NULL },
	{ "wait_for_common", NULL }, { "wait_for_common_io", NULL },
	{ "wait_for_completion", NULL }, { "wait_for_completion_io", NULL },
	{ "wait_for_completion_timeout", NULL }, { "wait_for_completion_io_timeout", NULL },
	{ "wait_for_completion_interruptible", NULL },
	{ "wait_for_completion_killable", NULL }, { "wait_for_completion_state", NULL },
	{ "submit_bio_wait", NULL },
	{ "bit_wait", NULL }, { "bit_wait_io", NULL }, { "bit_wait_timeout", NULL },
	{ "bit_wait_io_timeout", NULL }, { "__wait_on_bit", NULL },
	{ "out_of_line_wait_on_bit", NULL }, { "out_of_line_wait_on_bit_timeout", NULL },
	{ "__wait_on_bit_lock", "buffer or page lock" },
	{ "out_of_line_wait_on_bit_lock", "buffer or page lock" },
	{ "__wait_on_buffer", NULL }, { "__lock_buffer", "buffer lock" },
	{ "wait_on_page_bit", NULL }, { "wait_on_page_bit_common", NULL },
	{ "folio_wait_bit", NULL }, { "folio_wait_bit_common", NULL },
	{ "folio_wait_bit_killable", NULL },
	{ "__folio_lock", "page lock" }, { "__folio_lock_killable", "page lock" },
	{ "__lock_page", "page lock" }, { "__lock_page_killable", "page lock" },
	{ "__mutex_lock", "kernel mutex" }, { "__mutex_lock_slowpath", "kernel mutex" },
	{ "__mutex_lock_interruptible_slowpath", "kernel mutex" },
	{ "__mutex_lock_killable_slowpath", "kernel mutex" }, { "mutex_lock", "kernel mutex" },
	{ "mutex_lock_interruptible", "kernel mutex" }, { "mutex_lock_killable", "kernel mutex" },
	{ "mutex_lock_io", "kernel mutex" },
	{ "rwsem_down_read_slowpath", "kernel rw semaphore" },
	{ "rwsem_down_write_slowpath", "kernel rw semaphore" },
	{ "down_read", "kernel rw semaphore" }, { "down_write", "kernel rw semaphore" },
	{ "down_read_killable", "kernel rw semaphore" },
	{ "down_write_killable", "kernel rw semaphore" },
	{ "percpu_rwsem_wait", "kernel rw semaphore" },
	{ "__percpu_down_read", "kernel rw semaphore" },
	{ "__down_common", "kernel semaphore" }, { "__down", "kernel semaphore" },
	{ "rt_mutex_slowlock_block", "kernel mutex" },
	{ "rtlock_slowlock_locked", "kernel spinlock (RT)" },
	{ "wait_woken", NULL }, { "poll_schedule_timeout", NULL },
	{ "pipe_wait", NULL },
};

/* the functions a task sleeps in, in plain words */
static const struct named_reason reasons[] = {
	{ "anon_pipe_read", "pipe empty" }, { "pipe_read", "pipe empty" },
	{ "pipe_wait_readable", "pipe empty" },
	{ "anon_pipe_write", "pipe full" }, { "pipe_write", "pipe full" },
	{ "pipe_wait_writable", "pipe full" },
	{ "futex_do_wait", "futex: lock or condition variable" },
	{ "futex_wait_queue", "futex: lock or condition variable" },
	{ "futex_wait_queue_me", "futex: lock or condition variable" },
	{ "futex_wait_multiple", "futex: lock or condition variable" },
	{ "do_nanosleep", "timer sleep" }, { "hrtimer_nanosleep", "timer sleep" },
	{ "jbd2_log_wait_commit", "journal commit" },
	{ "jbd2_journal_force_commit", "journal commit" },
	{ "wait_transaction_locked", "journal transaction locked" },
	{ "wait_transaction_switching", "journal transaction locked" },
	{ "add_transaction_credits", "journal full" },
	{ "folio_wait_writeback", "page writeback to disk" },
	{ "wait_on_page_writeback", "page writeback to disk" },
	{ "folio_wait_stable", "page writeback to disk" },
	{ "filemap_get_pages", "page cache miss: read from disk" },
	{ "filemap_read", "page cache miss: read from disk" },
	{ "filemap_fault", "page cache miss: read from disk" },
	{ "filemap_update_page", "page cache miss: read from disk" },
	{ "__sync_dirty_buffer", "metadata buffer write to disk" },
	{ "sync_dirty_buffer", "metadata buffer write to disk" },
	{ "__wait_on_buffer", "metadata buffer read or write" },
	{ "blkdev_issue_flush", "disk cache flush" },
	{ "blkdev_issue_discard", "disk discard" },
	{ "blk_mq_get_tag", "block queue full" },
	{ "balance_dirty_pages", "dirty page throttling" },
	{ "rq_qos_wait", "writeback throttling" }, { "wbt_wait", "writeback throttling" },
	{ "do_wait", "waiting for a child" },
	{ "do_epoll_wait", "epoll: no event" }, { "ep_poll", "epoll: no event" },
	{ "do_sys_poll", "poll: no fd ready" }, { "do_poll", "poll: no fd ready" },
	{ "do_select", "select: no fd ready" }, { "core_sys_select", "select: no fd ready" },
	{ "unix_stream_read_generic", "unix socket: no data" },
	{ "unix_stream_data_wait", "unix socket: no data" },
	{ "unix_wait_for_peer", "unix socket: peer's queue full" },
	{ "sk_wait_data", "socket: no data" }, { "tcp_recvmsg_locked", "socket: no data" },
	{ "__skb_wait_for_more_packets", "socket: no datagram" },
	{ "__skb_recv_datagram", "socket: no datagram" },
	{ "inet_csk_accept", "accept: no connection" },
	{ "inet_csk_wait_for_connect", "accept: no connection" },
	{ "__inet_stream_connect", "connect: handshake" },
	{ "sk_stream_wait_memory", "socket send buffer full" },
	{ "sock_alloc_send_pskb", "socket send buffer full" },
	{ "n_tty_read", "terminal input" },
	{ "do_sigtimedwait", "signal wait" }, { "sigsuspend", "signal wait" },
	{ "__x64_sys_pause", "signal wait" }, { "__arm64_sys_pause", "signal wait" },
	{ "io_cqring_wait", "io_uring completions" },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

size_t ilp_ksleep_basename(const char *name)
{
	return strcspn(name, ".");
}

static int is(const char *name, size_t len, const char *word)
{
	return strlen(word) == len && !strncmp(name, word, len);
}

static const struct named_reason *find(const struct named_reason *t, size_t n,
				       const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (is(name, len, t[i].func))
			return &t[i];
	return NULL;
}

static int skipped_frame(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < N(trace_prefixes); i++)
		if (!strncmp(name, trace_prefixes[i], strlen(trace_prefixes[i])))
			return 1;
	for (i = 0; i < N(sched_funcs); i++)
		if (is(name, len, sched_funcs[i]))
			return 1;
	return 0;
}

size_t ilp_ksleep_pick(const char *const *names, size_t n, const char **reason)
{
	const char *why = NULL;
	size_t i;

	for (i = 0; i < n && names[i] && names[i][0]; i++) {
		size_t len = ilp_ksleep_basename(names[i]);
		const struct named_reason *h;

		if (skipped_frame(names[i], len))
			continue;
		h = find(helpers, N(helpers), names[i], len);
		if (h) {
			if (!why)
				why = h->reason;
			continue;
		}
		if (!why) {
			h = find(reasons, N(reasons), names[i], len);
			why = h ? h->reason : NULL;
		}
		if (reason)
			*reason = why;
		return i;
	}
	if (reason)
		*reason = NULL;
	return n;
}

/* ---- the model's stacks ---- */

static struct ilp_ksleeps *ks_of(struct ilp_wait *w)
{
	if (!w->ks) {
		w->ks = calloc(1, sizeof(*w->ks));
		if (!w->ks)
			return NULL;
		w->ks->stacks = ilp_ipool_new(KS_STACKS_MAX);
		if (!w->ks->stacks) {
			free(w->ks);
			w->ks = NULL;
			return NULL;
		}
		w->ks->pool.max_bytes = KS_NAMES_MAX_BYTES;
	}
	return w->ks;
}

void ilp_ksleeps_free(struct ilp_ksleeps *ks)
{
	if (!ks)
		return;
	ilp_ipool_free(ks->stacks);
	ilp_umap_release(&ks->names);
	ilp_spool_release(&ks->pool);
	free(ks->picks);
	free(ks);
}

int ilp_ksleep_stack(struct ilp_wait *w, const struct ilp_event *ev, const struct ilp_wtask *t)
{
	struct ilp_ksleeps *ks;
	struct ilp_wthread *wt;
	uint32_t id;

	/* the stack of the sleep t just began: t went off in S or D at the
	 * switch before this record, and has no stack for it yet */
	if (!t || !t->in_call || !ev->kstack.ip || !(wt = *t->wt) || !wt->off_ts ||
	    wt->off_state == ILP_OFF_R || wt->ks_sid || ev->ts < wt->off_ts)
		return 0;
	ks = ks_of(w);
	if (!ks)
		return -ENOMEM;
	if (!ilp_ipool_intern(ks->stacks, ev->kstack.ip, ev->kstack.n, &id))
		return ilp_ipool_refused(ks->stacks) ? 0 : -ENOMEM;
	if (id >= ks->nnamed)
		w->unnamed++;
	wt->ks_sid = id + 1;
	return 0;
}

static struct ks_row *row_get(struct ilp_wproc *wp, int nr, uint32_t sid)
{
	uint64_t key = (uint64_t)(uint32_t)nr << 32 | sid;
	struct ks_row *r = ilp_idmap_get(&wp->ks_map, key);

	if (r)
		return r;
	if (ilp_wgrow((void **)&wp->ks_rows, &wp->ks_cap, wp->nks + 1, sizeof(*wp->ks_rows)))
		return NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->nr = nr;
	r->sid = sid;
	if (ilp_idmap_put(&wp->ks_map, key, r)) {
		free(r);
		return NULL;
	}
	wp->ks_rows[wp->nks++] = r;
	return r;
}

int ilp_ksleep_end(struct ilp_wait *w, const struct ilp_wtask *t, struct ilp_wthread *wt,
		   uint64_t ts)
{
	uint64_t until, slept;
	struct ilp_wproc *wp;
	struct ks_row *r;
	uint32_t sid = wt->ks_sid;

	wt->ks_sid = 0;
	if (!sid || !t->in_call || !wt->off_ts || ts < wt->off_ts || t->enter_ts > wt->off_ts)
		return 0;
	until = wt->wake_ts && wt->wake_ts <= ts && wt->wake_ts >= wt->off_ts ? wt->wake_ts : ts;
	slept = until - wt->off_ts;
	wp = ilp_wproc_of(w, t);
	if (!wp || !(r = row_get(wp, t->nr, sid - 1)))
		return -ENOMEM;
	r->sleeps++;
	r->ns += slept;
	if (wt->off_state == ILP_OFF_D)
		r->d_ns += slept;
	/* the call's longest sleep */
	if (wt->ks_enter_ts != t->enter_ts) {
		wt->ks_enter_ts = t->enter_ts;
		wt->ks_top = 0;
		wt->ks_top_ns = 0;
	}
	if (!wt->ks_top || slept > wt->ks_top_ns) {
		wt->ks_top = sid;
		wt->ks_top_ns = slept;
	}
	return 0;
}

uint32_t ilp_ksleep_call_top(const struct ilp_wthread *wt, uint64_t enter_ts)
{
	return wt && wt->ks_enter_ts == enter_ts ? wt->ks_top : 0;
}

/* ---- naming ---- */

static int name_frame(struct ilp_ksleeps *ks, uint64_t addr, ilp_namer_fn fn, void *ctx)
{
	char buf[256];
	const char *name;
	int r;

	if (ilp_umap_get(&ks->names, addr))
		return 0;
	buf[0] = '\0';
	r = fn(ctx, ILP_NAME_KFUNC, 0, addr, buf, sizeof(buf));
	if (r == -EAGAIN)
		return -EAGAIN;
	name = !r && buf[0] ? ilp_spool_intern(&ks->pool, buf) : NULL;
	if (!name)
		name = unnamed;
	return ilp_umap_put(&ks->names, addr, (void *)name);
}

int ilp_ksleep_name(struct ilp_wait *w, ilp_namer_fn fn, void *ctx)
{
	struct ilp_ksleeps *ks = w->ks;
	size_t count, n, i;

	if (!ks)
		return 0;
	count = ilp_ipool_count(ks->stacks);
	for (; ks->nnamed < count; ks->nnamed++) {
		const uint64_t *ip = ilp_ipool_get(ks->stacks, (uint32_t)ks->nnamed, &n);

		for (i = 0; i < n; i++) {
			int r = name_frame(ks, ip[i], fn, ctx);

			if (r == -EAGAIN)
				return (int)(count - ks->nnamed);
			if (r)
				return r;
		}
	}
	return 0;
}

/* ---- index ---- */

#define PICK_FRAMES 64	/* frames looked at; the function is near the top */

static int resolve(struct ilp_ksleeps *ks)
{
	size_t count = ilp_ipool_count(ks->stacks), id, n, i;

	if (count > ks->npicks) {
		struct ks_pick *np = realloc(ks->picks, count * sizeof(*np));

		if (!np)
			return -ENOMEM;
		ks->picks = np;
		ks->npicks = count;
	}
	for (id = 0; id < count; id++) {
		const uint64_t *ip = ilp_ipool_get(ks->stacks, (uint32_t)id, &n);
		const char *names[PICK_FRAMES], *reason;
		struct ks_pick *p = &ks->picks[id];
		size_t at;

		if (n > PICK_FRAMES)
			n = PICK_FRAMES;
		for (i = 0; i < n; i++) {
			names[i] = ilp_umap_get(&ks->names, ip[i]);
			if (names[i] == unnamed)
				names[i] = NULL;
		}
		at = ilp_ksleep_pick(names, n, &reason);
		p->func = NULL;
		p->reason = at < n ? reason : NULL;
		if (at < n) {
			char base[256];
			size_t len = ilp_ksleep_basename(names[at]);

			if (len >= sizeof(base))
				len = sizeof(base) - 1;
			memcpy(base, names[at], len);
			base[len] = '\0';
			p->func = ilp_spool_intern(&ks->pool, base);
		}
	}
	return 0;
}

int ilp_ksleep_resolve(struct ilp_wait *w)
{
	return w->ks ? resolve(w->ks) : 0;
}

const char *ilp_ksleep_func(const struct ilp_wait *w, uint32_t sid, const char **reason)
{
	const struct ks_pick *p;

	*reason = NULL;
	if (!sid || !w->ks || sid - 1 >= w->ks->npicks)
		return NULL;
	p = &w->ks->picks[sid - 1];
	*reason = p->reason;
	return p->func;
}

static int ksleep_cmp(const void *a, const void *b)
{
	const struct ilp_ksleep *x = a, *y = b;

	if (x->ns != y->ns)
		return x->ns > y->ns ? -1 : 1;
	if (x->sleeps != y->sleeps)
		return x->sleeps > y->sleeps ? -1 : 1;
	if (x->nr != y->nr)
		return x->nr < y->nr ? -1 : 1;
	if (!x->func || !y->func)
		return !x->func - !y->func;
	return strcmp(x->func, y->func);
}

int ilp_ksleep_index(const struct ilp_wait *w, struct ilp_wproc *wp)
{
	size_t i, j;

	wp->nksv = 0;
	if (!wp->nks)
		return 0;
	if (wp->nks > wp->ksv_cap) {
		struct ilp_ksleep *nv = realloc(wp->ksv, wp->nks * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		wp->ksv = nv;
		wp->ksv_cap = wp->nks;
	}
	/* one row per (syscall, function): stacks that end in one function
	 * are summed (few rows: a linear search) */
	for (i = 0; i < wp->nks; i++) {
		const struct ks_row *r = wp->ks_rows[i];
		const char *reason, *func = ilp_ksleep_func(w, r->sid + 1, &reason);
		struct ilp_ksleep *k = NULL;

		if (!r->sleeps)
			continue;
		for (j = 0; j < wp->nksv; j++)
			if (wp->ksv[j].nr == r->nr && wp->ksv[j].func == func) {
				k = &wp->ksv[j];
				break;
			}
		if (!k) {
			k = &wp->ksv[wp->nksv++];
			memset(k, 0, sizeof(*k));
			k->nr = r->nr;
			k->func = func;
			k->reason = reason;
		}
		k->sleeps += r->sleeps;
		k->ns += r->ns;
		k->d_ns += r->d_ns;
	}
	if (wp->nksv > 1)
		qsort(wp->ksv, wp->nksv, sizeof(*wp->ksv), ksleep_cmp);
	return 0;
}

void ilp_ksleep_release(struct ilp_wproc *wp)
{
	size_t i;

	for (i = 0; i < wp->nks; i++)
		free(wp->ks_rows[i]);
	free(wp->ks_rows);
	ilp_idmap_release(&wp->ks_map);
	free(wp->ksv);
}

void ilp_ksleep_reset(struct ilp_wproc *wp)
{
	ilp_ksleep_release(wp);
	memset(&wp->ks_map, 0, sizeof(wp->ks_map));
	wp->ks_rows = NULL;
	wp->nks = wp->ks_cap = 0;
	wp->ksv = NULL;
	wp->nksv = wp->ksv_cap = 0;
}

/* ---- accessors ---- */

size_t ilp_wproc_nksleeps(const struct ilp_wproc *w)
{
	return w ? w->nksv : 0;
}

const struct ilp_ksleep *ilp_wproc_ksleep(const struct ilp_wproc *w, size_t i)
{
	return w && i < w->nksv ? &w->ksv[i] : NULL;
}

const struct ilp_ksleep *ilp_wproc_ksleep_top(const struct ilp_wproc *w, int nr)
{
	size_t i;

	/* sorted by time: the first of nr */
	for (i = 0; w && i < w->nksv; i++)
		if (w->ksv[i].nr == nr)
			return &w->ksv[i];
	return NULL;
}
