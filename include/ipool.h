/* SPDX-License-Identifier: MIT */
#ifndef ILP_IPOOL_H
#define ILP_IPOOL_H

/*
 * Interned arrays of u64 (kernel stacks: the addresses of their frames).
 * An array already in the pool is found, not copied again: equal arrays
 * have one copy, one id and one pointer, stable until the pool is freed.
 * At most max arrays: past that a new one is refused and counted.
 */

#include <stddef.h>
#include <stdint.h>

struct ilp_ipool;

/**
 * ilp_ipool_new - makes an empty pool
 * @max: most arrays it keeps (0: no limit)
 *
 * Returns the pool, to free with ilp_ipool_free(), or NULL on ENOMEM.
 */
struct ilp_ipool *ilp_ipool_new(size_t max);

/**
 * ilp_ipool_free - frees the pool and every array in it
 * @p: the pool; NULL is a no-op
 */
void ilp_ipool_free(struct ilp_ipool *p);

/**
 * ilp_ipool_intern - the pool's copy of an array
 * @p: the pool
 * @v: n u64 values, native-endian, any alignment (a ring buffer record's)
 * @n: how many; 0 is an empty array like any other
 * @id: set to the array's id (0, 1, ... in order of first sight); may be NULL
 *
 * Returns the pool's copy (aligned, valid until ilp_ipool_free()), or NULL
 * on ENOMEM or when the pool is full (a new array past max: counted in
 * ilp_ipool_refused()).
 */
const uint64_t *ilp_ipool_intern(struct ilp_ipool *p, const void *v, size_t n, uint32_t *id);

/**
 * ilp_ipool_get - an array by its id
 * @p: the pool
 * @id: as ilp_ipool_intern() set it
 * @n: set to its length
 *
 * Returns the array, or NULL (and *n 0) if id is not one.
 */
const uint64_t *ilp_ipool_get(const struct ilp_ipool *p, uint32_t id, size_t *n);

/**
 * ilp_ipool_count - how many arrays the pool holds
 * @p: the pool
 *
 * Returns the count: ids are 0 to count - 1.
 */
size_t ilp_ipool_count(const struct ilp_ipool *p);

/**
 * ilp_ipool_refused - new arrays refused because the pool was full
 * @p: the pool
 *
 * Returns the count.
 */
uint64_t ilp_ipool_refused(const struct ilp_ipool *p);

#endif
