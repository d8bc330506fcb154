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
 * Saving: (calls - needed) calls, and their share of the calls' wall
 * share (the ledger's; ledger.c).  The finding's nr is the syscall making most of the calls
 * (read, readv, recvfrom...: a majority vote kept by the model).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "analyze.h"
#include "fdmodel.h"
#include "fmt.h"

/* the rule for one direction: 1 with the median size and the calls left */
static int fires(const struct ilp_thresholds *th, const struct ilp_io_stats *s, int is_read,
		 uint64_t *med, uint64_t *needed)
{
	uint64_t n = is_read ? s->sreads : s->swrites;
	uint64_t bytes = is_read ? s->srbytes : s->swbytes;
	const struct ilp_hist *h = is_read ? s->rsize : s->wsize;
	uint64_t per_open;

	if (s->round_trips && s->round_trips * 2 >= s->swrites)
		return 0;	/* request/response: the N+1 detector's */
	if (n < th->min_ops || !h || !ilp_hist_count(h))
		return 0;
	*med = ilp_hist_percentile(h, 50.0);
	if (*med >= th->small_bytes)
		return 0;
	*needed = (bytes + th->buffer_bytes - 1) / th->buffer_bytes;
	per_open = s->opens * (is_read ? 2 : 1);
	if (*needed < per_open)
		*needed = per_open;
	if (!*needed)
		*needed = 1;
	return *needed < n;
}

int ilp_unbuffered_fires(const struct ilp_analysis *a, const struct ilp_fdobj *o)
{
	uint64_t med, needed;

	return fires(a->th, ilp_fdobj_stats(o), 0, &med, &needed) ||
	       fires(a->th, ilp_fdobj_stats(o), 1, &med, &needed);
}

static int one_dir(const struct ilp_analysis *a, const struct ilp_proc *p,
		   const struct ilp_fdobj *o, int is_read, struct ilp_findings *out)
{
	const struct ilp_thresholds *th = a->th;
	const struct ilp_io_stats *s = ilp_fdobj_stats(o);
	uint64_t n = is_read ? s->sreads : s->swrites;
	uint64_t bytes = is_read ? s->srbytes : s->swbytes;
	uint64_t ns = is_read ? s->sread_ns : s->swrite_ns;
	int nr = is_read ? s->sread_nr : s->swrite_nr;
	const char *dir = is_read ? "read" : "write";
	uint64_t med, needed;
	struct ilp_finding *f;
	struct ilp_share_text st;
	struct ilp_claim cl = { 0 };

	if (!fires(th, s, is_read, &med, &needed))
		return 0;
	f = ilp_finding_add_obj(out, "unbuffered", "unbuffered", p, o);
	if (!f)
		return -ENOMEM;
	f->nr = nr;
	f->count = n;
	f->bytes = bytes;
	f->size = med;
	f->time_ns = ns;
	f->threshold = th->min_ops;
	if (ilp_claim_io_part(a, &cl, o, is_read ? ILP_IO_SREAD : ILP_IO_SWRITE, n - needed, n))
		return -ENOMEM;
	f->saving_calls = cl.calls;
	f->saving_ns = cl.share_ns;
	ilp_share_text(&st, ns, a->wall_ns);
	snprintf(f->what, sizeof(f->what), "%" PRIu64 " %ss of %" PRIu64 " B (median) on %s",
		 n, dir, med, f->object);
	snprintf(f->evidence, sizeof(f->evidence),
		 "%" PRIu64 " B in %s inside %s calls (%s)", bytes, st.time, dir, st.share);
	ilp_evidence_requests(f, s);
	snprintf(f->why, sizeof(f->why),
		 "%" PRIu64 " %ss >= %" PRIu64 " (--min-ops) and median size %" PRIu64
		 " B < %" PRIu64 " B (--small-bytes)", n, dir, th->min_ops, med, th->small_bytes);
	snprintf(f->fix, sizeof(f->fix),
		 "buffer the %ss (a %" PRIu64 " KiB buffer: %" PRIu64 " -> %" PRIu64 " %s calls)",
		 dir, th->buffer_bytes / 1024, n, needed, dir);
	return 0;
}

static int unbuffered_obj(const struct ilp_analysis *a, const struct ilp_proc *p,
			  const struct ilp_fdobj *o, const struct ilp_io_stats *s,
			  struct ilp_findings *out)
{
	int err;

	(void)s;
	err = one_dir(a, p, o, 0, out);
	return err ? err : one_dir(a, p, o, 1, out);
}

int ilp_detect_unbuffered(const struct ilp_analysis *a, const struct ilp_proc *p,
			  struct ilp_findings *out)
{
	return ilp_analyze_each_obj(a, p, out, unbuffered_obj);
}
