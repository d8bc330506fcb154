// SPDX-License-Identifier: MIT
/* Keyed hashing and the tables on it: see include/keyhash.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "keyhash.h"

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND							\
	do {								\
		v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32); \
		v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;			\
		v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;			\
		v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32); \
	} while (0)

uint64_t ilp_siphash(const uint64_t key[2], const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t v0 = 0x736f6d6570736575ull ^ key[0], v1 = 0x646f72616e646f6dull ^ key[1];
	uint64_t v2 = 0x6c7967656e657261ull ^ key[0], v3 = 0x7465646279746573ull ^ key[1];
	uint64_t b = (uint64_t)len << 56, m;
	size_t i, left = len & 7;

	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&m, p + i, 8);
		v3 ^= m;
		SIPROUND;
		v0 ^= m;
	}
	for (m = 0; left; left--)
		m |= (uint64_t)p[i + left - 1] << (8 * (left - 1));
	b |= m;
	v3 ^= b;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

void ilp_hash_key(uint64_t key[2])
{
	struct timespec ts;

	if (getrandom(key, 2 * sizeof(*key), GRND_NONBLOCK) == (ssize_t)(2 * sizeof(*key)))
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	key[0] = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ull ^ (uint64_t)getpid();
	key[1] = (uint64_t)ts.tv_sec * 0xc2b2ae3d27d4eb4full ^ (uint64_t)(uintptr_t)key;
}

/* ---- u64 -> pointer ---- */

static size_t slot_of(const struct ilp_umap *m, uint64_t key)
{
	return (size_t)ilp_siphash(m->hkey, &key, sizeof(key)) & (m->cap - 1);
}

void *ilp_umap_get(const struct ilp_umap *m, uint64_t key)
{
	size_t i;

	if (!m->n)
		return NULL;
	for (i = slot_of(m, key); m->vals[i]; i = (i + 1) & (m->cap - 1))
		if (m->keys[i] == key)
			return m->vals[i];
	return NULL;
}

static int grow(struct ilp_umap *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 64, i, j;
	uint64_t *keys = calloc(ncap, sizeof(*keys));
	void **vals = calloc(ncap, sizeof(*vals));
	struct ilp_umap nm = { keys, vals, ncap, 0, { m->hkey[0], m->hkey[1] } };

	if (!keys || !vals) {
		free(keys);
		free(vals);
		return -ENOMEM;
	}
	for (i = 0; i < m->cap; i++) {
		if (!m->vals[i])
			continue;
		for (j = slot_of(&nm, m->keys[i]); vals[j]; j = (j + 1) & (ncap - 1))
			;
		keys[j] = m->keys[i];
		vals[j] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	m->keys = keys;
	m->vals = vals;
	m->cap = ncap;
	return 0;
}

int ilp_umap_put(struct ilp_umap *m, uint64_t key, void *val)
{
	size_t i;

	if (!val)
		return -EINVAL;
	if (!m->cap)
		ilp_hash_key(m->hkey);
	if (m->n) {
		for (i = slot_of(m, key); m->vals[i]; i = (i + 1) & (m->cap - 1))
			if (m->keys[i] == key) {
				m->vals[i] = val;
				return 0;
			}
	}
	if ((m->n + 1) * 2 > m->cap && grow(m))
		return -ENOMEM;
	for (i = slot_of(m, key); m->vals[i]; i = (i + 1) & (m->cap - 1))
		;
	m->keys[i] = key;
	m->vals[i] = val;
	m->n++;
	return 0;
}

void *ilp_umap_del(struct ilp_umap *m, uint64_t key)
{
	size_t i, j, k, mask = m->cap - 1;
	void *v;

	if (!m->n)
		return NULL;
	for (i = slot_of(m, key); m->vals[i]; i = (i + 1) & mask)
		if (m->keys[i] == key)
			break;
	if (!m->vals[i])
		return NULL;
	v = m->vals[i];
	m->vals[i] = NULL;
	m->n--;
	/* backward shift: move up every entry whose probe passed the hole */
	for (j = (i + 1) & mask; m->vals[j]; j = (j + 1) & mask) {
		k = slot_of(m, m->keys[j]);
		if ((j > i && (k <= i || k > j)) || (j < i && (k <= i && k > j))) {
			m->keys[i] = m->keys[j];
			m->vals[i] = m->vals[j];
			m->vals[j] = NULL;
			i = j;
		}
	}
	return v;
}

void ilp_umap_release(struct ilp_umap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

/* ---- string pool ---- */

#define CHUNK 65536

struct ilp_spool_chunk {
	struct ilp_spool_chunk *next;
	size_t used, size;
	char data[];
};

static char *pool_alloc(struct ilp_spool *p, size_t len)
{
	struct ilp_spool_chunk *c = p->chunks;
	char *s;

	if (!c || c->used + len > c->size) {
		size_t size = len > CHUNK ? len : CHUNK;

		c = malloc(sizeof(*c) + size);
		if (!c)
			return NULL;
		c->used = 0;
		c->size = size;
		c->next = p->chunks;
		p->chunks = c;
	}
	s = c->data + c->used;
	c->used += len;
	return s;
}

static uint64_t str_hash(const struct ilp_spool *p, const char *s, size_t len)
{
	return ilp_siphash(p->hkey, s, len);
}

const char *ilp_spool_intern(struct ilp_spool *p, const char *s)
{
	size_t len = strlen(s), i, j;
	char *copy;

	if (!p->setcap)
		ilp_hash_key(p->hkey);
	if (p->setcap) {
		for (i = str_hash(p, s, len) & (p->setcap - 1); p->set[i];
		     i = (i + 1) & (p->setcap - 1))
			if (!strcmp(p->set[i], s))
				return p->set[i];
	}
	if (p->max_bytes && p->bytes + len + 1 > p->max_bytes) {
		p->dropped++;
		return NULL;
	}
	if ((p->nset + 1) * 2 > p->setcap) {
		size_t ncap = p->setcap ? p->setcap * 2 : 256;
		const char **set = calloc(ncap, sizeof(*set));

		if (!set)
			return NULL;
		for (i = 0; i < p->setcap; i++) {
			if (!p->set[i])
				continue;
			for (j = str_hash(p, p->set[i], strlen(p->set[i])) & (ncap - 1); set[j];
			     j = (j + 1) & (ncap - 1))
				;
			set[j] = p->set[i];
		}
		free(p->set);
		p->set = set;
		p->setcap = ncap;
	}
	copy = pool_alloc(p, len + 1);
	if (!copy)
		return NULL;
	memcpy(copy, s, len + 1);
	for (i = str_hash(p, s, len) & (p->setcap - 1); p->set[i]; i = (i + 1) & (p->setcap - 1))
		;
	p->set[i] = copy;
	p->nset++;
	p->bytes += len + 1;
	return copy;
}

void ilp_spool_release(struct ilp_spool *p)
{
	struct ilp_spool_chunk *c, *next;

	for (c = p->chunks; c; c = next) {
		next = c->next;
		free(c);
	}
	free(p->set);
	memset(p, 0, sizeof(*p));
}
