/* SPDX-License-Identifier: MIT */
#ifndef ILP_HEAP_H
#define ILP_HEAP_H

/*
 * A binary heap over a caller's array of fixed-size elements, for the
 * models' bounded "top K" records (the longest calls, the slowest disk
 * requests): the root is the element that leaves first, before(a, b) says
 * a leaves before b.  No allocation.
 */

#include <stddef.h>

typedef int (*ilp_heap_before_fn)(const void *a, const void *b);

/**
 * ilp_heap_up - moves element i up to its place
 * @base: the caller's array of elements, a heap but for element i
 * @size: bytes per element
 * @i: the element just placed at the end (or that got smaller: it leaves sooner)
 * @before: before(a, b) says a leaves before b
 *
 * Swaps element i with its parent while it leaves before it.  No allocation.
 */
void ilp_heap_up(void *base, size_t size, size_t i, ilp_heap_before_fn before);

/**
 * ilp_heap_down - moves element i down to its place
 * @base: the caller's array of elements, a heap but for element i
 * @size: bytes per element
 * @n: elements in the heap
 * @i: the element just replaced by a larger one (it leaves later)
 * @before: before(a, b) says a leaves before b
 *
 * Swaps element i with the child that leaves first while that child leaves
 * before it.  No allocation.
 */
void ilp_heap_down(void *base, size_t size, size_t n, size_t i, ilp_heap_before_fn before);

#endif
