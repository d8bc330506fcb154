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
 * stats, reads, closes...) times (n - 1) / n.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "analyze.h"
#include "fdmodel.h"
#include "report_util.h"

int ilp_detect_repeat(const struct ilp_analysis *a, const struct ilp_proc *p,
		      struct ilp_findings *out)
{
	const struct ilp_fdproc *fds = ilp_proc_fds(p);
	const struct ilp_thresholds *th = a->th;
	size_t i;

	for (i = 0; i < ilp_fdproc_nobjs(fds); i++) {
		const struct ilp_fdobj *o = ilp_fdproc_obj(fds, i);
		const struct ilp_io_stats *s = ilp_fdobj_stats(o);
		unsigned type = ilp_fdobj_type(o) & ILP_OBJ_TYPE_MASK;
		uint64_t n = s->opens + s->stats, pm;
		struct ilp_finding *f;
		char t[ILP_FMT_TIME_LEN];

		if ((type != ILP_OBJ_FILE && type != ILP_OBJ_DIR) || n < th->repeat_min)
			continue;
		f = ilp_finding_add(out, "repeat", "repeat", p);
		if (!f)
			return -ENOMEM;
		f->tid = ilp_fdobj_tid(o);
		f->obj_type = ilp_fdobj_type(o);
		ilp_fdobj_format(o, f->object, sizeof(f->object));
		f->count = n;
		f->bytes = s->rbytes + s->wbytes;
		f->time_ns = s->total_ns;
		f->threshold = th->repeat_min;
		f->saving_calls = ilp_scale(s->ops, n - 1, n);
		f->saving_ns = ilp_scale(s->total_ns, n - 1, n);
		ilp_fmt_time(t, sizeof(t), s->total_ns);
		pm = ilp_share_pm(s->total_ns, a->wall_ns);
		snprintf(f->what, sizeof(f->what), "%s opened %" PRIu64 " times and stat'ed %" PRIu64
			 " times", f->object, s->opens, s->stats);
		snprintf(f->evidence, sizeof(f->evidence),
			 "%" PRIu64 " calls on it (%" PRIu64 " reads, %" PRIu64 " B) took %s (%"
			 PRIu64 ".%" PRIu64 "%% of wall time)", s->ops, s->reads, s->rbytes, t,
			 pm / 10, pm % 10);
		snprintf(f->why, sizeof(f->why), "%" PRIu64 " opens + %" PRIu64 " stats = %" PRIu64
			 " >= %" PRIu64 " (--repeat-min)", s->opens, s->stats, n, th->repeat_min);
		snprintf(f->fix, sizeof(f->fix),
			 "open it once and keep the fd, or cache what you read or stat from it");
	}
	return 0;
}
