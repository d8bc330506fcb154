// SPDX-License-Identifier: MIT
/*
 * N+1 round trips: a request/response loop on one socket.
 *
 * The model counts a round trip when a stream read returns data right
 * after a write on the same object (the write is the request, the read
 * waits for the answer).  Fires when an object the process is the client
 * of (s->client: the model's word, from the process's connect, the
 * kernel's socket table, or its first data call seen being a write not
 * on an accepted socket) has round_trips >= th->nplus1_min.  Sockets only (tcp, udp, unix, other
 * families) and unresolved fds; files and pipes are not request/response.
 *
 * Saving: batching all requests into one exchange would leave one round
 * trip: (round_trips - 1) * 2 calls, the reads' part of the wall share
 * blocked waiting and the writes' part of theirs, as the ledger grants
 * them (ledger.c; "up to": the peer still has the work to do).
 *
 * Connections to one peer: the client sockets of a process whose names
 * give the same peer ("L -> PEER", tcp or udp) are one cause (a loop over
 * a connection pool, a client with several connections) and give one
 * finding, "on N connections to tcp PEER", when their round trips add up
 * to th->nplus1_min; each connection's saving as above.  A connection
 * alone, or with a single round trip (nothing to pipeline on it), is the
 * one-object case.
 *
 * Pairs: requests written on one object A and answers read on another B
 * (two pipes to a child process or a worker thread, or two sockets).  The
 * model counts on B a pair round trip when a thread's read returning data
 * on B follows that thread's write on A (pair_trips, pair_req = A).  Fires
 * when B's pair_trips >= th->nplus1_min, B's first read returning data was
 * such a read (pair_first: the process asks; the answering side reads a
 * request first), and A and B are pipes, sockets or unresolved, and
 * neither is a connection accepted here (a server's: it reads requests on
 * B and writes answers on A, one client after the other).  The peer
 * is named when another traced process has the same pipe in its fd
 * table.  Same saving.  A pair finding replaces the one-object finding on
 * A and on B (within one process both see a write, then a read).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	       !s->accepted && !ilp_fdobj_stats(s->pair_req)->accepted &&
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

/* o asks on its own: a client socket with round trips, in no pair */
static int single_member(const struct ilp_thresholds *th, const struct ilp_fdproc *fds,
			 const struct ilp_fdobj *o)
{
	const struct ilp_io_stats *s = ilp_fdobj_stats(o);

	return candidate(ilp_fdobj_type(o)) && s->client && s->round_trips &&
	       !pair_fires(th, o) && !pair_request(th, fds, o);
}

/* the peer in a connection's name ("L -> PEER"), NULL if it gives none */
static const char *peer_key(const struct ilp_fdobj *o)
{
	unsigned t = ilp_fdobj_type(o) & ILP_OBJ_TYPE_MASK;
	const char *arrow;

	if (t != ILP_OBJ_TCP && t != ILP_OBJ_UDP)
		return NULL;
	arrow = strstr(ilp_fdobj_desc(o), " -> ");
	return arrow ? arrow + 4 : NULL;
}

/* o joins its peer's group: a connection with one round trip has nothing
 * to pipeline (many such are connections not reused, another finding) */
static const char *group_key(const struct ilp_fdobj *o)
{
	return ilp_fdobj_stats(o)->round_trips >= 2 ? peer_key(o) : NULL;
}

static int same_peer(const struct ilp_fdobj *x, const char *kx, const struct ilp_fdobj *y)
{
	const char *ky = group_key(y);

	return ky && (ilp_fdobj_type(x) & ILP_OBJ_TYPE_MASK) ==
		     (ilp_fdobj_type(y) & ILP_OBJ_TYPE_MASK) && !strcmp(kx, ky);
}

/* o's round trips and those of the connections to its peer beside it */
static uint64_t group_trips(const struct ilp_thresholds *th, const struct ilp_fdproc *fds,
			    const struct ilp_fdobj *o)
{
	const char *k = group_key(o);
	uint64_t n = 0;
	size_t i;

	if (!k)
		return ilp_fdobj_stats(o)->round_trips;
	for (i = 0; i < ilp_fdproc_nobjs(fds); i++) {
		const struct ilp_fdobj *q = ilp_fdproc_obj(fds, i);

		if (same_peer(o, k, q) && single_member(th, fds, q))
			n += ilp_fdobj_stats(q)->round_trips;
	}
	return n;
}

static int single_fires(const struct ilp_thresholds *th, const struct ilp_fdproc *fds,
			const struct ilp_fdobj *o)
{
	return single_member(th, fds, o) && group_trips(th, fds, o) >= th->nplus1_min;
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

/* one connection's (or one object's) round trips */
static int single_finding(const struct ilp_analysis *a, const struct ilp_proc *p,
			  const struct ilp_fdobj *o, struct ilp_findings *out)
{
	const struct ilp_thresholds *th = a->th;
	const struct ilp_io_stats *s = ilp_fdobj_stats(o);
	struct ilp_finding *f;
	struct ilp_share_text st;

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

/* the n > 1 connections g to one peer, as one finding */
static int group_finding(const struct ilp_analysis *a, const struct ilp_proc *p,
			 const struct ilp_fdobj *const *g, size_t n, struct ilp_findings *out)
{
	const struct ilp_fdobj *top = g[0];
	uint64_t trips = 0, wait = 0, bytes = 0;
	struct ilp_claim cl = { 0 };
	struct ilp_share_text st;
	struct ilp_finding *f;
	int tid = ilp_fdobj_tid(g[0]);
	size_t i;

	for (i = 0; i < n; i++) {
		const struct ilp_io_stats *s = ilp_fdobj_stats(g[i]);

		trips += s->round_trips;
		wait += s->rt_wait_ns;
		bytes += s->swbytes + s->srbytes;
		if (s->round_trips > ilp_fdobj_stats(top)->round_trips)
			top = g[i];
		if (ilp_fdobj_tid(g[i]) != tid)
			tid = 0;
		if (ilp_claim_io(a, &cl, g[i], ILP_IO_SREAD, s->round_trips - 1,
				 ilp_scale(s->rt_share, s->round_trips - 1, s->round_trips)) ||
		    ilp_claim_io(a, &cl, g[i], ILP_IO_SWRITE, s->round_trips - 1,
				 ilp_scale(s->cat_share[ILP_IO_SWRITE], s->round_trips - 1,
					   s->cat_calls[ILP_IO_SWRITE])))
			return -ENOMEM;
	}
	f = ilp_finding_add_obj(out, "nplus1", "N+1", p, top);
	if (!f)
		return -ENOMEM;
	f->tid = tid;
	snprintf(f->object, sizeof(f->object), "%s connections to %s",
		 ilp_obj_type_name(ilp_fdobj_type(top)), peer_key(top));
	f->nr = ilp_fdobj_stats(top)->rt_nr;
	f->count = trips;
	f->bytes = bytes;
	f->time_ns = wait;
	f->threshold = a->th->nplus1_min;
	f->saving_calls = cl.calls;
	f->saving_ns = cl.share_ns;
	ilp_share_text(&st, wait, a->wall_ns);
	snprintf(f->what, sizeof(f->what),
		 "%" PRIu64 " request/response round trips on %zu connections to %s %s",
		 trips, n, ilp_obj_type_name(ilp_fdobj_type(top)), peer_key(top));
	snprintf(f->evidence, sizeof(f->evidence), "%s blocked in %s waiting for the peer (%s)",
		 st.time, ilp_syscall_name(f->nr), st.share);
	snprintf(f->why, sizeof(f->why),
		 "%" PRIu64 " round trips on %zu connections to one peer (a write, then a read"
		 " returning data; %" PRIu64 " on the busiest) >= %" PRIu64 " (--nplus1-min)",
		 trips, n, ilp_fdobj_stats(top)->round_trips, a->th->nplus1_min);
	snprintf(f->fix, sizeof(f->fix),
		 "batch or pipeline the requests (one query for many items) on each connection");
	return 0;
}

/* connections by peer (type, then the name's peer), then as the model lists them */
struct member {
	const struct ilp_fdobj *o;
	const char *peer;
	size_t at;
};

static int by_peer(const void *x, const void *y)
{
	const struct member *a = x, *b = y;
	unsigned ta = ilp_fdobj_type(a->o) & ILP_OBJ_TYPE_MASK;
	unsigned tb = ilp_fdobj_type(b->o) & ILP_OBJ_TYPE_MASK;
	int c = ta != tb ? (ta < tb ? -1 : 1) : strcmp(a->peer, b->peer);

	return c ? c : (a->at < b->at ? -1 : a->at > b->at);
}

/* 0 if x and y are connections to one peer */
static int by_peer_key(const struct member *x, const struct member *y)
{
	unsigned tx = ilp_fdobj_type(x->o) & ILP_OBJ_TYPE_MASK;
	unsigned ty = ilp_fdobj_type(y->o) & ILP_OBJ_TYPE_MASK;

	return tx != ty || strcmp(x->peer, y->peer);
}

int ilp_detect_nplus1(const struct ilp_analysis *a, const struct ilp_proc *p,
		      struct ilp_findings *out)
{
	const struct ilp_thresholds *th = a->th;
	const struct ilp_fdproc *fds = ilp_proc_fds(p);
	size_t n = ilp_fdproc_nobjs(fds), nm = 0, i, j;
	const struct ilp_fdobj **g = NULL;
	struct member *m = NULL;
	int err = 0;

	for (i = 0; i < n && !err; i++) {
		const struct ilp_fdobj *o = ilp_fdproc_obj(fds, i);
		const struct ilp_io_stats *s = ilp_fdobj_stats(o);

		if (pair_fires(th, o)) {
			err = pair_finding(a, p, o, s, out);
		} else if (single_member(th, fds, o)) {
			if (!m && !(m = malloc(n * sizeof(*m))))
				return -ENOMEM;
			m[nm].o = o;
			m[nm].peer = group_key(o);
			m[nm].at = i;
			if (m[nm].peer)
				nm++;
			else if (s->round_trips >= th->nplus1_min)
				err = single_finding(a, p, o, out);
		}
	}
	if (!err && nm)
		qsort(m, nm, sizeof(*m), by_peer);
	for (i = 0; !err && i < nm; i = j) {
		uint64_t trips = 0;

		for (j = i; j < nm && !by_peer_key(&m[i], &m[j]); j++)
			trips += ilp_fdobj_stats(m[j].o)->round_trips;
		if (trips < th->nplus1_min)
			continue;
		if (j - i == 1) {
			err = single_finding(a, p, m[i].o, out);
			continue;
		}
		if (!g && !(g = malloc(nm * sizeof(*g)))) {
			err = -ENOMEM;
			break;
		}
		for (size_t k = i; k < j; k++)
			g[k - i] = m[k].o;
		err = group_finding(a, p, g, j - i, out);
	}
	free(g);
	free(m);
	return err;
}
