/* SPDX-License-Identifier: MIT */
#ifndef ILP_REPORT_JSON_PARTS_H
#define ILP_REPORT_JSON_PARTS_H

/*
 * Sections of the JSON report (schema_version 2) that live in
 * src/report/report_json_wait.c: waiting below the syscall (waitmodel.h) and
 * call sites (stacks.h).  Formatting only; times are integers in ns.
 */

#include "json.h"
#include "model.h"
#include "report.h"

struct ilp_hist;

/* "histogram": { scale log2, unit, buckets [{lo, hi, count}] } (non-empty buckets) */
void ilp_json_hist(struct ilp_jw *w, const struct ilp_hist *h, const char *unit);
/* top-level "devices": per block device, with its submitters */
void ilp_json_devices(struct ilp_jw *w, const struct ilp_model *m);
/* per process: "disk", "locks_user", "locks_kernel", "off_cpu",
 * "blocking_calls", "slow_calls" and, with --stacks, "call_sites" */
void ilp_json_proc_wait(struct ilp_jw *w, const struct ilp_model *m, const struct ilp_proc *p,
			const struct ilp_report_info *info);
/* per process: "io_uring" (report_json_uring.c), when it used io_uring */
void ilp_json_proc_uring(struct ilp_jw *w, const struct ilp_proc *p);

#endif
