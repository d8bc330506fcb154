/* SPDX-License-Identifier: MIT */
#ifndef ILP_PBUF_H
#define ILP_PBUF_H

/*
 * A small protocol buffers encoder (src/util/pbuf.c), what --format pprof
 * writes profile.proto with: varints, the wire types 0 (varint) and 2
 * (length-delimited: strings, bytes, embedded messages, packed repeated
 * varints), and a string table (the pprof profile's: each distinct string
 * once, "" at index 0).  No reflection, no schema: the caller writes the
 * fields in order.  Integers are int64/uint64 as varints (no zigzag: the
 * profile has no sint fields).
 *
 * Errors are sticky: the first allocation that fails sets pb->err to
 * -ENOMEM and every later write is skipped, so a writer checks once at
 * the end.
 */

#include <stddef.h>
#include <stdint.h>

struct ilp_pb {
	uint8_t *buf;
	size_t len, cap;
	int err;		/* 0, or -ENOMEM after a failed allocation */
};

/**
 * ilp_pb_release - frees a buffer's bytes
 * @pb: the buffer (zeroed: empty); zeroed again afterwards
 */
void ilp_pb_release(struct ilp_pb *pb);

/**
 * ilp_pb_varint - appends a base-128 varint, low groups first
 * @pb: the buffer
 * @v: the value (300 is ac 02)
 */
void ilp_pb_varint(struct ilp_pb *pb, uint64_t v);

/**
 * ilp_pb_uint - appends a varint field (wire type 0), unless it is 0
 * @pb: the buffer
 * @field: the field number, >= 1
 * @v: the value; 0 writes nothing (proto3's default: a reader takes an
 *	absent field as 0)
 */
void ilp_pb_uint(struct ilp_pb *pb, unsigned field, uint64_t v);

/**
 * ilp_pb_bytes - appends a length-delimited field (wire type 2)
 * @pb: the buffer
 * @field: the field number, >= 1
 * @data: the bytes (a string without its NUL, an encoded message)
 * @n: how many; 0 writes the field with length 0
 */
void ilp_pb_bytes(struct ilp_pb *pb, unsigned field, const void *data, size_t n);

/**
 * ilp_pb_msg - appends an embedded message field
 * @pb: the buffer
 * @field: the field number, >= 1
 * @sub: the message, encoded; its error, if any, becomes pb's
 */
void ilp_pb_msg(struct ilp_pb *pb, unsigned field, const struct ilp_pb *sub);

/**
 * ilp_pb_append - appends fields encoded in another buffer
 * @pb: the buffer
 * @more: encoded fields of the same message, appended as they are; its
 *	error, if any, becomes pb's
 */
void ilp_pb_append(struct ilp_pb *pb, const struct ilp_pb *more);

/**
 * ilp_pb_packed - appends a packed repeated varint field
 * @pb: the buffer
 * @field: the field number, >= 1
 * @v: the values (int64 values cast to uint64_t)
 * @n: how many; 0 writes nothing
 */
void ilp_pb_packed(struct ilp_pb *pb, unsigned field, const uint64_t *v, size_t n);

/* A string table: each distinct string once, by first use; "" is index 0. */
struct ilp_pb_strtab {
	char **s;		/* the strings, by index */
	size_t n, cap;
	size_t *slots;		/* open addressing: index + 1, 0 empty */
	size_t nslots;		/* 0 or a power of two, > 2 * n */
	uint64_t key[2];	/* the hash key */
};

/**
 * ilp_pb_strtab_id - the index of a string, added if new
 * @t: the table (zeroed: empty; "" is added first, as index 0)
 * @s: the string (copied)
 * @is_new: set to 1 if s was added by this call, else 0; may be NULL
 *
 * Returns the index (>= 0), or -ENOMEM.
 */
int64_t ilp_pb_strtab_id(struct ilp_pb_strtab *t, const char *s, int *is_new);

/**
 * ilp_pb_strtab_release - frees a string table
 * @t: the table; zeroed afterwards
 */
void ilp_pb_strtab_release(struct ilp_pb_strtab *t);

#endif
