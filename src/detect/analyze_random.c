// SPDX-License-Identifier: MIT
/*
 * Small random positioned I/O: pread64/pwrite64/preadv... on one file at
 * offsets that do not continue where the previous call ended.
 *
 * Fires when positioned calls >= th->min_ops, the random ones are
 * >= th->random_pct percent of them, and the median size is below
 * th->buffer_bytes (seek-heavy access in small pieces).
 *
 * Saving: reading the same bytes in contiguous th->buffer_bytes pieces
 * (sorting or batching the offsets) would need ceil(bytes / buffer)
 * calls; the rest go, with their part of the calls' wall share
 * (ledger.c).  An upper bound: the data may not allow it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "analyze.h"
#include "fdmodel.h"
#include "fmt.h"

/* the rule: 1 with the median size and the calls left */
static int fires(const struct ilp_thresholds *th, const struct ilp_io_stats *s, uint64_t *med,
		 uint64_t *needed)
{
	if (s->pops < th->min_ops || !s->psize)
		return 0;
	if (s->pops_random * 100 < th->random_pct * s->pops)
		return 0;
	*med = ilp_hist_percentile(s->psize, 50.0);
	if (*med >= th->buffer_bytes)
		return 0;
	*needed = (s->pbytes + th->buffer_bytes - 1) / th->buffer_bytes;
	if (!*needed)
		*needed = 1;
	return *needed < s->pops;
}

int ilp_random_fires(const struct ilp_analysis *a, const struct ilp_fdobj *o)
{
	uint64_t med, needed;

	return fires(a->th, ilp_fdobj_stats(o), &med, &needed);
}

static int random_obj(const struct ilp_analysis *a, const struct ilp_proc *p,
		      const struct ilp_fdobj *o, const struct ilp_io_stats *s,
		      struct ilp_findings *out)
{
	const struct ilp_thresholds *th = a->th;
	uint64_t med, needed, pct;
	struct ilp_finding *f;
	struct ilp_share_text st;
	struct ilp_claim cl = { 0 };

	if (!fires(th, s, &med, &needed))
		return 0;
	f = ilp_finding_add_obj(out, "random", "random I/O", p, o);
	if (!f)
		return -ENOMEM;
	pct = s->pops_random * 100 / s->pops;
	f->count = s->pops;
	f->bytes = s->pbytes;
	f->size = med;
	f->time_ns = s->pos_ns;
	f->threshold = th->min_ops;
	if (ilp_claim_io_part(a, &cl, o, ILP_IO_POS, s->pops - needed, s->pops))
		return -ENOMEM;
	f->saving_calls = cl.calls;
	f->saving_ns = cl.share_ns;
	ilp_share_text(&st, s->pos_ns, a->wall_ns);
	snprintf(f->what, sizeof(f->what), "%" PRIu64 " positioned reads/writes of %" PRIu64
		 " B (median) on %s, %" PRIu64 "%% at random offsets", s->pops, med,
		 f->object, pct);
	snprintf(f->evidence, sizeof(f->evidence), "%" PRIu64 " B in %s (%s)",
		 s->pbytes, st.time, st.share);
	snprintf(f->why, sizeof(f->why), "%" PRIu64 " positioned calls >= %" PRIu64
		 " (--min-ops), %" PRIu64 " random = %" PRIu64 "%% >= %" PRIu64
		 "%% (--random-pct), median %" PRIu64 " B < %" PRIu64 " B",
		 s->pops, th->min_ops, s->pops_random, pct, th->random_pct, med,
		 th->buffer_bytes);
	snprintf(f->fix, sizeof(f->fix),
		 "sort or batch the offsets and read larger contiguous ranges (%" PRIu64
		 " -> %" PRIu64 " calls of %" PRIu64 " KiB), or mmap the file",
		 s->pops, needed, th->buffer_bytes / 1024);
	return 0;
}

int ilp_detect_random(const struct ilp_analysis *a, const struct ilp_proc *p,
		      struct ilp_findings *out)
{
	return ilp_analyze_each_obj(a, p, out, random_obj);
}
