// SPDX-License-Identifier: MIT
/*
 * The io_uring model: rings, requests in flight, per-process statistics
 * per opcode and per file.  See include/uringmodel.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fdmodel.h"
#include "keyhash.h"
#include "syscalls.h"
#include "uringmodel.h"

#define NOPS 256		/* opcodes are a u8 in the tracepoints */
#define REQ_CHUNK 256		/* requests allocated at once */

/* IORING_OP_* (uapi, stable): the ones counted on a file, and how */
static const struct { int opcode; const char *sc; int data; } op_sc[] = {
	{ 1, "readv", 1 }, { 2, "writev", 1 }, { 3, "fsync", 0 },
	{ 4, "read", 1 },		/* READ_FIXED */
	{ 5, "write", 1 },		/* WRITE_FIXED */
	{ 8, "sync_file_range", 0 },
	{ 9, "sendmsg", 1 }, { 10, "recvmsg", 1 },
	{ 22, "read", 1 }, { 23, "write", 1 },
	{ 26, "sendto", 1 },		/* SEND */
	{ 27, "recvfrom", 1 },		/* RECV */
	{ 60, "readv", 1 },		/* READV_FIXED */
	{ 61, "writev", 1 },		/* WRITEV_FIXED */
};

struct ureq {
	uint64_t req, ts;
	struct ilp_uproc *up;
	struct ureq *next_free;
	int tid, fd;
	uint16_t opcode;
	uint8_t fixed;
};

struct mark {
	int tid;
	uint64_t ts;			/* its last CQWAIT; 0: none pending */
	struct ilp_uring_cell cell[ILP_URING_CELLS];	/* requests it waited for */
	size_t ncells;
	uint64_t other;
};

struct file_row {
	struct ilp_uring_file_stats pub;
	uint64_t key;
};

struct ilp_uproc {
	void *owner;
	struct ilp_uring_totals tot;
	struct ilp_uring_op_stats *op[NOPS];
	struct ilp_uring_op_stats **opview;
	size_t nopview;
	struct ilp_umap files;		/* key -> struct file_row */
	struct file_row **fileview;
	size_t nfiles, nfileview;
	struct mark wait[ILP_URING_CQWAIT_SLOTS];	/* CQWAIT seen, per thread */
	unsigned next_mark;
	struct ilp_uproc *next;		/* every process's, for free and reset */
};

struct ilp_uring {
	struct ilp_umap rings;		/* ctx -> struct ilp_uproc */
	struct ilp_umap reqs;		/* req -> struct ureq, in flight */
	struct ureq *free_reqs;
	void **chunks;			/* the request chunks, to free */
	size_t nchunks;
	struct ilp_uproc *procs;
	int8_t data[NOPS];		/* 1: its positive results are bytes */
	int16_t nr[NOPS];		/* syscall it stands for, or -1 */
};

struct ilp_uring *ilp_uring_new(void)
{
	struct ilp_uring *u = calloc(1, sizeof(*u));
	size_t i;

	if (!u)
		return NULL;
	for (i = 0; i < NOPS; i++)
		u->nr[i] = -1;
	for (i = 0; i < sizeof(op_sc) / sizeof(op_sc[0]); i++) {
		int nr = ilp_syscall_nr(op_sc[i].sc);

		u->nr[op_sc[i].opcode] = (int16_t)(nr >= 0 && nr < ILP_SC_MAX ? nr : -1);
		u->data[op_sc[i].opcode] = (int8_t)op_sc[i].data;
	}
	return u;
}

static void uproc_free(struct ilp_uproc *p)
{
	size_t i;

	for (i = 0; i < NOPS; i++)
		if (p->op[i]) {
			ilp_hist_free(p->op[i]->hist);
			free(p->op[i]);
		}
	for (i = 0; i < p->files.cap; i++) {
		struct file_row *r = ilp_umap_slot(&p->files, i, NULL);

		if (r) {
			ilp_hist_free(r->pub.hist);
			free(r);
		}
	}
	ilp_umap_release(&p->files);
	free(p->opview);
	free(p->fileview);
	free(p);
}

void ilp_uring_free(struct ilp_uring *u)
{
	struct ilp_uproc *p, *next;
	size_t i;

	if (!u)
		return;
	for (p = u->procs; p; p = next) {
		next = p->next;
		uproc_free(p);
	}
	for (i = 0; i < u->nchunks; i++)
		free(u->chunks[i]);
	free(u->chunks);
	ilp_umap_release(&u->rings);
	ilp_umap_release(&u->reqs);
	free(u);
}

static struct ilp_uproc *uproc_get(struct ilp_uring *u, struct ilp_uproc **up, void *owner)
{
	struct ilp_uproc *p;

	if (!up)
		return NULL;
	if (*up)
		return *up;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->owner = owner;
	p->next = u->procs;
	u->procs = p;
	*up = p;
	return p;
}

static struct ilp_uring_op_stats *op_get(struct ilp_uproc *p, int opcode, const char *name)
{
	struct ilp_uring_op_stats *o = p->op[opcode & (NOPS - 1)];

	if (!o) {
		o = calloc(1, sizeof(*o));
		if (!o)
			return NULL;
		o->hist = ilp_hist_new();
		if (!o->hist) {
			free(o);
			return NULL;
		}
		o->opcode = opcode & (NOPS - 1);
		snprintf(o->name, sizeof(o->name), "op %d", o->opcode);
		p->op[o->opcode] = o;
	}
	if (name && name[0])
		snprintf(o->name, sizeof(o->name), "%s", name);
	return o;
}

static struct ureq *req_alloc(struct ilp_uring *u)
{
	struct ureq *r = u->free_reqs, *c;
	void **v;
	size_t i;

	if (r) {
		u->free_reqs = r->next_free;
		return r;
	}
	v = realloc(u->chunks, (u->nchunks + 1) * sizeof(*v));
	if (!v)
		return NULL;
	u->chunks = v;
	c = calloc(REQ_CHUNK, sizeof(*c));
	if (!c)
		return NULL;
	u->chunks[u->nchunks++] = c;
	for (i = 1; i < REQ_CHUNK; i++) {
		c[i].next_free = u->free_reqs;
		u->free_reqs = &c[i];
	}
	return &c[0];
}

static void req_release(struct ilp_uring *u, struct ureq *r)
{
	r->next_free = u->free_reqs;
	u->free_reqs = r;
}

static int on_submit(struct ilp_uring *u, const struct ilp_event *ev, struct ilp_uproc *p)
{
	struct ureq *r, *old;

	if (!p)
		p = ilp_umap_get(&u->rings, ev->uring.ctx);	/* SQPOLL: the ring's maker */
	if (!p)
		return 0;
	if (!ilp_umap_get(&u->rings, ev->uring.ctx) && ilp_umap_put(&u->rings, ev->uring.ctx, p))
		return -ENOMEM;
	if (!op_get(p, ev->uring.opcode, ev->uring.op))
		return -ENOMEM;
	old = ilp_umap_get(&u->reqs, ev->uring.req);
	if (old) {		/* its completion was lost: it never finished for us */
		op_get(old->up, old->opcode, NULL)->unfinished++;
		old->up->tot.unfinished++;
		r = old;
	} else {
		r = req_alloc(u);
		if (!r)
			return -ENOMEM;
		if (ilp_umap_put(&u->reqs, ev->uring.req, r)) {
			req_release(u, r);
			return -ENOMEM;
		}
	}
	r->req = ev->uring.req;
	r->ts = ev->ts;
	r->up = p;
	r->tid = ev->tid;
	r->fd = -1;
	r->opcode = ev->uring.opcode;
	r->fixed = (ev->uring.flags & ILP_URING_F_FIXED_FILE) != 0;
	p->tot.submitted++;
	return 0;
}

static int on_complete(struct ilp_uring *u, const struct ilp_event *ev,
		       struct ilp_uring_done *d)
{
	struct ureq *r = ilp_umap_del(&u->reqs, ev->uring.req);
	struct ilp_uproc *p;

	if (!r) {
		p = ilp_umap_get(&u->rings, ev->uring.ctx);
		if (p)
			p->tot.lost++;
		return 0;
	}
	memset(d, 0, sizeof(*d));
	d->up = r->up;
	d->owner = r->up->owner;
	d->tid = r->tid;
	d->fd = r->fixed ? -1 : r->fd;
	d->fixed = r->fixed;
	d->opcode = r->opcode;
	d->nr = u->nr[r->opcode & (NOPS - 1)];
	d->res = ev->uring.res;
	d->submit_ts = r->ts;
	d->complete_ts = ev->ts;
	req_release(u, r);
	return 1;
}

/* the slot of tid's wait mark in p, or NULL */
static struct mark *mark_of(struct ilp_uproc *p, int tid)
{
	size_t i;

	for (i = 0; i < ILP_URING_CQWAIT_SLOTS; i++)
		if (p->wait[i].tid == tid && (p->wait[i].ts || p->wait[i].ncells || p->wait[i].other))
			return &p->wait[i];
	return NULL;
}

/* tid's slot, taken over from the oldest one if it has none */
static struct mark *mark_get(struct ilp_uproc *p, int tid)
{
	struct mark *mk = mark_of(p, tid);

	if (!mk) {
		mk = &p->wait[p->next_mark++ % ILP_URING_CQWAIT_SLOTS];
		memset(mk, 0, sizeof(*mk));
		mk->tid = tid;
	}
	return mk;
}

int ilp_uring_feed(struct ilp_uring *u, const struct ilp_event *ev, struct ilp_uproc **up,
		   void *owner, struct ilp_uring_done *done)
{
	struct ilp_uproc *p = NULL;
	struct ureq *r;
	struct mark *mk;

	switch (ev->kind) {
	case ILP_EV_URING_CREATE:
		if (!up) {	/* someone else's ring now lives at ctx */
			ilp_umap_del(&u->rings, ev->uring.ctx);
			return 0;
		}
		p = uproc_get(u, up, owner);
		if (!p || ilp_umap_put(&u->rings, ev->uring.ctx, p))
			return -ENOMEM;
		p->tot.rings++;
		return 0;
	case ILP_EV_URING_SUBMIT:
		if (up && !(p = uproc_get(u, up, owner)))
			return -ENOMEM;
		return on_submit(u, ev, p);
	case ILP_EV_URING_FILE:
		r = ilp_umap_get(&u->reqs, ev->uring.req);
		if (r)
			r->fd = ev->uring.fd;
		return 0;
	case ILP_EV_URING_ASYNC:
		r = ilp_umap_get(&u->reqs, ev->uring.req);
		if (r) {
			op_get(r->up, r->opcode, NULL)->punted++;
			r->up->tot.punted++;
		}
		return 0;
	case ILP_EV_URING_FAILED:
		r = ilp_umap_get(&u->reqs, ev->uring.req);
		if (r)
			r->up->tot.failed++;
		return 0;
	case ILP_EV_URING_COMPLETE:
		return on_complete(u, ev, done);
	case ILP_EV_URING_CQWAIT:
		if (!up || !(p = uproc_get(u, up, owner)))
			return up ? -ENOMEM : 0;
		mk = mark_get(p, ev->tid);
		mk->ts = ev->ts;
		return 0;
	case ILP_EV_URING_SHORT:
		p = ilp_umap_get(&u->rings, ev->uring.ctx);
		if (p)
			p->tot.short_writes++;
		return 0;
	default:
		return 0;
	}
}

/* the file row's key: the object, else the fd, else registered; + opcode */
static uint64_t file_key(const struct ilp_uring_done *d, const struct ilp_fdobj *obj)
{
	uint64_t who;

	if (d->fixed)
		who = 1;
	else if (obj)
		who = (uint64_t)(uintptr_t)obj;
	else
		who = (uint64_t)(uint32_t)d->fd << 1 | 1ull << 62;
	return who << 8 ^ (uint64_t)d->opcode;
}

int ilp_uring_count(struct ilp_uring *u, const struct ilp_uring_done *d,
		    const struct ilp_fdobj *obj)
{
	uint64_t lat = d->complete_ts > d->submit_ts ? d->complete_ts - d->submit_ts : 0;
	uint64_t bytes = u->data[d->opcode & (NOPS - 1)] && d->res > 0 ? (uint64_t)d->res : 0;
	struct ilp_uproc *p = d->up;
	struct ilp_uring_op_stats *o = op_get(p, d->opcode, NULL);
	struct file_row *fr;
	uint64_t key;

	if (!o)
		return -ENOMEM;
	p->tot.completed++;
	o->requests++;
	o->errors += d->res < 0;
	o->total_ns += lat;
	if (lat > o->max_ns)
		o->max_ns = lat;
	o->bytes += bytes;
	ilp_hist_record(o->hist, lat);	/* -ENOMEM: still in count and sum */
	if (d->fd < 0 && !d->fixed)
		return 0;		/* no file: NOP, timeout... */
	key = file_key(d, obj);
	fr = ilp_umap_get(&p->files, key);
	if (!fr) {
		fr = calloc(1, sizeof(*fr));
		if (!fr)
			return -ENOMEM;
		fr->pub.hist = ilp_hist_new();
		if (!fr->pub.hist || ilp_umap_put(&p->files, key, fr)) {
			ilp_hist_free(fr->pub.hist);
			free(fr);
			return -ENOMEM;
		}
		fr->key = key;
		fr->pub.obj = d->fixed ? NULL : obj;
		fr->pub.fixed = d->fixed;
		fr->pub.opcode = o->opcode;
		fr->pub.name = o->name;
		p->nfiles++;
	}
	fr->pub.fd = d->fd;
	fr->pub.requests++;
	fr->pub.errors += d->res < 0;
	fr->pub.total_ns += lat;
	if (lat > fr->pub.max_ns)
		fr->pub.max_ns = lat;
	fr->pub.bytes += bytes;
	ilp_hist_record(fr->pub.hist, lat);
	return 0;
}

int ilp_uring_enter(struct ilp_uring *u, struct ilp_uproc **up, void *owner, int tid,
		    uint64_t enter_ts, uint64_t exit_ts, uint64_t flags)
{
	struct ilp_uproc *p = uproc_get(u, up, owner);
	uint64_t ns = exit_ts > enter_ts ? exit_ts - enter_ts : 0;
	struct mark *mk;

	if (!p)
		return -ENOMEM;
	p->tot.enters++;
	if (!(flags & ILP_URING_ENTER_GETEVENTS))
		return 0;
	p->tot.getevents++;
	p->tot.getevents_ns += ns;
	mk = mark_of(p, tid);
	if (mk && mk->ts >= enter_ts && mk->ts <= exit_ts) {
		p->tot.waits++;
		p->tot.wait_ns += ns;
	}
	if (mk)
		mk->ts = 0;
	return 0;
}

int ilp_uring_waited(struct ilp_uring *u, struct ilp_uproc **up, void *owner, int tid,
		     const struct ilp_fdobj *obj, int cat)
{
	struct ilp_uproc *p = uproc_get(u, up, owner);
	struct mark *mk;
	size_t i;

	if (!p)
		return -ENOMEM;
	mk = mark_get(p, tid);
	for (i = 0; i < mk->ncells; i++)
		if (mk->cell[i].obj == obj && mk->cell[i].cat == cat) {
			mk->cell[i].n++;
			return 0;
		}
	if (mk->ncells == ILP_URING_CELLS) {
		mk->other++;
		return 0;
	}
	mk->cell[mk->ncells++] = (struct ilp_uring_cell){ obj, cat, 1 };
	return 0;
}

size_t ilp_uring_take_waited(struct ilp_uproc *up, int tid,
			     struct ilp_uring_cell cells[ILP_URING_CELLS], uint64_t *other)
{
	struct mark *mk = up ? mark_of(up, tid) : NULL;
	size_t n;

	*other = 0;
	if (!mk)
		return 0;
	n = mk->ncells;
	memcpy(cells, mk->cell, n * sizeof(*cells));
	*other = mk->other;
	mk->ncells = 0;
	mk->other = 0;
	return n;
}

void ilp_uring_finish(struct ilp_uring *u)
{
	size_t i;

	for (i = 0; i < u->reqs.cap; i++) {
		struct ureq *r = ilp_umap_slot(&u->reqs, i, NULL);
		struct ilp_uring_op_stats *o;

		if (!r)
			continue;
		r->up->tot.unfinished++;
		o = op_get(r->up, r->opcode, NULL);
		if (o)
			o->unfinished++;
	}
}

static int op_cmp(const void *a, const void *b)
{
	const struct ilp_uring_op_stats *x = *(const struct ilp_uring_op_stats *const *)a;
	const struct ilp_uring_op_stats *y = *(const struct ilp_uring_op_stats *const *)b;

	if (x->total_ns != y->total_ns)
		return x->total_ns > y->total_ns ? -1 : 1;
	if (x->requests != y->requests)
		return x->requests > y->requests ? -1 : 1;
	return x->opcode - y->opcode;
}

static int file_cmp(const void *a, const void *b)
{
	const struct file_row *x = *(const struct file_row *const *)a;
	const struct file_row *y = *(const struct file_row *const *)b;

	if (x->pub.total_ns != y->pub.total_ns)
		return x->pub.total_ns > y->pub.total_ns ? -1 : 1;
	if (x->pub.requests != y->pub.requests)
		return x->pub.requests > y->pub.requests ? -1 : 1;
	return x->key < y->key ? -1 : x->key > y->key;
}

static int uproc_index(struct ilp_uproc *p)
{
	struct ilp_uring_op_stats **ov;
	struct file_row **fv;
	size_t i, n = 0;

	p->nopview = p->nfileview = 0;
	ov = realloc(p->opview, NOPS * sizeof(*ov));
	if (!ov)
		return -ENOMEM;
	p->opview = ov;
	for (i = 0; i < NOPS; i++)
		if (p->op[i] && (p->op[i]->requests || p->op[i]->unfinished || p->op[i]->punted))
			ov[n++] = p->op[i];
	qsort(ov, n, sizeof(*ov), op_cmp);
	p->nopview = n;
	if (!p->nfiles)
		return 0;
	fv = realloc(p->fileview, p->nfiles * sizeof(*fv));
	if (!fv)
		return -ENOMEM;
	p->fileview = fv;
	for (i = 0, n = 0; i < p->files.cap; i++) {
		struct file_row *r = ilp_umap_slot(&p->files, i, NULL);

		if (r && r->pub.requests)
			fv[n++] = r;
	}
	qsort(fv, n, sizeof(*fv), file_cmp);
	p->nfileview = n;
	return 0;
}

int ilp_uring_index(struct ilp_uring *u)
{
	struct ilp_uproc *p;
	int err = 0;

	for (p = u->procs; p; p = p->next)
		if (uproc_index(p))
			err = -ENOMEM;
	return err;
}

void ilp_uring_reset_stats(struct ilp_uring *u)
{
	struct ilp_uproc *p;
	size_t i;

	for (p = u->procs; p; p = p->next) {
		memset(&p->tot, 0, sizeof(p->tot));
		for (i = 0; i < NOPS; i++) {
			struct ilp_uring_op_stats *o = p->op[i];

			if (!o)
				continue;
			o->requests = o->errors = o->total_ns = o->max_ns = 0;
			o->bytes = o->punted = o->unfinished = 0;
			ilp_hist_reset(o->hist);
		}
		for (i = 0; i < p->files.cap; i++) {
			struct file_row *r = ilp_umap_slot(&p->files, i, NULL);

			if (!r)
				continue;
			r->pub.requests = r->pub.errors = r->pub.total_ns = 0;
			r->pub.max_ns = r->pub.bytes = 0;
			ilp_hist_reset(r->pub.hist);
		}
		p->nopview = p->nfileview = 0;
	}
}

const struct ilp_uring_totals *ilp_uproc_totals(const struct ilp_uproc *p)
{
	return p ? &p->tot : NULL;
}

const struct ilp_uring_op_stats *ilp_uproc_op(const struct ilp_uproc *p, size_t i)
{
	return p && i < p->nopview ? p->opview[i] : NULL;
}

const struct ilp_uring_file_stats *ilp_uproc_file(const struct ilp_uproc *p, size_t i)
{
	return p && i < p->nfileview ? &p->fileview[i]->pub : NULL;
}

int ilp_uring_file_format(const struct ilp_uring_file_stats *f, char *buf, size_t size)
{
	if (f->obj)
		return ilp_fdobj_format(f->obj, buf, size);
	if (f->fixed)
		return snprintf(buf, size, "registered file (index not traced)");
	return snprintf(buf, size, "fd %d (unresolved)", f->fd);
}
