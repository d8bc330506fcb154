// SPDX-License-Identifier: MIT
/*
 * Unbuffered I/O: many small stream reads or writes on one object.
 *
 * Fires, per object and direction, when the stream (not positioned) calls
 * number >= th->min_ops and their median size (from the size histogram:
 * exact below 64 B, within 2 % above) is < th->small_bytes, and a buffer
 * of th->buffer_bytes would remove calls.  A buffered program still needs
 * ceil(bytes / buffer) calls, and at least one write per open, or two reads
 * per open (data, then end of file): reopening is the repeat detector's
 * business.  Silent on objects whose writes are mostly answered (round
 * trips >= half the writes, either side of the conversation): that is a
 * request/response loop, the N+1 detector's business; buffering cannot
 * merge a request with its answer.
 *
 * Saving: (calls - needed) calls, and the measured time of the calls in
 * proportion.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "analyze.h"
#include "fdmodel.h"
#include "report_util.h"

static int one_dir(const struct ilp_analysis *a, const struct ilp_proc *p,
		   const struct ilp_fdobj *o, int is_read, struct ilp_findings *out)
{
	const struct ilp_thresholds *th = a->th;
	const struct ilp_io_stats *s = ilp_fdobj_stats(o);
	uint64_t n = is_read ? s->sreads : s->swrites;
	uint64_t bytes = is_read ? s->srbytes : s->swbytes;
	uint64_t ns = is_read ? s->sread_ns : s->swrite_ns;
	const struct ilp_hist *h = is_read ? s->rsize : s->wsize;
	const char *dir = is_read ? "read" : "write";
	uint64_t med, needed, per_open;
	struct ilp_finding *f;
	char t[ILP_FMT_TIME_LEN];

	if (n < th->min_ops || !h || !ilp_hist_count(h))
		return 0;
	med = ilp_hist_percentile(h, 50.0);
	if (med >= th->small_bytes)
		return 0;
	needed = (bytes + th->buffer_bytes - 1) / th->buffer_bytes;
	per_open = s->opens * (is_read ? 2 : 1);
	if (needed < per_open)
		needed = per_open;
	if (!needed)
		needed = 1;
	if (needed >= n)
		return 0;
	f = ilp_finding_add(out, "unbuffered", "unbuffered", p);
	if (!f)
		return -ENOMEM;
	f->tid = ilp_fdobj_tid(o);
	f->obj_type = ilp_fdobj_type(o);
	ilp_fdobj_format(o, f->object, sizeof(f->object));
	f->count = n;
	f->bytes = bytes;
	f->size = med;
	f->time_ns = ns;
	f->threshold = th->min_ops;
	f->saving_calls = n - needed;
	f->saving_ns = ilp_scale(ns, n - needed, n);
	ilp_fmt_time(t, sizeof(t), ns);
	snprintf(f->what, sizeof(f->what), "%" PRIu64 " %ss of %" PRIu64 " B (median) on %s",
		 n, dir, med, f->object);
	snprintf(f->evidence, sizeof(f->evidence),
		 "%" PRIu64 " B in %s inside %s calls (%" PRIu64 ".%" PRIu64 "%% of wall time)",
		 bytes, t, dir, ilp_share_pm(ns, a->wall_ns) / 10, ilp_share_pm(ns, a->wall_ns) % 10);
	snprintf(f->why, sizeof(f->why),
		 "%" PRIu64 " %ss >= %" PRIu64 " (--min-ops) and median size %" PRIu64
		 " B < %" PRIu64 " B (--small-bytes)", n, dir, th->min_ops, med, th->small_bytes);
	snprintf(f->fix, sizeof(f->fix),
		 "buffer the %ss (a %" PRIu64 " KiB buffer: %" PRIu64 " -> %" PRIu64 " %s calls)",
		 dir, th->buffer_bytes / 1024, n, needed, dir);
	return 0;
}

int ilp_detect_unbuffered(const struct ilp_analysis *a, const struct ilp_proc *p,
			  struct ilp_findings *out)
{
	const struct ilp_fdproc *fds = ilp_proc_fds(p);
	size_t i;
	int err;

	for (i = 0; i < ilp_fdproc_nobjs(fds); i++) {
		const struct ilp_fdobj *o = ilp_fdproc_obj(fds, i);
		const struct ilp_io_stats *s = ilp_fdobj_stats(o);

		if (s->round_trips && s->round_trips * 2 >= s->swrites)
			continue;	/* request/response: the N+1 detector's */
		err = one_dir(a, p, o, 0, out);
		if (!err)
			err = one_dir(a, p, o, 1, out);
		if (err)
			return err;
	}
	return 0;
}
