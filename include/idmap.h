/* SPDX-License-Identifier: MIT */
/*
 * idmap: an integer-keyed map of pointers for the model's hot path
 * (tid -> thread, pid -> process, futex address -> lock, ...).
 *
 * Open addressing, linear probing, power-of-two size, load <= 1/2; put
 * replaces, del removes with a backward shift (no tombstones).  NULL values mean "empty slot" and cannot be
 * stored.  A last-hit cache makes the common case (the same id as the
 * previous event) one compare.  The struct is embedded in its owner: a
 * zeroed struct is an empty map; ilp_idmap_release() frees its insides.
 * No malloc except when the table doubles (amortized O(1) per put).
 */
#ifndef ILP_IDMAP_H
#define ILP_IDMAP_H

#include <stddef.h>
#include <stdint.h>

struct ilp_idmap {
	uint64_t *keys;
	void **vals;			/* NULL: empty slot */
	size_t cap, n;			/* cap: 0 or a power of two */
	uint64_t last_key;		/* last hit, valid when last_val != NULL */
	void *last_val;
};

/* the value stored under key, or NULL; does not touch the cache */
void *ilp_idmap_probe(const struct ilp_idmap *mp, uint64_t key);
/* insert or replace (val != NULL); 0 or -ENOMEM (map unchanged) */
int ilp_idmap_put(struct ilp_idmap *mp, uint64_t key, void *val);
/* removes key: its value, or NULL if it was not there (never shrinks) */
void *ilp_idmap_del(struct ilp_idmap *mp, uint64_t key);
/* frees the tables; the map is empty (zeroed) afterwards */
void ilp_idmap_release(struct ilp_idmap *mp);

/* lookup for read-only owners: the cache is read, not updated */
static inline void *ilp_idmap_peek(const struct ilp_idmap *mp, uint64_t key)
{
	if (mp->last_val && mp->last_key == key)
		return mp->last_val;
	return ilp_idmap_probe(mp, key);
}

/* lookup that remembers its hit */
static inline void *ilp_idmap_get(struct ilp_idmap *mp, uint64_t key)
{
	void *v;

	if (mp->last_val && mp->last_key == key)
		return mp->last_val;
	v = ilp_idmap_probe(mp, key);
	if (v) {
		mp->last_key = key;
		mp->last_val = v;
	}
	return v;
}

/*
 * Distinct keys counted up to ILP_IDCOUNT_MAX (a table's "N more"): n is
 * exact while !over, a lower bound after.  Zeroed: empty.
 */
#define ILP_IDCOUNT_MAX (1u << 18)
struct ilp_idcount {
	struct ilp_idmap seen;		/* key -> (void *)1 */
	uint64_t n;
	int over;			/* more than ILP_IDCOUNT_MAX keys: n stopped there */
};

/* counts key once: 0 or -ENOMEM */
int ilp_idcount_add(struct ilp_idcount *c, uint64_t key);
void ilp_idcount_release(struct ilp_idcount *c);

#endif
