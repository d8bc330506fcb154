// SPDX-License-Identifier: MIT
/*
 * The ledger: what every finding's saving is taken from, so that the
 * savings add up (docs/detectors.md, "the sum rule").
 *
 * The model splits each process's calls, with their wall share
 * (ilp_proc_share_ns), into disjoint cells:
 *   - per fd object and category (open, stat, close, stream read, stream
 *     write, positioned I/O, sync, other: enum ilp_io_cat);
 *   - per futex lock: its waits and timeouts;
 *   - per kernel lock: its waits inside calls (carved out of those calls);
 *   - the rest: the process's calls on no object and no lock.
 * A cell starts with its calls and their share; a claim takes out what it
 * asks for, as far as the cell still holds it, and what was taken is gone.
 * Detectors claim in the fixed order of the detector table, so every call
 * and its share count toward at most one finding.  The sum of all savings
 * is then at most the sum of all shares: at most the wall time, and at
 * most the threads' time inside syscalls (share_internal.h).
 *
 * Cells are made on their first claim (a hash of (kind, owner, key)):
 * memory grows with the cells the findings touch.
 */
#include <errno.h>
#include <stdlib.h>

#include "analyze.h"
#include "fdmodel.h"
#include "waitmodel.h"

enum cell_kind { CELL_IO = 1, CELL_ULOCK, CELL_KLOCK, CELL_REST };

struct cell {
	int kind;
	const void *owner;	/* the fdobj (io) or the process (others) */
	uint64_t key;		/* category, lock address; 0 */
	uint64_t calls, share;	/* what is left */
};

struct ilp_ledger {
	struct cell *v;		/* open addressing, cap a power of 2 */
	size_t n, cap;
};

struct ilp_ledger *ilp_ledger_new(void)
{
	return calloc(1, sizeof(struct ilp_ledger));
}

void ilp_ledger_free(struct ilp_ledger *l)
{
	if (!l)
		return;
	free(l->v);
	free(l);
}

static size_t slot_of(int kind, const void *owner, uint64_t key, size_t cap)
{
	uint64_t h = (uint64_t)(uintptr_t)owner * 0x9e3779b97f4a7c15ull;

	h ^= (key + (uint64_t)kind) * 0xc2b2ae3d27d4eb4full;
	h ^= h >> 29;
	return (size_t)h & (cap - 1);
}

static int grow(struct ilp_ledger *l)
{
	size_t cap = l->cap ? l->cap * 2 : 64, i, j;
	struct cell *v;

	if ((l->n + 1) * 2 <= l->cap)
		return 0;
	v = calloc(cap, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < l->cap; i++) {
		if (!l->v[i].kind)
			continue;
		for (j = slot_of(l->v[i].kind, l->v[i].owner, l->v[i].key, cap); v[j].kind;
		     j = (j + 1) & (cap - 1))
			;
		v[j] = l->v[i];
	}
	free(l->v);
	l->v = v;
	l->cap = cap;
	return 0;
}

static struct cell *find(struct ilp_ledger *l, int kind, const void *owner, uint64_t key)
{
	size_t i;

	if (l->cap)
		for (i = slot_of(kind, owner, key, l->cap); l->v[i].kind; i = (i + 1) & (l->cap - 1))
			if (l->v[i].kind == kind && l->v[i].owner == owner && l->v[i].key == key)
				return &l->v[i];
	return NULL;
}

/* the cell, made from the model's totals on first use; NULL on ENOMEM */
static struct cell *cell(struct ilp_ledger *l, int kind, const void *owner, uint64_t key,
			 uint64_t calls, uint64_t share)
{
	struct cell *x = find(l, kind, owner, key);
	size_t i;

	if (x)
		return x;
	if (grow(l))
		return NULL;
	for (i = slot_of(kind, owner, key, l->cap); l->v[i].kind; i = (i + 1) & (l->cap - 1))
		;
	l->v[i] = (struct cell){ kind, owner, key, calls, share };
	l->n++;
	return &l->v[i];
}

/* takes what is left of (calls, share) from the cell into c */
static int take(struct cell *x, struct ilp_claim *c, uint64_t calls, uint64_t share)
{
	if (!x)
		return -ENOMEM;
	if (calls > x->calls)
		calls = x->calls;
	if (share > x->share)
		share = x->share;
	x->calls -= calls;
	x->share -= share;
	c->calls += calls;
	c->share_ns += share;
	return 0;
}

int ilp_claim_io(const struct ilp_analysis *a, struct ilp_claim *c, const struct ilp_fdobj *o,
		 int cat, uint64_t calls, uint64_t share)
{
	const struct ilp_io_stats *s = ilp_fdobj_stats(o);

	if (cat < 0 || cat >= ILP_IO_NCATS)
		return -EINVAL;
	return take(cell(a->ledger, CELL_IO, o, (uint64_t)cat, s->cat_calls[cat], s->cat_share[cat]),
		    c, calls, share);
}

int ilp_claim_io_part(const struct ilp_analysis *a, struct ilp_claim *c,
		      const struct ilp_fdobj *o, int cat, uint64_t num, uint64_t den)
{
	const struct ilp_io_stats *s = ilp_fdobj_stats(o);

	if (cat < 0 || cat >= ILP_IO_NCATS)
		return -EINVAL;
	return ilp_claim_io(a, c, o, cat, ilp_scale(s->cat_calls[cat], num, den),
			    ilp_scale(s->cat_share[cat], num, den));
}

int ilp_claim_ulock(const struct ilp_analysis *a, struct ilp_claim *c, const struct ilp_proc *p,
		    const struct ilp_ulock *u, uint64_t calls, uint64_t share)
{
	return take(cell(a->ledger, CELL_ULOCK, p, u->uaddr, u->waits + u->timeouts,
			 u->sleep_share), c, calls, share);
}

int ilp_claim_klock(const struct ilp_analysis *a, struct ilp_claim *c, const struct ilp_proc *p,
		    const struct ilp_klock *k, uint64_t share)
{
	return take(cell(a->ledger, CELL_KLOCK, p, k->addr, 0, k->wait_share), c, 0, share);
}

static uint64_t sub(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

int ilp_claim_rest(const struct ilp_analysis *a, struct ilp_claim *c, const struct ilp_proc *p,
		   uint64_t calls, uint64_t share)
{
	const struct ilp_fdproc *fds = ilp_proc_fds(p);
	const struct ilp_wproc *w = ilp_proc_wait(p);
	uint64_t rcalls = ilp_proc_calls(p), rshare = ilp_proc_share_ns(p);
	struct cell *x = find(a->ledger, CELL_REST, p, 0);
	size_t i;

	if (x)
		return take(x, c, calls, share);
	/* what no object and no lock holds */
	for (i = 0; i < ilp_fdproc_nobjs(fds); i++) {
		const struct ilp_io_stats *s = ilp_fdobj_stats(ilp_fdproc_obj(fds, i));

		rcalls = sub(rcalls, s->ops);
		rshare = sub(rshare, s->share_ns);
	}
	for (i = 0; i < ilp_wproc_nulocks(w); i++) {
		const struct ilp_ulock *u = ilp_wproc_ulock(w, i);

		rcalls = sub(rcalls, u->waits + u->timeouts);
		rshare = sub(rshare, u->sleep_share);
	}
	return take(cell(a->ledger, CELL_REST, p, 0, rcalls, rshare), c, calls, share);
}
