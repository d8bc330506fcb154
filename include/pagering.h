/* SPDX-License-Identifier: MIT */
#ifndef ILP_PAGERING_H
#define ILP_PAGERING_H

/*
 * The page ring: the raw ring-buffer pages a live capture read lately,
 * kept in memory so that watch can write what came before a trigger.
 * Pages are kept per CPU in the order read, each with its time (the
 * page header's first u64: the time of its first event), and bounded two
 * ways: by time (ilp_pagering_evict: what is older than a cut-off goes)
 * and by bytes (the oldest page of all goes first when a new one would
 * not fit).  A page is evicted by time once it was read before the
 * cut-off, or the next page of its CPU starts at or before it: the page
 * that spans the cut-off stays, so nothing after the cut-off is lost.  No allocation per page once the
 * ring has filled: evicted pages' memory is reused.
 */

#include <stddef.h>
#include <stdint.h>

struct ilp_pagering;

/**
 * ilp_pagering_new - makes an empty ring
 * @ncpus: the CPUs pages come from (0 .. ncpus - 1)
 * @page_size: bytes per page (every page has this size)
 * @max_bytes: the most page bytes kept (at least one page per CPU is allowed)
 * @out: set to the ring, to free with ilp_pagering_free(); NULL on error
 *
 * Returns 0, -EINVAL (no CPU, no page size), or -ENOMEM.
 */
int ilp_pagering_new(int ncpus, size_t page_size, size_t max_bytes, struct ilp_pagering **out);

/**
 * ilp_pagering_free - frees the ring and its pages
 * @r: the ring; NULL is a no-op
 */
void ilp_pagering_free(struct ilp_pagering *r);

/**
 * ilp_pagering_add - keeps a copy of one page
 * @r: the ring
 * @cpu: its CPU
 * @page: the page, page_size bytes; its first 8 bytes are its time
 * @size: bytes at page (at most page_size: the rest is zero-filled)
 * @read_ts: when it was read (every event in it is older)
 *
 * When the ring holds max_bytes already, the oldest page of all (by time)
 * is dropped first and counted (ilp_pagering_dropped).
 *
 * Returns 0, -EINVAL (cpu out of range, size 0 or above page_size), or
 * -ENOMEM (the page is not kept).
 */
int ilp_pagering_add(struct ilp_pagering *r, int cpu, const void *page, size_t size,
		     uint64_t read_ts);

/**
 * ilp_pagering_evict - drops what is older than a cut-off
 * @r: the ring
 * @cutoff: a time; each CPU's oldest page is dropped while it was read at
 *	or before cutoff, or the page after it starts at or before cutoff
 */
void ilp_pagering_evict(struct ilp_pagering *r, uint64_t cutoff);

/**
 * ilp_pagering_clear - drops every page
 * @r: the ring
 */
void ilp_pagering_clear(struct ilp_pagering *r);

/**
 * ilp_pagering_oldest - the time of the oldest page kept
 * @r: the ring
 *
 * Returns that time, or UINT64_MAX if the ring is empty.
 */
uint64_t ilp_pagering_oldest(const struct ilp_pagering *r);

/**
 * ilp_pagering_bytes - page bytes held
 * @r: the ring
 *
 * Returns npages * page_size.
 */
size_t ilp_pagering_bytes(const struct ilp_pagering *r);

/**
 * ilp_pagering_page_size - bytes per page
 * @r: the ring
 *
 * Returns the page_size it was made with.
 */
size_t ilp_pagering_page_size(const struct ilp_pagering *r);

/**
 * ilp_pagering_dropped - pages dropped for lack of room (max_bytes)
 * @r: the ring
 *
 * Returns the count since the ring was made (eviction by time not counted).
 */
uint64_t ilp_pagering_dropped(const struct ilp_pagering *r);

/**
 * ilp_pagering_count - pages held for one CPU
 * @r: the ring
 * @cpu: the CPU
 *
 * Returns the count, 0 for a CPU out of range.
 */
size_t ilp_pagering_count(const struct ilp_pagering *r, int cpu);

/**
 * ilp_pagering_page - one page held, oldest first
 * @r: the ring
 * @cpu: the CPU
 * @i: the index, < ilp_pagering_count()
 *
 * Returns the page (page_size bytes), owned by r, valid until the ring
 * changes; NULL if out of range.
 */
const void *ilp_pagering_page(const struct ilp_pagering *r, int cpu, size_t i);

/**
 * ilp_pagering_page_ts - a page's time (its header's first u64)
 * @page: a page
 *
 * Returns the time.
 */
uint64_t ilp_pagering_page_ts(const void *page);

#endif
