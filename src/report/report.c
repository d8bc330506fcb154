// SPDX-License-Identifier: MIT
/*
 * The one report dispatch: index the model, then hand it to the reporter
 * of the chosen format.  Every backend and command reports through here.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "analyze.h"
#include "cli.h"
#include "model.h"
#include "report.h"
#include "stacks.h"

static int emit(FILE *out, struct ilp_model *m, const struct ilp_report_info *info,
		const struct ilp_opts *o);

/* runs the detectors once; the reporters get the findings through info */
int ilp_report_emit(FILE *out, struct ilp_model *m, const struct ilp_report_info *info,
		    const struct ilp_opts *o)
{
	struct ilp_findings fs = { 0 };
	struct ilp_thresholds def;
	struct ilp_report_info ri = *info;
	int err;

	err = ilp_model_index(m, info->end_ts);
	if (err)
		return err;
	if (o->th)
		def = *o->th;
	else
		ilp_thresholds_default(&def);
	def.no_offcpu = info->backend && !strcmp(info->backend, "ptrace");
	err = ilp_analyze(m, &def, info->end_ts > info->start_ts ?
			  info->end_ts - info->start_ts : 0, &fs);
	if (!err && info->stacks)
		ilp_findings_set_sites(&fs, info->stacks);
	if (!err) {
		ri.findings = fs.v;
		ri.nfindings = fs.n;
		ri.ndetectors = ilp_detector_count();
		err = emit(out, m, &ri, o);
	}
	ilp_findings_release(&fs);
	return err;
}

static int emit(FILE *out, struct ilp_model *m, const struct ilp_report_info *info,
		const struct ilp_opts *o)
{
	struct ilp_report_opts ro = { 0 };

	/* the model was indexed by ilp_report_emit */
	ro.threads = o->threads;
	ro.top_hist = o->top_hist;
	ro.top_objects = 10;
	ro.all_findings = o->all_findings;
	switch (o->format) {
	case ILP_FMT_TEXT:
		return ilp_report_text(out, m, info, &ro);
	case ILP_FMT_JSON:
		return ilp_report_json(out, m, info, &ro);
	case ILP_FMT_HTML:
		return ilp_report_html(out, m, info, &ro);
	case ILP_FMT_PERFETTO:
		return ilp_report_perfetto(out, m, info, &ro);
	case ILP_FMT_FOLDED:
		return ilp_report_folded(out, m, info, &ro);
	default:
		return -ENOTSUP;
	}
}
