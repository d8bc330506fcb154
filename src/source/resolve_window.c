// SPDX-License-Identifier: MIT
/*
 * The window: the events the source is about to deliver and the ones it
 * read after them, indexed so that a name read from /proc at time S can be
 * checked against what the process did between its call and S.
 *
 *   fd changes   (pid, fd) -> times an fd stopped being what it was: the
 *                entry of close(fd), dup2/dup3 onto it
 *   pid changes  pid -> close_range (fds lo..hi), exec and exit (every fd),
 *                chdir/fchdir/chroot (the cwd), pipe/pipe2/socketpair exits
 *   dirtied      (pid, fd) -> dev:ino the kernel reported for a thread inside
 *                a read or write on fd: a page dirtied (writeback_dirty_folio)
 *                or the first page read (mm_filemap_get_pages)
 *
 * Every event up to the horizon has been read: a read at S <= horizon can
 * be checked; a later one cannot, and is not trusted.  Built once per
 * delivery (O(events)), in pieces as the source merges its events, when a
 * read waits for it; queries are binary searches.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "resolve_internal.h"

#define CLOSE_RANGE_CLOEXEC_F (1u << 2)

/* every list of the index: a growable array of one element type */
struct wlist {
	void *v;
	size_t n, cap;
};

static uint64_t fdkey(int pid, int fd)
{
	return (uint64_t)(uint32_t)pid << 32 | (uint32_t)fd;
}

/*
 * Room for one more element of size elem at the end of key's list in m
 * (created if needed).  On ENOMEM, NULL, and the window is incomplete: it
 * then proves nothing (a name is lost, never wrongly kept).
 */
static void *push(struct window *win, struct ilp_umap *m, uint64_t key, size_t elem)
{
	struct wlist *w = ilp_umap_get(m, key);

	if (!w) {
		w = calloc(1, sizeof(*w));
		if (!w || ilp_umap_put(m, key, w)) {
			free(w);
			win->incomplete = 1;
			return NULL;
		}
	}
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 8;
		void *v = realloc(w->v, cap * elem);

		if (!v) {
			win->incomplete = 1;
			return NULL;
		}
		w->v = v;
		w->cap = cap;
	}
	return (char *)w->v + elem * w->n++;
}

static void add_ts(struct window *w, uint64_t key, uint64_t ts)
{
	uint64_t *x = push(w, &w->fdchg, key, sizeof(*x));

	if (x)
		*x = ts;
}

static void add_range_ptr(struct window *w, int pid, uint64_t ts, int lo, int hi, int kind,
			  uint64_t ptr)
{
	struct wrange *x = push(w, &w->pidchg, (uint64_t)(uint32_t)pid, sizeof(*x));

	if (x)
		*x = (struct wrange){ ts, lo, hi, (uint8_t)kind, ptr };
}

static void add_range(struct window *w, int pid, uint64_t ts, int lo, int hi, int kind)
{
	add_range_ptr(w, pid, ts, lo, hi, kind, 0);
}

static void add_dirty(struct window *w, int pid, int fd, uint64_t ts, uint32_t dev,
		      uint64_t ino)
{
	struct wdirty *x = push(w, &w->dirty, fdkey(pid, fd), sizeof(*x));

	if (x)
		*x = (struct wdirty){ ts, fd, dev, ino };
}

/* empties (keep: keeping the memory for the next window) or frees m's lists */
static void lists_reset(struct ilp_umap *m, int keep)
{
	size_t i;

	for (i = 0; i < m->cap; i++) {
		struct wlist *v = ilp_umap_slot(m, i, NULL);

		if (v && keep) {
			v->n = 0;
		} else if (v) {
			free(v->v);
			free(v);
		}
	}
	if (!keep)
		ilp_umap_release(m);
}

void ilp_res_window_release(struct window *w)
{
	lists_reset(&w->fdchg, 0);
	lists_reset(&w->pidchg, 0);
	lists_reset(&w->dirty, 0);
	memset(w, 0, sizeof(*w));
}

/* A list this large means a storm: start it afresh instead of growing */
#define FRESH_LIMIT 65536

void ilp_res_window_begin(struct ilp_resolver *r, uint64_t horizon)
{
	struct window *w = &r->w;

	/*
	 * Only a read kept for a call (a fact) asks the window anything: with
	 * none waiting (a server past its accepts, reading and writing), the
	 * delivery asks nothing, and the window is not built.  Asked anyway,
	 * it proves nothing (incomplete).
	 */
	w->idle = !r->facts.n && !r->exit_reads;
	if (w->idle) {
		w->horizon = horizon;
		w->valid = 1;
		w->incomplete = 1;
		return;
	}
	if (w->fdchg.n > FRESH_LIMIT || w->dirty.n > FRESH_LIMIT || w->pidchg.n > FRESH_LIMIT) {
		ilp_res_window_release(w);
	} else {
		lists_reset(&w->fdchg, 1);
		lists_reset(&w->pidchg, 1);
		lists_reset(&w->dirty, 1);
		memset(w->wtid, 0, sizeof(w->wtid));
		memset(w->wpair, 0, sizeof(w->wpair));
	}
	w->horizon = horizon;
	w->valid = 1;
	w->incomplete = 0;
}

/* what an event other than a call's entry or exit gives the window */
static void add_other(struct ilp_resolver *r, const struct ilp_event *ev)
{
	struct window *w = &r->w;

	switch (ev->kind) {
	case ILP_EV_TASK_NEW:
	case ILP_EV_TASK_INFO:
		/* learn who is who as the delivery will (idempotent) */
		if (ev->kind == ILP_EV_TASK_INFO && ev->pid > 0)
			ilp_res_thread(r, ev->tid)->pid = ev->pid;
		else if (ev->kind == ILP_EV_TASK_NEW)
			ilp_res_thread(r, ev->task.child)->pid =
				(ev->task.clone_flags & 0x00010000ull) ?
				ilp_res_pid_of(r, ev->tid) : ev->task.child;
		return;
	case ILP_EV_EXEC:
		add_range(w, ev->pid ? ev->pid : ev->tid, ev->ts, -1, -1, W_FDS);
		return;
	case ILP_EV_TASK_EXIT:
		if (ev->task.group_dead)
			add_range(w, ilp_res_pid_of(r, ev->tid), ev->ts, -1, -1, W_FDS);
		return;
	case ILP_EV_WB_DIRTY:
	case ILP_EV_FILE_READ: {
		const struct wtid *x = &w->wtid[(unsigned)ev->tid % WTIDS];

		if (x->tid == ev->tid)
			add_dirty(w, ilp_res_pid_of(r, ev->tid), x->fd, ev->ts,
				  ev->wb.dev, ev->wb.ino);
		return;
	}
	default:
		return;
	}
}

void ilp_res_window_add(struct ilp_resolver *r, const struct ilp_event *const *v, size_t n)
{
	struct window *w = &r->w;
	size_t i;

	if (w->idle)
		return;	/* nobody asks: who is who, the delivery learns */
	for (i = 0; i < n; i++) {
		const struct ilp_event *ev = v[i];
		const struct rinfo *ri;
		int pid;

		if (ev->kind != ILP_EV_SYS_ENTER && ev->kind != ILP_EV_SYS_EXIT) {
			/* calls by test first: the switch's jump is mispredicted more often */
			add_other(r, ev);
			continue;
		}
		if (ev->nr < 0 || ev->nr >= ILP_SC_MAX)
			continue;
		if (ev->kind == ILP_EV_SYS_EXIT) {
			if (w->wtid[(unsigned)ev->tid % WTIDS].tid == ev->tid)
				w->wtid[(unsigned)ev->tid % WTIDS].tid = 0;
			if (r->role[ev->nr].role == RS_PAIR) {
				pid = ilp_res_pid_of(r, ev->tid);
				struct wpair *p = &w->wpair[(unsigned)ev->tid % WTIDS];

				if (p->tid == ev->tid && ev->ret == 0)
					add_range_ptr(w, pid, ev->ts, 0, 0, W_PAIR, p->ptr);
				else if (p->tid != ev->tid && ev->ret == 0)
					/* its entry was not indexed: any buffer */
					add_range_ptr(w, pid, ev->ts, 0, 0, W_PAIR, UINT64_MAX);
				if (p->tid == ev->tid)
					p->tid = 0;
			}
			continue;
		}
		/* entries: a data call on an fd, for the inodes it reports */
		ri = &r->role[ev->nr];
		if (ri->wdata && (int)ev->args[0] >= 0) {
			w->wtid[(unsigned)ev->tid % WTIDS].tid = ev->tid;
			w->wtid[(unsigned)ev->tid % WTIDS].fd = (int)ev->args[0];
		}
		if (!ri->role)
			continue;	/* no pid lookup per data call: a storm stays cheap */
		pid = ilp_res_pid_of(r, ev->tid);
		if (ri->role == RS_PAIR && ri->path >= 0) {
			w->wpair[(unsigned)ev->tid % WTIDS].tid = ev->tid;
			w->wpair[(unsigned)ev->tid % WTIDS].ptr = ev->args[ri->path];
		} else if (ri->role == RS_CHDIR || ri->role == RS_FCHDIR) {
			add_range(w, pid, ev->ts, 0, 0, W_CWD);
		} else if (ri->role == RS_FDGONE) {
			if (ri->sub == FG_CLOSE)
				add_ts(w, fdkey(pid, (int)ev->args[0]), ev->ts);
			else if (ri->sub == FG_RANGE) {
				if (!(ev->args[2] & CLOSE_RANGE_CLOEXEC_F))
					add_range(w, pid, ev->ts, (int)(unsigned)ev->args[0],
						  ev->args[1] > 0x7fffffff ? 0x7fffffff : (int)ev->args[1],
						  W_FDS);
			} else if (ri->sub == FG_ROOT) {
				add_range(w, pid, ev->ts, 0, 0, W_CWD);
			} else {	/* FG_DUP: dup2, dup3: newfd is args[1] */
				add_ts(w, fdkey(pid, (int)ev->args[1]), ev->ts);
			}
		}
	}
}

/* index of the first t > a in v (sorted) */
static size_t after(const uint64_t *v, size_t n, uint64_t a)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid] <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* the first time after a when (pid, fd) stopped being what it was; UINT64_MAX if none */
static uint64_t first_change(const struct ilp_resolver *r, int pid, int fd, uint64_t a)
{
	const struct wlist *v = ilp_umap_get(&r->w.fdchg, fdkey(pid, fd));
	const struct wlist *g = ilp_umap_get(&r->w.pidchg, (uint64_t)(uint32_t)pid);
	uint64_t best = UINT64_MAX;
	size_t i;

	if (v) {
		i = after(v->v, v->n, a);
		if (i < v->n)
			best = ((const uint64_t *)v->v)[i];
	}
	for (i = 0; g && i < g->n; i++) {
		const struct wrange *x = (const struct wrange *)g->v + i;

		if (x->kind != W_FDS || x->ts <= a || x->ts >= best)
			continue;
		if (x->lo < 0 || (fd >= x->lo && fd <= x->hi))
			best = x->ts;
	}
	return best;
}

int ilp_res_fd_changed(const struct ilp_resolver *r, int pid, int fd, uint64_t a, uint64_t b)
{
	return r->w.incomplete || first_change(r, pid, fd, a) < b;
}

static int kind_between(const struct ilp_resolver *r, int pid, int kind, uint64_t ptr,
			uint64_t a, uint64_t b)
{
	const struct wlist *g = ilp_umap_get(&r->w.pidchg, (uint64_t)(uint32_t)pid);
	const struct wrange *x = g ? g->v : NULL;
	size_t i;

	for (i = 0; g && i < g->n; i++)
		if (x[i].kind == kind && x[i].ts > a && x[i].ts < b &&
		    (kind != W_PAIR || x[i].ptr == ptr || x[i].ptr == UINT64_MAX))
			return 1;
	return 0;
}

int ilp_res_cwd_changed(const struct ilp_resolver *r, int pid, uint64_t a, uint64_t b)
{
	return r->w.incomplete || kind_between(r, pid, W_CWD, 0, a, b);
}

int ilp_res_pair_between(const struct ilp_resolver *r, int pid, uint64_t ptr, uint64_t a,
			 uint64_t b)
{
	return r->w.incomplete || kind_between(r, pid, W_PAIR, ptr, a, b);
}

int ilp_res_dirtied(const struct ilp_resolver *r, int pid, int fd, uint64_t a, uint32_t dev,
		    uint64_t ino)
{
	const struct wlist *d = ilp_umap_get(&r->w.dirty, fdkey(pid, fd));
	const struct wdirty *x = d ? d->v : NULL;
	uint64_t end = first_change(r, pid, fd, a);
	size_t i;

	if (r->w.incomplete)
		return 0;
	for (i = 0; d && i < d->n; i++)
		if (x[i].ts > a && x[i].ts < end && x[i].dev == dev && x[i].ino == ino)
			return 1;
	return 0;
}
