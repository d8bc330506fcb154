// SPDX-License-Identifier: MIT
/*
 * The Findings section of the text report, first after the header: each
 * finding in four lines a user can act on without reading the tables.
 *
 *   [N+1] 2000 request/response round trips on tcp 127.0.0.1:41234 -> 127.0.0.1:6379
 *         pid 812 (client) tid 812: 1.90 s blocked in recvfrom waiting for the peer (94.0% of wall time)
 *         why: 2000 round trips (a write, then a read returning data) >= 100 (--nplus1-min)
 *         fix: batch or pipeline the requests (...); saves up to ~1.90 s and 3998 syscalls
 *
 * Formatting only: every number and sentence comes from the analyzers.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "analyze.h"
#include "esc.h"
#include "report_text_parts.h"
#include "report_util.h"

#define INDENT "      "

static const char *sev_name(int sev)
{
	return sev == ILP_SEV_HIGH ? "high" : sev == ILP_SEV_MEDIUM ? "medium" : "low";
}

int ilp_text_findings(FILE *out, const struct ilp_report_info *info)
{
	char t[ILP_FMT_TIME_LEN], tid[32];
	size_t i;
	int r = 0;

	if (!info->ndetectors)
		return 0;
	if (!info->nfindings) {
		r |= fprintf(out, "\nFindings: none (%zu detectors ran; thresholds: "
			     "docs/detectors.md)\n", info->ndetectors) < 0;
		return r ? (errno ? -errno : -EIO) : 0;
	}
	r |= fprintf(out, "\nFindings (%zu, ranked by the time a fix would save):\n",
		     info->nfindings) < 0;
	for (i = 0; i < info->nfindings; i++) {
		const struct ilp_finding *f = &info->findings[i];

		ilp_fmt_time(t, sizeof(t), f->saving_ns);
		if (f->tid)
			snprintf(tid, sizeof(tid), " tid %d", f->tid);
		else
			snprintf(tid, sizeof(tid), " (several threads)");
		/* the texts carry object, process and lock names: escaped */
		r |= fprintf(out, "\n[%s] ", f->label) < 0;
		r |= ilp_esc_fputs(f->what, out) == EOF;
		r |= fprintf(out, "\n" INDENT "pid %d (", f->pid) < 0;
		r |= ilp_esc_fputs(f->comm[0] ? f->comm : "?", out) == EOF;
		r |= fprintf(out, ")%s: ", tid) < 0;
		r |= ilp_esc_fputs(f->evidence, out) == EOF;
		if (f->site[0]) {
			r |= fprintf(out, "\n" INDENT "call site: ") < 0;
			r |= ilp_esc_fputs(f->site, out) == EOF;
		}
		r |= fprintf(out, "\n" INDENT "why: ") < 0;
		r |= ilp_esc_fputs(f->why, out) == EOF;
		r |= fprintf(out, "\n" INDENT "fix: ") < 0;
		r |= ilp_esc_fputs(f->fix, out) == EOF;
		if (f->saving_calls)
			r |= fprintf(out, "; saves up to ~%s and %" PRIu64
				     " syscalls (severity: %s)\n", t, f->saving_calls,
				     sev_name(f->severity)) < 0;
		else	/* the fix moves the wait, it removes no call */
			r |= fprintf(out, "; saves up to ~%s (severity: %s)\n",
				     t, sev_name(f->severity)) < 0;
	}
	return r ? (errno ? -errno : -EIO) : 0;
}
