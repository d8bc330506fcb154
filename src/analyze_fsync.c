// SPDX-License-Identifier: MIT
/*
 * fsync storms: many syncs (fsync, fdatasync, sync_file_range) per second
 * on one file, like a database committing every row on its own.
 *
 * Fires when syncs >= th->fsync_min and the rate over the span from the
 * first to the last sync, (syncs - 1) / span, is >= th->fsync_per_s per
 * second (a span of 0 counts as infinitely fast).
 *
 * Saving: grouping the commits so that at most one sync runs every
 * GROUP_MS leaves span / GROUP_MS + 1 syncs; the rest go, with their share
 * of the time measured in the sync calls.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "analyze.h"
#include "fdmodel.h"
#include "report_util.h"

#define GROUP_MS 100

int ilp_detect_fsync(const struct ilp_analysis *a, const struct ilp_proc *p,
		     struct ilp_findings *out)
{
	const struct ilp_fdproc *fds = ilp_proc_fds(p);
	const struct ilp_thresholds *th = a->th;
	size_t i;

	for (i = 0; i < ilp_fdproc_nobjs(fds); i++) {
		const struct ilp_fdobj *o = ilp_fdproc_obj(fds, i);
		const struct ilp_io_stats *s = ilp_fdobj_stats(o);
		uint64_t span, rate, needed, pm;
		struct ilp_finding *f;
		char t[ILP_FMT_TIME_LEN];

		if (s->syncs < th->fsync_min || s->syncs < 2)
			continue;
		span = s->last_sync_ts - s->first_sync_ts;
		rate = span ? ilp_scale(s->syncs - 1, 1000000000ull, span) : UINT64_MAX;
		if (rate < th->fsync_per_s)
			continue;
		needed = span / (GROUP_MS * 1000000ull) + 1;
		if (needed >= s->syncs)
			continue;
		f = ilp_finding_add(out, "fsync", "fsync storm", p);
		if (!f)
			return -ENOMEM;
		f->tid = ilp_fdobj_tid(o);
		f->obj_type = ilp_fdobj_type(o);
		ilp_fdobj_format(o, f->object, sizeof(f->object));
		f->count = s->syncs;
		f->bytes = s->wbytes;
		f->time_ns = s->sync_ns;
		f->threshold = th->fsync_min;
		f->saving_calls = s->syncs - needed;
		f->saving_ns = ilp_scale(s->sync_ns, s->syncs - needed, s->syncs);
		ilp_fmt_time(t, sizeof(t), s->sync_ns);
		pm = ilp_share_pm(s->sync_ns, a->wall_ns);
		snprintf(f->what, sizeof(f->what), "%" PRIu64 " syncs on %s", s->syncs, f->object);
		if (span)
			snprintf(f->evidence, sizeof(f->evidence),
				 "%s in sync calls (%" PRIu64 ".%" PRIu64 "%% of wall time), %"
				 PRIu64 " per second, %" PRIu64 " writes between them",
				 t, pm / 10, pm % 10, rate, s->writes);
		else
			snprintf(f->evidence, sizeof(f->evidence),
				 "%s in sync calls (%" PRIu64 ".%" PRIu64 "%% of wall time)",
				 t, pm / 10, pm % 10);
		snprintf(f->why, sizeof(f->why), "%" PRIu64 " syncs >= %" PRIu64
			 " (--fsync-min) at >= %" PRIu64 " per second", s->syncs, th->fsync_min,
			 th->fsync_per_s);
		snprintf(f->fix, sizeof(f->fix),
			 "group commits: one sync per batch of records (one per %d ms: %" PRIu64
			 " -> %" PRIu64 " syncs)", GROUP_MS, s->syncs, needed);
	}
	return 0;
}
