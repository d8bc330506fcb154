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
 * GROUP_MS leaves span / GROUP_MS + 1 syncs; the rest go, with their part
 * of the sync calls' wall share (ledger.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "analyze.h"
#include "fdmodel.h"
#include "fmt.h"

#define GROUP_MS 100

/* the rule: 1 with the syncs a grouping leaves (*needed) and the rate */
static int fires(const struct ilp_thresholds *th, const struct ilp_io_stats *s,
		 uint64_t *needed, uint64_t *rate)
{
	uint64_t span;

	if (s->syncs < th->fsync_min || s->syncs < 2)
		return 0;
	span = s->last_sync_ts - s->first_sync_ts;
	*rate = span ? ilp_scale(s->syncs - 1, 1000000000ull, span) : UINT64_MAX;
	if (*rate < th->fsync_per_s)
		return 0;
	*needed = span / (GROUP_MS * 1000000ull) + 1;
	return *needed < s->syncs;
}

int ilp_fsync_fires(const struct ilp_analysis *a, const struct ilp_fdobj *o)
{
	uint64_t needed, rate;

	return fires(a->th, ilp_fdobj_stats(o), &needed, &rate);
}

static int fsync_obj(const struct ilp_analysis *a, const struct ilp_proc *p,
		     const struct ilp_fdobj *o, const struct ilp_io_stats *s,
		     struct ilp_findings *out)
{
	const struct ilp_thresholds *th = a->th;
	uint64_t span = s->last_sync_ts - s->first_sync_ts, rate, needed;
	struct ilp_finding *f;
	struct ilp_share_text st;
	struct ilp_claim cl = { 0 };

	if (!fires(th, s, &needed, &rate))
		return 0;
	f = ilp_finding_add_obj(out, "fsync", "fsync storm", p, o);
	if (!f)
		return -ENOMEM;
	f->count = s->syncs;
	f->bytes = s->wbytes;
	f->time_ns = s->sync_ns;
	f->threshold = th->fsync_min;
	if (ilp_claim_io_part(a, &cl, o, ILP_IO_SYNC, s->syncs - needed, s->syncs))
		return -ENOMEM;
	f->saving_calls = cl.calls;
	f->saving_ns = cl.share_ns;
	ilp_share_text(&st, s->sync_ns, a->wall_ns);
	snprintf(f->what, sizeof(f->what), "%" PRIu64 " syncs on %s", s->syncs, f->object);
	if (span)
		snprintf(f->evidence, sizeof(f->evidence),
			 "%s in sync calls (%s), %" PRIu64 " per second, %" PRIu64
			 " writes between them", st.time, st.share, rate, s->writes);
	else
		snprintf(f->evidence, sizeof(f->evidence), "%s in sync calls (%s)",
			 st.time, st.share);
	ilp_evidence_requests(f, s);
	snprintf(f->why, sizeof(f->why), "%" PRIu64 " syncs >= %" PRIu64
		 " (--fsync-min) at >= %" PRIu64 " per second", s->syncs, th->fsync_min,
		 th->fsync_per_s);
	snprintf(f->fix, sizeof(f->fix),
		 "group commits: one sync per batch of records (one per %d ms: %" PRIu64
		 " -> %" PRIu64 " syncs)", GROUP_MS, s->syncs, needed);
	return 0;
}

int ilp_detect_fsync(const struct ilp_analysis *a, const struct ilp_proc *p,
		     struct ilp_findings *out)
{
	return ilp_analyze_each_obj(a, p, out, fsync_obj);
}
