// SPDX-License-Identifier: MIT
/*
 * Repeated work on one path: the same file or directory opened or stat'ed
 * again and again (N+1 on files).  Objects are interned by path, so the
 * count spans every fd the path was opened through and every stat by path.
 *
 * Fires when opens + stats >= th->repeat_min on a file or directory
 * (never on "fd N (unresolved)": that name may cover several paths).
 *
 * Saving: opening once and keeping the fd (or caching what was read)
 * leaves one n-th of the calls on the path: every call on it (opens,
 * stats, reads, closes...) times (n - 1) / n, with their wall share, as far
 * as the ledger still holds them (an fsync storm on the path took its
 * syncs first; ledger.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "analyze.h"
#include "fdmodel.h"
#include "fmt.h"

int ilp_repeat_fires(const struct ilp_analysis *a, const struct ilp_fdobj *o)
{
	unsigned type = ilp_fdobj_type(o) & ILP_OBJ_TYPE_MASK;
	const struct ilp_io_stats *s = ilp_fdobj_stats(o);

	return (type == ILP_OBJ_FILE || type == ILP_OBJ_DIR) && s->opens + s->stats >= a->th->repeat_min;
}

static int repeat_obj(const struct ilp_analysis *a, const struct ilp_proc *p,
		      const struct ilp_fdobj *o, const struct ilp_io_stats *s,
		      struct ilp_findings *out)
{
	const struct ilp_thresholds *th = a->th;
	uint64_t n = s->opens + s->stats;
	struct ilp_finding *f;
	struct ilp_share_text st;
	struct ilp_claim cl = { 0 };
	int cat;

	if (!ilp_repeat_fires(a, o))
		return 0;
	f = ilp_finding_add_obj(out, "repeat", "repeat", p, o);
	if (!f)
		return -ENOMEM;
	f->count = n;
	f->bytes = s->rbytes + s->wbytes;
	f->time_ns = s->total_ns;
	f->threshold = th->repeat_min;
	for (cat = 0; cat < ILP_IO_NCATS; cat++)
		if (ilp_claim_io_part(a, &cl, o, cat, n - 1, n))
			return -ENOMEM;
	f->saving_calls = cl.calls;
	f->saving_ns = cl.share_ns;
	ilp_share_text(&st, s->total_ns, a->wall_ns);
	snprintf(f->what, sizeof(f->what), "%s opened %" PRIu64 " times and stat'ed %" PRIu64
		 " times", f->object, s->opens, s->stats);
	snprintf(f->evidence, sizeof(f->evidence),
		 "%" PRIu64 " calls on it (%" PRIu64 " reads, %" PRIu64 " B) took %s (%s)",
		 s->ops, s->reads, s->rbytes, st.time, st.share);
	snprintf(f->why, sizeof(f->why), "%" PRIu64 " opens + %" PRIu64 " stats = %" PRIu64
		 " >= %" PRIu64 " (--repeat-min)", s->opens, s->stats, n, th->repeat_min);
	snprintf(f->fix, sizeof(f->fix),
		 "open it once and keep the fd, or cache what you read or stat from it");
	return 0;
}

int ilp_detect_repeat(const struct ilp_analysis *a, const struct ilp_proc *p,
		      struct ilp_findings *out)
{
	return ilp_analyze_each_obj(a, p, out, repeat_obj);
}
