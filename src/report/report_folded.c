// SPDX-License-Identifier: MIT
/*
 * Folded stacks for flamegraph.pl, speedscope, inferno:
 *
 *   comm-pid;comm-tid;syscall;object NS
 *   comm-pid;comm-tid;syscall NS
 *   comm-pid;frame_outermost;...;frame_innermost;syscall NS   (--stacks)
 *
 * The stacks and their NS are include/fold.h's (the HTML flame graph
 * draws the same ones): per (process, thread, syscall), the nanoseconds
 * the thread spent inside that syscall, completed and unfinished calls,
 * the off-CPU part split by the object waited on ("fd:3_(file_/x)",
 * "futex:hot_lock", ...); with --stacks, a process's user call
 * stacks instead, except in the interim report of one interval: the
 * stacks are the whole capture's, the model's lines are the interval's.
 * Processes in report order.  Frame names never hold
 * ';', spaces or control characters (each becomes '_'), so every line
 * splits at its last space.  With flamegraph.pl use --countname ns.
 *
 * Formatting only.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "esc.h"
#include "fold.h"
#include "model.h"
#include "report.h"

/* a frame: escaped (esc.h), and ';' and blanks, which the format uses, as '_' */
static int put_frame(FILE *out, const char *name)
{
	char buf[ILP_ESC_CELL];
	const char *s = ilp_esc(buf, sizeof(buf), name);

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (fputc(c == ';' || c <= ' ' || c == 0x7f ? '_' : c, out) == EOF)
			return -EIO;
	}
	return 0;
}

static int folded_line(void *ctx, const struct ilp_fold_stack *s)
{
	FILE *out = ctx;

	for (size_t i = 0; i < s->n; i++)
		if ((i && fputc(';', out) == EOF) || put_frame(out, s->frames[i].name))
			return -EIO;
	return fprintf(out, " %" PRIu64 "\n", s->ns) < 0 ? -EIO : 0;
}

int ilp_report_folded(FILE *out, const struct ilp_model *m,
		      const struct ilp_report_info *info,
		      const struct ilp_report_opts *opts)
{
	int err = 0;

	(void)opts;
	/* the stacks are the whole capture's: an interval's report folds the
	 * model's (per-interval) calls instead */
	for (size_t i = 0; i < ilp_model_nprocs(m) && !err; i++)
		err = ilp_fold_proc(m, ilp_model_proc(m, i), info->window_ts ? NULL : info->stacks,
				    ILP_FOLD_THREADS, folded_line, out);
	if (fflush(out) || ferror(out))
		return -EIO;
	return err;
}
