// SPDX-License-Identifier: MIT
/*
 * The "io_uring" section of a process in the JSON report
 * (docs/report.schema.json): totals, per opcode, per file.  Formatting
 * only; times are integers in ns.
 */
#include <stdio.h>

#include "hist.h"
#include "report_json_parts.h"
#include "uringmodel.h"

static void ops(struct ilp_jw *w, const struct ilp_uproc *up)
{
	const struct ilp_uring_op_stats *o;

	ilp_jw_key(w, "ops");
	ilp_jw_arr_begin(w);
	for (size_t i = 0; (o = ilp_uproc_op(up, i)); i++) {
		int has = o->hist && ilp_hist_count(o->hist);

		ilp_jw_obj_begin(w);
		ilp_jw_kstr(w, "op", o->name);
		ilp_jw_ki64(w, "opcode", o->opcode);
		ilp_jw_ku64(w, "requests", o->requests);
		ilp_jw_ku64(w, "errors", o->errors);
		ilp_jw_ku64(w, "total_ns", o->total_ns);
		ilp_jw_ku64_or_null(w, "p50_ns", has, has ? ilp_hist_percentile(o->hist, 50.0) : 0);
		ilp_jw_ku64_or_null(w, "p99_ns", has, has ? ilp_hist_percentile(o->hist, 99.0) : 0);
		ilp_jw_ku64_or_null(w, "max_ns", o->requests != 0, o->max_ns);
		ilp_jw_ku64(w, "bytes", o->bytes);
		ilp_jw_ku64(w, "punted", o->punted);
		ilp_jw_ku64(w, "unfinished", o->unfinished);
		if (has)
			ilp_json_hist(w, o->hist, "ns");
		ilp_jw_obj_end(w);
	}
	ilp_jw_arr_end(w);
}

static void files(struct ilp_jw *w, const struct ilp_uproc *up)
{
	const struct ilp_uring_file_stats *f;
	char name[512];

	ilp_jw_key(w, "files");
	ilp_jw_arr_begin(w);
	for (size_t i = 0; (f = ilp_uproc_file(up, i)); i++) {
		ilp_jw_obj_begin(w);
		ilp_uring_file_format(f, name, sizeof(name));
		ilp_jw_kstr(w, "name", name);
		ilp_jw_kbool(w, "registered", f->fixed);
		ilp_jw_kstr(w, "op", f->name);
		ilp_jw_ku64(w, "requests", f->requests);
		ilp_jw_ku64(w, "errors", f->errors);
		ilp_jw_ku64(w, "total_ns", f->total_ns);
		ilp_jw_ku64_or_null(w, "max_ns", f->requests != 0, f->max_ns);
		ilp_jw_ku64(w, "bytes", f->bytes);
		if (f->hist && ilp_hist_count(f->hist))
			ilp_json_hist(w, f->hist, "ns");
		ilp_jw_obj_end(w);
	}
	ilp_jw_arr_end(w);
}

void ilp_json_proc_uring(struct ilp_jw *w, const struct ilp_proc *p)
{
	const struct ilp_uproc *up = ilp_proc_uring(p);
	const struct ilp_uring_totals *t = ilp_uproc_totals(up);

	if (!t)
		return;
	ilp_jw_key(w, "io_uring");
	ilp_jw_obj_begin(w);
	ilp_jw_ku64(w, "rings", t->rings);
	ilp_jw_ku64(w, "submitted", t->submitted);
	ilp_jw_ku64(w, "completed", t->completed);
	ilp_jw_ku64(w, "punted", t->punted);
	ilp_jw_ku64(w, "failed", t->failed);
	ilp_jw_ku64(w, "short_writes", t->short_writes);
	ilp_jw_ku64(w, "unfinished", t->unfinished);
	ilp_jw_ku64(w, "lost", t->lost);
	ilp_jw_ku64(w, "enters", t->enters);
	ilp_jw_ku64(w, "getevents", t->getevents);
	ilp_jw_ku64(w, "getevents_ns", t->getevents_ns);
	ilp_jw_ku64(w, "waits", t->waits);
	ilp_jw_ku64(w, "wait_ns", t->wait_ns);
	ops(w, up);
	files(w, up);
	ilp_jw_obj_end(w);
}
