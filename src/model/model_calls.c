// SPDX-License-Identifier: MIT
/*
 * Top-K longest calls per process (see include/callsmodel.h).
 *
 * A min-heap on (dur_ns, -seq) of at most cap entries: the root is the
 * call that leaves first.  A new call enters only if it is strictly longer
 * than the root (so among equal durations the earliest offered stays).
 * ilp_calls_index() copies the heap into a view sorted by start time; the
 * heap itself is left intact, so feeding may continue after an index.
 * Both arrays grow with the calls kept (doubling up to cap): a process that
 * makes a handful of calls costs a few hundred bytes, not cap entries (a
 * fork storm of 100000 short processes was 3.5 GB).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "callsmodel.h"
#include "heap.h"

struct entry {
	struct ilp_call c;
	uint64_t seq;
};

struct ilp_calls {
	size_t cap, n;
	uint64_t seen;
	struct entry *heap;	/* alloc entries, alloc <= cap */
	size_t alloc;
	struct ilp_call *view;	/* n sorted copies, after index */
	size_t nview, view_alloc;
};

#define CALLS_FIRST 8	/* entries allocated at the first call */

/* a leaves before b */
static int before(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;

	if (a->c.dur_ns != b->c.dur_ns)
		return a->c.dur_ns < b->c.dur_ns;
	return a->seq > b->seq;		/* later offered leaves first */
}

/* the root replaced: it moves down as ilp_heap_down would move it, the
 * entries it passes moved up one by one instead of swapped byte by byte */
static void root_down(struct entry *h, size_t n)
{
	struct entry e = h[0];
	size_t i = 0;

	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		const struct entry *mv = &e;

		if (l < n && before(&h[l], mv))
			mv = &h[m = l];
		if (r < n && before(&h[r], mv))
			mv = &h[m = r];
		if (m == i)
			break;
		h[i] = h[m];
		i = m;
	}
	h[i] = e;
}

struct ilp_calls *ilp_calls_new(size_t cap)
{
	struct ilp_calls *s;

	if (!cap)
		cap = 1;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->cap = cap;
	return s;
}

void ilp_calls_free(struct ilp_calls *s)
{
	if (!s)
		return;
	free(s->heap);
	free(s->view);
	free(s);
}

void ilp_calls_reset(struct ilp_calls *s)
{
	if (!s)
		return;
	s->n = 0;
	s->nview = 0;
	s->seen = 0;
}

int ilp_calls_add(struct ilp_calls **set, const struct ilp_call *c)
{
	struct ilp_calls *s = *set;
	struct entry e;

	if (!s) {
		s = ilp_calls_new(ILP_CALLS_TOP);
		if (!s)
			return -ENOMEM;
		*set = s;
	}
	/* the common case on the hot path: shorter than every kept call */
	if (s->n == s->cap && c->dur_ns <= s->heap[0].c.dur_ns) {
		s->seen++;
		return 0;
	}
	if (s->n == s->alloc && s->alloc < s->cap) {
		size_t na = s->alloc ? s->alloc * 2 : CALLS_FIRST;
		struct entry *h;

		if (na > s->cap)
			na = s->cap;
		h = realloc(s->heap, na * sizeof(*h));
		if (!h)
			return -ENOMEM;
		s->heap = h;
		s->alloc = na;
	}
	e.c = *c;
	e.seq = s->seen++;
	if (s->n < s->cap) {
		s->heap[s->n] = e;
		ilp_heap_up(s->heap, sizeof(*s->heap), s->n++, before);
		return 0;
	}
	s->heap[0] = e;
	root_down(s->heap, s->n);
	return 0;
}

int ilp_calls_skip(struct ilp_calls *s, uint64_t dur_ns)
{
	if (!s || s->n != s->cap || dur_ns > s->heap[0].c.dur_ns)
		return 0;
	s->seen++;
	return 1;
}

void ilp_calls_rename(struct ilp_calls *s, int tid, uint64_t start_ts,
		      const struct ilp_fdobj *from, const struct ilp_fdobj *to)
{
	for (size_t i = 0; s && i < s->n; i++) {
		struct ilp_call *c = &s->heap[i].c;

		if (c->tid == tid && c->start_ts == start_ts && c->fobj == from)
			c->fobj = to;
	}
}

static int view_cmp(const void *a, const void *b)
{
	const struct ilp_call *x = a, *y = b;

	if (x->start_ts != y->start_ts)
		return x->start_ts < y->start_ts ? -1 : 1;
	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	return (x->nr > y->nr) - (x->nr < y->nr);
}

int ilp_calls_index(struct ilp_calls *s)
{
	if (!s)
		return 0;
	if (s->view_alloc < s->n) {
		struct ilp_call *v = realloc(s->view, s->n * sizeof(*v));

		if (!v) {
			s->nview = 0;
			return -ENOMEM;
		}
		s->view = v;
		s->view_alloc = s->n;
	}
	for (size_t i = 0; i < s->n; i++)
		s->view[i] = s->heap[i].c;
	s->nview = s->n;
	if (s->nview > 1)
		qsort(s->view, s->nview, sizeof(*s->view), view_cmp);
	return 0;
}

size_t ilp_calls_count(const struct ilp_calls *s)
{
	return s ? s->nview : 0;
}

size_t ilp_calls_cap(const struct ilp_calls *s)
{
	return s ? s->cap : ILP_CALLS_TOP;
}

uint64_t ilp_calls_seen(const struct ilp_calls *s)
{
	return s ? s->seen : 0;
}

const struct ilp_call *ilp_calls_get(const struct ilp_calls *s, size_t i)
{
	return s && i < s->nview ? &s->view[i] : NULL;
}
