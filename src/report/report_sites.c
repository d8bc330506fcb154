// SPDX-License-Identifier: MIT
/*
 * Text section of --stacks: where in the program the time
 * inside syscalls is spent.  Formatting only: the sites come merged and
 * sorted from stacks.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "esc.h"
#include "model.h"
#include "fmt.h"
#include "stacks.h"

#define TOP_SITES 10
#define FRAME_LEN 512

int ilp_report_text_sites(FILE *out, const struct ilp_model *m, const struct ilp_stacks *s,
			  int since_start)
{
	struct ilp_stack sites[TOP_SITES];
	char total[ILP_FMT_TIME_LEN], max[ILP_FMT_TIME_LEN], where[FRAME_LEN];
	struct ilp_escv e = { .i = 0 };
	size_t i, j, n;

	fprintf(out, "\ncall sites (--stacks: user stack at each profiled syscall's entry,"
		" top %d per process by time inside the call%s)\n", TOP_SITES,
		since_start ? "; since the start of the capture, not only this interval" : "");
	if (!ilp_stacks_count(s))
		fprintf(out, "  no stack could be unwound\n");
	for (i = 0; i < ilp_model_nprocs(m); i++) {
		const struct ilp_proc *p = ilp_model_proc(m, i);

		n = ilp_stacks_sites(s, ilp_proc_pid(p), -1, sites, TOP_SITES);
		if (!n)
			continue;
		fprintf(out, "  -- pid %d (%s) --\n", ilp_proc_pid(p), ilp_escv(&e, ilp_proc_comm(p)));
		if (ilp_stacks_no_fp(s, ilp_proc_pid(p), NULL, NULL))
			fprintf(out, "  stacks: %s has no frame pointers: rebuild with "
				"-fno-omit-frame-pointer, or use --backend=ptrace --stacks "
				"(DWARF unwinding)\n", ilp_escv(&e, ilp_proc_comm(p)));
		fprintf(out, "  %-16s %10s %10s %10s  %s\n", "syscall", "calls", "total", "max",
			"call site");
		for (j = 0; j < n; j++) {
			ilp_fmt_time(total, sizeof(total), sites[j].total_ns);
			ilp_fmt_time(max, sizeof(max), sites[j].max_ns);
			ilp_stack_frame_fmt(&sites[j].frames[0], where, sizeof(where));
			fprintf(out, "  %-16s %10" PRIu64 " %10s %10s  %s from %s%s\n",
				ilp_syscall_name(sites[j].nr), sites[j].calls, total, max,
				ilp_syscall_name(sites[j].nr), ilp_escv(&e, where),
				ilp_stack_frame_unnamed(&sites[j].frames[0]) ? ILP_FRAME_UNNAMED_WHY : "");
		}
	}
	return ferror(out) ? -EIO : 0;
}
