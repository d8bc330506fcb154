// SPDX-License-Identifier: MIT
/*
 * --stacks under ftrace: user_stack records into the call-site table.
 * See include/ustack_feed.h.
 *
 * Per thread: the syscall entry seen last (nr, time) and the id of its
 * stack once a user_stack of the thread came (the first one after the
 * entry, in time order: the source drops the stacks of other events);
 * its exit adds the call's time.  The
 * skipped frame (fpgap.c) costs DWARF walks: it is looked for once per
 * (frame 0, first return address), and cached.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "idmap.h"
#include "source.h"
#include "stacks.h"
#include "symbolize.h"
#include "ustack_feed.h"

#define SNAP_RETRY_NS 50000000ull	/* a process's maps read again at most this often */

struct tstate {
	int32_t nr;		/* the entry's; -1: not in a call */
	int id;			/* its stack, -1: none (yet) */
	uint64_t enter_ts;
};

/* a skipped frame, found or not, for (pid, pc0, ret1) */
struct gap {
	int pid;
	uint64_t pc0, ret1;
	int r;			/* ilp_symbolize_fp_gap's */
	uint64_t pc;
};

struct ilp_ustack_feed {
	struct ilp_symbolizer *sym;
	int (*fn)(const struct ilp_event *, void *);
	void *ctx;
	struct ilp_stacks *stacks;
	struct ilp_idmap threads;	/* tid -> struct tstate */
	struct ilp_idmap gaps;		/* hash(pc0, ret1) -> struct gap */
	int snap_pid;			/* the last maps read again, and when */
	uint64_t snap_ts;
	uint64_t with, without;		/* completed calls */
};

int ilp_ustack_feed_new(struct ilp_symbolizer *sym, int (*fn)(const struct ilp_event *, void *),
			void *ctx, struct ilp_ustack_feed **out)
{
	struct ilp_ustack_feed *u = calloc(1, sizeof(*u));

	*out = NULL;
	if (!u)
		return -ENOMEM;
	u->stacks = ilp_stacks_new();
	if (!u->stacks) {
		free(u);
		return -ENOMEM;
	}
	ilp_stacks_set_fp_walks(u->stacks);
	u->sym = sym;
	u->fn = fn;
	u->ctx = ctx;
	*out = u;
	return 0;
}

static void free_vals(struct ilp_idmap *mp)
{
	for (size_t i = 0; i < mp->cap; i++)
		free(mp->vals[i]);
	ilp_idmap_release(mp);
}

void ilp_ustack_feed_free(struct ilp_ustack_feed *u)
{
	if (!u)
		return;
	free_vals(&u->threads);
	free_vals(&u->gaps);
	ilp_stacks_free(u->stacks);
	free(u);
}

struct ilp_stacks *ilp_ustack_feed_stacks(struct ilp_ustack_feed *u)
{
	return u->stacks;
}

void ilp_ustack_feed_counts(const struct ilp_ustack_feed *u, uint64_t *with, uint64_t *without)
{
	*with = u->with;
	*without = u->without;
}

static struct tstate *thread(struct ilp_ustack_feed *u, int tid)
{
	struct tstate *t = ilp_idmap_get(&u->threads, (uint64_t)(uint32_t)tid);

	if (t)
		return t;
	t = malloc(sizeof(*t));
	if (!t)
		return NULL;
	t->nr = -1;
	t->id = -1;
	if (ilp_idmap_put(&u->threads, (uint64_t)(uint32_t)tid, t)) {
		free(t);
		return NULL;
	}
	return t;
}

/* the maps of pid, read now if none were or if pc is in none of them
 * (libraries mapped after the snapshot at exec) */
static void maps_for(struct ilp_ustack_feed *u, int pid, uint64_t pc, uint64_t now)
{
	struct ilp_pcname pn;

	if (ilp_symbolizer_has(u->sym, pid) && !ilp_symbolize_pc(u->sym, pid, pc, &pn))
		return;
	if (pid == u->snap_pid && now - u->snap_ts < SNAP_RETRY_NS)
		return;
	u->snap_pid = pid;
	u->snap_ts = now;
	ilp_symbolizer_snapshot(u->sym, pid);
}

/* the frame the walk skipped between pc0 and ret1: ilp_symbolize_fp_gap's, cached */
static int skipped(struct ilp_ustack_feed *u, int pid, uint64_t pc0, uint64_t ret1, uint64_t *pc,
		   uint64_t now)
{
	uint64_t key = (pc0 * 0x9e3779b97f4a7c15ull) ^ ret1;
	struct gap *g = ilp_idmap_get(&u->gaps, key);

	if (!g || g->pc0 != pc0 || g->ret1 != ret1 || g->pid != pid) {
		if (!g) {
			g = malloc(sizeof(*g));
			if (!g || ilp_idmap_put(&u->gaps, key, g)) {
				free(g);
				return -ENOMEM;
			}
		}
		g->pid = pid;
		g->pc0 = pc0;
		g->ret1 = ret1;
		g->pc = 0;
		maps_for(u, pid, pc0, now);
		g->r = ilp_symbolize_fp_gap(u->sym, pid, pc0, ret1, &g->pc);
	}
	*pc = g->pc;
	return g->r;
}

/*
 * Names the frames of a new stack; the skipped frame (gap: 1 or 2) is
 * i == 1.  Without frame 0 (the process exited before its libraries'
 * maps were read), whether a frame was skipped is unknown: none is named,
 * the site stays an address rather than the caller's caller.
 */
static void name_frames(struct ilp_ustack_feed *u, int pid, int id, const uint64_t *pcs,
			size_t n, int gap)
{
	struct ilp_pcname pn;
	size_t i;

	if (ilp_symbolize_pc(u->sym, pid, pcs[0], &pn))
		return;
	for (i = 0; i < n; i++) {
		if (ilp_symbolize_pc(u->sym, pid, pcs[i], &pn))
			continue;
		if (i == 1 && gap == 2) {	/* the function, not where in it */
			pn.file = NULL;
			pn.line = 0;
		}
		ilp_stacks_name_frame(u->stacks, id, i, pn.func[0] ? pn.func : NULL, pn.file,
				      pn.line, pn.module);
	}
}

static void on_ustack(struct ilp_ustack_feed *u, const struct ilp_event *ev)
{
	struct tstate *t = ilp_idmap_get(&u->threads, (uint64_t)(uint32_t)ev->tid);
	uint64_t pcs[ILP_USTACK_PCS + 1], gpc = 0;
	size_t n = 0, i;
	int gap = -ENOENT, id, is_new;

	/* the first stack of a thread inside a call is the call's: its
	 * user stack does not change until the call returns */
	if (!t || t->nr < 0 || t->id >= 0 || !ev->ustack.pc)
		return;
	/* frame 0 is the ip itself; callers' pcs are return addresses - 1 */
	for (i = 0; i < ILP_USTACK_PCS && ev->ustack.pc[i]; i++)
		pcs[n++] = i ? ev->ustack.pc[i] - 1 : ev->ustack.pc[i];
	if (!n)
		return;
	if (n >= 2) {
		gap = skipped(u, ev->pid, pcs[0], ev->ustack.pc[1], &gpc, ilp_now_ns());
		if (gap > 0) {
			memmove(pcs + 2, pcs + 1, (n - 1) * sizeof(*pcs));
			pcs[1] = gpc;
			n++;
		}
	}
	id = ilp_stacks_intern(u->stacks, ev->pid, t->nr, pcs, n, &is_new);
	if (id < 0)
		return;
	if (is_new) {
		maps_for(u, ev->pid, pcs[0], ilp_now_ns());
		name_frames(u, ev->pid, id, pcs, n, gap);
	}
	t->id = id;
}

int ilp_ustack_feed(const struct ilp_event *ev, void *ctx)
{
	struct ilp_ustack_feed *u = ctx;
	struct tstate *t;

	switch (ev->kind) {
	case ILP_EV_USTACK:
		on_ustack(u, ev);
		return 0;
	case ILP_EV_SYS_ENTER:
		t = thread(u, ev->tid);
		if (t) {
			t->nr = ev->nr;
			t->id = -1;
			t->enter_ts = ev->ts;
		}
		break;
	case ILP_EV_SYS_EXIT:
		t = ilp_idmap_get(&u->threads, (uint64_t)(uint32_t)ev->tid);
		if (t && t->id >= 0 && t->nr == ev->nr) {
			ilp_stacks_add(u->stacks, t->id,
				       ev->ts > t->enter_ts ? ev->ts - t->enter_ts : 0);
			u->with++;
		} else if (t && t->nr == ev->nr) {
			u->without++;
		}
		if (t)
			t->nr = t->id = -1;
		break;
	case ILP_EV_TASK_EXIT:
		free(ilp_idmap_del(&u->threads, (uint64_t)(uint32_t)ev->tid));
		break;
	default:
		break;
	}
	return u->fn(ev, u->ctx);
}
