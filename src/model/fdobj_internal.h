/* SPDX-License-Identifier: MIT */
#ifndef ILP_FDOBJ_INTERNAL_H
#define ILP_FDOBJ_INTERNAL_H

/*
 * Inside the model only: the first member of every struct ilp_fdobj
 * (model_fd.c), read inline where a lookup runs per call (the loop
 * model's step_match compares the names of a step's objects with the
 * newest call's: a hash that differs settles it without a call).
 */

#include <stdint.h>

struct ilp_fdobj;

struct ilp_fdobj_head {
	uint64_t desc_hash;	/* of desc alone: ilp_fdobj_same_desc */
};

static inline uint64_t ilp_fdobj_desc_hash(const struct ilp_fdobj *o)
{
	return ((const struct ilp_fdobj_head *)(const void *)o)->desc_hash;
}

#endif
