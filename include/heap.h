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

/* element i was just placed at the end (or got smaller): move it up */
void ilp_heap_up(void *base, size_t size, size_t i, ilp_heap_before_fn before);
/* element i was replaced by a larger one (n elements): move it down */
void ilp_heap_down(void *base, size_t size, size_t n, size_t i, ilp_heap_before_fn before);

#endif
