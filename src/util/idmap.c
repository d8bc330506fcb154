// SPDX-License-Identifier: MIT
/* idmap: integer key -> pointer; see include/idmap.h.  Pure C, no I/O. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "idmap.h"

/* murmur3's 64-bit finalizer: spreads tids and aligned addresses alike */
static size_t idmap_hash(uint64_t key, size_t cap)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdull;
	key ^= key >> 33;
	return (size_t)(key & (cap - 1));
}

void *ilp_idmap_probe(const struct ilp_idmap *mp, uint64_t key)
{
	size_t i;

	if (!mp->cap)
		return NULL;
	for (i = idmap_hash(key, mp->cap); mp->vals[i]; i = (i + 1) & (mp->cap - 1))
		if (mp->keys[i] == key)
			return mp->vals[i];
	return NULL;
}

/* 1 if key was new */
static int idmap_place(uint64_t *keys, void **vals, size_t cap, uint64_t key, void *val)
{
	size_t i;
	int added = 1;

	for (i = idmap_hash(key, cap); vals[i]; i = (i + 1) & (cap - 1))
		if (keys[i] == key) {
			added = 0;
			break;
		}
	keys[i] = key;
	vals[i] = val;
	return added;
}

int ilp_idmap_put(struct ilp_idmap *mp, uint64_t key, void *val)
{
	if (!val)
		return -EINVAL;
	if ((mp->n + 1) * 2 > mp->cap) {
		size_t ncap = mp->cap ? mp->cap * 2 : 16, i;
		uint64_t *keys = calloc(ncap, sizeof(*keys));
		void **vals = calloc(ncap, sizeof(*vals));

		if (!keys || !vals) {
			free(keys);
			free(vals);
			return -ENOMEM;
		}
		for (i = 0; i < mp->cap; i++)
			if (mp->vals[i])
				idmap_place(keys, vals, ncap, mp->keys[i], mp->vals[i]);
		free(mp->keys);
		free(mp->vals);
		mp->keys = keys;
		mp->vals = vals;
		mp->cap = ncap;
	}
	mp->n += idmap_place(mp->keys, mp->vals, mp->cap, key, val);
	mp->last_key = key;
	mp->last_val = val;
	return 0;
}

void *ilp_idmap_del(struct ilp_idmap *mp, uint64_t key)
{
	size_t i, j, k, mask = mp->cap - 1;
	void *val;

	if (!mp->cap)
		return NULL;
	for (i = idmap_hash(key, mp->cap); mp->vals[i]; i = (i + 1) & mask)
		if (mp->keys[i] == key)
			break;
	val = mp->vals[i];
	if (!val)
		return NULL;
	if (mp->last_val && mp->last_key == key)
		mp->last_val = NULL;
	mp->vals[i] = NULL;
	mp->n--;
	/* backward shift: an entry after the hole moves into it unless its
	 * home slot k lies cyclically in (i, j] */
	for (j = (i + 1) & mask; mp->vals[j]; j = (j + 1) & mask) {
		k = idmap_hash(mp->keys[j], mp->cap);
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		mp->keys[i] = mp->keys[j];
		mp->vals[i] = mp->vals[j];
		mp->vals[j] = NULL;
		i = j;
	}
	return val;
}

void ilp_idmap_release(struct ilp_idmap *mp)
{
	free(mp->keys);
	free(mp->vals);
	memset(mp, 0, sizeof(*mp));
}

int ilp_idcount_add(struct ilp_idcount *c, uint64_t key)
{
	static char one;
	int err;

	if (c->over || ilp_idmap_probe(&c->seen, key))
		return 0;
	if (c->n >= ILP_IDCOUNT_MAX) {
		/* from here on, new keys cannot be told from seen ones */
		c->over = 1;
		ilp_idmap_release(&c->seen);
		return 0;
	}
	err = ilp_idmap_put(&c->seen, key, &one);
	if (!err)
		c->n++;
	return err;
}

void ilp_idcount_release(struct ilp_idcount *c)
{
	ilp_idmap_release(&c->seen);
	memset(c, 0, sizeof(*c));
}
