// SPDX-License-Identifier: MIT
/*
 * Folded stacks for flamegraph.pl, speedscope, inferno:
 *
 *   comm-pid;comm-tid;syscall;object NS
 *   comm-pid;comm-tid;syscall NS
 *   comm-pid;frame_outermost;...;frame_innermost;syscall NS   (--stacks)
 *
 * Per (process, thread, syscall), NS = nanoseconds the thread spent inside
 * that syscall: completed calls' total plus the time so far of calls still
 * in progress (unfinished).  The part spent in calls that went off the CPU
 * is split by the object waited on (waitmodel.h blocking rows, wall time:
 * "fd:3_(file_/x)", "futex:hot_lock", ...); the rest stays on the syscall
 * frame.  With --stacks (ptrace), a process's lines are its user call
 * stacks instead (completed calls; stacks carry no thread).  Processes in
 * report order, threads by tid, syscalls by total time (the model's
 * order).  Frame names never hold ';', spaces or control characters (each
 * becomes '_'), so every line splits at its last space.  With
 * flamegraph.pl use --countname ns.
 *
 * Formatting only: numbers come from the model's per-thread stats.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "esc.h"
#include "model.h"
#include "report.h"
#include "report_wait.h"
#include "stacks.h"
#include "syscalls.h"
#include "waitmodel.h"

/* a frame: escaped (esc.h), and ';' and blanks, which the format uses, as '_' */
static int put_frame(FILE *out, const char *name, int id)
{
	char buf[ILP_ESC_CELL];
	const char *s = ilp_esc(buf, sizeof(buf), name && *name ? name : "?");

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (fputc(c == ';' || c <= ' ' || c == 0x7f ? '_' : c, out) == EOF)
			return -EIO;
	}
	if (id >= 0 && fprintf(out, "-%d", id) < 0)
		return -EIO;
	return 0;
}

static int line_end(FILE *out, uint64_t ns)
{
	return fprintf(out, " %" PRIu64 "\n", ns) < 0 ? -EIO : 0;
}

static int proc_thread(FILE *out, const struct ilp_proc *p, const struct ilp_thread *t)
{
	if (put_frame(out, ilp_proc_comm(p), ilp_proc_pid(p)) || fputc(';', out) == EOF ||
	    (t && (put_frame(out, ilp_thread_comm(t), ilp_thread_tid(t)) || fputc(';', out) == EOF)))
		return -EIO;
	return 0;
}

static int folded_thread(FILE *out, const struct ilp_model *m, const struct ilp_proc *p,
			 const struct ilp_thread *t)
{
	const struct ilp_wproc *wp = ilp_proc_wait(p);
	char obj[512];

	for (size_t i = 0; i < ilp_thread_nsyscalls(t); i++) {
		const struct ilp_sc_stats *sc = ilp_thread_syscall(t, i);
		uint64_t ns = sc->total_ns + sc->unfinished_ns;

		for (size_t k = 0; k < ilp_wproc_nblocking(wp); k++) {
			const struct ilp_blocking *b = ilp_wproc_blocking(wp, k);

			if (b->tid != ilp_thread_tid(t) || b->nr != sc->nr || !b->wall_ns)
				continue;
			ilp_wait_object(m, p, b->okind, b->obj, b->fobj, b->dev, obj, sizeof(obj));
			if (proc_thread(out, p, t) || put_frame(out, ilp_syscall_name(sc->nr), -1) ||
			    fputc(';', out) == EOF || put_frame(out, obj, -1) ||
			    line_end(out, b->wall_ns < ns ? b->wall_ns : ns))
				return -EIO;
			ns -= b->wall_ns < ns ? b->wall_ns : ns;
		}
		if (!ns)
			continue;
		if (proc_thread(out, p, t) || put_frame(out, ilp_syscall_name(sc->nr), -1) ||
		    line_end(out, ns))
			return -EIO;
	}
	return 0;
}

/* 1 if the process has --stacks stacks, and writes them */
static int folded_stacks(FILE *out, const struct ilp_proc *p, const struct ilp_stacks *st,
			 int *err)
{
	char buf[512];
	int any = 0;

	for (size_t i = 0; st && i < ilp_stacks_count(st) && !*err; i++) {
		const struct ilp_stack *s = ilp_stacks_get(st, i);

		if (s->pid != ilp_proc_pid(p) || !s->total_ns)
			continue;
		any = 1;
		if (proc_thread(out, p, NULL))
			*err = -EIO;
		for (size_t k = s->nframes; k-- > 0 && !*err;) {
			ilp_stack_frame_fmt(&s->frames[k], buf, sizeof(buf));
			if (put_frame(out, buf, -1) || fputc(';', out) == EOF)
				*err = -EIO;
		}
		if (!*err && (put_frame(out, ilp_syscall_name(s->nr), -1) ||
			      line_end(out, s->total_ns)))
			*err = -EIO;
	}
	return any;
}

int ilp_report_folded(FILE *out, const struct ilp_model *m,
		      const struct ilp_report_info *info,
		      const struct ilp_report_opts *opts)
{
	int err = 0;

	(void)opts;
	for (size_t i = 0; i < ilp_model_nprocs(m) && !err; i++) {
		const struct ilp_proc *p = ilp_model_proc(m, i);

		if (folded_stacks(out, p, info->stacks, &err))
			continue;
		for (size_t j = 0; j < ilp_proc_nthreads_seen(p) && !err; j++)
			err = folded_thread(out, m, p, ilp_proc_thread(p, j));
	}
	if (fflush(out) || ferror(out))
		return -EIO;
	return err;
}
