// SPDX-License-Identifier: MIT
/* What span a report covers, shared by the reporters (include/report.h). */

#include <stdio.h>

#include "fmt.h"
#include "report.h"

uint64_t ilp_report_span_ns(const struct ilp_report_info *info)
{
	uint64_t from = info->window_ts ? info->window_ts : info->start_ts;

	return info->end_ts > from ? info->end_ts - from : 0;
}

int ilp_report_interim_str(const struct ilp_report_info *info, char *buf, size_t size)
{
	char a[ILP_FMT_TIME_LEN], b[ILP_FMT_TIME_LEN], n[16] = "";
	uint64_t end = info->end_ts > info->start_ts ? info->end_ts - info->start_ts : 0;

	if (info->interval)
		snprintf(n, sizeof(n), " %u", info->interval);
	ilp_fmt_time(b, sizeof(b), end);
	if (!info->window_ts)
		return snprintf(buf, size, "interim report%s at +%s, everything since the start",
				n, b);
	if (info->window_ts > info->start_ts)
		ilp_fmt_time(a, sizeof(a), info->window_ts - info->start_ts);
	else
		snprintf(a, sizeof(a), "0 s");	/* the first interval */
	/* attach --continuous: the final report is the last window's */
	return snprintf(buf, size, "%s%s, interval +%s to +%s", info->interim ?
			"interim report" : "last report", n, a, b);
}
