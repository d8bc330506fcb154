// SPDX-License-Identifier: MIT
/*
 * A process's wait time as stacks of frames (include/fold.h), shared by
 * the folded format and the HTML flame graph.
 */

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
	char proc[64], thread[64], obj[ILP_FRAME_NAME];
	char site[ILP_STACK_MAX][ILP_FRAME_NAME];
};

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

		fo->f[n] = (struct ilp_frame){ ILP_FRAME_SYSCALL, ilp_syscall_name(sc->nr) };
		for (size_t k = 0; k < ilp_wproc_nblocking(wp) && ns; k++) {
			const struct ilp_blocking *b = ilp_wproc_blocking(wp, k);
			uint64_t part = b->wall_ns < ns ? b->wall_ns : ns;

			if (b->tid != ilp_thread_tid(t) || b->nr != sc->nr || !part)
				continue;
			ilp_wait_object(fo->m, fo->p, b->okind, b->obj, b->fobj, b->dev, fo->obj,
					sizeof(fo->obj));
			fo->f[n + 1] = (struct ilp_frame){ ILP_FRAME_OBJECT, fo->obj };
			if ((err = fo->fn(fo->ctx, fo->f, n + 2, part)))
				return err;
			ns -= part;
		}
		if (ns && (err = fo->fn(fo->ctx, fo->f, n + 1, ns)))
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
		}
		fo->f[n] = (struct ilp_frame){ ILP_FRAME_SYSCALL, ilp_syscall_name(s->nr) };
		*err = fo->fn(fo->ctx, fo->f, n + 1, s->total_ns);
	}
	return any;
}

int ilp_fold_proc(const struct ilp_model *m, const struct ilp_proc *p,
		  const struct ilp_stacks *st, int flags, ilp_fold_fn fn, void *ctx)
{
	struct folder fo = { .m = m, .p = p, .fn = fn, .ctx = ctx };
	int err = 0;

	snprintf(fo.proc, sizeof(fo.proc), "%s-%d", or_unknown(ilp_proc_comm(p)), ilp_proc_pid(p));
	fo.f[0] = (struct ilp_frame){ ILP_FRAME_PROC, fo.proc };
	if (fold_stacks(&fo, st, &err))
		return err;
	for (size_t j = 0; j < ilp_proc_nthreads_seen(p) && !err; j++)
		err = fold_thread(&fo, ilp_proc_thread(p, j), flags & ILP_FOLD_THREADS ? 2 : 1);
	return err;
}
