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

uint64_t ilp_siphash(const uint64_t key[2], const void *data, size_t len);
/* two random words for a key (getrandom; a clock-derived fallback) */
void ilp_hash_key(uint64_t key[2]);

struct ilp_umap {
	uint64_t *keys;
	void **vals;		/* NULL: empty slot */
	size_t cap, n;		/* cap: 0 or a power of two, n <= cap / 2 */
	uint64_t hkey[2];	/* set on first use */
};

void *ilp_umap_get(const struct ilp_umap *m, uint64_t key);
int ilp_umap_put(struct ilp_umap *m, uint64_t key, void *val);	/* 0 or -ENOMEM */
void *ilp_umap_del(struct ilp_umap *m, uint64_t key);		/* the value removed, or NULL */
/* the i-th slot's value or NULL (iteration: i < m->cap) */
static inline void *ilp_umap_slot(const struct ilp_umap *m, size_t i, uint64_t *key)
{
	if (key && m->vals[i])
		*key = m->keys[i];
	return m->vals[i];
}
void ilp_umap_release(struct ilp_umap *m);	/* frees the table, not the values */

struct ilp_spool {
	struct ilp_spool_chunk *chunks;
	const char **set;
	size_t nset, setcap;
	size_t bytes, max_bytes;	/* max_bytes 0: no limit */
	uint64_t dropped;		/* strings refused for the limit */
	uint64_t hkey[2];
};

/* s interned (the pool's copy); NULL on ENOMEM or past max_bytes */
const char *ilp_spool_intern(struct ilp_spool *p, const char *s);
void ilp_spool_release(struct ilp_spool *p);

#endif
