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
 * A group (a [loop]) is followed by the findings nested under it, indented
 * ("inside it:").  Findings whose saving is under 1 % of the wall time
 * (severity low) fold into one "minor:" line, unless --all.  The header
 * says what all savings add up to (the sum rule, docs/detectors.md).
 *
 * Formatting only: every number and sentence comes from the analyzers.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "analyze.h"
#include "esc.h"
#include "report_text_parts.h"
#include "fmt.h"

#define INDENT "      "
#define NEST "        "	/* a nested finding's first line */
#define NEST_INDENT "              "

static const char *sev_name(int sev)
{
	return sev == ILP_SEV_HIGH ? "high" : sev == ILP_SEV_MEDIUM ? "medium" : "low";
}

/* a top-level finding (with its group) shown, or folded into "minor" */
static int shown(const struct ilp_finding *f, int all)
{
	return all || !ilp_finding_minor(f);
}

static int print_one(FILE *out, const struct ilp_finding *f)
{
	const char *first = f->nested ? NEST : "", *ind = f->nested ? NEST_INDENT : INDENT;
	char t[ILP_FMT_TIME_LEN], tid[32];
	int r = 0;

	ilp_fmt_time(t, sizeof(t), f->saving_ns);
	if (f->tid)
		snprintf(tid, sizeof(tid), " tid %d", f->tid);
	else
		snprintf(tid, sizeof(tid), " (several threads)");
	/* the texts carry object, process and lock names: escaped */
	r |= fprintf(out, "%s%s[%s] ", f->nested ? "" : "\n", first, f->label) < 0;
	r |= ilp_esc_fputs(f->what, out) == EOF;
	r |= fprintf(out, "\n%spid %d (", ind, f->pid) < 0;
	r |= ilp_esc_fputs(f->comm[0] ? f->comm : "?", out) == EOF;
	r |= fprintf(out, ")%s: ", tid) < 0;
	r |= ilp_esc_fputs(f->evidence, out) == EOF;
	if (f->site[0]) {
		r |= fprintf(out, "\n%scall site: ", ind) < 0;
		r |= ilp_esc_fputs(f->site, out) == EOF;
	}
	if (f->waited[0]) {	/* --sleep-stacks */
		r |= fprintf(out, "\n%skernel: ", ind) < 0;
		r |= ilp_esc_fputs(f->waited, out) == EOF;
	}
	r |= fprintf(out, "\n%swhy: ", ind) < 0;
	r |= ilp_esc_fputs(f->why, out) == EOF;
	r |= fprintf(out, "\n%sfix: ", ind) < 0;
	r |= ilp_esc_fputs(f->fix, out) == EOF;
	if (f->nested && !f->saving_ns)	/* the group's saving covers its calls */
		r |= fprintf(out, "; in the group's saving above\n") < 0;
	else if (f->nested)
		r |= fprintf(out, "; saves up to ~%s more than the group\n", t) < 0;
	else if (f->saving_calls)
		r |= fprintf(out, "; saves up to ~%s and %" PRIu64 " syscalls (severity: %s)\n",
			     t, f->saving_calls, sev_name(f->severity)) < 0;
	else	/* the fix moves the wait, it removes no call */
		r |= fprintf(out, "; saves up to ~%s (severity: %s)\n", t,
			     sev_name(f->severity)) < 0;
	if (f->nchildren)
		r |= fprintf(out, INDENT "inside it (%zu finding%s on its objects):\n", f->nchildren,
			     f->nchildren == 1 ? "" : "s") < 0;
	return r;
}

/* "[unbuffered] x2, [repeat]" for the minor findings */
static void minor_labels(char *buf, size_t size, const struct ilp_report_info *info)
{
	size_t i, j, len = 0, n;

	buf[0] = '\0';
	for (i = 0; i < info->nfindings; i += 1 + info->findings[i].nchildren) {
		const struct ilp_finding *f = &info->findings[i];
		int k;

		if (shown(f, 0))
			continue;
		for (j = 0; j < i; j += 1 + info->findings[j].nchildren)
			if (!shown(&info->findings[j], 0) && !strcmp(info->findings[j].label, f->label))
				break;
		if (j < i)
			continue;	/* counted with the first of its label */
		for (n = 0, j = i; j < info->nfindings; j += 1 + info->findings[j].nchildren)
			n += !shown(&info->findings[j], 0) &&
			     !strcmp(info->findings[j].label, f->label);
		if (n > 1)
			k = snprintf(buf + len, size - len, "%s[%s] x%zu", len ? ", " : "", f->label, n);
		else
			k = snprintf(buf + len, size - len, "%s[%s]", len ? ", " : "", f->label);
		if (k < 0 || (size_t)k >= size - len)
			return;
		len += (size_t)k;
	}
}

int ilp_text_findings(FILE *out, const struct ilp_report_info *info, int all)
{
	char t[ILP_FMT_TIME_LEN], labels[256];
	size_t i, j, ntop = 0, nminor = 0;
	uint64_t sum = 0, minor = 0, pm;
	int r = 0;

	if (!info->ndetectors)
		return 0;
	if (!info->nfindings) {
		r |= fprintf(out, "\nFindings: none (%zu detectors ran; thresholds: "
			     "docs/detectors.md)\n", info->ndetectors) < 0;
		return r ? (errno ? -errno : -EIO) : 0;
	}
	for (i = 0; i < info->nfindings; i += 1 + info->findings[i].nchildren) {
		const struct ilp_finding *f = &info->findings[i];

		ntop++;
		for (j = i; j <= i + f->nchildren && j < info->nfindings; j++)
			sum += info->findings[j].saving_ns;
		if (!shown(f, all)) {
			nminor++;
			for (j = i; j <= i + f->nchildren && j < info->nfindings; j++)
				minor += info->findings[j].saving_ns;
		}
	}
	pm = ilp_share_pm(sum, ilp_report_span_ns(info));
	ilp_fmt_time(t, sizeof(t), sum);
	r |= fprintf(out, "\nFindings (%zu, ranked by the time a fix would save; their savings add up"
		     " to ~%s, %" PRIu64 ".%" PRIu64 "%% of wall time):\n", ntop, t, pm / 10,
		     pm % 10) < 0;
	for (i = 0; i < info->nfindings; i += 1 + info->findings[i].nchildren) {
		if (!shown(&info->findings[i], all))
			continue;
		for (j = i; j <= i + info->findings[i].nchildren && j < info->nfindings; j++)
			r |= print_one(out, &info->findings[j]);
	}
	if (nminor) {
		minor_labels(labels, sizeof(labels), info);
		ilp_fmt_time(t, sizeof(t), minor);
		r |= fprintf(out, "\nminor: %zu finding%s under 1%% of wall time each (%s), saving ~%s"
			     " in all; --all lists them\n", nminor, nminor == 1 ? "" : "s", labels,
			     t) < 0;
	}
	return r ? (errno ? -errno : -EIO) : 0;
}
