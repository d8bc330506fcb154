/* SPDX-License-Identifier: MIT */
#ifndef ILP_REPORT_H
#define ILP_REPORT_H

/*
 * Reporters read the model (after ilp_model_index) and the run's facts;
 * they compute nothing of their own.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model.h"

struct ilp_stacks;
struct ilp_finding;

/*
 * One detector threshold as the analysis used it, named by its option
 * (--slow: "slow"), in the unit the model counts in: "ns" for times,
 * "bytes", "percent" or "count".  The report sink makes them from the
 * option table (src/cli/options.c), so the JSON "thresholds" block and
 * the options cannot drift apart.
 */
struct ilp_report_threshold {
	const char *name;
	const char *unit;
	uint64_t value;
};
#define ILP_REPORT_THRESHOLDS_MAX 32

/* Facts about the capture that are not events. */
struct ilp_report_info {
	const char *command;	/* what was profiled, e.g. "./app -x" or "attach 123 456" */
	const char *backend;	/* "ftrace" */
	uint64_t start_ts;	/* ns, CLOCK_MONOTONIC: tracing on */
	uint64_t end_ts;	/* tracing off (or now, for an interim report) */
	uint64_t start_wall_ns;	/* start_ts on the wall clock (CLOCK_REALTIME, ns since the
				 * epoch); 0: unknown (report -i: trace files do not carry it) */
	uint64_t events;	/* records decoded */
	uint64_t lost;		/* events lost by the kernel buffer (overrun + dropped + in-band missed) */
	int interim;		/* 1: interim report of a running capture */
	unsigned interval;	/* interim: which one, 1 for the first; 0: not told */
	uint64_t window_ts;	/* interim report of one interval (--interval without
				 * --cumulative): when the interval began, the model
				 * holding only what happened since; 0: the report
				 * covers everything since start_ts */
	int exit_status;	/* run: the app's exit status (128+sig if killed); -1 if none */
	/* attach --continuous: a duty-cycled capture.  duty 0: not sampled,
	 * every event of the span was captured */
	double duty;		/* the share of each period captured, (0, 1] */
	uint64_t duty_period_ns;
	uint64_t captured_ns;	/* of the report's span, the time the events were on */
	const char *note;	/* backend limits and overhead, one line; NULL: none */
	int lock_holds;		/* --lock-holds was on: the model has the holds (holdmodel.h) */
	const struct ilp_stacks *stacks;	/* --stacks call sites (stacks.h); NULL: none */
	int sleep_stacks;	/* --sleep-stacks: the model holds where calls slept (ksleep.h) */
	const struct ilp_finding *findings;	/* analyze.h, ranked; set by the report sink (src/cli/sink_report.c) */
	size_t nfindings;
	size_t ndetectors;	/* detectors that ran (0: analysis not run) */
	const struct ilp_report_threshold *thresholds;	/* what they ran with, in the
							 * option table's order */
	size_t nthresholds;
};

struct ilp_report_opts {
	int threads;		/* 1: per-thread breakdown */
	int top_hist;		/* histograms for this many top syscalls per process (default 3) */
	int top_syscalls;	/* rows in each syscall table, 0 = all */
	int top_objects;	/* rows of each process's I/O-by-object table, 0 = no table */
	int all_findings;	/* --all: list the findings under 1 % of wall time too (text,
				 * html; json always lists them) */
};

/**
 * ilp_report_text - writes the text report (the default format)
 * @out: the stream (the caller's, flushed, not closed)
 * @m: the model, indexed (ilp_model_index())
 * @info: the capture's facts
 * @opts: the report's options
 *
 * Header, findings, per process (all if there is one, else the non-empty
 * ones) its syscall tables and histograms, the waits, and the call sites
 * of --stacks.
 *
 * Returns 0, or -errno if writing failed (-EIO when errno says nothing).
 */
int ilp_report_text(FILE *out, const struct ilp_model *m,
		    const struct ilp_report_info *info,
		    const struct ilp_report_opts *opts);

/* json: docs/report.schema.json, "schema_version": ILP_JSON_SCHEMA_VERSION. */
#define ILP_JSON_SCHEMA_VERSION 2

/**
 * ilp_report_json - writes the machine-readable JSON report
 * @out: the stream (the caller's, flushed, not closed)
 * @m: the model, indexed (ilp_model_index())
 * @info: the capture's facts
 * @opts: the report's options
 *
 * docs/report.schema.json, "schema_version": ILP_JSON_SCHEMA_VERSION; all
 * times integers in ns; every finding listed, whatever --all says.
 *
 * Returns 0, or -errno if writing failed (-EIO when errno says nothing).
 */
int ilp_report_json(FILE *out, const struct ilp_model *m,
		    const struct ilp_report_info *info,
		    const struct ilp_report_opts *opts);

/**
 * ilp_report_html - writes the report as one self-contained HTML page
 * @out: the stream (the caller's, flushed, not closed)
 * @m: the model, indexed (ilp_model_index())
 * @info: the capture's facts
 * @opts: the report's options
 *
 * Inline CSS, inline SVG histograms with class "ilp-hist" and wait flame
 * graphs with class "ilp-flame" (fold.h stacks laid out by flame.h), no
 * script, no network.
 *
 * Returns 0, or -errno if writing failed (-EIO when errno says nothing).
 */
int ilp_report_html(FILE *out, const struct ilp_model *m,
		    const struct ilp_report_info *info,
		    const struct ilp_report_opts *opts);

/**
 * ilp_report_perfetto - writes a Chrome trace-event JSON (Perfetto, chrome://tracing)
 * @out: the stream (the caller's, flushed, not closed)
 * @m: the model, indexed (ilp_model_index())
 * @info: the capture's facts
 * @opts: the report's options
 *
 * "X" events (ts/dur in us) for the longest calls the model keeps per
 * process (callsmodel.h) and the slowest disk requests it keeps per
 * device (waitmodel.h, on a synthetic process per device), "M" events
 * naming processes and threads.
 *
 * Returns 0, or -errno if writing failed (-EIO when errno says nothing).
 */
int ilp_report_perfetto(FILE *out, const struct ilp_model *m,
			const struct ilp_report_info *info,
			const struct ilp_report_opts *opts);

/**
 * ilp_report_folded - writes folded stacks (flamegraph.pl, speedscope, inferno)
 * @out: the stream (the caller's, flushed, not closed)
 * @m: the model, indexed (ilp_model_index())
 * @info: the capture's facts (its --stacks stacks, if any)
 * @opts: unused (the same inputs as every format)
 *
 * "comm-pid;comm-tid;syscall NS" lines, NS = time inside the syscall in
 * ns (completed + unfinished so far), with the part spent blocked split
 * into "comm-pid;comm-tid;syscall;object NS" lines by the object waited
 * on; with --stacks, a process's lines are its user call stacks instead
 * ("comm-pid;outermost;...;innermost;syscall NS").  Zero lines omitted.
 * The stacks are fold.h's (ilp_fold_proc()), which the HTML flame graph
 * draws too.  See src/report/report_folded.c.
 *
 * Returns 0, or -EIO if writing failed.
 */
int ilp_report_folded(FILE *out, const struct ilp_model *m,
		      const struct ilp_report_info *info,
		      const struct ilp_report_opts *opts);

/**
 * ilp_report_prom - the Prometheus text exposition format
 * @out: where to write
 * @m: the model, indexed
 * @info: the capture's facts and findings
 * @opts: unused (every shown process, syscall, lock and device is written)
 *
 * Version 0.0.4 of the format, as node_exporter's textfile collector and
 * promtool read it: per process and syscall, calls, errors, calls in
 * progress and a latency histogram (buckets 1 us to 2^26 us, powers of
 * two); per user and kernel lock a wait histogram; per block device
 * requests and bytes by op and two latency histograms; each finding's
 * saving; the capture's info, duration, events and lost events.  Times in
 * seconds.
 *
 * Returns 0, or -errno if writing failed.
 */
int ilp_report_prom(FILE *out, const struct ilp_model *m,
		    const struct ilp_report_info *info,
		    const struct ilp_report_opts *opts);

/**
 * ilp_report_pprof - writes a gzipped pprof profile (profile.proto)
 * @out: the stream (the caller's, flushed, not closed)
 * @m: the model, indexed (ilp_model_index())
 * @info: the capture's facts (its --stacks stacks, if any)
 * @opts: unused (the same inputs as every format)
 *
 * The format of github.com/google/pprof's proto/profile.proto, gzipped,
 * as go tool pprof, Pyroscope and Parca read it: one sample per stack of
 * fold.h (ilp_fold_proc(), with threads and kernel locks), the leaf first,
 * values wait/nanoseconds (the default type) and calls/count for syscall
 * stacks, kernel_lock_wait/nanoseconds and kernel_lock_waits/count for
 * kernel locks; labels pid, tid, syscall, object and lock where they
 * apply; the capture's start (if known) and span, and its facts as
 * comments.  See src/report/report_pprof.c.
 *
 * Returns 0, -ENOMEM, or -EIO if writing failed.
 */
int ilp_report_pprof(FILE *out, const struct ilp_model *m,
		     const struct ilp_report_info *info,
		     const struct ilp_report_opts *opts);

/**
 * ilp_report_span_ns - the wall time a report covers
 * @info: the capture's facts
 *
 * The interval of an interim report of one interval (window_ts set), else
 * the whole capture so far: the report's duration, the base of its %wall.
 *
 * Returns end_ts - window_ts, or end_ts - start_ts; 0 if end_ts is before.
 */
uint64_t ilp_report_span_ns(const struct ilp_report_info *info);

/* Longest string ilp_report_interim_str() writes, NUL included. */
#define ILP_REPORT_INTERIM_LEN 96

/**
 * ilp_report_interim_str - says what span an interim report covers
 * @info: the capture's facts (interim)
 * @buf: where the text goes (ILP_REPORT_INTERIM_LEN always suffices)
 * @size: bytes at buf, the NUL included
 *
 * "interim report 3, interval +10.0 s to +15.0 s" for the report of one
 * interval (window_ts set), "interim report 3 at +15.0 s, everything since
 * the start" for a cumulative one; times from start_ts, the number left
 * out when info->interval is 0.
 *
 * Returns what snprintf returns: the length of the full text.
 */
int ilp_report_interim_str(const struct ilp_report_info *info, char *buf, size_t size);

/**
 * ilp_report_proc_is_empty - tells whether a process has nothing to show
 * @p: the process
 *
 * Returns 1 when it has no completed call and none in progress, else 0.
 */
int ilp_report_proc_is_empty(const struct ilp_proc *p);

/**
 * ilp_report_proc_shown - the rule every reporter shows processes by
 * @m: the model
 * @p: one of its processes
 *
 * Returns 1 to show p: all processes if there is one, else the non-empty
 * ones (ilp_report_proc_is_empty()); else 0.
 */
int ilp_report_proc_shown(const struct ilp_model *m, const struct ilp_proc *p);

#endif
