// SPDX-License-Identifier: MIT
/*
 * HTML report: one self-contained page (inline CSS, no script, no font, no
 * network), readable in any browser and in a mail attachment.
 *
 *   header facts (command, backend, duration, events, lost events, exit)
 *   per process: summary line, syscall table (like the text report), the
 *   calls still in progress, per-thread tables with --threads, and the
 *   latency histograms of the top --hist syscalls drawn as inline SVG bar
 *   charts: one <svg class="ilp-hist"> per histogram, log2 buckets of ns
 *   from the first to the last non-empty one, every bar with a <title>
 *   (hover text) giving its range and count; and, for the first
 *   FLAME_PROCS processes, a wait flame graph: one <svg class="ilp-flame">
 *   of the process's folded stacks (fold.h) as flame.c lays them out, a
 *   <rect class="ilp-frame"> per frame with a <title> (name, time, share of
 *   the process's) and a label cut to fit.
 *
 * Strings are HTML-escaped; invalid UTF-8 becomes U+FFFD.  Formatting
 * only: every number comes from the model's accessors or the report info.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "esc.h"
#include "flame.h"
#include "fold.h"
#include "hist.h"
#include "holdmodel.h"
#include "json.h"
#include "outbuf.h"
#include "model.h"
#include "report.h"
#include "fdmodel.h"
#include "fmt.h"
#include "report_wait.h"
#include "stacks.h"
#include "syscalls.h"
#include "uringmodel.h"
#include "waitmodel.h"

#ifndef ILP_VERSION
#error "build with -DILP_VERSION='\"x.y.z\"' (the Makefile does)"
#endif

/* histogram chart geometry, px */
#define BAR_W 30
#define BAR_GAP 4
#define PLOT_H 120
#define TOP_M 18	/* room for the count above the tallest bar */
#define LEFT_M 44	/* room for the first rotated label */
#define MIN_W 240
#define BOTTOM_M 52	/* rotated bucket labels */

/* wait flame graph geometry, px */
#define FLAME_W 1000
#define FLAME_ROW 17	/* a frame's height + 1 */
#define FLAME_PAD 4
#define FLAME_GLYPH 7.2	/* a glyph of 12px monospace: 0.6 em */
#define FLAME_MIN_W 1.0	/* narrower frames are not drawn (flame.h) */
#define FLAME_PROCS 10	/* flame graphs for this many processes, the first of the report */

/* s, HTML-escaped (text and attribute values alike) */
/* s for HTML: escaped for a terminal first (esc.h: control characters,
 * invalid UTF-8 and bidi controls as visible \xNN), then the markup
 * characters as entities */
/* the first n bytes of e, already escaped for a terminal, markup as entities */
static void ent(struct ilp_out *o, const char *e, size_t n)
{
	for (size_t i = 0; i < n && e[i] && !o->err; i++) {
		switch (e[i]) {
		case '&': ilp_out_printf(o, "&amp;"); break;
		case '<': ilp_out_printf(o, "&lt;"); break;
		case '>': ilp_out_printf(o, "&gt;"); break;
		case '"': ilp_out_printf(o, "&quot;"); break;
		case '\'': ilp_out_printf(o, "&#39;"); break;
		default:
			if (fputc(e[i], o->f) == EOF)
				o->err = -EIO;
		}
	}
}

static char *esc_dup(struct ilp_out *o, const char *s)
{
	char *e = ilp_esc_dup(s ? s : "");

	if (!e && !o->err)
		o->err = -ENOMEM;
	return e;
}

static void esc(struct ilp_out *o, const char *s)
{
	char *e = esc_dup(o, s);

	if (e)
		ent(o, e, strlen(e));
	free(e);
}

static const char *or_unknown(const char *s)
{
	return s && *s ? s : "?";
}

static void pr_time(struct ilp_out *o, uint64_t ns)
{
	char t[ILP_FMT_TIME_LEN];

	ilp_fmt_time(t, sizeof(t), ns);
	ilp_out_printf(o, "%s", t);
}

static const char css[] =
"body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:1.5em auto;"
"max-width:72em;padding:0 1em;color:#1d2430;background:#fff}"
"h1{font-size:1.4em;margin-bottom:.2em}h2{font-size:1.15em;margin-top:2em;"
"border-bottom:2px solid #d6dde8;padding-bottom:.2em}h3{font-size:1em}"
".ilp-note{color:#5a6475;font-size:.9em}"
"tr.ilp-nested td{background:#f8fafc}tr.ilp-nested td:nth-child(2){padding-left:1.6em}"
".ilp-nav a{text-decoration:none}"
"table{border-collapse:collapse;margin:.6em 0;font-size:.9em}"
"th,td{padding:.25em .7em;border-bottom:1px solid #e3e8ef}"
"th{background:#f3f6fa;text-align:right}th:first-child,td:first-child{text-align:left}"
"td{text-align:right;font-variant-numeric:tabular-nums}"
"table.ilp-facts th{text-align:left;background:none;font-weight:600}"
"table.ilp-facts td{text-align:left}"
".ilp-warn{background:#fff3cd;border:1px solid #e0b400;padding:.5em .8em;margin:.6em 0}"
".ilp-charts{display:flex;flex-wrap:wrap;gap:1.5em}"
"figure{margin:.5em 0}figcaption{font-size:.85em;font-weight:600;margin-bottom:.3em}"
"svg.ilp-hist{background:#fafbfd;border:1px solid #e3e8ef}"
"svg.ilp-hist rect.bar{fill:#3b7dd8}svg.ilp-hist rect.bar:hover{fill:#1f5fb8}"
"svg.ilp-hist text{font-size:9px;fill:#3a4352;font-family:sans-serif}"
"svg.ilp-flame{background:#fafbfd;border:1px solid #e3e8ef;max-width:100%;height:auto}"
"svg.ilp-flame rect:hover{stroke:#1d2430;stroke-width:1}"
"svg.ilp-flame text{font-size:12px;font-family:monospace;fill:#1d2430;pointer-events:none}";

static void html_header(struct ilp_out *o, const struct ilp_report_info *info)
{
	uint64_t wall = ilp_report_span_ns(info);
	char span[ILP_REPORT_INTERIM_LEN] = "";

	ilp_out_printf(o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	   "<title>iolockprof: ");
	esc(o, or_unknown(info->command));
	ilp_out_printf(o, "</title>\n<style>%s</style>\n</head>\n<body>\n", css);
	int windowed = info->interim || info->window_ts;

	if (windowed)
		ilp_report_interim_str(info, span, sizeof(span));
	ilp_out_printf(o, "<h1>iolockprof %s report%s%s%s</h1>\n", ILP_VERSION,
	   windowed ? " (" : "", span, windowed ? ")" : "");
	if (info->duty > 0 && info->duty < 1)
		ilp_out_printf(o, "<p class=\"ilp-note\">Sampled: %g %% duty, %.3f s of %.3f s "
			       "captured; every count, time and chart covers the captured time "
			       "only.</p>\n", info->duty * 100, (double)info->captured_ns / 1e9,
			       (double)ilp_report_span_ns(info) / 1e9);
	ilp_out_printf(o, "<p class=\"ilp-note\">Where the time goes inside syscalls: wall-clock "
	   "time from enter to exit, including time blocked off-CPU.</p>\n");
	ilp_out_printf(o, "<table class=\"ilp-facts\">\n<tr><th>command</th><td>");
	esc(o, or_unknown(info->command));
	ilp_out_printf(o, "</td></tr>\n<tr><th>backend</th><td>");
	esc(o, or_unknown(info->backend));
	ilp_out_printf(o, "</td></tr>\n<tr><th>duration</th><td>");
	pr_time(o, wall);
	ilp_out_printf(o, "</td></tr>\n<tr><th>events</th><td>%" PRIu64 "</td></tr>\n"
	   "<tr><th>lost events</th><td>%" PRIu64 "</td></tr>\n", info->events, info->lost);
	if (info->exit_status >= 0)
		ilp_out_printf(o, "<tr><th>exit status</th><td>%d</td></tr>\n", info->exit_status);
	ilp_out_printf(o, "</table>\n");
	if (info->lost)
		ilp_out_printf(o, "<p class=\"ilp-warn\"><strong>%" PRIu64 " events were lost</strong> "
		   "by the kernel ring buffer: counts below are lower bounds (raise -b).</p>\n",
		   info->lost);
}

static void html_finding_head(struct ilp_out *o)
{
	ilp_out_printf(o, "<table>\n<tr><th>severity</th><th>pattern</th><th>process</th><th style=\"text-align:left\">what</th>"
	   "<th>saving</th><th style=\"text-align:left\">fix</th><th style=\"text-align:left\">call site</th></tr>\n");
}

/* one row; a nested finding is marked and indented under its group */
static void html_finding_row(struct ilp_out *o, const struct ilp_finding *f)
{
	if (f->nested)
		ilp_out_printf(o, "<tr class=\"ilp-nested\"><td>-</td><td>&#8627; ");
	else
		ilp_out_printf(o, "<tr><td>%s</td><td>", f->severity >= ILP_SEV_HIGH ? "high" :
		   f->severity == ILP_SEV_MEDIUM ? "medium" : "low");
	esc(o, f->label);
	ilp_out_printf(o, "</td><td>%d (", f->pid);
	esc(o, or_unknown(f->comm));
	ilp_out_printf(o, ")</td><td style=\"text-align:left\">");
	esc(o, f->what);
	ilp_out_printf(o, "<br><span class=\"ilp-note\">");
	esc(o, f->evidence);
	ilp_out_printf(o, "; ");
	esc(o, f->why);
	ilp_out_printf(o, "</span></td><td>");
	if (f->nested && !f->saving_ns)
		ilp_out_printf(o, "in the group's");
	else
		pr_time(o, f->saving_ns);
	ilp_out_printf(o, "</td><td style=\"text-align:left\">");
	esc(o, f->fix);
	ilp_out_printf(o, "</td><td style=\"text-align:left\">");
	esc(o, f->site[0] ? f->site : "-");
	ilp_out_printf(o, "</td></tr>\n");
}

/* the rows of the top-level findings that are minor (or not), with their
 * nested ones; how many top-level ones and their savings */
static size_t html_finding_rows(struct ilp_out *o, const struct ilp_report_info *info, int minor,
				uint64_t *saving)
{
	size_t i, j, n = 0;

	*saving = 0;
	for (i = 0; i < info->nfindings; i += 1 + info->findings[i].nchildren) {
		if (ilp_finding_minor(&info->findings[i]) != minor)
			continue;
		n++;
		for (j = i; j <= i + info->findings[i].nchildren && j < info->nfindings; j++) {
			*saving += info->findings[j].saving_ns;
			if (o)
				html_finding_row(o, &info->findings[j]);
		}
	}
	return n;
}

/* findings (analyze.h), ranked, groups with their nested findings under
 * them; those under 1 % of the wall time in a closed <details> unless
 * --all; a section only when the analysis ran */
static void html_findings(struct ilp_out *o, const struct ilp_report_info *info, int all)
{
	uint64_t saving, minor_saving;
	size_t nminor;

	if (!info->ndetectors)
		return;
	ilp_out_printf(o, "<section class=\"ilp-findings\" id=\"findings\">\n<h2>Findings</h2>\n");
	if (!info->nfindings) {
		ilp_out_printf(o, "<p class=\"ilp-note\">none (%zu detectors ran)</p>\n</section>\n",
		   info->ndetectors);
		return;
	}
	nminor = all ? 0 : html_finding_rows(NULL, info, 1, &minor_saving);
	html_finding_head(o);
	if (all) {
		for (size_t i = 0; i < info->nfindings; i++)
			html_finding_row(o, &info->findings[i]);
	} else {
		html_finding_rows(o, info, 0, &saving);
	}
	ilp_out_printf(o, "</table>\n");
	if (nminor) {
		ilp_out_printf(o, "<details><summary>%zu minor finding%s, each under 1%% of the wall"
		   " time, saving ", nminor, nminor == 1 ? "" : "s");
		pr_time(o, minor_saving);
		ilp_out_printf(o, " in all</summary>\n");
		html_finding_head(o);
		html_finding_rows(o, info, 1, &minor_saving);
		ilp_out_printf(o, "</table>\n</details>\n");
	}
	ilp_out_printf(o, "</section>\n");
}

static void td_time_or_dash(struct ilp_out *o, int have, uint64_t ns)
{
	ilp_out_printf(o, "<td>");
	if (have)
		pr_time(o, ns);
	else
		ilp_out_printf(o, "-");
	ilp_out_printf(o, "</td>");
}

/* with_pct: process table (percentiles from the histogram) */
static void html_sc_table(struct ilp_out *o, size_t n,
			  const struct ilp_sc_stats *(*get)(const void *, size_t),
			  const void *obj, int with_pct)
{
	static const double pct[] = { 50.0, 90.0, 99.0 };

	ilp_out_printf(o, "<table class=\"ilp-syscalls\">\n<tr><th>syscall</th><th>calls</th>"
	   "<th>errors</th><th>total</th><th>avg</th>");
	if (with_pct)
		ilp_out_printf(o, "<th>p50</th><th>p90</th><th>p99</th>");
	ilp_out_printf(o, "<th>max</th><th>unfinished</th></tr>\n");
	for (size_t i = 0; i < n; i++) {
		const struct ilp_sc_stats *sc = get(obj, i);
		int h = sc->hist && ilp_hist_count(sc->hist);

		ilp_out_printf(o, "<tr><td>");
		esc(o, ilp_syscall_name(sc->nr));
		ilp_out_printf(o, "</td><td>%" PRIu64 "</td><td>%" PRIu64 "</td>", sc->calls, sc->errors);
		td_time_or_dash(o, 1, sc->total_ns);
		td_time_or_dash(o, sc->calls > 0,
				sc->calls ? (sc->total_ns + sc->calls / 2) / sc->calls : 0);
		if (with_pct)
			for (size_t k = 0; k < sizeof(pct) / sizeof(pct[0]); k++)
				td_time_or_dash(o, h, h ? ilp_hist_percentile(sc->hist, pct[k]) : 0);
		td_time_or_dash(o, sc->calls > 0, sc->max_ns);
		ilp_out_printf(o, "<td>");
		if (sc->unfinished) {
			ilp_out_printf(o, "%" PRIu64 " (", sc->unfinished);
			pr_time(o, sc->unfinished_ns);
			ilp_out_printf(o, " so far)");
		} else {
			ilp_out_printf(o, "0");
		}
		ilp_out_printf(o, "</td></tr>\n");
	}
	ilp_out_printf(o, "</table>\n");
}

static const struct ilp_sc_stats *proc_row(const void *obj, size_t i)
{
	return ilp_proc_syscall(obj, i);
}

static const struct ilp_sc_stats *thread_row(const void *obj, size_t i)
{
	return ilp_thread_syscall(obj, i);
}

/* one latency histogram as an inline SVG bar chart; kind: data-chart (syscall, device, lock) */
static void html_hist(struct ilp_out *o, const struct ilp_hist *hist, const char *kind,
		      const char *name, const char *what)
{
	uint64_t slot[65], peak;
	int n = ilp_hist_log2(hist, slot), first, nb, width, height;

	ilp_slots_span(slot, n, &first, &peak);
	if (first < 0)
		return;
	nb = n - first;
	width = LEFT_M + 12 + nb * (BAR_W + BAR_GAP);
	if (width < MIN_W)
		width = MIN_W;
	height = TOP_M + PLOT_H + BOTTOM_M;

	ilp_out_printf(o, "<figure>\n<figcaption>");
	esc(o, name);
	ilp_out_printf(o, " %s: %" PRIu64 "</figcaption>\n", what, ilp_hist_count(hist));
	ilp_out_printf(o, "<svg class=\"ilp-hist\" data-chart=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" "
	   "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"", kind,
	   width, height, width, height);
	esc(o, name);
	ilp_out_printf(o, " latency histogram\">\n");
	ilp_out_printf(o, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#9aa5b5\"/>\n",
	   LEFT_M, TOP_M + PLOT_H, width - 8, TOP_M + PLOT_H);
	for (int i = first; i < n; i++) {
		uint64_t lo = i ? UINT64_C(1) << (i - 1) : 0;
		uint64_t hi = i == 0 ? 0 : i == 64 ? UINT64_MAX : (UINT64_C(1) << i) - 1;
		int h = (int)(slot[i] * PLOT_H / peak);
		int x = LEFT_M + (i - first) * (BAR_W + BAR_GAP);
		int lx = x + BAR_W / 2, ly = TOP_M + PLOT_H + 10;

		if (slot[i] && h < 1)
			h = 1;
		ilp_out_printf(o, "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\">"
		   "<title>", x, TOP_M + PLOT_H - h, BAR_W, h);
		pr_time(o, lo);
		ilp_out_printf(o, " to ");
		pr_time(o, hi);
		ilp_out_printf(o, ": %" PRIu64 "</title></rect>\n", slot[i]);
		if (slot[i])
			ilp_out_printf(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%" PRIu64 "</text>\n",
			   lx, TOP_M + PLOT_H - h - 4, slot[i]);
		ilp_out_printf(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" transform=\"rotate(-45 %d %d)\">",
		   lx, ly, lx, ly);
		pr_time(o, lo);
		ilp_out_printf(o, "</text>\n");
	}
	ilp_out_printf(o, "</svg>\n</figure>\n");
}

static void html_unfinished(struct ilp_out *o, const struct ilp_proc *p)
{
	for (size_t i = 0; i < ilp_proc_nsyscalls(p); i++) {
		const struct ilp_sc_stats *sc = ilp_proc_syscall(p, i);

		if (!sc->unfinished)
			continue;
		ilp_out_printf(o, "<p class=\"ilp-note\">unfinished: ");
		esc(o, ilp_syscall_name(sc->nr));
		ilp_out_printf(o, " %" PRIu64 " call%s, ", sc->unfinished, sc->unfinished == 1 ? "" : "s");
		pr_time(o, sc->unfinished_ns);
		ilp_out_printf(o, " so far</p>\n");
	}
}

static void html_threads(struct ilp_out *o, const struct ilp_proc *p)
{
	for (size_t i = 0; i < ilp_proc_nthreads_seen(p); i++) {
		const struct ilp_thread *t = ilp_proc_thread(p, i);

		if (!ilp_thread_nsyscalls(t))
			continue;
		ilp_out_printf(o, "<h3>tid %d (", ilp_thread_tid(t));
		esc(o, or_unknown(ilp_thread_comm(t)));
		ilp_out_printf(o, ") &mdash; calls: %" PRIu64 ", syscall time: ", ilp_thread_calls(t));
		pr_time(o, ilp_thread_total_ns(t));
		ilp_out_printf(o, "</h3>\n");
		html_sc_table(o, ilp_thread_nsyscalls(t), thread_row, t, 0);
	}
}

static void html_charts(struct ilp_out *o, const struct ilp_proc *p,
			const struct ilp_report_opts *opts)
{
	int shown = 0;

	for (size_t i = 0; i < ilp_proc_nsyscalls(p) && shown < opts->top_hist; i++) {
		const struct ilp_sc_stats *sc = ilp_proc_syscall(p, i);

		if (!sc->hist || !ilp_hist_count(sc->hist))
			continue;
		if (!shown)
			ilp_out_printf(o, "<div class=\"ilp-charts\">\n");
		html_hist(o, sc->hist, "syscall", ilp_syscall_name(sc->nr),
			  "latency (wall-clock), calls");
		shown++;
	}
	if (shown)
		ilp_out_printf(o, "</div>\n");
}

/* ---- waiting below the syscall (waitmodel.h), I/O by object, call sites ---- */

static void td_u64(struct ilp_out *o, uint64_t v)
{
	ilp_out_printf(o, "<td>%" PRIu64 "</td>", v);
}

static void td_str(struct ilp_out *o, const char *s)
{
	ilp_out_printf(o, "<td>");
	esc(o, s);
	ilp_out_printf(o, "</td>");
}

static void td_pct(struct ilp_out *o, const struct ilp_hist *h, double pct)
{
	int have = h && ilp_hist_count(h);

	td_time_or_dash(o, have, have ? ilp_hist_percentile(h, pct) : 0);
}

/* "<table class=cls><tr><th>..." from a "|"-separated header list */
static void table_begin(struct ilp_out *o, const char *cls, const char *heads)
{
	ilp_out_printf(o, "<table class=\"%s\">\n<tr><th>", cls);
	for (; *heads; heads++) {
		if (*heads == '|')
			ilp_out_printf(o, "</th><th>");
		else
			ilp_out_printf(o, "%c", *heads);
	}
	ilp_out_printf(o, "</th></tr>\n");
}

static void html_object_row(struct ilp_out *o, const struct ilp_fdobj *ob)
{
	const struct ilp_io_stats *st = ilp_fdobj_stats(ob);
	char name[ILP_FINDING_OBJ + 32];

	ilp_fdobj_format(ob, name, sizeof(name));
	ilp_out_printf(o, "<tr>");
	td_str(o, name);
	td_u64(o, st->ops);
	td_u64(o, st->errors);
	td_time_or_dash(o, 1, st->total_ns);
	td_u64(o, st->reads);
	td_u64(o, st->rbytes);
	td_u64(o, st->writes);
	td_u64(o, st->wbytes);
	td_u64(o, st->syncs);
	ilp_out_printf(o, "</tr>\n");
}

static void html_objects(struct ilp_out *o, const struct ilp_proc *p, int top)
{
	const struct ilp_fdproc *f = ilp_proc_fds(p);
	size_t n = ilp_fdproc_nobjs(f);
	uint64_t nobjs = 0, nfds = 0;
	int exact = 1;
	const struct ilp_fdobj *more = ilp_fdproc_more(f, &nobjs, &exact, &nfds);

	if ((!n && !more) || top <= 0)
		return;
	ilp_out_printf(o, "<h3>I/O by object</h3>\n");
	table_begin(o, "ilp-objects", "object|ops|errors|total|reads|read bytes|writes|write bytes|syncs");
	for (size_t i = 0; i < n && i < (size_t)top; i++)
		html_object_row(o, ilp_fdproc_obj(f, i));
	if (more)
		html_object_row(o, more);
	ilp_out_printf(o, "</table>\n");
	if (more)
		ilp_out_printf(o, "<p>The last row: the calls on %s%" PRIu64 " objects past the first %u "
			       "and on %" PRIu64 " fds opened past the %u fds &ge; 1024 tracked, counted "
			       "together.</p>\n", exact ? "" : "at least ", nobjs, ILP_FDOBJ_MAX, nfds,
			       ILP_FD_SPARSE_MAX);
}

/* io_uring (uringmodel.h): the totals, then one row per opcode, one per file */
static void html_uring(struct ilp_out *o, const struct ilp_proc *p)
{
	const struct ilp_uproc *up = ilp_proc_uring(p);
	const struct ilp_uring_totals *t = ilp_uproc_totals(up);
	const struct ilp_uring_op_stats *op;
	const struct ilp_uring_file_stats *fr;
	char name[ILP_FINDING_OBJ + 32], wt[ILP_FMT_TIME_LEN];

	if (!t)
		return;
	ilp_fmt_time(wt, sizeof(wt), t->wait_ns);
	ilp_out_printf(o, "<h3>io_uring</h3>\n<p>%" PRIu64 " requests completed of %" PRIu64
		       " submitted, %" PRIu64 " punted to io-wq workers; waiting for completions: %"
		       PRIu64 " io_uring_enter calls waited, %s.</p>\n", t->completed, t->submitted,
		       t->punted, t->waits, wt);
	table_begin(o, "ilp-uring-ops", "op|requests|errors|punted|bytes|total|p50|p99|max");
	for (size_t i = 0; (op = ilp_uproc_op(up, i)); i++) {
		ilp_out_printf(o, "<tr>");
		td_str(o, op->name);
		td_u64(o, op->requests);
		td_u64(o, op->errors);
		td_u64(o, op->punted);
		td_u64(o, op->bytes);
		td_time_or_dash(o, 1, op->total_ns);
		td_pct(o, op->hist, 50.0);
		td_pct(o, op->hist, 99.0);
		td_time_or_dash(o, op->requests != 0, op->max_ns);
		ilp_out_printf(o, "</tr>\n");
	}
	ilp_out_printf(o, "</table>\n");
	if (!ilp_uproc_file(up, 0))
		return;
	table_begin(o, "ilp-uring-files", "file|op|requests|bytes|total|p99");
	for (size_t i = 0; (fr = ilp_uproc_file(up, i)); i++) {
		ilp_uring_file_format(fr, name, sizeof(name));
		ilp_out_printf(o, "<tr>");
		td_str(o, name);
		td_str(o, fr->name);
		td_u64(o, fr->requests);
		td_u64(o, fr->bytes);
		td_time_or_dash(o, 1, fr->total_ns);
		td_pct(o, fr->hist, 99.0);
		ilp_out_printf(o, "</tr>\n");
	}
	ilp_out_printf(o, "</table>\n");
}

static void tids(struct ilp_out *o, const struct ilp_tidcount *set, size_t n, uint64_t more)
{
	ilp_out_printf(o, "<td style=\"text-align:left\">");
	for (size_t i = 0; i < n; i++)
		ilp_out_printf(o, "%s%d&times;%" PRIu64, i ? ", " : "", set[i].tid, set[i].n);
	if (more)
		ilp_out_printf(o, " +%" PRIu64, more);
	ilp_out_printf(o, "%s</td>", n || more ? "" : "-");
}

static void html_ulock_row(struct ilp_out *o, const char *name, const struct ilp_ulock *l)
{
	ilp_out_printf(o, "<tr>");
	td_str(o, name);
	td_str(o, ilp_ulock_kind_name(l->kind));
	td_u64(o, l->waits);
	td_u64(o, l->eagain);
	td_u64(o, l->timeouts);
	td_u64(o, l->intr);
	td_u64(o, l->wake_calls);
	td_time_or_dash(o, 1, l->wait_ns + l->timeout_ns);
	td_time_or_dash(o, l->waits > 0, l->waits ? l->wait_ns / l->waits : 0);
	td_pct(o, l->hist, 50);
	td_pct(o, l->hist, 99);
	td_time_or_dash(o, l->waits + l->timeouts > 0, l->max_ns);
	tids(o, l->waiters, l->nwaiters, l->waiters_more);
	tids(o, l->wakers, l->nwakers, l->wakers_more);
	ilp_out_printf(o, "</tr>\n");
}

/* the note under a table whose last row holds the addresses past the cap */
static void more_note(struct ilp_out *o, uint64_t naddrs, int exact, unsigned kept)
{
	ilp_out_printf(o, "<p>The last row: %s%" PRIu64 " addresses past the %u kept apart, "
		       "counted together.</p>\n", exact ? "" : "at least ", naddrs, kept);
}

static void html_ulocks(struct ilp_out *o, const struct ilp_wproc *wp)
{
	size_t n = ilp_wproc_nulocks(wp);
	uint64_t naddrs = 0;
	int exact = 1;
	const struct ilp_ulock *more = ilp_wproc_ulock_more(wp, &naddrs, &exact);
	char name[256];

	if (!n && !more)
		return;
	ilp_out_printf(o, "<h3>Locks (user)</h3>\n");
	table_begin(o, "ilp-locks", "lock|kind|waits|eagain|timeouts|other|wakes|total|avg|p50|p99|max|"
		    "waiters|wakers");
	for (size_t i = 0; i < n; i++) {
		const struct ilp_ulock *l = ilp_wproc_ulock(wp, i);

		html_ulock_row(o, ilp_wait_ulock_name(wp, l->uaddr, name, sizeof(name)), l);
	}
	if (more)
		html_ulock_row(o, "(more addresses)", more);
	ilp_out_printf(o, "</table>\n");
	if (more)
		more_note(o, naddrs, exact, ILP_ULOCK_MAX);
	ilp_out_printf(o, "<div class=\"ilp-charts\">\n");
	for (size_t i = 0; i < n && i < 3; i++) {
		const struct ilp_ulock *l = ilp_wproc_ulock(wp, i);

		if (l->hist && ilp_hist_count(l->hist))
			html_hist(o, l->hist, "lock", ilp_wait_ulock_name(wp, l->uaddr, name, sizeof(name)),
				  "wait time, waits");
	}
	ilp_out_printf(o, "</div>\n");
}

/* --lock-holds: each mutex's holds, its waits, and the site holding it longest */
static void html_holds(struct ilp_out *o, const struct ilp_hproc *hp, const struct ilp_wproc *wp)
{
	size_t n = ilp_hproc_nlocks(hp);
	char name[256];

	if (!n)
		return;
	ilp_out_printf(o, "<h3>Lock holds</h3>\n");
	table_begin(o, "ilp-holds", "lock|holds|total|avg|p50|p99|max|waits|wait|longest held at");
	for (size_t i = 0; i < n; i++) {
		const struct ilp_hold_lock *l = ilp_hproc_lock(hp, i);
		const struct ilp_ulock *u = ilp_wproc_find_ulock(wp, l->addr);
		const struct ilp_hold_site *s = l->nsites ? &l->sites[0] : NULL;

		ilp_out_printf(o, "<tr>");
		if (l->name)
			td_str(o, l->name);
		else {
			snprintf(name, sizeof(name), "0x%" PRIx64, l->addr);
			td_str(o, name);
		}
		td_u64(o, l->holds);
		td_time_or_dash(o, 1, l->total_ns);
		td_time_or_dash(o, l->holds > 0, l->holds ? l->total_ns / l->holds : 0);
		td_pct(o, l->hist, 50);
		td_pct(o, l->hist, 99);
		td_time_or_dash(o, l->holds > 0, l->max_ns);
		td_u64(o, u ? u->waits : 0);
		td_time_or_dash(o, 1, u ? u->wait_ns : 0);
		if (s && s->name && s->name[0])
			td_str(o, s->name);
		else {
			snprintf(name, sizeof(name), s ? "0x%" PRIx64 : "-", s ? s->pc : 0);
			td_str(o, name);
		}
		ilp_out_printf(o, "</tr>\n");
	}
	ilp_out_printf(o, "</table>\n");
}

static void html_klock_row(struct ilp_out *o, const char *name, const struct ilp_klock *l)
{
	ilp_out_printf(o, "<tr>");
	td_str(o, name);
	td_str(o, ilp_klock_type(l->flags));
	td_u64(o, l->waits);
	td_time_or_dash(o, 1, l->wait_ns);
	td_pct(o, l->hist, 50);
	td_pct(o, l->hist, 99);
	td_time_or_dash(o, l->waits > 0, l->max_ns);
	tids(o, l->waiters, l->nwaiters, l->waiters_more);
	ilp_out_printf(o, "</tr>\n");
}

static void html_klocks(struct ilp_out *o, const struct ilp_wproc *wp)
{
	size_t n = ilp_wproc_nklocks(wp);
	uint64_t naddrs = 0;
	int exact = 1;
	const struct ilp_klock *more = ilp_wproc_klock_more(wp, &naddrs, &exact);
	char name[32];

	if (!n)
		return;
	ilp_out_printf(o, "<h3>Locks (kernel)</h3>\n");
	table_begin(o, "ilp-klocks", "lock|type|waits|total|p50|p99|max|waiters");
	for (size_t i = 0; i < n; i++) {
		const struct ilp_klock *l = ilp_wproc_klock(wp, i);

		snprintf(name, sizeof(name), "0x%" PRIx64, l->addr);
		html_klock_row(o, l->name ? l->name : name, l);
	}
	if (more)
		html_klock_row(o, "(more addresses)", more);
	ilp_out_printf(o, "</table>\n");
	if (more)
		more_note(o, naddrs, exact, ILP_KLOCK_MAX);
}

static void html_blocking(struct ilp_out *o, const struct ilp_model *m, const struct ilp_proc *p,
			  const struct ilp_wproc *wp)
{
	size_t no = ilp_wproc_noffcpu(wp), nb = ilp_wproc_nblocking(wp);
	char obj[512];

	if (!no)
		return;
	ilp_out_printf(o, "<h3>Blocking calls</h3>\n<p class=\"ilp-note\">off-CPU inside syscalls: "
		       "S sleeping until an event, D uninterruptible (usually disk), R runnable</p>\n");
	table_begin(o, "ilp-offcpu", "syscall|calls|blocked|total|on-CPU|off-S|off-D|off-R");
	for (size_t i = 0; i < no; i++) {
		const struct ilp_sc_offcpu *c = ilp_wproc_offcpu(wp, i);

		ilp_out_printf(o, "<tr>");
		td_str(o, ilp_syscall_name(c->nr));
		td_u64(o, c->calls);
		td_u64(o, c->blocked_calls);
		td_time_or_dash(o, 1, c->total_ns);
		td_time_or_dash(o, 1, c->on_ns);
		for (int k = 0; k < ILP_OFF_NSTATES; k++)
			td_time_or_dash(o, 1, c->off_ns[k]);
		ilp_out_printf(o, "</tr>\n");
	}
	ilp_out_printf(o, "</table>\n");
	table_begin(o, "ilp-blocking", "tid|syscall|object|calls|total|off-S|off-D|off-R|max");
	for (size_t i = 0; i < nb && i < 10; i++) {
		const struct ilp_blocking *b = ilp_wproc_blocking(wp, i);

		ilp_out_printf(o, "<tr><td>%d</td>", b->tid);
		td_str(o, ilp_syscall_name(b->nr));
		td_str(o, ilp_wait_object(m, p, b->okind, b->obj, b->fobj, b->dev, obj, sizeof(obj)));
		td_u64(o, b->calls);
		td_time_or_dash(o, 1, b->wall_ns);
		for (int k = 0; k < ILP_OFF_NSTATES; k++)
			td_time_or_dash(o, 1, b->off_ns[k]);
		td_time_or_dash(o, 1, b->max_ns);
		ilp_out_printf(o, "</tr>\n");
	}
	ilp_out_printf(o, "</table>\n");
}

static void html_sites(struct ilp_out *o, const struct ilp_proc *p, const struct ilp_stacks *st,
		       int since_start)
{
	char buf[512];
	int shown = 0;

	for (size_t i = 0; st && i < ilp_stacks_count(st); i++) {
		const struct ilp_stack *s = ilp_stacks_get(st, i);

		if (s->pid != ilp_proc_pid(p))
			continue;
		if (!shown++) {
			ilp_out_printf(o, "<h3>Call sites%s</h3>\n", since_start ?
				       " (since the start of the capture, not only this "
				       "interval)" : "");
			table_begin(o, "ilp-sites", "call site|syscall|calls|total|max");
		}
		ilp_stack_frame_fmt(&s->frames[s->site], buf, sizeof(buf));
		ilp_out_printf(o, "<tr>");
		td_str(o, buf);
		td_str(o, ilp_syscall_name(s->nr));
		td_u64(o, s->calls);
		td_time_or_dash(o, 1, s->total_ns);
		td_time_or_dash(o, 1, s->max_ns);
		ilp_out_printf(o, "</tr>\n");
	}
	if (shown)
		ilp_out_printf(o, "</table>\n");
}

static void html_disk(struct ilp_out *o, const struct ilp_model *m)
{
	size_t nd = ilp_model_nblkdevs(m);
	char name[32];

	if (!nd)
		return;
	ilp_out_printf(o, "<section class=\"ilp-disk\" id=\"disk\">\n<h2>Disk I/O</h2>\n");
	table_begin(o, "ilp-devices", "device|submitter|requests|bytes|read|write|flush|discard|"
		    "q2c p50|d2c p50|d2c p99|d2c max");
	for (size_t i = 0; i < nd; i++) {
		const struct ilp_blkdev *d = ilp_model_blkdev(m, i);

		ilp_wait_dev_name(m, ilp_blkdev_dev(d), name, sizeof(name));
		for (size_t k = 0; k <= ilp_blkdev_nsubmitters(d); k++) {
			const struct ilp_blk_submitter *sb = k ? ilp_blkdev_submitter(d, k - 1) : NULL;
			const struct ilp_blk_stats *s = sb ? &sb->st : ilp_blkdev_stats(d);
			char who[48];

			if (sb)
				snprintf(who, sizeof(who), "%s %s", sb->pid ? "" : sb->kernel ?
					 "(kernel thread)" : "(not traced)", sb->comm);
			ilp_out_printf(o, "<tr>");
			td_str(o, sb ? "" : name);
			td_str(o, sb ? who : "all");
			td_u64(o, s->requests);
			td_u64(o, s->bytes);
			for (int op = ILP_BLK_READ; op <= ILP_BLK_DISCARD; op++)
				td_u64(o, s->ops[op]);
			td_pct(o, s->q2c, 50);
			td_pct(o, s->d2c, 50);
			td_pct(o, s->d2c, 99);
			td_time_or_dash(o, s->d2c && ilp_hist_count(s->d2c), ilp_hist_max(s->d2c));
			ilp_out_printf(o, "</tr>\n");
		}
	}
	ilp_out_printf(o, "</table>\n<div class=\"ilp-charts\">\n");
	for (size_t i = 0; i < nd; i++) {
		const struct ilp_blk_stats *s = ilp_blkdev_stats(ilp_model_blkdev(m, i));

		if (s->d2c && ilp_hist_count(s->d2c))
			html_hist(o, s->d2c, "device",
				  ilp_wait_dev_name(m, ilp_blkdev_dev(ilp_model_blkdev(m, i)), name,
						    sizeof(name)), "issue->complete latency, requests");
	}
	ilp_out_printf(o, "</div>\n</section>\n");
}

/* ---- wait flame graph ---- */

static int flame_add(void *ctx, const struct ilp_fold_stack *s)
{
	return ilp_flame_add(ctx, s->frames, s->n, s->ns);
}

static const char *const frame_kind[ILP_FRAME_NKINDS] = {
	[ILP_FRAME_PROC] = "process", [ILP_FRAME_THREAD] = "thread", [ILP_FRAME_SITE] = "site",
	[ILP_FRAME_SYSCALL] = "syscall", [ILP_FRAME_OBJECT] = "object",
	[ILP_FRAME_KLOCK] = "lock",
};

/* one frame: its rect with the hover text, and the label that fits */
static void html_frame(struct ilp_out *o, const struct ilp_flame_rect *r, int y, const char *proc)
{
	char fill[8], *e = esc_dup(o, r->name);
	size_t n;
	int dots;

	if (!e)
		return;
	ilp_flame_color(r->kind, r->name, fill);
	ilp_out_printf(o, "<rect class=\"ilp-frame\" data-kind=\"%s\" x=\"%.2f\" y=\"%d\" "
		       "width=\"%.2f\" height=\"%d\" fill=\"%s\"><title>", frame_kind[r->kind],
		       r->x, y, r->w, FLAME_ROW - 1, fill);
	ent(o, e, strlen(e));
	ilp_out_printf(o, "\n%" PRIu64 " ns (", r->ns);
	pr_time(o, r->ns);
	ilp_out_printf(o, "), %.1f %% of ", r->pct);
	esc(o, proc);
	ilp_out_printf(o, "'s time inside syscalls");
	if (r->hidden_ns) {
		ilp_out_printf(o, "\n%" PRIu64 " ns (", r->hidden_ns);
		pr_time(o, r->hidden_ns);
		ilp_out_printf(o, ") in frames under %g px, not drawn", FLAME_MIN_W);
	}
	ilp_out_printf(o, "</title></rect>\n");
	n = ilp_flame_label(e, r->w, FLAME_GLYPH, &dots);
	if (n) {
		ilp_out_printf(o, "<text x=\"%.2f\" y=\"%d\">", r->x + ILP_FLAME_TEXT_PAD,
			       y + FLAME_ROW - 5);
		ent(o, e, n);
		ilp_out_printf(o, "%s</text>\n", dots ? ".." : "");
	}
	free(e);
}

/* the process's folded stacks (fold.h) as a flame graph, the outermost
 * frame (the process) at the bottom */
static void html_flame(struct ilp_out *o, const struct ilp_model *m, const struct ilp_proc *p,
		       const struct ilp_report_info *info, int threads)
{
	struct ilp_flame *fl = ilp_flame_new();
	struct ilp_flame_rects r = { 0 };
	int err = fl ? 0 : -ENOMEM, height;

	if (!err)
		err = ilp_fold_proc(m, p, info->window_ts ? NULL : info->stacks,
				    threads ? ILP_FOLD_THREADS : 0, flame_add, fl);
	if (!err)
		err = ilp_flame_layout(fl, FLAME_W, FLAME_MIN_W, &r);
	if (err && !o->err)
		o->err = err;
	if (err || !r.n)
		goto out;
	height = r.rows * FLAME_ROW + 2 * FLAME_PAD;
	ilp_out_printf(o, "<h3>Wait flame graph</h3>\n<p class=\"ilp-note\">Time inside "
		       "syscalls, each frame as wide as its share. Bottom up: the process, its "
		       "threads (--threads) or call stacks (--stacks, red), the syscalls (orange), "
		       "what they waited on off-CPU (blue). Hover a frame for its time; frames "
		       "under %g px are not drawn.</p>\n", FLAME_MIN_W);
	ilp_out_printf(o, "<figure>\n<svg class=\"ilp-flame\" data-pid=\"%d\" "
		       "xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		       "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"wait flame graph of ",
		       ilp_proc_pid(p), FLAME_W, height, FLAME_W, height);
	esc(o, r.v[0].name);
	ilp_out_printf(o, ": ");
	pr_time(o, r.total_ns);
	ilp_out_printf(o, " inside syscalls\">\n");
	for (size_t i = 0; i < r.n && !o->err; i++)
		html_frame(o, &r.v[i], height - FLAME_PAD - (r.v[i].depth + 1) * FLAME_ROW,
			   r.v[0].name);
	ilp_out_printf(o, "</svg>\n</figure>\n");
out:
	ilp_flame_rects_release(&r);
	ilp_flame_free(fl);
}

/* idx: the process's index in the model, its section's id ("proc-3"): a
 * pid reused during the capture has two sections; flame: with its wait
 * flame graph */
static void html_proc(struct ilp_out *o, const struct ilp_model *m, const struct ilp_proc *p,
		      size_t idx, const struct ilp_report_info *info,
		      const struct ilp_report_opts *opts, int flame)
{
	ilp_out_printf(o, "<section class=\"ilp-proc\" id=\"proc-%zu\">\n<h2>pid %d (", idx,
		       ilp_proc_pid(p));
	esc(o, or_unknown(ilp_proc_comm(p)));
	ilp_out_printf(o, ")</h2>\n<p>threads: %zu &middot; calls: %" PRIu64 " &middot; syscall time: ",
	   ilp_proc_nthreads_seen(p), ilp_proc_calls(p));
	pr_time(o, ilp_proc_total_ns(p));
	ilp_out_printf(o, "</p>\n");
	if (!ilp_proc_nsyscalls(p)) {
		ilp_out_printf(o, "<p class=\"ilp-note\">no syscalls</p>\n</section>\n");
		return;
	}
	html_sc_table(o, ilp_proc_nsyscalls(p), proc_row, p, 1);
	html_unfinished(o, p);
	html_charts(o, p, opts);
	if (flame)
		html_flame(o, m, p, info, opts->threads);
	html_objects(o, p, opts->top_objects);
	html_uring(o, p);
	html_ulocks(o, ilp_proc_wait(p));
	if (info->lock_holds)
		html_holds(o, ilp_model_hproc(m, ilp_proc_pid(p)), ilp_proc_wait(p));
	html_klocks(o, ilp_proc_wait(p));
	html_blocking(o, m, p, ilp_proc_wait(p));
	html_sites(o, p, info->stacks, info->window_ts != 0);
	if (opts->threads)
		html_threads(o, p);
	ilp_out_printf(o, "</section>\n");
}

/* contents: a link to each section below, processes with their syscall
 * time (the page of a build with many processes is long) */
static void html_nav(struct ilp_out *o, const struct ilp_model *m,
		     const struct ilp_report_info *info)
{
	const char *sep = "";

	ilp_out_printf(o, "<nav class=\"ilp-nav\"><p>");
	if (info->ndetectors) {
		size_t n = 0;

		for (size_t i = 0; i < info->nfindings; i++)
			n += !info->findings[i].nested;
		ilp_out_printf(o, "<a href=\"#findings\">Findings (%zu)</a>", n);
		sep = " &middot; ";
	}
	for (size_t i = 0; i < ilp_model_nprocs(m); i++) {
		const struct ilp_proc *p = ilp_model_proc(m, i);

		if (!ilp_report_proc_shown(m, p))
			continue;
		ilp_out_printf(o, "%s<a href=\"#proc-%zu\">pid %d (", sep, i, ilp_proc_pid(p));
		esc(o, or_unknown(ilp_proc_comm(p)));
		ilp_out_printf(o, ") ");
		pr_time(o, ilp_proc_total_ns(p));
		ilp_out_printf(o, "</a>");
		sep = " &middot; ";
	}
	if (ilp_model_nblkdevs(m))
		ilp_out_printf(o, "%s<a href=\"#disk\">Disk I/O</a>", sep);
	ilp_out_printf(o, "</p></nav>\n");
}

int ilp_report_html(FILE *out, const struct ilp_model *m,
		    const struct ilp_report_info *info,
		    const struct ilp_report_opts *opts)
{
	struct ilp_out o = { out, 0 };
	size_t printed = 0;

	html_header(&o, info);
	html_nav(&o, m, info);
	html_findings(&o, info, opts->all_findings);
	for (size_t i = 0; i < ilp_model_nprocs(m); i++) {
		const struct ilp_proc *p = ilp_model_proc(m, i);

		if (!ilp_report_proc_shown(m, p))
			continue;
		html_proc(&o, m, p, i, info, opts, printed < FLAME_PROCS);
		printed++;
	}
	if (!printed)
		ilp_out_printf(&o, "<p>no syscalls were captured</p>\n");
	html_disk(&o, m);
	ilp_out_printf(&o, "</body>\n</html>\n");
	if (fflush(out) || ferror(out))
		return -EIO;
	return o.err;
}
