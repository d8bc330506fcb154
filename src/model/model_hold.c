// SPDX-License-Identifier: MIT
/*
 * User lock holds (include/holdmodel.h): pairs each thread's lock call
 * with its return, follows who holds each mutex, and times the holds.
 * Pure C, no I/O.
 *
 * Per thread: the call in progress (lock, trylock or condition wait: its
 * mutex and call site), taken by its return.  Per (process, mutex): the
 * hold in progress (owner thread, depth, start, site) and the statistics.
 * Everything is keyed by address in idmaps; a process keeps at most
 * ILP_HOLD_LOCK_MAX mutexes and a mutex ILP_HOLD_SITE_MAX sites.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hold_internal.h"
#include "idmap.h"
#include "wait_internal.h"	/* ilp_wgrow */

#define ERR_OWNERDEAD 130	/* a robust mutex acquired from a dead owner */
#define ERR_INVAL 22
#define ERR_PERM 1

struct pending {
	uint32_t op;		/* enum ilp_ulock_op */
	int pid;
	uint64_t addr, site;
};

struct hlock {
	struct ilp_hold_lock pub;
	struct ilp_hold_site *sites;
	size_t nsites, cap;
	struct ilp_hold_site more;	/* sites past the cap */
	int has_more;
	int named;
	/* the hold in progress: depth 0 none */
	int owner;
	uint32_t depth;
	uint64_t start;
	uint64_t site;
};

struct ilp_hproc {
	int pid;
	struct ilp_idmap map;		/* addr -> struct hlock */
	struct hlock **locks;		/* sorted by ilp_holds_index */
	size_t nlocks, cap;
	uint64_t untracked;
};

struct ilp_holds {
	struct ilp_idmap procs;		/* pid -> struct ilp_hproc */
	struct ilp_hproc **pv;
	size_t npv, pcap;
	struct ilp_idmap pend;		/* tid -> struct pending */
	struct ilp_hold_counters cnt;
	uint64_t unnamed;		/* locks and sites not named yet */
};

struct ilp_holds *ilp_holds_new(void)
{
	return calloc(1, sizeof(struct ilp_holds));
}

static void hlock_free(struct hlock *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->nsites; i++)
		free((char *)l->sites[i].name);
	free((char *)l->more.name);
	free(l->sites);
	ilp_hist_free(l->pub.hist);
	free((char *)l->pub.name);
	free(l);
}

static void hproc_free(struct ilp_hproc *hp)
{
	size_t i;

	for (i = 0; i < hp->nlocks; i++)
		hlock_free(hp->locks[i]);
	free(hp->locks);
	ilp_idmap_release(&hp->map);
	free(hp);
}

void ilp_holds_free(struct ilp_holds *h)
{
	size_t i, k;

	if (!h)
		return;
	for (i = 0; i < h->npv; i++)
		hproc_free(h->pv[i]);
	free(h->pv);
	ilp_idmap_release(&h->procs);
	for (k = 0; k < h->pend.cap; k++)
		free(h->pend.vals[k]);
	ilp_idmap_release(&h->pend);
	free(h);
}

static struct ilp_hproc *hproc_get(struct ilp_holds *h, int pid)
{
	struct ilp_hproc *hp = ilp_idmap_get(&h->procs, (uint64_t)(uint32_t)pid);

	if (hp)
		return hp;
	if (ilp_wgrow((void **)&h->pv, &h->pcap, h->npv + 1, sizeof(*h->pv)))
		return NULL;
	hp = calloc(1, sizeof(*hp));
	if (!hp)
		return NULL;
	hp->pid = pid;
	if (ilp_idmap_put(&h->procs, (uint64_t)(uint32_t)pid, hp)) {
		free(hp);
		return NULL;
	}
	h->pv[h->npv++] = hp;
	return hp;
}

/* the mutex's record, made if new; NULL past the cap (counted) or ENOMEM */
static struct hlock *hlock_get(struct ilp_holds *h, struct ilp_hproc *hp, uint64_t addr,
			       int *err)
{
	struct hlock *l = ilp_idmap_get(&hp->map, addr);

	*err = 0;
	if (l)
		return l;
	if (hp->nlocks >= ILP_HOLD_LOCK_MAX) {
		hp->untracked++;
		return NULL;
	}
	*err = -ENOMEM;
	if (ilp_wgrow((void **)&hp->locks, &hp->cap, hp->nlocks + 1, sizeof(*hp->locks)))
		return NULL;
	l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	l->pub.addr = addr;
	l->pub.hist = ilp_hist_new();
	if (!l->pub.hist || ilp_idmap_put(&hp->map, addr, l)) {
		hlock_free(l);
		return NULL;
	}
	hp->locks[hp->nlocks++] = l;
	h->unnamed++;
	*err = 0;
	return l;
}

/* the site's record in l (the shared "more" one past the cap) */
static struct ilp_hold_site *site_get(struct ilp_holds *h, struct hlock *l, uint64_t pc)
{
	size_t i;

	for (i = 0; i < l->nsites; i++)
		if (l->sites[i].pc == pc)
			return &l->sites[i];
	if (l->nsites >= ILP_HOLD_SITE_MAX ||
	    ilp_wgrow((void **)&l->sites, &l->cap, l->nsites + 1, sizeof(*l->sites))) {
		l->has_more = 1;
		return &l->more;
	}
	memset(&l->sites[l->nsites], 0, sizeof(l->sites[0]));
	l->sites[l->nsites].pc = pc;
	h->unnamed++;
	return &l->sites[l->nsites++];
}

/* the hold in progress on l ends at ts, counted */
static int hold_end(struct ilp_holds *h, struct hlock *l, uint64_t ts)
{
	uint64_t d = ts > l->start ? ts - l->start : 0;
	struct ilp_hold_site *s = site_get(h, l, l->site);

	l->depth = 0;
	l->pub.holds++;
	l->pub.total_ns += d;
	if (d > l->pub.max_ns)
		l->pub.max_ns = d;
	s->holds++;
	s->total_ns += d;
	if (d > s->max_ns)
		s->max_ns = d;
	return ilp_hist_record(l->pub.hist, d);
}

static void hold_start(struct hlock *l, int tid, uint64_t ts, uint64_t site)
{
	if (l->depth && l->owner != tid) {
		l->pub.lost++;	/* its unlock was not seen */
		l->depth = 0;
	}
	if (l->depth) {
		l->pub.recursive++;
		l->depth++;
		return;
	}
	l->owner = tid;
	l->depth = 1;
	l->start = ts;
	l->site = site;
}

static int on_call(struct ilp_holds *h, struct ilp_hproc *hp, const struct ilp_event *ev)
{
	struct pending *p = ilp_idmap_get(&h->pend, (uint64_t)(uint32_t)ev->tid);
	struct hlock *l;
	int err = 0;

	if (!p) {
		p = calloc(1, sizeof(*p));
		if (!p)
			return -ENOMEM;
		if (ilp_idmap_put(&h->pend, (uint64_t)(uint32_t)ev->tid, p)) {
			free(p);
			return -ENOMEM;
		}
	} else if (p->op) {
		h->cnt.lost_calls++;
	}
	p->op = ev->ulock.op;
	p->pid = hp->pid;
	p->addr = ev->ulock.addr;
	p->site = ev->ulock.site;
	if (ev->ulock.op != ILP_ULOCK_OP_COND)
		return 0;
	/* a condition wait releases the mutex at once, whatever its depth */
	l = hlock_get(h, hp, ev->ulock.addr, &err);
	if (!l)
		return err;
	l->pub.cond_waits++;
	if (l->depth && l->owner == ev->tid)
		return hold_end(h, l, ev->ts);
	l->pub.partial++;
	return 0;
}

static int acquired(uint32_t op, int32_t ret)
{
	if (op == ILP_ULOCK_OP_COND)	/* ETIMEDOUT too: the mutex is held again */
		return ret != ERR_INVAL && ret != ERR_PERM;
	return ret == 0 || (op == ILP_ULOCK_OP_LOCK && ret == ERR_OWNERDEAD);
}

static int on_ret(struct ilp_holds *h, struct ilp_hproc *hp, const struct ilp_event *ev)
{
	struct pending *p = ilp_idmap_get(&h->pend, (uint64_t)(uint32_t)ev->tid);
	struct hlock *l;
	int err;

	if (!p || !p->op || p->op != ev->ulock.op || p->pid != hp->pid) {
		h->cnt.unpaired_rets++;
		if (p)
			p->op = 0;
		return 0;
	}
	p->op = 0;
	l = hlock_get(h, hp, p->addr, &err);
	if (!l)
		return err;
	if (!acquired(ev->ulock.op, ev->ulock.ret)) {
		l->pub.failed++;
		return 0;
	}
	hold_start(l, ev->tid, ev->ts, p->site);
	return 0;
}

static int on_unlock(struct ilp_holds *h, struct ilp_hproc *hp, const struct ilp_event *ev)
{
	struct hlock *l;
	int err;

	l = hlock_get(h, hp, ev->ulock.addr, &err);
	if (!l)
		return err;
	if (!l->depth || l->owner != ev->tid) {
		l->pub.partial++;
		return 0;
	}
	if (--l->depth)
		return 0;	/* a recursive mutex: still held */
	return hold_end(h, l, ev->ts);
}

int ilp_holds_feed(struct ilp_holds *h, int pid, const struct ilp_event *ev)
{
	struct ilp_hproc *hp = hproc_get(h, pid);

	if (!hp)
		return -ENOMEM;
	switch (ev->kind) {
	case ILP_EV_ULOCK_CALL:
		h->cnt.calls++;
		return on_call(h, hp, ev);
	case ILP_EV_ULOCK_RET:
		h->cnt.rets++;
		return on_ret(h, hp, ev);
	case ILP_EV_ULOCK_UNLOCK:
		h->cnt.unlocks++;
		return on_unlock(h, hp, ev);
	default:
		return 0;
	}
}

void ilp_holds_thread_exit(struct ilp_holds *h, int pid, int tid, uint64_t ts)
{
	struct ilp_hproc *hp = ilp_idmap_get(&h->procs, (uint64_t)(uint32_t)pid);
	struct pending *p = ilp_idmap_del(&h->pend, (uint64_t)(uint32_t)tid);
	size_t i;

	free(p);
	if (!hp)
		return;
	for (i = 0; i < hp->nlocks; i++) {
		struct hlock *l = hp->locks[i];

		if (l->depth && l->owner == tid) {
			l->pub.exit_held++;
			hold_end(h, l, ts);	/* ENOMEM: the hist misses it, the counts are whole */
		}
	}
}

static int site_cmp(const void *a, const void *b)
{
	const struct ilp_hold_site *x = a, *y = b;

	if (x->total_ns != y->total_ns)
		return x->total_ns > y->total_ns ? -1 : 1;
	if (x->holds != y->holds)
		return x->holds > y->holds ? -1 : 1;
	return (x->pc > y->pc) - (x->pc < y->pc);
}

static int lock_cmp(const void *a, const void *b)
{
	const struct hlock *x = *(const struct hlock *const *)a;
	const struct hlock *y = *(const struct hlock *const *)b;

	if (x->pub.total_ns != y->pub.total_ns)
		return x->pub.total_ns > y->pub.total_ns ? -1 : 1;
	if (x->pub.holds != y->pub.holds)
		return x->pub.holds > y->pub.holds ? -1 : 1;
	return (x->pub.addr > y->pub.addr) - (x->pub.addr < y->pub.addr);
}

int ilp_holds_index(struct ilp_holds *h)
{
	size_t i, k;

	for (i = 0; i < h->npv; i++) {
		struct ilp_hproc *hp = h->pv[i];

		for (k = 0; k < hp->nlocks; k++) {
			struct hlock *l = hp->locks[k];

			/* the site of a hold in progress is found by pc, not by
			 * position: sorting moves nothing the model points at */
			if (l->nsites > 1)
				qsort(l->sites, l->nsites, sizeof(*l->sites), site_cmp);
			l->pub.sites = l->sites;
			l->pub.nsites = l->nsites;
			l->pub.site_more = l->has_more ? &l->more : NULL;
			l->pub.open = l->depth ? 1 : 0;
		}
		if (hp->nlocks > 1)
			qsort(hp->locks, hp->nlocks, sizeof(*hp->locks), lock_cmp);
	}
	return 0;
}

void ilp_holds_reset(struct ilp_holds *h)
{
	size_t i, k, j;

	for (i = 0; i < h->npv; i++) {
		struct ilp_hproc *hp = h->pv[i];

		hp->untracked = 0;
		for (k = 0; k < hp->nlocks; k++) {
			struct hlock *l = hp->locks[k];
			struct ilp_hold_lock keep = l->pub;

			memset(&l->pub, 0, sizeof(l->pub));
			l->pub.addr = keep.addr;
			l->pub.hist = keep.hist;
			l->pub.name = keep.name;
			ilp_hist_reset(l->pub.hist);
			for (j = 0; j < l->nsites; j++)
				l->sites[j].holds = l->sites[j].total_ns = l->sites[j].max_ns = 0;
			l->more.holds = l->more.total_ns = l->more.max_ns = 0;
			l->has_more = 0;
		}
	}
	memset(&h->cnt, 0, sizeof(h->cnt));
}

/* one naming attempt: 1 ask again later, 0 done, -ENOMEM */
static int name_one(ilp_namer_fn fn, void *ctx, int kind, int pid, uint64_t key,
		    const char **name)
{
	char buf[512];
	int r;

	r = fn(ctx, kind, pid, key, buf, sizeof(buf));
	if (r == -EAGAIN)
		return 1;
	/* no name: "" (asked no more; the reports show the address) */
	*name = strdup(r == 0 ? buf : "");
	return *name ? 0 : -ENOMEM;
}

int ilp_holds_name(struct ilp_holds *h, ilp_namer_fn fn, void *ctx)
{
	int again = 0, r, err = 0;
	size_t i, k, j;

	if (!h->unnamed)
		return 0;
	for (i = 0; i < h->npv; i++) {
		struct ilp_hproc *hp = h->pv[i];

		for (k = 0; k < hp->nlocks; k++) {
			struct hlock *l = hp->locks[k];

			if (!l->named) {
				r = name_one(fn, ctx, ILP_NAME_ULOCK, hp->pid, l->pub.addr, &l->pub.name);
				if (r < 0)
					err = r;
				else if (r)
					again++;
				else
					l->named = 1;
				if (l->pub.name && !l->pub.name[0]) {
					free((char *)l->pub.name);
					l->pub.name = NULL;
				}
			}
			/* a site is asked until it has a name ("": none) */
			for (j = 0; j < l->nsites; j++) {
				struct ilp_hold_site *s = &l->sites[j];

				if (s->name)
					continue;
				r = name_one(fn, ctx, ILP_NAME_CODE, hp->pid, s->pc, &s->name);
				if (r < 0)
					err = r;
				else if (r)
					again++;
			}
		}
	}
	h->unnamed = (uint64_t)again;
	return err ? err : again;
}

const struct ilp_hproc *ilp_holds_proc(const struct ilp_holds *h, int pid)
{
	return ilp_idmap_peek(&h->procs, (uint64_t)(uint32_t)pid);
}

const struct ilp_hold_counters *ilp_holds_counters(const struct ilp_holds *h)
{
	return &h->cnt;
}

size_t ilp_hproc_nlocks(const struct ilp_hproc *hp)
{
	return hp ? hp->nlocks : 0;
}

const struct ilp_hold_lock *ilp_hproc_lock(const struct ilp_hproc *hp, size_t i)
{
	return hp && i < hp->nlocks ? &hp->locks[i]->pub : NULL;
}

const struct ilp_hold_lock *ilp_hproc_find(const struct ilp_hproc *hp, uint64_t addr)
{
	const struct hlock *l = hp ? ilp_idmap_peek(&hp->map, addr) : NULL;

	return l ? &l->pub : NULL;
}

uint64_t ilp_hproc_untracked(const struct ilp_hproc *hp)
{
	return hp ? hp->untracked : 0;
}
