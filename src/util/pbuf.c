// SPDX-License-Identifier: MIT
/* A small protocol buffers encoder and string table (include/pbuf.h). */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "keyhash.h"
#include "pbuf.h"

#define WIRE_VARINT 0
#define WIRE_LEN 2

void ilp_pb_release(struct ilp_pb *pb)
{
	free(pb->buf);
	memset(pb, 0, sizeof(*pb));
}

/* room for n more bytes; 0, or -ENOMEM (sticky) */
static int reserve(struct ilp_pb *pb, size_t n)
{
	size_t cap = pb->cap ? pb->cap : 256;
	uint8_t *b;

	if (pb->err)
		return pb->err;
	if (pb->len + n <= pb->cap)
		return 0;
	while (cap < pb->len + n) {
		if (cap > SIZE_MAX / 2)
			return pb->err = -ENOMEM;
		cap *= 2;
	}
	b = realloc(pb->buf, cap);
	if (!b)
		return pb->err = -ENOMEM;
	pb->buf = b;
	pb->cap = cap;
	return 0;
}

void ilp_pb_varint(struct ilp_pb *pb, uint64_t v)
{
	if (reserve(pb, 10))
		return;
	while (v >= 0x80) {
		pb->buf[pb->len++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	pb->buf[pb->len++] = (uint8_t)v;
}

static void tag(struct ilp_pb *pb, unsigned field, unsigned wire)
{
	ilp_pb_varint(pb, (uint64_t)field << 3 | wire);
}

void ilp_pb_uint(struct ilp_pb *pb, unsigned field, uint64_t v)
{
	if (!v)
		return;
	tag(pb, field, WIRE_VARINT);
	ilp_pb_varint(pb, v);
}

/* n bytes at data, as they are */
static void raw(struct ilp_pb *pb, const void *data, size_t n)
{
	if (n && !reserve(pb, n)) {
		memcpy(pb->buf + pb->len, data, n);
		pb->len += n;
	}
}

void ilp_pb_bytes(struct ilp_pb *pb, unsigned field, const void *data, size_t n)
{
	tag(pb, field, WIRE_LEN);
	ilp_pb_varint(pb, n);
	raw(pb, data, n);
}

void ilp_pb_msg(struct ilp_pb *pb, unsigned field, const struct ilp_pb *sub)
{
	if (sub->err && !pb->err)
		pb->err = sub->err;
	ilp_pb_bytes(pb, field, sub->buf, sub->len);
}

void ilp_pb_append(struct ilp_pb *pb, const struct ilp_pb *more)
{
	if (more->err && !pb->err)
		pb->err = more->err;
	raw(pb, more->buf, more->len);
}

static size_t varint_len(uint64_t v)
{
	size_t n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

void ilp_pb_packed(struct ilp_pb *pb, unsigned field, const uint64_t *v, size_t n)
{
	size_t len = 0;

	if (!n)
		return;
	for (size_t i = 0; i < n; i++)
		len += varint_len(v[i]);
	tag(pb, field, WIRE_LEN);
	ilp_pb_varint(pb, len);
	for (size_t i = 0; i < n; i++)
		ilp_pb_varint(pb, v[i]);
}

/* ---- the string table ---- */

static size_t *slot_of(struct ilp_pb_strtab *t, const char *s, size_t len)
{
	size_t mask = t->nslots - 1, i = ilp_siphash(t->key, s, len) & mask;

	for (;; i = (i + 1) & mask)
		if (!t->slots[i] || !strcmp(t->s[t->slots[i] - 1], s))
			return &t->slots[i];
}

static int grow(struct ilp_pb_strtab *t)
{
	size_t nslots = t->nslots ? t->nslots * 2 : 64, *old = t->slots, oldn = t->nslots;
	char **s;

	if (t->n == t->cap) {
		s = realloc(t->s, (t->cap ? t->cap * 2 : 32) * sizeof(*s));
		if (!s)
			return -ENOMEM;
		t->s = s;
		t->cap = t->cap ? t->cap * 2 : 32;
	}
	if (2 * (t->n + 1) < t->nslots)
		return 0;
	t->slots = calloc(nslots, sizeof(*t->slots));
	if (!t->slots) {
		t->slots = old;
		return -ENOMEM;
	}
	if (!oldn)
		ilp_hash_key(t->key);
	t->nslots = nslots;
	for (size_t i = 0; i < oldn; i++)
		if (old[i])
			*slot_of(t, t->s[old[i] - 1], strlen(t->s[old[i] - 1])) = old[i];
	free(old);
	return 0;
}

int64_t ilp_pb_strtab_id(struct ilp_pb_strtab *t, const char *s, int *is_new)
{
	size_t *slot;
	char *copy;

	if (is_new)
		*is_new = 0;
	if (!t->n && *s && ilp_pb_strtab_id(t, "", NULL) < 0)
		return -ENOMEM;
	if (grow(t))
		return -ENOMEM;
	slot = slot_of(t, s, strlen(s));
	if (*slot)
		return (int64_t)(*slot - 1);
	copy = strdup(s);
	if (!copy)
		return -ENOMEM;
	t->s[t->n++] = copy;
	*slot = t->n;
	if (is_new)
		*is_new = 1;
	return (int64_t)(t->n - 1);
}

void ilp_pb_strtab_release(struct ilp_pb_strtab *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->s[i]);
	free(t->s);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}
