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
 * trip: (round_trips - 1) * 2 calls and that share of the time blocked
 * in the reads ("up to": the peer still has the work to do).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "analyze.h"
#include "fdmodel.h"
#include "report_util.h"
#include "syscalls.h"

static int candidate(unsigned type)
{
	type &= ILP_OBJ_TYPE_MASK;
	return type == ILP_OBJ_TCP || type == ILP_OBJ_UDP || type == ILP_OBJ_UNIX ||
	       type == ILP_OBJ_SOCKET || type == ILP_OBJ_UNRESOLVED;
}

int ilp_detect_nplus1(const struct ilp_analysis *a, const struct ilp_proc *p,
		      struct ilp_findings *out)
{
	const struct ilp_fdproc *fds = ilp_proc_fds(p);
	const struct ilp_thresholds *th = a->th;
	size_t i;

	for (i = 0; i < ilp_fdproc_nobjs(fds); i++) {
		const struct ilp_fdobj *o = ilp_fdproc_obj(fds, i);
		const struct ilp_io_stats *s = ilp_fdobj_stats(o);
		struct ilp_finding *f;
		char t[ILP_FMT_TIME_LEN];
		uint64_t pm;

		if (!candidate(ilp_fdobj_type(o)) || !s->client || s->round_trips < th->nplus1_min)
			continue;
		f = ilp_finding_add(out, "nplus1", "N+1", p);
		if (!f)
			return -ENOMEM;
		f->tid = ilp_fdobj_tid(o);
		f->obj_type = ilp_fdobj_type(o);
		f->nr = s->rt_nr;
		ilp_fdobj_format(o, f->object, sizeof(f->object));
		f->count = s->round_trips;
		f->bytes = s->swbytes + s->srbytes;
		f->time_ns = s->rt_wait_ns;
		f->threshold = th->nplus1_min;
		f->saving_calls = (s->round_trips - 1) * 2;
		f->saving_ns = ilp_scale(s->rt_wait_ns, s->round_trips - 1, s->round_trips);
		ilp_fmt_time(t, sizeof(t), s->rt_wait_ns);
		pm = ilp_share_pm(s->rt_wait_ns, a->wall_ns);
		snprintf(f->what, sizeof(f->what), "%" PRIu64 " request/response round trips on %s",
			 s->round_trips, f->object);
		snprintf(f->evidence, sizeof(f->evidence),
			 "%s blocked in %s waiting for the peer (%" PRIu64 ".%" PRIu64 "%% of wall time)",
			 t, ilp_syscall_name(s->rt_nr), pm / 10, pm % 10);
		snprintf(f->why, sizeof(f->why),
			 "%" PRIu64 " round trips (a write, then a read returning data) >= %" PRIu64
			 " (--nplus1-min)", s->round_trips, th->nplus1_min);
		snprintf(f->fix, sizeof(f->fix),
			 "batch or pipeline the requests (one query for many items)");
	}
	return 0;
}
