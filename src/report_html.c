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
 *   (hover text) giving its range and count.
 *
 * Strings are HTML-escaped; invalid UTF-8 becomes U+FFFD.  Formatting
 * only: every number comes from the model's accessors or the report info.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "analyze.h"
#include "hist.h"
#include "json.h"
#include "model.h"
#include "report.h"
#include "report_util.h"
#include "syscalls.h"

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

struct out {
	FILE *f;
	int err;
};

__attribute__((format(printf, 2, 3)))
static void pr(struct out *o, const char *fmt, ...)
{
	va_list ap;

	if (o->err)
		return;
	va_start(ap, fmt);
	if (vfprintf(o->f, fmt, ap) < 0)
		o->err = -EIO;
	va_end(ap);
}

/* s, HTML-escaped (text and attribute values alike) */
static void esc(struct out *o, const char *s)
{
	size_t len = s ? strlen(s) : 0, i = 0, n;

	while (i < len && !o->err) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '&': pr(o, "&amp;"); i++; continue;
		case '<': pr(o, "&lt;"); i++; continue;
		case '>': pr(o, "&gt;"); i++; continue;
		case '"': pr(o, "&quot;"); i++; continue;
		case '\'': pr(o, "&#39;"); i++; continue;
		default: break;
		}
		if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) {
			pr(o, "&#xFFFD;");
			i++;
			continue;
		}
		n = ilp_utf8_seq(s + i, len - i);
		if (!n) {
			pr(o, "&#xFFFD;");
			i++;
			continue;
		}
		if (fwrite(s + i, 1, n, o->f) != n)
			o->err = -EIO;
		i += n;
	}
}

static const char *or_unknown(const char *s)
{
	return s && *s ? s : "?";
}

static void pr_time(struct out *o, uint64_t ns)
{
	char t[ILP_FMT_TIME_LEN];

	ilp_fmt_time(t, sizeof(t), ns);
	pr(o, "%s", t);
}

static const char css[] =
"body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:1.5em auto;"
"max-width:72em;padding:0 1em;color:#1d2430;background:#fff}"
"h1{font-size:1.4em;margin-bottom:.2em}h2{font-size:1.15em;margin-top:2em;"
"border-bottom:2px solid #d6dde8;padding-bottom:.2em}h3{font-size:1em}"
".ilp-note{color:#5a6475;font-size:.9em}"
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
"svg.ilp-hist text{font-size:9px;fill:#3a4352;font-family:sans-serif}";

static void html_header(struct out *o, const struct ilp_report_info *info)
{
	uint64_t wall = info->end_ts > info->start_ts ? info->end_ts - info->start_ts : 0;

	pr(o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	   "<title>iolockprof: ");
	esc(o, or_unknown(info->command));
	pr(o, "</title>\n<style>%s</style>\n</head>\n<body>\n", css);
	pr(o, "<h1>iolockprof %s report%s</h1>\n", ILP_VERSION,
	   info->interim ? " (interim)" : "");
	pr(o, "<p class=\"ilp-note\">Where the time goes inside syscalls: wall-clock "
	   "time from enter to exit, including time blocked off-CPU.</p>\n");
	pr(o, "<table class=\"ilp-facts\">\n<tr><th>command</th><td>");
	esc(o, or_unknown(info->command));
	pr(o, "</td></tr>\n<tr><th>backend</th><td>");
	esc(o, or_unknown(info->backend));
	pr(o, "</td></tr>\n<tr><th>duration</th><td>");
	pr_time(o, wall);
	pr(o, "</td></tr>\n<tr><th>events</th><td>%" PRIu64 "</td></tr>\n"
	   "<tr><th>lost events</th><td>%" PRIu64 "</td></tr>\n", info->events, info->lost);
	if (info->exit_status >= 0)
		pr(o, "<tr><th>exit status</th><td>%d</td></tr>\n", info->exit_status);
	pr(o, "</table>\n");
	if (info->lost)
		pr(o, "<p class=\"ilp-warn\"><strong>%" PRIu64 " events were lost</strong> "
		   "by the kernel ring buffer: counts below are lower bounds (raise -b).</p>\n",
		   info->lost);
}

/* findings (analyze.h), ranked; a section only when the analysis ran */
static void html_findings(struct out *o, const struct ilp_report_info *info)
{
	if (!info->ndetectors)
		return;
	pr(o, "<section class=\"ilp-findings\">\n<h2>Findings</h2>\n");
	if (!info->nfindings) {
		pr(o, "<p class=\"ilp-note\">none (%zu detectors ran)</p>\n</section>\n",
		   info->ndetectors);
		return;
	}
	pr(o, "<table>\n<tr><th>severity</th><th>pattern</th><th>process</th><th style=\"text-align:left\">what</th>"
	   "<th>saving</th><th style=\"text-align:left\">fix</th></tr>\n");
	for (size_t i = 0; i < info->nfindings; i++) {
		const struct ilp_finding *f = &info->findings[i];

		pr(o, "<tr><td>%s</td><td>", f->severity >= ILP_SEV_HIGH ? "high" :
		   f->severity == ILP_SEV_MEDIUM ? "medium" : "low");
		esc(o, f->label);
		pr(o, "</td><td>%d (", f->pid);
		esc(o, or_unknown(f->comm));
		pr(o, ")</td><td style=\"text-align:left\">");
		esc(o, f->what);
		pr(o, "<br><span class=\"ilp-note\">");
		esc(o, f->evidence);
		pr(o, "; ");
		esc(o, f->why);
		pr(o, "</span></td><td>");
		pr_time(o, f->saving_ns);
		pr(o, "</td><td style=\"text-align:left\">");
		esc(o, f->fix);
		pr(o, "</td></tr>\n");
	}
	pr(o, "</table>\n</section>\n");
}

static void td_time_or_dash(struct out *o, int have, uint64_t ns)
{
	pr(o, "<td>");
	if (have)
		pr_time(o, ns);
	else
		pr(o, "-");
	pr(o, "</td>");
}

/* with_pct: process table (percentiles from the histogram) */
static void html_sc_table(struct out *o, size_t n,
			  const struct ilp_sc_stats *(*get)(const void *, size_t),
			  const void *obj, int with_pct)
{
	static const double pct[] = { 50.0, 90.0, 99.0 };

	pr(o, "<table class=\"ilp-syscalls\">\n<tr><th>syscall</th><th>calls</th>"
	   "<th>errors</th><th>total</th><th>avg</th>");
	if (with_pct)
		pr(o, "<th>p50</th><th>p90</th><th>p99</th>");
	pr(o, "<th>max</th><th>unfinished</th></tr>\n");
	for (size_t i = 0; i < n; i++) {
		const struct ilp_sc_stats *sc = get(obj, i);
		int h = sc->hist && ilp_hist_count(sc->hist);

		pr(o, "<tr><td>");
		esc(o, ilp_syscall_name(sc->nr));
		pr(o, "</td><td>%" PRIu64 "</td><td>%" PRIu64 "</td>", sc->calls, sc->errors);
		td_time_or_dash(o, 1, sc->total_ns);
		td_time_or_dash(o, sc->calls > 0,
				sc->calls ? (sc->total_ns + sc->calls / 2) / sc->calls : 0);
		if (with_pct)
			for (size_t k = 0; k < sizeof(pct) / sizeof(pct[0]); k++)
				td_time_or_dash(o, h, h ? ilp_hist_percentile(sc->hist, pct[k]) : 0);
		td_time_or_dash(o, sc->calls > 0, sc->max_ns);
		pr(o, "<td>");
		if (sc->unfinished) {
			pr(o, "%" PRIu64 " (", sc->unfinished);
			pr_time(o, sc->unfinished_ns);
			pr(o, " so far)");
		} else {
			pr(o, "0");
		}
		pr(o, "</td></tr>\n");
	}
	pr(o, "</table>\n");
}

static const struct ilp_sc_stats *proc_row(const void *obj, size_t i)
{
	return ilp_proc_syscall(obj, i);
}

static const struct ilp_sc_stats *thread_row(const void *obj, size_t i)
{
	return ilp_thread_syscall(obj, i);
}

/* one histogram as an inline SVG bar chart */
static void html_hist(struct out *o, const struct ilp_sc_stats *sc)
{
	uint64_t slot[65], peak = 0;
	int n = ilp_hist_log2(sc->hist, slot), first = -1, nb, width, height;

	for (int i = 0; i < n; i++) {
		if (slot[i] && first < 0)
			first = i;
		if (slot[i] > peak)
			peak = slot[i];
	}
	if (first < 0)
		return;
	nb = n - first;
	width = LEFT_M + 12 + nb * (BAR_W + BAR_GAP);
	if (width < MIN_W)
		width = MIN_W;
	height = TOP_M + PLOT_H + BOTTOM_M;

	pr(o, "<figure>\n<figcaption>");
	esc(o, ilp_syscall_name(sc->nr));
	pr(o, " latency (wall-clock), %" PRIu64 " call%s</figcaption>\n", ilp_hist_count(sc->hist),
	   ilp_hist_count(sc->hist) == 1 ? "" : "s");
	pr(o, "<svg class=\"ilp-hist\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	   "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"", width, height,
	   width, height);
	esc(o, ilp_syscall_name(sc->nr));
	pr(o, " latency histogram\">\n");
	pr(o, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#9aa5b5\"/>\n",
	   LEFT_M, TOP_M + PLOT_H, width - 8, TOP_M + PLOT_H);
	for (int i = first; i < n; i++) {
		uint64_t lo = i ? UINT64_C(1) << (i - 1) : 0;
		uint64_t hi = i == 0 ? 0 : i == 64 ? UINT64_MAX : (UINT64_C(1) << i) - 1;
		int h = (int)(slot[i] * PLOT_H / peak);
		int x = LEFT_M + (i - first) * (BAR_W + BAR_GAP);
		int lx = x + BAR_W / 2, ly = TOP_M + PLOT_H + 10;

		if (slot[i] && h < 1)
			h = 1;
		pr(o, "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\">"
		   "<title>", x, TOP_M + PLOT_H - h, BAR_W, h);
		pr_time(o, lo);
		pr(o, " to ");
		pr_time(o, hi);
		pr(o, ": %" PRIu64 " calls</title></rect>\n", slot[i]);
		if (slot[i])
			pr(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%" PRIu64 "</text>\n",
			   lx, TOP_M + PLOT_H - h - 4, slot[i]);
		pr(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" transform=\"rotate(-45 %d %d)\">",
		   lx, ly, lx, ly);
		pr_time(o, lo);
		pr(o, "</text>\n");
	}
	pr(o, "</svg>\n</figure>\n");
}

static void html_unfinished(struct out *o, const struct ilp_proc *p)
{
	for (size_t i = 0; i < ilp_proc_nsyscalls(p); i++) {
		const struct ilp_sc_stats *sc = ilp_proc_syscall(p, i);

		if (!sc->unfinished)
			continue;
		pr(o, "<p class=\"ilp-note\">unfinished: ");
		esc(o, ilp_syscall_name(sc->nr));
		pr(o, " %" PRIu64 " call%s, ", sc->unfinished, sc->unfinished == 1 ? "" : "s");
		pr_time(o, sc->unfinished_ns);
		pr(o, " so far</p>\n");
	}
}

static void html_threads(struct out *o, const struct ilp_proc *p)
{
	for (size_t i = 0; i < ilp_proc_nthreads_seen(p); i++) {
		const struct ilp_thread *t = ilp_proc_thread(p, i);

		if (!ilp_thread_nsyscalls(t))
			continue;
		pr(o, "<h3>tid %d (", ilp_thread_tid(t));
		esc(o, or_unknown(ilp_thread_comm(t)));
		pr(o, ") &mdash; calls: %" PRIu64 ", syscall time: ", ilp_thread_calls(t));
		pr_time(o, ilp_thread_total_ns(t));
		pr(o, "</h3>\n");
		html_sc_table(o, ilp_thread_nsyscalls(t), thread_row, t, 0);
	}
}

static void html_charts(struct out *o, const struct ilp_proc *p,
			const struct ilp_report_opts *opts)
{
	int shown = 0;

	for (size_t i = 0; i < ilp_proc_nsyscalls(p) && shown < opts->top_hist; i++) {
		const struct ilp_sc_stats *sc = ilp_proc_syscall(p, i);

		if (!sc->hist || !ilp_hist_count(sc->hist))
			continue;
		if (!shown)
			pr(o, "<div class=\"ilp-charts\">\n");
		html_hist(o, sc);
		shown++;
	}
	if (shown)
		pr(o, "</div>\n");
}

static void html_proc(struct out *o, const struct ilp_proc *p,
		      const struct ilp_report_opts *opts)
{
	pr(o, "<section class=\"ilp-proc\">\n<h2>pid %d (", ilp_proc_pid(p));
	esc(o, or_unknown(ilp_proc_comm(p)));
	pr(o, ")</h2>\n<p>threads: %zu &middot; calls: %" PRIu64 " &middot; syscall time: ",
	   ilp_proc_nthreads_seen(p), ilp_proc_calls(p));
	pr_time(o, ilp_proc_total_ns(p));
	pr(o, "</p>\n");
	if (!ilp_proc_nsyscalls(p)) {
		pr(o, "<p class=\"ilp-note\">no syscalls</p>\n</section>\n");
		return;
	}
	html_sc_table(o, ilp_proc_nsyscalls(p), proc_row, p, 1);
	html_unfinished(o, p);
	html_charts(o, p, opts);
	if (opts->threads)
		html_threads(o, p);
	pr(o, "</section>\n");
}

int ilp_report_html(FILE *out, const struct ilp_model *m,
		    const struct ilp_report_info *info,
		    const struct ilp_report_opts *opts)
{
	struct out o = { out, 0 };
	size_t printed = 0;

	html_header(&o, info);
	html_findings(&o, info);
	for (size_t i = 0; i < ilp_model_nprocs(m); i++) {
		const struct ilp_proc *p = ilp_model_proc(m, i);

		if (!ilp_report_proc_shown(m, p))
			continue;
		html_proc(&o, p, opts);
		printed++;
	}
	if (!printed)
		pr(&o, "<p>no syscalls were captured</p>\n");
	pr(&o, "</body>\n</html>\n");
	if (fflush(out) || ferror(out))
		return -EIO;
	return o.err;
}
