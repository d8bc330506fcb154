// SPDX-License-Identifier: MIT
/*
 * The page ring (include/pagering.h): per CPU a FIFO of page copies, a
 * free list of page buffers for reuse, and one byte bound over all CPUs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pagering.h"

struct slot {
	char *p;
	uint64_t read_ts;	/* when it was read: its events are all older */
};

struct fifo {
	struct slot *v;		/* the pages, a circular array of cap */
	size_t head, n, cap;
};

struct ilp_pagering {
	int ncpus;
	size_t page_size;
	size_t max_pages;
	size_t npages;		/* held, all CPUs */
	struct fifo *cpu;
	char **spare;		/* buffers of dropped pages, for reuse */
	size_t nspare, spare_cap;
	uint64_t dropped;
};

uint64_t ilp_pagering_page_ts(const void *page)
{
	uint64_t ts;

	memcpy(&ts, page, sizeof(ts));
	return ts;
}

int ilp_pagering_new(int ncpus, size_t page_size, size_t max_bytes, struct ilp_pagering **out)
{
	struct ilp_pagering *r;

	*out = NULL;
	if (ncpus <= 0 || page_size < sizeof(uint64_t))
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->cpu = calloc((size_t)ncpus, sizeof(*r->cpu));
	if (!r->cpu) {
		free(r);
		return -ENOMEM;
	}
	r->ncpus = ncpus;
	r->page_size = page_size;
	r->max_pages = max_bytes / page_size;
	if (r->max_pages < (size_t)ncpus)
		r->max_pages = (size_t)ncpus;
	*out = r;
	return 0;
}

static void release(struct ilp_pagering *r, char *page)
{
	if (r->nspare < r->spare_cap) {
		r->spare[r->nspare++] = page;
		return;
	}
	free(page);
}

/* drops cpu's oldest page (there is one) */
static void drop_head(struct ilp_pagering *r, struct fifo *f)
{
	release(r, f->v[f->head].p);
	f->head = (f->head + 1) % f->cap;
	f->n--;
	r->npages--;
}

void ilp_pagering_free(struct ilp_pagering *r)
{
	int c;

	if (!r)
		return;
	ilp_pagering_clear(r);
	for (c = 0; c < r->ncpus; c++)
		free(r->cpu[c].v);
	while (r->nspare)
		free(r->spare[--r->nspare]);
	free(r->spare);
	free(r->cpu);
	free(r);
}

void ilp_pagering_clear(struct ilp_pagering *r)
{
	int c;

	for (c = 0; c < r->ncpus; c++)
		while (r->cpu[c].n)
			drop_head(r, &r->cpu[c]);
}

/* the CPU whose oldest page is the oldest of all, -1 if none */
static int oldest_cpu(const struct ilp_pagering *r)
{
	uint64_t best = UINT64_MAX, ts;
	int c, at = -1;

	for (c = 0; c < r->ncpus; c++) {
		const struct fifo *f = &r->cpu[c];

		if (!f->n)
			continue;
		ts = ilp_pagering_page_ts(f->v[f->head].p);
		if (at < 0 || ts < best) {
			best = ts;
			at = c;
		}
	}
	return at;
}

static int grow(struct fifo *f)
{
	size_t cap = f->cap ? f->cap * 2 : 16, i;
	struct slot *v = malloc(cap * sizeof(*v));

	if (!v)
		return -ENOMEM;
	for (i = 0; i < f->n; i++)
		v[i] = f->v[(f->head + i) % f->cap];
	free(f->v);
	f->v = v;
	f->head = 0;
	f->cap = cap;
	return 0;
}

int ilp_pagering_add(struct ilp_pagering *r, int cpu, const void *page, size_t size,
		     uint64_t read_ts)
{
	struct fifo *f;
	char *p;

	if (cpu < 0 || cpu >= r->ncpus || !size || size > r->page_size)
		return -EINVAL;
	f = &r->cpu[cpu];
	if (f->n == f->cap && grow(f))
		return -ENOMEM;
	if (!r->spare) {	/* room for every buffer the bound allows */
		r->spare = malloc(r->max_pages * sizeof(*r->spare));
		if (!r->spare)
			return -ENOMEM;
		r->spare_cap = r->max_pages;
	}
	while (r->npages >= r->max_pages) {
		drop_head(r, &r->cpu[oldest_cpu(r)]);
		r->dropped++;
	}
	p = r->nspare ? r->spare[--r->nspare] : malloc(r->page_size);
	if (!p)
		return -ENOMEM;
	memcpy(p, page, size);
	memset(p + size, 0, r->page_size - size);
	f->v[(f->head + f->n) % f->cap].p = p;
	f->v[(f->head + f->n) % f->cap].read_ts = read_ts;
	f->n++;
	r->npages++;
	return 0;
}

void ilp_pagering_evict(struct ilp_pagering *r, uint64_t cutoff)
{
	int c;

	for (c = 0; c < r->ncpus; c++) {
		struct fifo *f = &r->cpu[c];

		while (f->n && (f->v[f->head].read_ts <= cutoff ||
				(f->n >= 2 &&
				 ilp_pagering_page_ts(f->v[(f->head + 1) % f->cap].p) <= cutoff)))
			drop_head(r, f);
	}
}

uint64_t ilp_pagering_oldest(const struct ilp_pagering *r)
{
	int c = oldest_cpu(r);

	return c < 0 ? UINT64_MAX : ilp_pagering_page_ts(r->cpu[c].v[r->cpu[c].head].p);
}

size_t ilp_pagering_bytes(const struct ilp_pagering *r)
{
	return r->npages * r->page_size;
}

size_t ilp_pagering_page_size(const struct ilp_pagering *r)
{
	return r->page_size;
}

uint64_t ilp_pagering_dropped(const struct ilp_pagering *r)
{
	return r->dropped;
}

size_t ilp_pagering_count(const struct ilp_pagering *r, int cpu)
{
	return cpu >= 0 && cpu < r->ncpus ? r->cpu[cpu].n : 0;
}

const void *ilp_pagering_page(const struct ilp_pagering *r, int cpu, size_t i)
{
	const struct fifo *f;

	if (cpu < 0 || cpu >= r->ncpus || i >= r->cpu[cpu].n)
		return NULL;
	f = &r->cpu[cpu];
	return f->v[(f->head + i) % f->cap].p;
}
