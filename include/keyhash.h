/* SPDX-License-Identifier: MIT */
#ifndef ILP_KEYHASH_H
#define ILP_KEYHASH_H

/*
 * Hashing for keys a tracee chooses (paths, names): SipHash-1-3 with a
 * random 128-bit key per table, so no input collides on purpose; and two
 * tables built on it.
 *
 *   struct ilp_umap   u64 -> pointer, open addressing with removal
 *                     (backward shift: no tombstones); NULL cannot be stored
 *   struct ilp_spool  interned strings, at most max_bytes of them: past
 *                     that, a new string is refused (NULL) and counted
 */

#include <stddef.h>
#include <stdint.h>

/**
 * ilp_siphash - SipHash-1-3 of some bytes
 * @key: the 128-bit key (ilp_hash_key)
 * @data: the bytes
 * @len: how many
 *
 * Returns the 64-bit hash.
 */
uint64_t ilp_siphash(const uint64_t key[2], const void *data, size_t len);

/**
 * ilp_hash_key - two random words for a key
 * @key: filled with getrandom's bytes (non-blocking); when it cannot give
 *	them, with words derived from the clock, the pid and an address
 */
void ilp_hash_key(uint64_t key[2]);

struct ilp_umap {
	uint64_t *keys;
	void **vals;		/* NULL: empty slot */
	size_t cap, n;		/* cap: 0 or a power of two, n <= cap / 2 */
	uint64_t hkey[2];	/* set on first use */
};

/**
 * ilp_umap_get - looks key up
 * @m: the map (zeroed: empty)
 * @key: the key
 *
 * Returns the value stored under key, or NULL.
 */
void *ilp_umap_get(const struct ilp_umap *m, uint64_t key);

/**
 * ilp_umap_put - inserts or replaces the value under key
 * @m: the map (zeroed: empty; its hash key is drawn on first use)
 * @key: the key
 * @val: the value, not NULL; the map keeps the pointer and never frees it
 *
 * Returns 0, -EINVAL if val is NULL, or -ENOMEM (the map unchanged).
 */
int ilp_umap_put(struct ilp_umap *m, uint64_t key, void *val);

/**
 * ilp_umap_del - removes key
 * @m: the map
 * @key: the key
 *
 * The value is not freed: it is handed back.
 *
 * Returns the value removed, or NULL if key was not there.
 */
void *ilp_umap_del(struct ilp_umap *m, uint64_t key);

/**
 * ilp_umap_slot - the value of one slot, for iterating
 * @m: the map
 * @i: the slot, i < m->cap
 * @key: set to the slot's key when the slot holds a value; may be NULL
 *
 * Returns the i-th slot's value, or NULL if the slot is empty.
 */
static inline void *ilp_umap_slot(const struct ilp_umap *m, size_t i, uint64_t *key)
{
	if (key && m->vals[i])
		*key = m->keys[i];
	return m->vals[i];
}
/**
 * ilp_umap_release - frees the table
 * @m: the map; the values are not freed (the caller owns them)
 *
 * The map is empty (zeroed) afterwards.
 */
void ilp_umap_release(struct ilp_umap *m);

struct ilp_spool {
	struct ilp_spool_chunk *chunks;
	const char **set;
	size_t nset, setcap;
	size_t bytes, max_bytes;	/* max_bytes 0: no limit */
	uint64_t dropped;		/* strings refused for the limit */
	uint64_t hkey[2];
};

/**
 * ilp_spool_intern - the pool's copy of s
 * @p: the pool (zeroed: empty, no limit; set max_bytes before the first use)
 * @s: the string (NUL-terminated, not NULL)
 *
 * A string already in the pool is found, not copied again.  A new one
 * that would take the pool past max_bytes (each string counts its NUL) is
 * refused and counted in p->dropped.
 *
 * Returns the pool's copy, valid until ilp_spool_release(); NULL on ENOMEM
 * or past max_bytes.
 */
const char *ilp_spool_intern(struct ilp_spool *p, const char *s);

/**
 * ilp_spool_release - frees every string of the pool
 * @p: the pool
 *
 * Every pointer ilp_spool_intern() returned is dangling afterwards.  The
 * pool is zeroed (max_bytes and dropped too).
 */
void ilp_spool_release(struct ilp_spool *p);

#endif
