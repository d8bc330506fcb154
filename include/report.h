/* SPDX-License-Identifier: MIT */
#ifndef ILP_REPORT_H
#define ILP_REPORT_H

/*
 * Reporters read the model (after ilp_model_index) and the run's facts;
 * they compute nothing of their own.
 */

#include <stdint.h>
#include <stdio.h>

#include "model.h"

/* Facts about the capture that are not events. */
struct ilp_report_info {
	const char *command;	/* what was profiled, e.g. "./app -x" or "attach 123 456" */
	const char *backend;	/* "ftrace" */
	uint64_t start_ts;	/* ns, CLOCK_MONOTONIC: tracing on */
	uint64_t end_ts;	/* tracing off (or now, for an interim report) */
	uint64_t events;	/* records decoded */
	uint64_t lost;		/* events lost by the kernel buffer (overrun + dropped + in-band missed) */
	int interim;		/* 1: interim report of a running capture */
	int exit_status;	/* run: the app's exit status (128+sig if killed); -1 if none */
};

struct ilp_report_opts {
	int threads;		/* 1: per-thread breakdown */
	int top_hist;		/* histograms for this many top syscalls per process (default 3) */
	int top_syscalls;	/* rows in each syscall table, 0 = all */
};

/* Text report (the default). 0, or -errno if writing failed. */
int ilp_report_text(FILE *out, const struct ilp_model *m,
		    const struct ilp_report_info *info,
		    const struct ilp_report_opts *opts);

#endif
