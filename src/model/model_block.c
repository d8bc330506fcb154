// SPDX-License-Identifier: MIT
/*
 * Block requests: matched by (dev, sector) from the bio or the request
 * being queued to its completion.  Pure C, no I/O.
 *
 * The events come from the unfiltered companion instance: queueing runs in
 * the submitter's context, issue often in a kworker, completion in an
 * interrupt.  The submitter is the task that queued the bio
 * (block_bio_queue) or, without one, inserted or issued the request: if
 * its tid is a thread the model traces, the I/O is that process's; else it
 * is shown under the task's comm as not traced (kernel threads such as
 * kworker/jbd2 are flagged as such) - never under a kworker's pid.  Only
 * model.c knows which tids it traces: an event that needs its task stops
 * at ILP_BLK_ASK and goes on in ilp_blk_feed_task with the thread (or
 * NULL), so the lookup is made only where it was needed.
 *
 * Lifecycle of the in-flight entry at (dev, sector):
 *   QUEUE       creates it (queue_ts, submitter, bytes = nr_sector * 512);
 *               an entry already there is replaced (counted as a collision)
 *   BACKMERGE   the bio joined a request that starts elsewhere: its entry
 *               is dropped, its bytes complete with that request (merges++)
 *   FRONTMERGE  the bio at sector now starts the request that started at
 *               sector + nr_sector: that entry moves here, keeping its
 *               submitter and earliest queue time (merges++)
 *   INSERT      insert_ts (creates the entry if no bio was seen: flushes,
 *               requests queued before tracing)
 *   ISSUE       issue_ts, bytes from the request (creates if needed)
 *   REQUEUE     issue_ts cleared: issued again later (requeues++)
 *   RQMERGE     the request merged into another: dropped (merges++)
 *   COMPLETE    accounted, dropped; with no entry (issued before tracing
 *               started) it counts in the device's unmatched completions
 * Accounting at completion, for the device, the submitter on that device
 * and the submitting process: requests, bytes, op (from rwbs: D discard,
 * W write, R read, F alone flush, else other), errors, size hist,
 * queue->complete (from queue, else insert) and issue->complete hists.
 *
 * Kept requests (see ILP_BLK_REQS_TOP): each matched completion is also
 * offered to its device's top-K set, a min-heap on (dur_ns, -seq) where
 * seq counts the offers: a request enters only if strictly slower than
 * the root, so among equal times the earliest completed stays.
 * ilp_blk_index() copies the heap into a view sorted by start time; the
 * heap is left intact, so feeding may continue after an index.
 *
 * Writeback (see enum ilp_blk_wb): WB_DIRTY in a traced thread records
 * (bdi, ino) -> its process (the last one; a second process marks the
 * inode shared); WB_START/WB_END bracket a task's writeback of one inode.
 * A bio queued by an untraced task inside its bracket is that inode's:
 * written back for the process that dirtied it, or "untraced" if none did
 * during the capture.  Completion credits the submitter (kworker, with
 * the dirtier named) and the dirtier's own writeback stats, never its
 * submitted I/O.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heap.h"
#include "wait_internal.h"

struct req {
	uint64_t sector;
	uint32_t dev;
	uint32_t bytes;
	int used;
	int tid;			/* traced submitter thread, 0 */
	struct ilp_wproc *wp;		/* its process, NULL if not traced */
	char comm[ILP_COMM_LEN];	/* untraced submitter */
	uint64_t queue_ts, insert_ts, issue_ts;
	/* untraced submitter writing back an inode: enum ilp_blk_wb */
	int wb, wb_shared;
	struct ilp_wproc *wb_wp;	/* ILP_WB_TRACED: the dirtier */
	uint64_t wb_ino;
};

/* (bdi, ino) dirtied by a traced process */
struct dirt {
	uint64_t ino;
	uint32_t dev;
	int used, shared;
	struct ilp_wproc *wp;
};

/* a task inside writeback_single_inode_start .. writeback_single_inode */
struct flusher {
	int tid, active;
	uint32_t dev;
	uint64_t ino;
};

struct kept_req {
	struct ilp_blk_req r;
	uint64_t seq;
};

/* a submitter, in its device's hash: pub first (freed as one block) */
struct sub {
	struct ilp_blk_submitter pub;
	struct sub *older;		/* same key hash */
};

struct ilp_blkdev {
	uint32_t dev;
	char *name;
	int named;
	struct ilp_blk_stats st;
	struct ilp_blk_submitter **subs;	/* struct sub's pub */
	size_t nsubs, subs_cap;
	struct ilp_idmap sub_idx;	/* sub_hash -> newest struct sub with that hash */
	uint64_t unmatched, requeues, merges, collisions;
	/* the slowest requests: ILP_BLK_REQS_TOP each, allocated once */
	struct kept_req *heap;
	struct ilp_blk_req *view;
	size_t nheap, nview;
	uint64_t reqs_seen;
};

struct ilp_blk {
	struct req *tab;		/* open addressing, linear probing */
	size_t cap, n;
	struct ilp_blkdev **devs;
	size_t ndevs, devs_cap;
	size_t ndevs_view;		/* devices with something counted, first (after index) */
	struct dirt *dirt;		/* open addressing, no removal */
	size_t dcap, dn;
	struct flusher *fl;		/* few: the flusher and sync workers */
	size_t nfl, fl_cap;
	struct req *pending;		/* its submitter is asked of model.c (ILP_BLK_ASK) */
};

int ilp_blk_op_of(const char *rwbs)
{
	if (strchr(rwbs, 'D'))
		return ILP_BLK_DISCARD;
	if (strchr(rwbs, 'W'))
		return ILP_BLK_WRITE;
	if (strchr(rwbs, 'R'))
		return ILP_BLK_READ;
	if (strchr(rwbs, 'F'))
		return ILP_BLK_FLUSH;
	return ILP_BLK_OTHER;
}

/* ---- stats ---- */

int ilp_blk_stats_add(struct ilp_blk_stats *s, int op, uint32_t bytes, int error,
		      uint64_t q2c, uint64_t d2c)
{
	if (!s->size) {
		s->size = ilp_hist_new();
		s->q2c = ilp_hist_new();
		s->d2c = ilp_hist_new();
		if (!s->size || !s->q2c || !s->d2c) {
			ilp_blk_stats_release(s);
			return -ENOMEM;
		}
	}
	s->requests++;
	s->bytes += bytes;
	s->ops[op]++;
	s->op_bytes[op] += bytes;
	if (error)
		s->errors++;
	ilp_hist_record(s->size, bytes);
	if (q2c != UINT64_MAX)
		ilp_hist_record(s->q2c, q2c);
	if (d2c != UINT64_MAX)
		ilp_hist_record(s->d2c, d2c);
	return 0;
}

void ilp_blk_stats_release(struct ilp_blk_stats *s)
{
	ilp_hist_free(s->size);
	ilp_hist_free(s->q2c);
	ilp_hist_free(s->d2c);
	s->size = s->q2c = s->d2c = NULL;
}

/* ---- in-flight table ---- */

static size_t req_hash(uint32_t dev, uint64_t sector, size_t cap)
{
	uint64_t k = (sector ^ ((uint64_t)dev << 40)) * 0x9e3779b97f4a7c15ull;

	return (size_t)(k >> 17) & (cap - 1);
}

static struct req *req_find(struct ilp_blk *b, uint32_t dev, uint64_t sector)
{
	size_t i;

	if (!b->cap)
		return NULL;
	for (i = req_hash(dev, sector, b->cap); b->tab[i].used; i = (i + 1) & (b->cap - 1))
		if (b->tab[i].dev == dev && b->tab[i].sector == sector)
			return &b->tab[i];
	return NULL;
}

static int req_grow(struct ilp_blk *b)
{
	size_t ncap = b->cap ? b->cap * 2 : 256, i, j;
	struct req *nt = calloc(ncap, sizeof(*nt));

	if (!nt)
		return -ENOMEM;
	for (i = 0; i < b->cap; i++) {
		if (!b->tab[i].used)
			continue;
		for (j = req_hash(b->tab[i].dev, b->tab[i].sector, ncap); nt[j].used;
		     j = (j + 1) & (ncap - 1))
			;
		nt[j] = b->tab[i];
	}
	free(b->tab);
	b->tab = nt;
	b->cap = ncap;
	return 0;
}

/* a fresh (zeroed) entry at (dev, sector); an existing one is reset */
static struct req *req_add(struct ilp_blk *b, uint32_t dev, uint64_t sector, int *replaced)
{
	struct req *r = req_find(b, dev, sector);
	size_t i;

	*replaced = r != NULL;
	if (!r) {
		if ((b->n + 1) * 2 > b->cap && req_grow(b))
			return NULL;
		for (i = req_hash(dev, sector, b->cap); b->tab[i].used; i = (i + 1) & (b->cap - 1))
			;
		r = &b->tab[i];
		b->n++;
	}
	memset(r, 0, sizeof(*r));
	r->used = 1;
	r->dev = dev;
	r->sector = sector;
	return r;
}

/* removal with backward shift: no tombstones */
static void req_del(struct ilp_blk *b, struct req *r)
{
	size_t i = (size_t)(r - b->tab), j = i, k;

	b->tab[i].used = 0;
	b->n--;
	for (;;) {
		j = (j + 1) & (b->cap - 1);
		if (!b->tab[j].used)
			return;
		k = req_hash(b->tab[j].dev, b->tab[j].sector, b->cap);
		/* move j into the hole at i unless its home k lies in (i, j] */
		if ((i <= j) ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		b->tab[i] = b->tab[j];
		b->tab[j].used = 0;
		i = j;
	}
}

/* ---- devices ---- */

static struct ilp_blkdev *dev_get(struct ilp_wait *w, struct ilp_blk *b, uint32_t dev)
{
	struct ilp_blkdev *d;
	size_t i;

	for (i = 0; i < b->ndevs; i++)
		if (b->devs[i]->dev == dev)
			return b->devs[i];
	if (ilp_wgrow((void **)&b->devs, &b->devs_cap, b->ndevs + 1, sizeof(*b->devs)))
		return NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->dev = dev;
	b->devs[b->ndevs++] = d;
	w->unnamed++;
	return d;
}

static int is_kernel_comm(const char *c)
{
	static const char *const kthreads[] = { "kworker/", "jbd2/", "kswapd", "flush-",
		"writeback", "kblockd", "ksoftirqd/", "kthreadd", "xfsaild/", "btrfs-",
		"md", "dm", "loop", "kcompactd", "khugepaged", NULL };
	size_t i;

	for (i = 0; kthreads[i]; i++)
		if (!strncmp(c, kthreads[i], strlen(kthreads[i])))
			return 1;
	return 0;
}

/* a submitter's key: the traced pid, else (comm, wb, wb_pid, wb_ino) */
static uint64_t sub_hash(int pid, const char *comm, int wb, int wb_pid, uint64_t wb_ino)
{
	uint64_t h = 1469598103934665603ull;

	if (pid)
		return (uint64_t)(uint32_t)pid * 0x9e3779b97f4a7c15ull;
	for (; *comm; comm++)
		h = (h ^ (unsigned char)*comm) * 1099511628211ull;
	return h ^ ((uint64_t)(uint32_t)wb << 56) ^ ((uint64_t)(uint32_t)wb_pid << 24) ^ wb_ino;
}

static struct ilp_blk_submitter *sub_get(struct ilp_blkdev *d, const struct req *r)
{
	struct ilp_blk_submitter *s;
	struct sub *e, *head;
	int pid = r->wp ? r->wp->pid : 0;
	int wb_pid = r->wb == ILP_WB_TRACED ? r->wb_wp->pid : 0;
	uint64_t wb_ino = r->wb == ILP_WB_TRACED ? r->wb_ino : 0;
	uint64_t h = sub_hash(pid, r->comm, r->wb, wb_pid, wb_ino);

	head = ilp_idmap_get(&d->sub_idx, h);
	for (e = head; e; e = e->older) {
		s = &e->pub;
		if (pid ? s->pid == pid
			: (!s->pid && !strcmp(s->comm, r->comm[0] ? r->comm : "?") && s->wb == r->wb &&
			   s->wb_pid == wb_pid && s->wb_ino == wb_ino)) {
			s->wb_shared |= r->wb_shared;
			return s;
		}
	}
	if (ilp_wgrow((void **)&d->subs, &d->subs_cap, d->nsubs + 1, sizeof(*d->subs)))
		return NULL;
	e = calloc(1, sizeof(*e));
	if (!e || ilp_idmap_put(&d->sub_idx, h, e)) {
		free(e);
		return NULL;
	}
	e->older = head;
	s = &e->pub;
	s->pid = pid;
	if (pid)
		snprintf(s->comm, sizeof(s->comm), "%s", r->wp->comm);
	else
		snprintf(s->comm, sizeof(s->comm), "%s", r->comm[0] ? r->comm : "?");
	s->kernel = !pid && is_kernel_comm(s->comm);
	if (!pid) {
		s->wb = r->wb;
		s->wb_pid = wb_pid;
		s->wb_ino = wb_ino;
		s->wb_shared = r->wb_shared;
		if (wb_pid)
			snprintf(s->wb_comm, sizeof(s->wb_comm), "%s", r->wb_wp->comm);
	}
	d->subs[d->nsubs++] = s;
	return s;
}

/* ---- writeback ---- */

static size_t dirt_hash(uint32_t dev, uint64_t ino, size_t cap)
{
	uint64_t k = (ino ^ ((uint64_t)dev << 32 | dev)) * 0x9e3779b97f4a7c15ull;

	return (size_t)(k >> 19) & (cap - 1);
}

static struct dirt *dirt_find(const struct ilp_blk *b, uint32_t dev, uint64_t ino)
{
	size_t i;

	if (!b->dcap)
		return NULL;
	for (i = dirt_hash(dev, ino, b->dcap); b->dirt[i].used; i = (i + 1) & (b->dcap - 1))
		if (b->dirt[i].dev == dev && b->dirt[i].ino == ino)
			return &b->dirt[i];
	return NULL;
}

static int dirt_grow(struct ilp_blk *b)
{
	size_t ncap = b->dcap ? b->dcap * 2 : 64, i, j;
	struct dirt *nt = calloc(ncap, sizeof(*nt));

	if (!nt)
		return -ENOMEM;
	for (i = 0; i < b->dcap; i++) {
		if (!b->dirt[i].used)
			continue;
		for (j = dirt_hash(b->dirt[i].dev, b->dirt[i].ino, ncap); nt[j].used;
		     j = (j + 1) & (ncap - 1))
			;
		nt[j] = b->dirt[i];
	}
	free(b->dirt);
	b->dirt = nt;
	b->dcap = ncap;
	return 0;
}

/* a traced thread t dirtied a page of (dev, ino); untraced tids (NULL) are ignored */
static int wb_dirty(struct ilp_wait *w, struct ilp_blk *b, const struct ilp_event *ev,
		    const struct ilp_wtask *t)
{
	struct ilp_wproc *wp;
	struct dirt *dt;
	size_t i;

	if (!t)
		return 0;
	wp = ilp_wproc_of(w, t);
	if (!wp)
		return -ENOMEM;
	dt = dirt_find(b, ev->wb.dev, ev->wb.ino);
	if (dt) {
		if (dt->wp && dt->wp != wp)
			dt->shared = 1;
		dt->wp = wp;		/* the last dirtier names it */
		return 0;
	}
	if ((b->dn + 1) * 2 > b->dcap && dirt_grow(b))
		return -ENOMEM;
	for (i = dirt_hash(ev->wb.dev, ev->wb.ino, b->dcap); b->dirt[i].used;
	     i = (i + 1) & (b->dcap - 1))
		;
	dt = &b->dirt[i];
	dt->used = 1;
	dt->dev = ev->wb.dev;
	dt->ino = ev->wb.ino;
	dt->wp = wp;
	b->dn++;
	return 0;
}

static struct flusher *flusher_find(const struct ilp_blk *b, int tid)
{
	size_t i;

	for (i = 0; i < b->nfl; i++)
		if (b->fl[i].tid == tid)
			return &b->fl[i];
	return NULL;
}

static int wb_bracket(struct ilp_blk *b, const struct ilp_event *ev)
{
	struct flusher *f = flusher_find(b, ev->tid);

	if (!f) {
		if (ev->kind == ILP_EV_WB_END)
			return 0;
		/* reuse an idle slot: the set stays as small as the busy tasks */
		for (size_t i = 0; i < b->nfl && !f; i++)
			if (!b->fl[i].active)
				f = &b->fl[i];
		if (!f) {
			if (ilp_wgrow((void **)&b->fl, &b->fl_cap, b->nfl + 1, sizeof(*b->fl)))
				return -ENOMEM;
			f = &b->fl[b->nfl++];
		}
		f->tid = ev->tid;
	}
	f->active = ev->kind == ILP_EV_WB_START;
	f->dev = ev->wb.dev;
	f->ino = ev->wb.ino;
	return 0;
}

/* the untraced task tid queues r: inode writeback, for whom? */
static void writeback_of(const struct ilp_blk *b, struct req *r, int tid)
{
	const struct flusher *f = tid > 0 ? flusher_find(b, tid) : NULL;
	const struct dirt *dt;

	r->wb = ILP_WB_NONE;
	if (!f || !f->active)
		return;
	dt = dirt_find(b, f->dev, f->ino);
	if (!dt || !dt->wp) {	/* !wp: its dirtier was pruned */
		r->wb = ILP_WB_UNTRACED;
		return;
	}
	r->wb = ILP_WB_TRACED;
	r->wb_wp = dt->wp;
	r->wb_ino = dt->ino;
	r->wb_shared = dt->shared;
}

/* the submitter of ev: a traced thread t (its process), else (NULL) the comm */
static int set_submitter(struct ilp_wait *w, struct req *r, const struct ilp_event *ev,
			 const struct ilp_wtask *t)
{
	if (t) {
		struct ilp_wthread *wt = ilp_wthread_of(w, t);

		r->tid = ev->tid;
		r->wp = ilp_wproc_of(w, t);
		if (!r->wp || !wt)
			return -ENOMEM;
		/* the device of the call this thread is in, for blocking calls */
		if (t->in_call) {
			wt->blk_dev = ev->block.dev;
			wt->blk_enter_ts = t->enter_ts;
		}
	} else {
		memcpy(r->comm, ev->block.comm, sizeof(r->comm));
		r->comm[sizeof(r->comm) - 1] = '\0';
		if (ev->tid == 0 && !r->comm[0])
			snprintf(r->comm, sizeof(r->comm), "irq/idle");
		writeback_of(w->blk, r, ev->tid);
	}
	return 0;
}

/* ---- kept requests: top-K slowest per device ---- */

/* a leaves the set before b */
static int kept_before(const void *pa, const void *pb)
{
	const struct kept_req *a = pa, *b = pb;

	if (a->r.dur_ns != b->r.dur_ns)
		return a->r.dur_ns < b->r.dur_ns;
	return a->seq > b->seq;		/* later offered leaves first */
}

/* offers the completed request r (completion ev) to d's set */
static int kept_offer(struct ilp_blkdev *d, const struct req *r, const struct ilp_event *ev,
		      int op, const struct ilp_blk_submitter *s)
{
	struct kept_req k;
	uint64_t from = r->issue_ts ? r->issue_ts : r->queue_ts ? r->queue_ts : r->insert_ts;

	if (!d->heap) {
		d->heap = calloc(ILP_BLK_REQS_TOP, sizeof(*d->heap));
		d->view = calloc(ILP_BLK_REQS_TOP, sizeof(*d->view));
		if (!d->heap || !d->view) {
			free(d->heap);
			free(d->view);
			d->heap = NULL;
			d->view = NULL;
			return -ENOMEM;
		}
	}
	k.seq = d->reqs_seen++;
	if (!from || ev->ts < from)
		from = ev->ts;
	if (d->nheap == ILP_BLK_REQS_TOP && ev->ts - from <= d->heap[0].r.dur_ns)
		return 0;
	memset(&k.r, 0, sizeof(k.r));
	k.r.queue_ts = r->queue_ts;
	k.r.insert_ts = r->insert_ts;
	k.r.issue_ts = r->issue_ts;
	k.r.complete_ts = ev->ts;
	k.r.start_ts = from;
	k.r.dur_ns = ev->ts - from;
	k.r.sector = r->sector;
	k.r.dev = r->dev;
	k.r.bytes = r->bytes;
	k.r.op = op;
	memcpy(k.r.rwbs, ev->block.rwbs, sizeof(k.r.rwbs));
	k.r.rwbs[sizeof(k.r.rwbs) - 1] = '\0';
	k.r.error = ev->block.error;
	k.r.pid = s->pid;
	k.r.tid = r->wp ? r->tid : 0;
	memcpy(k.r.comm, s->comm, sizeof(k.r.comm));
	k.r.kernel = s->kernel;
	k.r.wb_pid = r->wb == ILP_WB_TRACED ? r->wb_wp->pid : 0;
	if (d->nheap < ILP_BLK_REQS_TOP) {
		d->heap[d->nheap] = k;
		ilp_heap_up(d->heap, sizeof(*d->heap), d->nheap++, kept_before);
		return 0;
	}
	d->heap[0] = k;
	ilp_heap_down(d->heap, sizeof(*d->heap), d->nheap, 0, kept_before);
	return 0;
}

static int kept_cmp(const void *a, const void *b)
{
	const struct ilp_blk_req *x = a, *y = b;

	if (x->start_ts != y->start_ts)
		return x->start_ts < y->start_ts ? -1 : 1;
	if (x->complete_ts != y->complete_ts)
		return x->complete_ts < y->complete_ts ? -1 : 1;
	return (x->sector > y->sector) - (x->sector < y->sector);
}

static void kept_index(struct ilp_blkdev *d)
{
	size_t i;

	for (i = 0; i < d->nheap; i++)
		d->view[i] = d->heap[i].r;
	d->nview = d->nheap;
	if (d->nview > 1)
		qsort(d->view, d->nview, sizeof(*d->view), kept_cmp);
}

static int complete(struct ilp_wait *w, struct ilp_blk *b, const struct ilp_event *ev)
{
	struct ilp_blkdev *d = dev_get(w, b, ev->block.dev);
	struct req *r = req_find(b, ev->block.dev, ev->block.sector);
	struct ilp_blk_submitter *s;
	uint64_t q2c = UINT64_MAX, d2c = UINT64_MAX, from;
	int op = ilp_blk_op_of(ev->block.rwbs), err = 0;
	uint32_t bytes;

	if (!d)
		return -ENOMEM;
	if (!r) {
		d->unmatched++;
		return 0;
	}
	bytes = r->bytes;
	from = r->queue_ts ? r->queue_ts : r->insert_ts;
	if (from && ev->ts >= from)
		q2c = ev->ts - from;
	if (r->issue_ts && ev->ts >= r->issue_ts)
		d2c = ev->ts - r->issue_ts;
	s = sub_get(d, r);
	if (!s || kept_offer(d, r, ev, op, s))
		err = -ENOMEM;
	else if (ilp_blk_stats_add(&d->st, op, bytes, ev->block.error, q2c, d2c) ||
		 ilp_blk_stats_add(&s->st, op, bytes, ev->block.error, q2c, d2c))
		err = -ENOMEM;
	else if (r->wp) {
		r->wp->has_blk = 1;
		if (ilp_blk_stats_add(&r->wp->blk, op, bytes, ev->block.error, q2c, d2c))
			err = -ENOMEM;
	} else if (r->wb == ILP_WB_TRACED) {
		r->wb_wp->has_wb = 1;
		if (ilp_blk_stats_add(&r->wb_wp->wb, op, bytes, ev->block.error, q2c, d2c))
			err = -ENOMEM;
	}
	req_del(b, r);
	return err;
}

/* an insert or issue: its time, and the request's size once known */
static void stamp(struct req *r, const struct ilp_event *ev)
{
	if (ev->kind == ILP_EV_BLOCK_INSERT)
		r->insert_ts = ev->ts;
	else
		r->issue_ts = ev->ts;
	if (ev->block.bytes)
		r->bytes = ev->block.bytes;
}

/* r is ev's task's (set_submitter), then an insert or issue stamps it */
static int submitted(struct ilp_wait *w, struct req *r, const struct ilp_event *ev,
		     const struct ilp_wtask *t)
{
	if (set_submitter(w, r, ev, t))
		return -ENOMEM;
	if (ev->kind == ILP_EV_BLOCK_INSERT || ev->kind == ILP_EV_BLOCK_ISSUE)
		stamp(r, ev);
	return 0;
}

/* r's submitter is ev's task: asked of model.c unless it cannot be traced */
static int ask_submitter(struct ilp_wait *w, struct req *r, const struct ilp_event *ev)
{
	if (ev->tid <= 0)	/* the idle task, an interrupt: never a traced thread */
		return submitted(w, r, ev, NULL);
	w->blk->pending = r;
	return ILP_BLK_ASK;
}

int ilp_blk_feed(struct ilp_wait *w, const struct ilp_event *ev)
{
	struct ilp_blk *b = w->blk;
	uint32_t dev = ev->block.dev;
	uint64_t sector = ev->block.sector;
	struct ilp_blkdev *d;
	struct req *r, *old;
	int replaced;

	switch (ev->kind) {
	case ILP_EV_BLOCK_QUEUE:
		r = req_add(b, dev, sector, &replaced);
		if (!r)
			return -ENOMEM;
		if (replaced && (d = dev_get(w, b, dev)))
			d->collisions++;
		r->queue_ts = ev->ts;
		r->bytes = ev->block.bytes;
		return ask_submitter(w, r, ev);
	case ILP_EV_BLOCK_BACKMERGE:
		r = req_find(b, dev, sector);
		if (r && !r->issue_ts)
			req_del(b, r);
		d = dev_get(w, b, dev);
		if (!d)
			return -ENOMEM;
		d->merges++;
		return 0;
	case ILP_EV_BLOCK_FRONTMERGE:
		d = dev_get(w, b, dev);
		if (!d)
			return -ENOMEM;
		d->merges++;
		old = req_find(b, dev, sector + ev->block.bytes / 512);
		if (!old)
			return 0;
		{
			struct req keep = *old;

			req_del(b, old);
			r = req_find(b, dev, sector);
			if (!r) {
				r = req_add(b, dev, sector, &replaced);
				if (!r)
					return -ENOMEM;
			}
			if (keep.queue_ts && (!r->queue_ts || keep.queue_ts < r->queue_ts))
				r->queue_ts = keep.queue_ts;
			r->tid = keep.tid;
			r->wp = keep.wp;
			memcpy(r->comm, keep.comm, sizeof(r->comm));
			r->wb = keep.wb;
			r->wb_wp = keep.wb_wp;
			r->wb_ino = keep.wb_ino;
			r->wb_shared = keep.wb_shared;
			r->bytes = keep.bytes + ev->block.bytes;
		}
		return 0;
	case ILP_EV_BLOCK_INSERT:
	case ILP_EV_BLOCK_ISSUE:
		r = req_find(b, dev, sector);
		if (!r) {
			r = req_add(b, dev, sector, &replaced);
			if (!r)
				return -ENOMEM;
			return ask_submitter(w, r, ev);	/* stamped once it has one */
		}
		stamp(r, ev);
		return 0;
	case ILP_EV_BLOCK_REQUEUE:
		d = dev_get(w, b, dev);
		if (!d)
			return -ENOMEM;
		d->requeues++;
		r = req_find(b, dev, sector);
		if (r)
			r->issue_ts = 0;
		return 0;
	case ILP_EV_BLOCK_RQMERGE:
		d = dev_get(w, b, dev);
		if (!d)
			return -ENOMEM;
		d->merges++;
		r = req_find(b, dev, sector);
		if (r)
			req_del(b, r);
		return 0;
	case ILP_EV_BLOCK_COMPLETE:
		return complete(w, b, ev);
	case ILP_EV_WB_DIRTY:
		return ev->tid > 0 ? ILP_BLK_ASK : 0;	/* the dirtier, if traced */
	case ILP_EV_WB_START:
	case ILP_EV_WB_END:
		return wb_bracket(b, ev);
	default:
		return 0;
	}
}

int ilp_blk_feed_task(struct ilp_wait *w, const struct ilp_event *ev, const struct ilp_wtask *t)
{
	struct ilp_blk *b = w->blk;
	struct req *r = b->pending;

	if (ev->kind == ILP_EV_WB_DIRTY)
		return wb_dirty(w, b, ev, t);
	b->pending = NULL;
	return r ? submitted(w, r, ev, t) : 0;
}

struct ilp_blk *ilp_blk_new(void)
{
	return calloc(1, sizeof(struct ilp_blk));
}

void ilp_blk_free(struct ilp_blk *b)
{
	size_t i, j;

	if (!b)
		return;
	for (i = 0; i < b->ndevs; i++) {
		struct ilp_blkdev *d = b->devs[i];

		for (j = 0; j < d->nsubs; j++) {
			ilp_blk_stats_release(&d->subs[j]->st);
			free((struct sub *)d->subs[j]);	/* pub is its first member */
		}
		free(d->subs);
		ilp_idmap_release(&d->sub_idx);
		ilp_blk_stats_release(&d->st);
		free(d->heap);
		free(d->view);
		free(d->name);
		free(d);
	}
	free(b->devs);
	free(b->tab);
	free(b->dirt);
	free(b->fl);
	free(b);
}

/* a device with nothing counted since ilp_blk_reset is not shown */
static int dev_active(const struct ilp_blkdev *d)
{
	return d->st.requests || d->unmatched || d->requeues || d->merges || d->collisions;
}

static void dev_reset(struct ilp_blkdev *d)
{
	size_t j;

	for (j = 0; j < d->nsubs; j++) {
		ilp_blk_stats_release(&d->subs[j]->st);
		free((struct sub *)d->subs[j]);	/* pub is its first member */
	}
	d->nsubs = 0;
	ilp_idmap_release(&d->sub_idx);
	ilp_blk_stats_release(&d->st);
	memset(&d->st, 0, sizeof(d->st));
	d->unmatched = d->requeues = d->merges = d->collisions = 0;
	d->nheap = d->nview = 0;
	d->reqs_seen = 0;
}

void ilp_blk_reset(struct ilp_blk *b)
{
	size_t i;

	for (i = 0; i < b->ndevs; i++)
		dev_reset(b->devs[i]);
	b->ndevs_view = 0;
}

void ilp_blk_forget_proc(struct ilp_blk *b, const struct ilp_wproc *wp)
{
	size_t i;

	for (i = 0; b && i < b->cap; i++) {
		struct req *r = &b->tab[i];

		if (!r->used)
			continue;
		if (r->wp == wp) {	/* its comm, as an untraced submitter's */
			snprintf(r->comm, sizeof(r->comm), "%s", wp->comm ? wp->comm : "?");
			r->wp = NULL;
			r->tid = 0;
		}
		if (r->wb == ILP_WB_TRACED && r->wb_wp == wp) {
			r->wb = ILP_WB_UNTRACED;
			r->wb_wp = NULL;
		}
	}
	for (i = 0; b && i < b->dcap; i++)
		if (b->dirt[i].used && b->dirt[i].wp == wp)
			b->dirt[i].wp = NULL;	/* kept for the probe chains */
}

static int dev_cmp(const void *a, const void *b)
{
	const struct ilp_blkdev *x = *(const struct ilp_blkdev *const *)a;
	const struct ilp_blkdev *y = *(const struct ilp_blkdev *const *)b;

	if (dev_active(x) != dev_active(y))
		return dev_active(y) - dev_active(x);
	if (x->st.bytes != y->st.bytes)
		return x->st.bytes > y->st.bytes ? -1 : 1;
	if (x->st.requests != y->st.requests)
		return x->st.requests > y->st.requests ? -1 : 1;
	return (x->dev > y->dev) - (x->dev < y->dev);
}

static int sub_cmp(const void *a, const void *b)
{
	const struct ilp_blk_submitter *x = *(const struct ilp_blk_submitter *const *)a;
	const struct ilp_blk_submitter *y = *(const struct ilp_blk_submitter *const *)b;

	if (x->st.bytes != y->st.bytes)
		return x->st.bytes > y->st.bytes ? -1 : 1;
	if (x->st.requests != y->st.requests)
		return x->st.requests > y->st.requests ? -1 : 1;
	if (x->pid != y->pid)
		return x->pid > y->pid ? -1 : 1;	/* traced first */
	return strcmp(x->comm, y->comm);
}

int ilp_blk_index(struct ilp_blk *b)
{
	size_t i;

	if (b->ndevs > 1)
		qsort(b->devs, b->ndevs, sizeof(*b->devs), dev_cmp);
	for (i = 0; i < b->ndevs; i++) {
		if (b->devs[i]->nsubs > 1)
			qsort(b->devs[i]->subs, b->devs[i]->nsubs, sizeof(*b->devs[i]->subs),
			      sub_cmp);
		kept_index(b->devs[i]);
	}
	for (i = 0; i < b->ndevs && dev_active(b->devs[i]); i++)
		;
	b->ndevs_view = i;
	return 0;
}

int ilp_blk_name(struct ilp_blk *b, ilp_namer_fn fn, void *ctx)
{
	char buf[64];
	int again = 0, r;
	size_t i;

	for (i = 0; i < b->ndevs; i++) {
		struct ilp_blkdev *d = b->devs[i];

		if (d->named)
			continue;
		r = fn(ctx, ILP_NAME_DEV, 0, d->dev, buf, sizeof(buf));
		if (r == -EAGAIN) {
			again++;
			continue;
		}
		d->named = 1;
		if (r == 0 && buf[0]) {
			d->name = strdup(buf);
			if (!d->name)
				return -ENOMEM;
		}
	}
	return again;
}

/* ---- accessors ---- */

size_t ilp_blk_ndevs(const struct ilp_wait *w)
{
	return w->blk->ndevs_view;
}

const struct ilp_blkdev *ilp_blk_dev(const struct ilp_wait *w, size_t i)
{
	const struct ilp_blk *b = w->blk;

	return i < b->ndevs_view ? b->devs[i] : NULL;
}

const struct ilp_blkdev *ilp_blk_find_dev(const struct ilp_wait *w, uint32_t dev)
{
	const struct ilp_blk *b = w->blk;
	size_t i;

	for (i = 0; i < b->ndevs; i++)
		if (b->devs[i]->dev == dev)
			return b->devs[i];
	return NULL;
}

uint32_t ilp_blkdev_dev(const struct ilp_blkdev *d)
{
	return d->dev;
}

const char *ilp_blkdev_name(const struct ilp_blkdev *d)
{
	return d->name;
}

const struct ilp_blk_stats *ilp_blkdev_stats(const struct ilp_blkdev *d)
{
	return &d->st;
}

size_t ilp_blkdev_nsubmitters(const struct ilp_blkdev *d)
{
	return d->nsubs;
}

const struct ilp_blk_submitter *ilp_blkdev_submitter(const struct ilp_blkdev *d, size_t i)
{
	return i < d->nsubs ? d->subs[i] : NULL;
}

uint64_t ilp_blkdev_unmatched(const struct ilp_blkdev *d)
{
	return d->unmatched;
}

uint64_t ilp_blkdev_requeues(const struct ilp_blkdev *d)
{
	return d->requeues;
}

uint64_t ilp_blkdev_merges(const struct ilp_blkdev *d)
{
	return d->merges;
}

size_t ilp_blkdev_nreqs(const struct ilp_blkdev *d)
{
	return d->nview;
}

const struct ilp_blk_req *ilp_blkdev_req(const struct ilp_blkdev *d, size_t i)
{
	return i < d->nview ? &d->view[i] : NULL;
}

uint64_t ilp_blkdev_reqs_seen(const struct ilp_blkdev *d)
{
	return d->reqs_seen;
}

const struct ilp_blk_stats *ilp_wproc_blk(const struct ilp_wproc *w)
{
	return w && w->has_blk ? &w->blk : NULL;
}

const struct ilp_blk_stats *ilp_wproc_blk_writeback(const struct ilp_wproc *w)
{
	return w && w->has_wb ? &w->wb : NULL;
}
