// SPDX-License-Identifier: MIT
/*
 * The "io_uring" part of a process in the text report: totals, one row
 * per opcode, one per (file, opcode).  Formatting only.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "esc.h"
#include "fmt.h"
#include "hist.h"
#include "report_text_parts.h"
#include "syscalls.h"
#include "uringmodel.h"

#define NAME_MAX_W 60

static void tm(char *buf, uint64_t ns)
{
	ilp_fmt_time(buf, ILP_FMT_TIME_LEN, ns);
}

static void pct(char *buf, const struct ilp_hist *h, double p)
{
	if (!h || !ilp_hist_count(h))
		snprintf(buf, ILP_FMT_TIME_LEN, "-");
	else
		tm(buf, ilp_hist_percentile(h, p));
}

static void file_name(char *buf, size_t size, const struct ilp_uring_file_stats *f)
{
	char raw[ILP_ESC_CELL];

	ilp_uring_file_format(f, raw, sizeof(raw));
	ilp_esc(buf, size, raw);
}

static int totals(FILE *out, const struct ilp_uring_totals *t)
{
	char wt[ILP_FMT_TIME_LEN], gt[ILP_FMT_TIME_LEN];
	int r = 0;

	tm(wt, t->wait_ns);
	tm(gt, t->getevents_ns);
	r |= fprintf(out, "\n  io_uring: %" PRIu64 " requests completed of %" PRIu64
		     " submitted, %" PRIu64 " punted to io-wq workers; %" PRIu64
		     " ring(s) made\n", t->completed, t->submitted, t->punted, t->rings) < 0;
	r |= fprintf(out, "  waiting for completions: %" PRIu64 " io_uring_enter calls waited, %s"
		     " (%" PRIu64 " of %" PRIu64 " calls asked for completions, %s)\n",
		     t->waits, wt, t->getevents, t->enters, gt) < 0;
	if (t->failed || t->short_writes || t->unfinished || t->lost)
		r |= fprintf(out, "  failed: %" PRIu64 "  short writes: %" PRIu64
			     "  in flight at the end: %" PRIu64
			     "  completions of requests submitted before the trace: %" PRIu64 "\n",
			     t->failed, t->short_writes, t->unfinished, t->lost) < 0;
	return r;
}

static int ops(FILE *out, const struct ilp_uproc *up)
{
	const struct ilp_uring_op_stats *o;
	char tot[ILP_FMT_TIME_LEN], p50[ILP_FMT_TIME_LEN], p99[ILP_FMT_TIME_LEN];
	char mx[ILP_FMT_TIME_LEN];
	int r = 0;

	if (!ilp_uproc_op(up, 0))
		return 0;
	r |= fprintf(out, "  %-21s %8s %7s %9s %12s %10s %10s %10s %10s\n", "op (submit->complete)",
		     "requests", "errors", "punted", "bytes", "total", "p50", "p99", "max") < 0;
	for (size_t i = 0; (o = ilp_uproc_op(up, i)); i++) {
		tm(tot, o->total_ns);
		pct(p50, o->hist, 50.0);
		pct(p99, o->hist, 99.0);
		tm(mx, o->max_ns);
		r |= fprintf(out, "  %-21s %8" PRIu64 " %7" PRIu64 " %9" PRIu64 " %12" PRIu64
			     " %10s %10s %10s %10s\n", o->name, o->requests, o->errors,
			     o->punted, o->bytes, tot, p50, p99, mx) < 0;
	}
	return r;
}

static int files(FILE *out, const struct ilp_uproc *up)
{
	const struct ilp_uring_file_stats *f;
	char name[ILP_ESC_CELL], tot[ILP_FMT_TIME_LEN], p99[ILP_FMT_TIME_LEN];
	int w = (int)strlen("file"), r = 0;
	size_t i;

	if (!ilp_uproc_file(up, 0))
		return 0;
	for (i = 0; (f = ilp_uproc_file(up, i)); i++) {
		file_name(name, sizeof(name), f);
		if ((int)strlen(name) > w)
			w = (int)strlen(name) > NAME_MAX_W ? NAME_MAX_W : (int)strlen(name);
	}
	r |= fprintf(out, "  %-*s  %-12s %9s %12s %10s %10s\n", w, "file", "op", "requests",
		     "bytes", "total", "p99") < 0;
	for (i = 0; (f = ilp_uproc_file(up, i)); i++) {
		file_name(name, sizeof(name), f);
		tm(tot, f->total_ns);
		pct(p99, f->hist, 99.0);
		r |= fprintf(out, "  %-*s  %-12s %9" PRIu64 " %12" PRIu64 " %10s %10s\n", w, name,
			     f->name, f->requests, f->bytes, tot, p99) < 0;
	}
	return r;
}

/* the ptrace backend sees io_uring_setup and io_uring_enter, never a request */
static int unseen(FILE *out, const struct ilp_proc *p, const struct ilp_report_info *info)
{
	const struct ilp_sc_stats *sc = ilp_proc_find_syscall(p, ilp_syscall_nr("io_uring_setup"));

	if (!info->backend || strcmp(info->backend, "ptrace") || !sc || !(sc->calls + sc->unfinished))
		return 0;
	return fprintf(out, "\n  io_uring: %" PRIu64 " ring(s) set up; the ptrace backend cannot see"
		       " their requests: the ftrace backend"
		       " shows each one\n", sc->calls) < 0 ? -EIO : 0;
}

int ilp_text_uring(FILE *out, const struct ilp_proc *p, const struct ilp_report_info *info)
{
	const struct ilp_uproc *up = ilp_proc_uring(p);
	int r;

	if (!up)
		return unseen(out, p, info);
	r = totals(out, ilp_uproc_totals(up));
	r |= ops(out, up);
	r |= files(out, up);
	return r ? -EIO : 0;
}
