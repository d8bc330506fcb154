// SPDX-License-Identifier: MIT
/*
 * N+1 round trips: a request/response loop on one socket.
 *
 * The model counts a round trip when a stream read returns data right
 * after a write on the same object (the write is the request, the read
 * waits for the answer).  Fires when an object the process opened as the
 * client (its first data call was a write; not from accept) has
 * round_trips >= th->nplus1_min.  Sockets only (tcp, udp, unix, other
 * families) and unresolved fds; files and pipes are not request/response.
 *
 * Saving: batching all requests into one exchange would leave one round
 * trip: (round_trips - 1) * 2 calls, the reads' part of the wall share
 * blocked waiting and the writes' part of theirs, as the ledger grants
 * them (ledger.c; "up to": the peer still has the work to do).
 *
 * Pairs: requests written on one object A and answers read on another B
 * (two pipes to a child process or a worker thread, or two sockets).  The
 * model counts on B a pair round trip when a thread's read returning data
 * on B follows that thread's write on A (pair_trips, pair_req = A).  Fires
 * when B's pair_trips >= th->nplus1_min, B's first read returning data was
 * such a read (pair_first: the process asks; the answering side reads a
 * request first), and A and B are pipes, sockets or unresolved.  The peer
 * is named when another traced process has the same pipe in its fd
 * table.  Same saving.  A pair finding replaces the one-object finding on
 * A and on B (within one process both see a write, then a read).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "analyze.h"
#include "fdmodel.h"
#include "fmt.h"
#include "syscalls.h"

static int candidate(unsigned type)
{
	type &= ILP_OBJ_TYPE_MASK;
	return type == ILP_OBJ_TCP || type == ILP_OBJ_UDP || type == ILP_OBJ_UNIX ||
	       type == ILP_OBJ_SOCKET || type == ILP_OBJ_UNRESOLVED;
}

static int pair_candidate(unsigned type)
{
	return candidate(type) || (type & ILP_OBJ_TYPE_MASK) == ILP_OBJ_PIPE;
}

/* b is the answer side of a request/response pair */
static int pair_fires(const struct ilp_thresholds *th, const struct ilp_fdobj *b)
{
	const struct ilp_io_stats *s = ilp_fdobj_stats(b);

	return s->pair_trips >= th->nplus1_min && s->pair_first && s->pair_req &&
	       pair_candidate(ilp_fdobj_type(b)) && pair_candidate(ilp_fdobj_type(s->pair_req));
}

/* o is the request side of a firing pair */
static int pair_request(const struct ilp_thresholds *th, const struct ilp_fdproc *fds,
			const struct ilp_fdobj *o)
{
	size_t i;

	for (i = 0; i < ilp_fdproc_nobjs(fds); i++) {
		const struct ilp_fdobj *b = ilp_fdproc_obj(fds, i);

		if (ilp_fdobj_stats(b)->pair_req == o && pair_fires(th, b))
			return 1;
	}
	return 0;
}

static int single_fires(const struct ilp_thresholds *th, const struct ilp_fdproc *fds,
			const struct ilp_fdobj *o)
{
	const struct ilp_io_stats *s = ilp_fdobj_stats(o);

	return candidate(ilp_fdobj_type(o)) && s->client && s->round_trips >= th->nplus1_min &&
	       !pair_fires(th, o) && !pair_request(th, fds, o);
}

int ilp_nplus1_obj_fires(const struct ilp_analysis *a, const struct ilp_fdobj *o)
{
	const struct ilp_model *m = a->m;
	size_t i, j;

	if (pair_fires(a->th, o))
		return 1;
	for (i = 0; i < ilp_model_nprocs(m); i++) {
		const struct ilp_fdproc *fds = ilp_proc_fds(ilp_model_proc(m, i));

		for (j = 0; j < ilp_fdproc_nobjs(fds); j++)
			if (ilp_fdproc_obj(fds, j) == o)
				return single_fires(a->th, fds, o);
	}
	return 0;
}

/* " (peer: pid 812 (worker))", " (peer: another thread of this process)", or "" */
static void peer_of(const struct ilp_analysis *a, const struct ilp_proc *p,
		    const struct ilp_fdobj *req, const struct ilp_fdobj *b, char *buf, size_t size)
{
	const struct ilp_model *m = a->m;
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < ilp_model_nprocs(m); i++) {
		const struct ilp_proc *q = ilp_model_proc(m, i);
		const struct ilp_fdproc *fds = ilp_proc_fds(q);
		const struct ilp_fdobj *o;

		if (q == p)
			continue;
		o = ilp_fdproc_find(fds, ilp_fdobj_type(b) & ILP_OBJ_TYPE_MASK, ilp_fdobj_desc(b));
		if (!o || !ilp_fdobj_stats(o)->ops)
			o = ilp_fdproc_find(fds, ilp_fdobj_type(req) & ILP_OBJ_TYPE_MASK,
					    ilp_fdobj_desc(req));
		if (o && ilp_fdobj_stats(o)->ops &&
		    (ilp_fdobj_type(o) & ILP_OBJ_TYPE_MASK) == ILP_OBJ_PIPE) {
			snprintf(buf, size, " (peer: pid %d (%s))", ilp_proc_pid(q), ilp_proc_comm(q));
			return;
		}
	}
	if (!ilp_fdobj_tid(b) || !ilp_fdobj_tid(req))
		snprintf(buf, size, " (peer: another thread of this process)");
}

/* (n - 1) reads closing round trips on b (their wall share: share) and
 * (n - 1) request writes on req */
static int claim_trips(const struct ilp_analysis *a, struct ilp_finding *f,
		       const struct ilp_fdobj *b, const struct ilp_fdobj *req, uint64_t n,
		       uint64_t share)
{
	const struct ilp_io_stats *rs = ilp_fdobj_stats(req);
	struct ilp_claim cl = { 0 };
	int err;

	err = ilp_claim_io(a, &cl, b, ILP_IO_SREAD, n - 1, ilp_scale(share, n - 1, n));
	if (!err)
		err = ilp_claim_io(a, &cl, req, ILP_IO_SWRITE, n - 1,
				   ilp_scale(rs->cat_share[ILP_IO_SWRITE], n - 1,
					     rs->cat_calls[ILP_IO_SWRITE]));
	f->saving_calls = cl.calls;
	f->saving_ns = cl.share_ns;
	return err;
}

static int pair_finding(const struct ilp_analysis *a, const struct ilp_proc *p,
			const struct ilp_fdobj *b, const struct ilp_io_stats *s,
			struct ilp_findings *out)
{
	const struct ilp_io_stats *rs = ilp_fdobj_stats(s->pair_req);
	char reqn[ILP_FINDING_OBJ], bn[ILP_FINDING_OBJ], peer[80];
	struct ilp_finding *f;
	struct ilp_share_text st;

	f = ilp_finding_add_obj(out, "nplus1", "N+1", p, b);
	if (!f)
		return -ENOMEM;
	ilp_fdobj_format(s->pair_req, reqn, sizeof(reqn));
	snprintf(bn, sizeof(bn), "%s", f->object);
	peer_of(a, p, s->pair_req, b, peer, sizeof(peer));
	f->nr = s->pair_nr;
	if (snprintf(f->object, sizeof(f->object), "%s (requests on %s%s)", bn, reqn,
		     s->pair_multi ? " and others" : "") < 0)
		return -EINVAL;
	f->count = s->pair_trips;
	f->bytes = rs->swbytes + s->srbytes;
	f->time_ns = s->pair_wait_ns;
	f->threshold = a->th->nplus1_min;
	if (claim_trips(a, f, b, s->pair_req, s->pair_trips, s->pair_share))
		return -ENOMEM;
	ilp_share_text(&st, s->pair_wait_ns, a->wall_ns);
	if (snprintf(f->what, sizeof(f->what),
		     "%" PRIu64 " request/response round trips: requests written on %s%s,"
		     " answers read on %s%s", s->pair_trips, reqn,
		     s->pair_multi ? " (and others)" : "", bn, peer) < 0)
		return -EINVAL;
	snprintf(f->evidence, sizeof(f->evidence), "%s blocked in %s waiting for the answers (%s)",
		 st.time, ilp_syscall_name(s->pair_nr), st.share);
	snprintf(f->why, sizeof(f->why),
		 "%" PRIu64 " round trips (a write on one object, then a read returning data on the"
		 " other) >= %" PRIu64 " (--nplus1-min)", s->pair_trips, a->th->nplus1_min);
	snprintf(f->fix, sizeof(f->fix),
		 "batch or pipeline the requests: write many, then read the answers (or one"
		 " request for many items)");
	return 0;
}

static int nplus1_obj(const struct ilp_analysis *a, const struct ilp_proc *p,
		      const struct ilp_fdobj *o, const struct ilp_io_stats *s,
		      struct ilp_findings *out)
{
	const struct ilp_thresholds *th = a->th;
	struct ilp_finding *f;
	struct ilp_share_text st;

	if (pair_fires(th, o))
		return pair_finding(a, p, o, s, out);
	if (!single_fires(th, ilp_proc_fds(p), o))
		return 0;
	f = ilp_finding_add_obj(out, "nplus1", "N+1", p, o);
	if (!f)
		return -ENOMEM;
	f->nr = s->rt_nr;
	f->count = s->round_trips;
	f->bytes = s->swbytes + s->srbytes;
	f->time_ns = s->rt_wait_ns;
	f->threshold = th->nplus1_min;
	if (claim_trips(a, f, o, o, s->round_trips, s->rt_share))
		return -ENOMEM;
	ilp_share_text(&st, s->rt_wait_ns, a->wall_ns);
	snprintf(f->what, sizeof(f->what), "%" PRIu64 " request/response round trips on %s",
		 s->round_trips, f->object);
	snprintf(f->evidence, sizeof(f->evidence), "%s blocked in %s waiting for the peer (%s)",
		 st.time, ilp_syscall_name(s->rt_nr), st.share);
	snprintf(f->why, sizeof(f->why),
		 "%" PRIu64 " round trips (a write, then a read returning data) >= %" PRIu64
		 " (--nplus1-min)", s->round_trips, th->nplus1_min);
	snprintf(f->fix, sizeof(f->fix),
		 "batch or pipeline the requests (one query for many items)");
	return 0;
}

int ilp_detect_nplus1(const struct ilp_analysis *a, const struct ilp_proc *p,
		      struct ilp_findings *out)
{
	return ilp_analyze_each_obj(a, p, out, nplus1_obj);
}
