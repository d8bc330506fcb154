// SPDX-License-Identifier: MIT
/*
 * Interned u64 arrays: a map from a keyed hash of the bytes to a chain of
 * entries, and an array of the entries by id.  See include/ipool.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ipool.h"
#include "keyhash.h"

struct entry {
	struct entry *next;	/* same hash */
	uint32_t id;
	size_t n;
	uint64_t v[];
};

struct ilp_ipool {
	struct ilp_umap map;	/* hash -> chain */
	struct entry **by_id;
	size_t count, cap, max;
	uint64_t refused;
	uint64_t hkey[2];
};

struct ilp_ipool *ilp_ipool_new(size_t max)
{
	struct ilp_ipool *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->max = max;
	ilp_hash_key(p->hkey);
	return p;
}

void ilp_ipool_free(struct ilp_ipool *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->count; i++)
		free(p->by_id[i]);
	free(p->by_id);
	ilp_umap_release(&p->map);
	free(p);
}

const uint64_t *ilp_ipool_intern(struct ilp_ipool *p, const void *v, size_t n, uint32_t *id)
{
	size_t bytes = n * sizeof(uint64_t);
	uint64_t h = ilp_siphash(p->hkey, v, bytes) ^ n;
	struct entry *head = ilp_umap_get(&p->map, h), *e;

	for (e = head; e; e = e->next)
		if (e->n == n && !memcmp(e->v, v, bytes))
			goto found;
	if ((p->max && p->count >= p->max) || p->count >= UINT32_MAX) {
		p->refused++;
		return NULL;
	}
	if (p->count == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		struct entry **nv = realloc(p->by_id, cap * sizeof(*nv));

		if (!nv)
			return NULL;
		p->by_id = nv;
		p->cap = cap;
	}
	e = malloc(sizeof(*e) + bytes);
	if (!e)
		return NULL;
	e->n = n;
	e->id = (uint32_t)p->count;
	if (bytes)
		memcpy(e->v, v, bytes);
	e->next = head;
	if (ilp_umap_put(&p->map, h, e)) {
		free(e);
		return NULL;
	}
	p->by_id[p->count++] = e;
found:
	if (id)
		*id = e->id;
	return e->v;
}

const uint64_t *ilp_ipool_get(const struct ilp_ipool *p, uint32_t id, size_t *n)
{
	if (id >= p->count) {
		*n = 0;
		return NULL;
	}
	*n = p->by_id[id]->n;
	return p->by_id[id]->v;
}

size_t ilp_ipool_count(const struct ilp_ipool *p)
{
	return p->count;
}

uint64_t ilp_ipool_refused(const struct ilp_ipool *p)
{
	return p->refused;
}
