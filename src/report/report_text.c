// SPDX-License-Identifier: MIT
/*
 * Text report (the default): a header about the capture, then per process a
 * syscall table (strace -c style, wall-clock time), the calls still in
 * progress, optional per-thread tables and bcc-style log2 histograms.
 *
 * Formatting only: every number comes from the model's accessors (after
 * ilp_model_index) or from struct ilp_report_info.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "esc.h"
#include "hist.h"
#include "model.h"
#include "report.h"
#include "outbuf.h"
#include "report_text_parts.h"
#include "fmt.h"
#include "stacks.h"
#include "syscalls.h"

#ifndef ILP_VERSION
#error "build with -DILP_VERSION='\"x.y.z\"' (the Makefile does)"
#endif

#define CELL_LEN 48		/* longest cell: a syscall name or a u64 */
#define COL_SEP "  "
#define HIST_STARS 40

/* ---- table columns (strace count.c style) ---- */

struct col;
typedef void (*cell_fn)(char *buf, size_t size, const struct col *c,
			const struct ilp_sc_stats *sc, uint64_t wall_ns);

struct col {
	const char *header;
	int min_width;		/* the width shown even for short data */
	int left;		/* left-aligned (the name); numbers are right-aligned */
	cell_fn cell;
	double pct;		/* percentile, for cell_pct */
};

static void cell_name(char *buf, size_t size, const struct col *c,
		      const struct ilp_sc_stats *sc, uint64_t wall_ns)
{
	(void)c;
	(void)wall_ns;
	snprintf(buf, size, "%s", ilp_syscall_name(sc->nr));
}

static void cell_calls(char *buf, size_t size, const struct col *c,
		       const struct ilp_sc_stats *sc, uint64_t wall_ns)
{
	(void)c;
	(void)wall_ns;
	snprintf(buf, size, "%" PRIu64, sc->calls);
}

static void cell_errors(char *buf, size_t size, const struct col *c,
			const struct ilp_sc_stats *sc, uint64_t wall_ns)
{
	(void)c;
	(void)wall_ns;
	snprintf(buf, size, "%" PRIu64, sc->errors);
}

static void cell_total(char *buf, size_t size, const struct col *c,
		       const struct ilp_sc_stats *sc, uint64_t wall_ns)
{
	(void)c;
	(void)wall_ns;
	ilp_fmt_time(buf, size, sc->total_ns);
}

static void cell_avg(char *buf, size_t size, const struct col *c,
		     const struct ilp_sc_stats *sc, uint64_t wall_ns)
{
	(void)c;
	(void)wall_ns;
	if (!sc->calls) {
		snprintf(buf, size, "-");
		return;
	}
	ilp_fmt_time(buf, size, (sc->total_ns + sc->calls / 2) / sc->calls);
}

static void cell_pct(char *buf, size_t size, const struct col *c,
		     const struct ilp_sc_stats *sc, uint64_t wall_ns)
{
	(void)wall_ns;
	if (!sc->hist || !ilp_hist_count(sc->hist)) {
		snprintf(buf, size, "-");
		return;
	}
	ilp_fmt_time(buf, size, ilp_hist_percentile(sc->hist, c->pct));
}

static void cell_max(char *buf, size_t size, const struct col *c,
		     const struct ilp_sc_stats *sc, uint64_t wall_ns)
{
	(void)c;
	(void)wall_ns;
	if (!sc->calls) {
		snprintf(buf, size, "-");
		return;
	}
	ilp_fmt_time(buf, size, sc->max_ns);
}

static void cell_wall(char *buf, size_t size, const struct col *c,
		      const struct ilp_sc_stats *sc, uint64_t wall_ns)
{
	uint64_t pm;

	(void)c;
	if (!wall_ns) {
		snprintf(buf, size, "-");
		return;
	}
	/* per mille, rounded half up like the times */
	if (wall_ns <= UINT64_MAX / 1000)
		pm = sc->total_ns / wall_ns * 1000 +
		     ((sc->total_ns % wall_ns) * 1000 + wall_ns / 2) / wall_ns;
	else
		pm = (uint64_t)((double)sc->total_ns * 1000.0 / (double)wall_ns + 0.5);
	snprintf(buf, size, "%" PRIu64 ".%" PRIu64 "%%", pm / 10, pm % 10);
}

static const struct col proc_cols[] = {
	{ "syscall", 15, 1, cell_name, 0 },
	{ "calls", 0, 0, cell_calls, 0 },
	{ "errors", 0, 0, cell_errors, 0 },
	{ "total", 9, 0, cell_total, 0 },
	{ "avg", 9, 0, cell_avg, 0 },
	{ "p50", 9, 0, cell_pct, 50.0 },
	{ "p90", 9, 0, cell_pct, 90.0 },
	{ "p99", 9, 0, cell_pct, 99.0 },
	{ "max", 9, 0, cell_max, 0 },
	{ "%wall", 0, 0, cell_wall, 0 },
};

/* per-thread stats carry no histogram: no percentiles */
static const struct col thread_cols[] = {
	{ "syscall", 15, 1, cell_name, 0 },
	{ "calls", 0, 0, cell_calls, 0 },
	{ "errors", 0, 0, cell_errors, 0 },
	{ "total", 9, 0, cell_total, 0 },
	{ "avg", 9, 0, cell_avg, 0 },
	{ "max", 9, 0, cell_max, 0 },
};

#define MAX_COLS (sizeof(proc_cols) / sizeof(proc_cols[0]))

/* The rows of one table: a process's or a thread's syscalls, model order. */
struct sc_rows {
	const void *obj;
	size_t n;
	const struct ilp_sc_stats *(*get)(const void *obj, size_t i);
};

static const struct ilp_sc_stats *proc_row(const void *obj, size_t i)
{
	return ilp_proc_syscall(obj, i);
}

static const struct ilp_sc_stats *thread_row(const void *obj, size_t i)
{
	return ilp_thread_syscall(obj, i);
}

/* rows shown with top_syscalls (0 = all) */
static size_t rows_shown(size_t n, int top)
{
	return top > 0 && (size_t)top < n ? (size_t)top : n;
}

static void print_table(struct ilp_out *w, const char *indent,
			const struct col *cols, size_t ncols,
			const struct sc_rows *rows, int top, uint64_t wall_ns)
{
	size_t shown = rows_shown(rows->n, top);
	int width[MAX_COLS];
	char cell[CELL_LEN];
	uint64_t more_ns = 0;

	for (size_t c = 0; c < ncols; c++) {
		int len = (int)strlen(cols[c].header);

		width[c] = len > cols[c].min_width ? len : cols[c].min_width;
		for (size_t i = 0; i < shown; i++) {
			cols[c].cell(cell, sizeof(cell), &cols[c],
				     rows->get(rows->obj, i), wall_ns);
			len = (int)strlen(cell);
			if (len > width[c])
				width[c] = len;
		}
	}

	ilp_out_printf(w, "%s", indent);
	for (size_t c = 0; c < ncols; c++)
		ilp_out_printf(w, "%s%*s", c ? COL_SEP : "",
			  cols[c].left ? -width[c] : width[c], cols[c].header);
	ilp_out_printf(w, "\n");

	for (size_t i = 0; i < shown; i++) {
		const struct ilp_sc_stats *sc = rows->get(rows->obj, i);

		ilp_out_printf(w, "%s", indent);
		for (size_t c = 0; c < ncols; c++) {
			cols[c].cell(cell, sizeof(cell), &cols[c], sc, wall_ns);
			ilp_out_printf(w, "%s%*s", c ? COL_SEP : "",
				  cols[c].left ? -width[c] : width[c], cell);
		}
		ilp_out_printf(w, "\n");
	}

	if (shown == rows->n)
		return;
	for (size_t i = shown; i < rows->n; i++)
		more_ns += rows->get(rows->obj, i)->total_ns;
	ilp_fmt_time(cell, sizeof(cell), more_ns);
	ilp_out_printf(w, "%s  ... %zu more syscalls (%s total)\n", indent,
		  rows->n - shown, cell);
}

/* ---- histograms (bcc print_log2_hist style) ---- */

static int digits(uint64_t v)
{
	int n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

/* bounds of log2 slot i in ns: 2^(i-1) .. 2^i - 1; slot 0 holds 0 */
static void slot_bounds(int i, uint64_t *lo, uint64_t *hi)
{
	if (i == 0) {
		*lo = *hi = 0;
		return;
	}
	*lo = UINT64_C(1) << (i - 1);
	*hi = i == 64 ? UINT64_MAX : (UINT64_C(1) << i) - 1;
}

static void print_hist(struct ilp_out *w, const struct ilp_sc_stats *sc)
{
	uint64_t slot[65], lo, hi, peak, div;
	uint64_t max_ns = ilp_hist_max(sc->hist);
	const char *unit;
	int n, first, lo_w = 8, hi_w = 13;
	char bar[HIST_STARS + 1];

	/* the unit from the largest value, like bcc's usecs/msecs */
	if (max_ns < 1000000) {
		unit = "ns";
		div = 1;
	} else if (max_ns < 1000000000) {
		unit = "us";
		div = 1000;
	} else {
		unit = "ms";
		div = 1000000;
	}
	n = ilp_hist_log2_unit(sc->hist, div, slot);
	/* like bcc, the first row is "0 -> 1": below one unit, and one */
	if (n > 1) {
		slot[1] += slot[0];
		slot[0] = 0;
	}
	ilp_slots_span(slot, n, &first, &peak);
	if (first < 0)
		return;
	slot_bounds(n - 1, &lo, &hi);
	if (digits(lo) > lo_w)
		lo_w = digits(lo);
	if (digits(hi) > hi_w)
		hi_w = digits(hi);

	ilp_out_printf(w, "\n  %s latency (wall-clock)\n", ilp_syscall_name(sc->nr));
	ilp_out_printf(w, "%*s%*s: count     distribution\n", lo_w + 1, unit, hi_w + 4, "");
	for (int i = first; i < n; i++) {
		int stars = (int)((double)slot[i] * HIST_STARS / (double)peak);

		memset(bar, '*', (size_t)stars);
		bar[stars] = '\0';
		slot_bounds(i, &lo, &hi);
		if (i == 1)
			lo = 0;
		ilp_out_printf(w, "%*" PRIu64 " -> %-*" PRIu64 " : %-8" PRIu64 " |%-*s|\n",
			  lo_w, lo, hi_w, hi, slot[i], HIST_STARS, bar);
	}
}

/* ---- report sections ---- */

static const char *or_unknown(const char *s)
{
	return s && *s ? s : "?";
}

/*
 * attach --continuous: "sampled:  10 % duty (1 s of every 10 s): 6.000 s of
 * 60.000 s captured; counts and times below are of the captured time
 * (x10.0 estimates the whole window)"
 */
static void print_sampling(struct ilp_out *w, const struct ilp_report_info *info,
			   uint64_t wall_ns)
{
	char on[ILP_FMT_TIME_LEN], per[ILP_FMT_TIME_LEN], cap[ILP_FMT_TIME_LEN];
	char span[ILP_FMT_TIME_LEN];

	ilp_fmt_time(on, sizeof(on), (uint64_t)(info->duty * (double)info->duty_period_ns));
	ilp_fmt_time(per, sizeof(per), info->duty_period_ns);
	ilp_fmt_time(cap, sizeof(cap), info->captured_ns);
	ilp_fmt_time(span, sizeof(span), wall_ns);
	ilp_out_printf(w, "sampled:  %g %% duty (%s of every %s): %s of %s captured",
		       info->duty * 100, on, per, cap, span);
	if (info->duty >= 1) {
		ilp_out_printf(w, "; counts exact\n");
		return;
	}
	ilp_out_printf(w, "; counts and times below are of the captured time only");
	if (info->captured_ns)
		ilp_out_printf(w, " (estimated totals: x%.1f)",
			       (double)wall_ns / (double)info->captured_ns);
	ilp_out_printf(w, "\n");
}

static void print_header(struct ilp_out *w, const struct ilp_report_info *info,
			 uint64_t wall_ns)
{
	char t[ILP_REPORT_INTERIM_LEN];
	uint64_t ms = (wall_ns + 500000) / 1000000;

	ilp_out_printf(w, "iolockprof %s: where the time goes inside syscalls "
		  "(wall-clock time from enter to exit, including time blocked "
		  "off-CPU; strace -c shows CPU time by default)", ILP_VERSION);
	if (info->interim || info->window_ts) {
		ilp_report_interim_str(info, t, sizeof(t));
		ilp_out_printf(w, " -- %s", t);
	}
	ilp_out_printf(w, "\n");
	ilp_out_printf(w, "command:  ");
	ilp_out_esc(w, or_unknown(info->command));
	ilp_out_printf(w, "\n");
	ilp_out_printf(w, "backend:  %s\n", or_unknown(info->backend));
	if (info->note)
		ilp_out_printf(w, "note:     %s\n", info->note);
	ilp_out_printf(w, "duration: %" PRIu64 ".%03" PRIu64 " s   events: %" PRIu64
		  "   lost events: %" PRIu64 "\n",
		  ms / 1000, ms % 1000, info->events, info->lost);
	if (info->lost)
		ilp_out_printf(w, "WARNING: %" PRIu64 " events LOST by the kernel ring "
			  "buffer: counts below are lower bounds (raise -b)\n",
			  info->lost);
	if (info->exit_status >= 0)
		ilp_out_printf(w, "exit:     %d\n", info->exit_status);
	if (info->duty > 0)
		print_sampling(w, info, wall_ns);
}

static void print_unfinished(struct ilp_out *w, const struct ilp_proc *p)
{
	char t[ILP_FMT_TIME_LEN];

	for (size_t i = 0; i < ilp_proc_nsyscalls(p); i++) {
		const struct ilp_sc_stats *sc = ilp_proc_syscall(p, i);

		if (!sc->unfinished)
			continue;
		ilp_fmt_time(t, sizeof(t), sc->unfinished_ns);
		ilp_out_printf(w, "  (unfinished: %s %" PRIu64 " call%s, %s so far)\n",
			  ilp_syscall_name(sc->nr), sc->unfinished,
			  sc->unfinished == 1 ? "" : "s", t);
	}
}

static void print_thread(struct ilp_out *w, const struct ilp_thread *t,
			 const struct ilp_report_opts *opts, uint64_t wall_ns)
{
	struct sc_rows rows = { t, ilp_thread_nsyscalls(t), thread_row };
	char tt[ILP_FMT_TIME_LEN];
	struct ilp_escv e = { .i = 0 };
	uint64_t calls = 0;

	/* the model has no ilp_thread_calls(): the sum of its rows */
	for (size_t i = 0; i < rows.n; i++)
		calls += ilp_thread_syscall(t, i)->calls;
	ilp_fmt_time(tt, sizeof(tt), ilp_thread_total_ns(t));
	ilp_out_printf(w, "\n  -- tid %d (%s)  calls: %" PRIu64 "  syscall time: %s --\n",
		  ilp_thread_tid(t), ilp_escv(&e, or_unknown(ilp_thread_comm(t))), calls, tt);
	print_table(w, "    ", thread_cols,
		    sizeof(thread_cols) / sizeof(thread_cols[0]), &rows,
		    opts->top_syscalls, wall_ns);
}

static void print_proc(struct ilp_out *w, const struct ilp_proc *p,
		       const struct ilp_report_info *info,
		       const struct ilp_report_opts *opts, uint64_t wall_ns)
{
	struct sc_rows rows = { p, ilp_proc_nsyscalls(p), proc_row };
	char t[ILP_FMT_TIME_LEN];
	struct ilp_escv e = { .i = 0 };
	int hists = 0;

	ilp_fmt_time(t, sizeof(t), ilp_proc_total_ns(p));
	ilp_out_printf(w, "\n== pid %d (%s)  threads: %zu  calls: %" PRIu64
		  "  syscall time: %s ==\n",
		  ilp_proc_pid(p), ilp_escv(&e, or_unknown(ilp_proc_comm(p))),
		  ilp_proc_nthreads_seen(p), ilp_proc_calls(p), t);
	if (!rows.n) {
		ilp_out_printf(w, "  (no syscalls)\n");
		return;
	}
	print_table(w, "", proc_cols, MAX_COLS, &rows, opts->top_syscalls, wall_ns);
	print_unfinished(w, p);
	if (opts->top_objects > 0 && !w->err)
		w->err = ilp_text_io(w->f, p, opts->top_objects);
	if (!w->err)
		w->err = ilp_text_uring(w->f, p, info);

	if (opts->threads) {
		for (size_t i = 0; i < ilp_proc_nthreads_seen(p); i++) {
			const struct ilp_thread *th = ilp_proc_thread(p, i);

			if (ilp_thread_nsyscalls(th))
				print_thread(w, th, opts, wall_ns);
		}
	}

	for (size_t i = 0; i < rows.n && hists < opts->top_hist; i++) {
		const struct ilp_sc_stats *sc = ilp_proc_syscall(p, i);

		if (!sc->hist || !ilp_hist_count(sc->hist))
			continue;
		print_hist(w, sc);
		hists++;
	}
}

int ilp_report_text(FILE *out, const struct ilp_model *m,
		    const struct ilp_report_info *info,
		    const struct ilp_report_opts *opts)
{
	struct ilp_out w = { out, 0 };
	size_t nprocs = ilp_model_nprocs(m), printed = 0;
	uint64_t wall_ns = ilp_report_span_ns(info);

	print_header(&w, info, wall_ns);
	if (!w.err)
		w.err = ilp_text_findings(out, info, opts->all_findings);
	for (size_t i = 0; i < nprocs; i++) {
		const struct ilp_proc *p = ilp_model_proc(m, i);

		if (nprocs > 1 && ilp_report_proc_is_empty(p))
			continue;
		print_proc(&w, p, info, opts, wall_ns);
		printed++;
	}
	if (!printed)
		ilp_out_printf(&w, "\nno syscalls were captured\n");
	if (!w.err)
		w.err = ilp_text_wait(out, m, info);
	if (info->stacks && !w.err)
		w.err = ilp_report_text_sites(out, m, info->stacks, info->window_ts != 0);

	errno = 0;
	if (fflush(out) || ferror(out))
		return w.err ? w.err : errno ? -errno : -EIO;
	return w.err;
}
