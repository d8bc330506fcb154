// SPDX-License-Identifier: MIT
/*
 * The peer behind a wait: who a thread reading a pipe or socket waits for.
 * From the model alone when the peer is traced (the same pipe:[inode] in
 * another process's fd table, the other socket of a socketpair, the
 * mirror "B -> A" of a TCP connection "A -> B"), else what /proc told
 * while the processes lived (source/peer.c, ilp_fdobj_peer).
 *
 *   pipe: a process holding its write end; one that wrote on it first,
 *         then one that held it; else a thread of this process that
 *         wrote on it;
 *   socket pair: a process (or another thread) using the other socket;
 *   tcp: the process (or thread) owning the other side, on this host.
 */
#include <stdio.h>
#include <string.h>

#include "analyze.h"
#include "fdmodel.h"

struct cand {
	const struct ilp_proc *q;	/* the process, NULL: none */
	int tid;			/* or a thread of the waiter's process */
	int others;			/* more processes that would do */
};

/* a process other than p holding a pipe's write end: writers first */
static void pipe_holder(const struct ilp_model *m, const struct ilp_proc *p,
			const struct ilp_fdobj *o, struct cand *c)
{
	int best = 0;
	size_t i;

	for (i = 0; i < ilp_model_nprocs(m); i++) {
		const struct ilp_proc *q = ilp_model_proc(m, i);
		const struct ilp_fdobj *x;
		int score;

		if (q == p)
			continue;
		x = ilp_fdproc_find(ilp_proc_fds(q), ILP_OBJ_PIPE, ilp_fdobj_desc(o));
		if (!x || !(ilp_fdobj_ends(x) & ILP_END_WRITE))
			continue;
		score = ilp_fdobj_stats(x)->wbytes ? 2 : 1;
		if (score > best) {
			if (c->q)
				c->others++;
			c->q = q;
			best = score;
		} else {
			c->others++;
		}
	}
}

/* a process (or a thread of p other than tid) using the object type/desc */
static void user_of(const struct ilp_model *m, const struct ilp_proc *p, int tid, unsigned type,
		    const char *desc, struct cand *c)
{
	size_t i;

	for (i = 0; i < ilp_model_nprocs(m); i++) {
		const struct ilp_proc *q = ilp_model_proc(m, i);
		const struct ilp_fdobj *x = ilp_fdproc_find(ilp_proc_fds(q), type, desc);

		if (!x || !ilp_fdobj_stats(x)->ops)
			continue;
		if (q == p) {
			if (!c->q && !c->tid && ilp_fdobj_tid(x) && ilp_fdobj_tid(x) != tid)
				c->tid = ilp_fdobj_tid(x);
			continue;
		}
		if (c->q)
			c->others++;
		else
			c->q = q;
	}
}

/* "B -> A" for "A -> B"; 0 if desc is not a connection */
static int mirror(const char *desc, char *buf, size_t size)
{
	const char *arrow = strstr(desc, " -> ");

	if (!arrow || desc[0] == '?' || snprintf(buf, size, "%s -> %.*s", arrow + 4,
						 (int)(arrow - desc), desc) >= (int)size)
		return 0;
	return 1;
}

static const char *thread_comm(const struct ilp_model *m, int tid)
{
	const struct ilp_thread *t = ilp_model_find_thread(m, tid);

	return t && ilp_thread_comm(t)[0] ? ilp_thread_comm(t) : "?";
}

int ilp_peer_describe(const struct ilp_analysis *a, const struct ilp_proc *p,
		      const struct ilp_fdobj *o, int tid, char *buf, size_t size)
{
	unsigned type = ilp_fdobj_type(o) & ILP_OBJ_TYPE_MASK;
	const struct ilp_peer *sys = ilp_fdobj_peer(o);
	const struct ilp_fdobj *pair = ilp_fdobj_pair(o);
	struct cand c = { NULL, 0, 0 };
	const char *what = "the other end";
	char other[ILP_FINDING_OBJ];
	int n;

	buf[0] = '\0';
	if (type == ILP_OBJ_PIPE) {
		what = "which holds the write end";
		pipe_holder(a->m, p, o, &c);
		if (!c.q && ilp_fdobj_writer_tid(o) && ilp_fdobj_writer_tid(o) != tid)
			c.tid = ilp_fdobj_writer_tid(o);
	} else if (pair) {
		what = "at the other end of the socket pair";
		user_of(a->m, p, tid, ilp_fdobj_type(pair) & ILP_OBJ_TYPE_MASK, ilp_fdobj_desc(pair),
			&c);
	} else if (type == ILP_OBJ_TCP && mirror(ilp_fdobj_desc(o), other, sizeof(other))) {
		what = "at the other end of the connection";
		user_of(a->m, p, tid, ILP_OBJ_TCP, other, &c);
	}
	if (c.q)
		n = snprintf(buf, size, "waiting for pid %d (%s), %s", ilp_proc_pid(c.q),
			     ilp_proc_comm(c.q)[0] ? ilp_proc_comm(c.q) : "?", what);
	else if (c.tid)
		n = snprintf(buf, size, "waiting for thread %d (%s) of this process, %s", c.tid,
			     thread_comm(a->m, c.tid), what);
	else if (sys)
		n = snprintf(buf, size, "waiting for pid %d (%s), %s (not traced)", sys->pid,
			     sys->comm[0] ? sys->comm : "?", what);
	else
		return 0;
	if (n > 0 && (size_t)n < size && (c.others || (!c.q && !c.tid && sys && sys->others)))
		snprintf(buf + n, size - (size_t)n, " (and %d more process%s)",
			 c.q ? c.others : sys->others, (c.q ? c.others : sys->others) == 1 ? "" : "es");
	return 1;
}
