// SPDX-License-Identifier: MIT
/*
 * Folded stacks for flamegraph.pl, speedscope, inferno:
 *
 *   comm-pid;comm-tid;syscall NS
 *
 * one line per (process, thread, syscall) with NS > 0, NS = nanoseconds
 * the thread spent inside that syscall: completed calls' total plus the
 * time so far of calls still in progress (unfinished).  Processes in
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

#include "model.h"
#include "report.h"
#include "syscalls.h"

static int put_frame(FILE *out, const char *name, int id)
{
	const char *s = name && *name ? name : "?";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (fputc(c == ';' || c <= ' ' || c == 0x7f ? '_' : c, out) == EOF)
			return -EIO;
	}
	if (id >= 0 && fprintf(out, "-%d", id) < 0)
		return -EIO;
	return 0;
}

static int folded_thread(FILE *out, const struct ilp_proc *p, const struct ilp_thread *t)
{
	for (size_t i = 0; i < ilp_thread_nsyscalls(t); i++) {
		const struct ilp_sc_stats *sc = ilp_thread_syscall(t, i);
		uint64_t ns = sc->total_ns + sc->unfinished_ns;

		if (!ns)
			continue;
		if (put_frame(out, ilp_proc_comm(p), ilp_proc_pid(p)) || fputc(';', out) == EOF ||
		    put_frame(out, ilp_thread_comm(t), ilp_thread_tid(t)) || fputc(';', out) == EOF ||
		    put_frame(out, ilp_syscall_name(sc->nr), -1) ||
		    fprintf(out, " %" PRIu64 "\n", ns) < 0)
			return -EIO;
	}
	return 0;
}

int ilp_report_folded(FILE *out, const struct ilp_model *m,
		      const struct ilp_report_info *info,
		      const struct ilp_report_opts *opts)
{
	int err = 0;

	(void)info;
	(void)opts;
	for (size_t i = 0; i < ilp_model_nprocs(m) && !err; i++) {
		const struct ilp_proc *p = ilp_model_proc(m, i);

		for (size_t j = 0; j < ilp_proc_nthreads_seen(p) && !err; j++)
			err = folded_thread(out, p, ilp_proc_thread(p, j));
	}
	if (fflush(out) || ferror(out))
		return -EIO;
	return err;
}
