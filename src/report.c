// SPDX-License-Identifier: MIT
/*
 * The one report dispatch: index the model, then hand it to the reporter
 * of the chosen format.  Every backend and command reports through here.
 */
#include <errno.h>
#include <stdio.h>

#include "cli.h"
#include "model.h"
#include "report.h"

int ilp_report_emit(FILE *out, struct ilp_model *m, const struct ilp_report_info *info,
		    const struct ilp_opts *o)
{
	struct ilp_report_opts ro = { 0 };
	int err;

	ro.threads = o->threads;
	ro.top_hist = o->top_hist;
	err = ilp_model_index(m, info->end_ts);
	if (err)
		return err;
	switch (o->format) {
	case ILP_FMT_TEXT:
		return ilp_report_text(out, m, info, &ro);
	default:
		return -ENOTSUP;
	}
}
