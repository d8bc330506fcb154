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

/**
 * ilp_idmap_probe - looks key up in the table
 * @mp: the map
 * @key: the id
 *
 * Does not touch the last-hit cache.
 *
 * Returns the value stored under key, or NULL.
 */
void *ilp_idmap_probe(const struct ilp_idmap *mp, uint64_t key);

/**
 * ilp_idmap_put - inserts or replaces the value under key
 * @mp: the map
 * @key: the id
 * @val: the value, not NULL (NULL marks an empty slot); the map keeps the
 *	pointer and never frees it
 *
 * The entry becomes the last hit.  The table doubles when it would get
 * more than half full.
 *
 * Returns 0, -EINVAL if val is NULL, or -ENOMEM (the map unchanged).
 */
int ilp_idmap_put(struct ilp_idmap *mp, uint64_t key, void *val);

/**
 * ilp_idmap_del - removes key
 * @mp: the map
 * @key: the id
 *
 * Backward shift, no tombstones; the table never shrinks.  The value is
 * not freed: it is handed back.
 *
 * Returns the value that was stored under key, or NULL if it was not there.
 */
void *ilp_idmap_del(struct ilp_idmap *mp, uint64_t key);

/**
 * ilp_idmap_release - frees the tables
 * @mp: the map; the values are not freed (the caller owns them)
 *
 * The map is empty (zeroed) afterwards, ready to use again.
 */
void ilp_idmap_release(struct ilp_idmap *mp);

/**
 * ilp_idmap_peek - looks key up, for read-only owners
 * @mp: the map
 * @key: the id
 *
 * The last-hit cache is read, not updated.
 *
 * Returns the value stored under key, or NULL.
 */
static inline void *ilp_idmap_peek(const struct ilp_idmap *mp, uint64_t key)
{
	if (mp->last_val && mp->last_key == key)
		return mp->last_val;
	return ilp_idmap_probe(mp, key);
}

/**
 * ilp_idmap_get - looks key up and remembers the hit
 * @mp: the map
 * @key: the id
 *
 * A hit becomes the last hit, so the next lookup of the same key is one
 * compare.
 *
 * Returns the value stored under key, or NULL.
 */
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

/**
 * ilp_idcount_add - counts key, once
 * @c: the counter
 * @key: the id
 *
 * A key seen before is not counted again.  The key that would go past
 * ILP_IDCOUNT_MAX sets c->over and frees the keys seen: from then on n
 * stays where it stopped (a lower bound).
 *
 * Returns 0, or -ENOMEM (key not counted).
 */
int ilp_idcount_add(struct ilp_idcount *c, uint64_t key);

/**
 * ilp_idcount_release - frees the keys seen
 * @c: the counter
 *
 * The counter is empty (zeroed) afterwards.
 */
void ilp_idcount_release(struct ilp_idcount *c);

#endif
