// SPDX-License-Identifier: MIT
/*
 * A process's wait time as stacks of frames (include/fold.h), shared by
 * the folded format and the HTML flame graph.
 */

#include <inttypes.h>
#include <stdio.h>

#include "fold.h"
#include "model.h"
#include "report_wait.h"
#include "stacks.h"
#include "syscalls.h"
#include "waitmodel.h"

struct folder {
	const struct ilp_model *m;
	const struct ilp_proc *p;
	ilp_fold_fn fn;
	void *ctx;
	struct ilp_frame f[ILP_FOLD_DEPTH];
	const struct ilp_stack_frame *sitef[ILP_FOLD_DEPTH];
	char proc[64], thread[64], obj[ILP_FRAME_NAME], lock[256];
	char site[ILP_STACK_MAX][ILP_FRAME_NAME];
};

/* hands the stack of frames 0..n-1 to the callback */
static int emit(struct folder *fo, size_t n, uint64_t ns, uint64_t calls, int tid, int nr,
		const char *lock, int sites)
{
	struct ilp_fold_stack s = {
		.frames = fo->f, .n = n, .ns = ns, .calls = calls, .pid = ilp_proc_pid(fo->p),
		.tid = tid, .nr = nr, .lock = lock, .sites = sites ? fo->sitef : NULL,
	};

	return fo->fn(fo->ctx, &s);
}

static const char *or_unknown(const char *s)
{
	return s && *s ? s : "?";
}

/* the syscalls of thread t: process, [thread,] syscall[, object]; the
 * syscall frame is frame n (1, or 2 with the thread frame) */
static int fold_thread(struct folder *fo, const struct ilp_thread *t, size_t n)
{
	const struct ilp_wproc *wp = ilp_proc_wait(fo->p);
	int err;

	if (n > 1) {
		snprintf(fo->thread, sizeof(fo->thread), "%s-%d", or_unknown(ilp_thread_comm(t)),
			 ilp_thread_tid(t));
		fo->f[1] = (struct ilp_frame){ ILP_FRAME_THREAD, fo->thread };
	}
	for (size_t i = 0; i < ilp_thread_nsyscalls(t); i++) {
		const struct ilp_sc_stats *sc = ilp_thread_syscall(t, i);
		uint64_t ns = sc->total_ns + sc->unfinished_ns;
		uint64_t calls = sc->calls + sc->unfinished;
		int tid = ilp_thread_tid(t);

		fo->f[n] = (struct ilp_frame){ ILP_FRAME_SYSCALL, ilp_syscall_name(sc->nr) };
		for (size_t k = 0; k < ilp_wproc_nblocking(wp) && ns; k++) {
			const struct ilp_blocking *b = ilp_wproc_blocking(wp, k);
			uint64_t part = b->wall_ns < ns ? b->wall_ns : ns;
			uint64_t c = b->calls < calls ? b->calls : calls;
			const char *lock = NULL;

			if (b->tid != tid || b->nr != sc->nr || !part)
				continue;
			ilp_wait_object(fo->m, fo->p, b->okind, b->obj, b->fobj, b->dev, fo->obj,
					sizeof(fo->obj));
			if (b->okind == ILP_WOBJ_FUTEX)
				lock = ilp_wait_ulock_name(wp, b->obj, fo->lock, sizeof(fo->lock));
			fo->f[n + 1] = (struct ilp_frame){ ILP_FRAME_OBJECT, fo->obj };
			if ((err = emit(fo, n + 2, part, c, tid, sc->nr, lock, 0)))
				return err;
			ns -= part;
			calls -= c;
		}
		if (ns && (err = emit(fo, n + 1, ns, calls, tid, sc->nr, NULL, 0)))
			return err;
	}
	return 0;
}

/* the call stacks of the process: [process, sites outermost first, syscall]; 1 if any */
static int fold_stacks(struct folder *fo, const struct ilp_stacks *st, int *err)
{
	int any = 0;

	for (size_t i = 0; st && i < ilp_stacks_count(st) && !*err; i++) {
		const struct ilp_stack *s = ilp_stacks_get(st, i);
		size_t n = 1;

		if (s->pid != ilp_proc_pid(fo->p) || !s->total_ns)
			continue;
		any = 1;
		for (size_t k = s->nframes; k-- > 0 && n <= ILP_STACK_MAX; n++) {
			ilp_stack_frame_fmt(&s->frames[k], fo->site[n - 1], sizeof(fo->site[0]));
			fo->f[n] = (struct ilp_frame){ ILP_FRAME_SITE, fo->site[n - 1] };
			fo->sitef[n] = &s->frames[k];
		}
		fo->f[n] = (struct ilp_frame){ ILP_FRAME_SYSCALL, ilp_syscall_name(s->nr) };
		fo->sitef[n] = NULL;
		*err = emit(fo, n + 1, s->total_ns, s->calls, 0, s->nr, NULL, 1);
	}
	return any;
}

/* process;klock:NAME (TYPE) per kernel lock, then the ones past the cap */
static int fold_klocks(struct folder *fo)
{
	const struct ilp_wproc *wp = ilp_proc_wait(fo->p);
	const struct ilp_klock *l, *more;
	uint64_t naddrs = 0;
	int exact = 0, err = 0;
	char addr[24];

	more = ilp_wproc_klock_more(wp, &naddrs, &exact);
	for (size_t k = 0; k <= ilp_wproc_nklocks(wp) && !err; k++) {
		const char *name = fo->lock;

		l = k < ilp_wproc_nklocks(wp) ? ilp_wproc_klock(wp, k) : more;
		if (!l || !l->wait_ns)
			continue;
		if (l == more) {
			snprintf(fo->lock, sizeof(fo->lock), "(%s%" PRIu64 " other addresses)",
				 exact ? "" : ">=", naddrs);
			snprintf(fo->obj, sizeof(fo->obj), "klock:%s", fo->lock);
		} else {
			snprintf(addr, sizeof(addr), "0x%" PRIx64, l->addr);
			name = l->name ? l->name : addr;
			snprintf(fo->obj, sizeof(fo->obj), "klock:%s (%s)", name,
				 ilp_klock_type(l->flags));
		}
		fo->f[1] = (struct ilp_frame){ ILP_FRAME_KLOCK, fo->obj };
		err = emit(fo, 2, l->wait_ns, l->waits, 0, -1, name, 0);
	}
	return err;
}

int ilp_fold_proc(const struct ilp_model *m, const struct ilp_proc *p,
		  const struct ilp_stacks *st, int flags, ilp_fold_fn fn, void *ctx)
{
	struct folder fo = { .m = m, .p = p, .fn = fn, .ctx = ctx };
	int err = 0;

	snprintf(fo.proc, sizeof(fo.proc), "%s-%d", or_unknown(ilp_proc_comm(p)), ilp_proc_pid(p));
	fo.f[0] = (struct ilp_frame){ ILP_FRAME_PROC, fo.proc };
	if (!fold_stacks(&fo, st, &err))
		for (size_t j = 0; j < ilp_proc_nthreads_seen(p) && !err; j++)
			err = fold_thread(&fo, ilp_proc_thread(p, j),
					  flags & ILP_FOLD_THREADS ? 2 : 1);
	if (!err && (flags & ILP_FOLD_KLOCKS))
		err = fold_klocks(&fo);
	return err;
}
