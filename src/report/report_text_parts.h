/* SPDX-License-Identifier: MIT */
#ifndef ILP_REPORT_TEXT_PARTS_H
#define ILP_REPORT_TEXT_PARTS_H

/*
 * Sections of the text report that live in their own files; called by
 * src/report/report_text.c.  Formatting only.  Each returns 0 or -EIO.
 */

#include <stdint.h>
#include <stdio.h>

#include "fmt.h"
#include "holdmodel.h"
#include "model.h"
#include "outbuf.h"
#include "report.h"

/* "Findings" section (report_text_findings.c): info->findings, ranked, the
 * nested ones under their group; all: no "minor" fold (--all). */
int ilp_text_findings(FILE *out, const struct ilp_report_info *info, int all);

/* "I/O by object" table of one process (report_text_io.c): the top objects by time. */
int ilp_text_io(FILE *out, const struct ilp_proc *p, int top);

/* ilp_fmt_time into a rotating set of buffers, for one printf */
struct tbuf {
	char b[8][ILP_FMT_TIME_LEN];
	int i;
};
/* the next buffer of t, holding ns formatted (report_text_wait.c) */
const char *ilp_text_time(struct tbuf *t, uint64_t ns);
/* "io_uring" part of one process (report_text_uring.c): totals, per opcode,
 * per file; under ptrace, one line saying its requests are not seen;
 * nothing when it used none. */
int ilp_text_uring(FILE *out, const struct ilp_proc *p, const struct ilp_report_info *info);

/* "Disk I/O", "Locks (user)", "Locks (kernel)", "Blocking calls" sections
 * (report_text_wait.c), from include/waitmodel.h. */
int ilp_text_wait(FILE *out, const struct ilp_model *m, const struct ilp_report_info *info);

/* "Lock holds" section (report_text_holds.c, --lock-holds only), from
 * include/holdmodel.h, with each mutex's futex waits. */
int ilp_text_holds(FILE *out, const struct ilp_model *m, const struct ilp_report_info *info);

/* "    held N times, total X, max Y, longest at SITE" (report_text_holds.c) */
void ilp_text_hold_line(struct ilp_out *w, const struct ilp_hold_lock *l);

#endif
