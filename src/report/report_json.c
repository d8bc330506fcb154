// SPDX-License-Identifier: MIT
/*
 * JSON report: everything the text report shows, as numbers (integers, ns)
 * and escaped strings, in the versioned shape of docs/report.schema.json.
 *
 * One function per section, so a new section (findings, objects, locks,
 * disk) is one more json_<section>() call in json_proc() or
 * ilp_report_json().  Bump ILP_JSON_SCHEMA_VERSION (report.h) and the
 * schema's "const" together when a field changes meaning or goes away;
 * adding an optional field does not need a bump.
 *
 * Formatting only: every number comes from the model's accessors (after
 * ilp_model_index) or from struct ilp_report_info.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "callsmodel.h"
#include "fdmodel.h"
#include "hist.h"
#include "json.h"
#include "model.h"
#include "report.h"
#include "report_json_parts.h"
#include "syscalls.h"

#ifndef ILP_VERSION
#error "build with -DILP_VERSION='\"x.y.z\"' (the Makefile does)"
#endif

/* percentiles every syscall row carries, as "p<N>_ns" */
static const struct {
	const char *key;
	double pct;
} pcts[] = {
	{ "p50_ns", 50.0 },
	{ "p90_ns", 90.0 },
	{ "p99_ns", 99.0 },
};

static void json_header(struct ilp_jw *w, const struct ilp_report_info *info)
{
	uint64_t wall = ilp_report_span_ns(info);

	ilp_jw_ku64(w, "schema_version", ILP_JSON_SCHEMA_VERSION);
	ilp_jw_key(w, "tool");
	ilp_jw_obj_begin(w);
	ilp_jw_kstr(w, "name", "iolockprof");
	ilp_jw_kstr(w, "version", ILP_VERSION);
	ilp_jw_obj_end(w);

	ilp_jw_key(w, "capture");
	ilp_jw_obj_begin(w);
	ilp_jw_kstr(w, "command", info->command ? info->command : "");
	ilp_jw_kstr(w, "backend", info->backend ? info->backend : "");
	ilp_jw_kstr(w, "latency", "wall-clock");
	ilp_jw_ku64(w, "start_ns", info->start_ts);
	ilp_jw_ku64(w, "end_ns", info->end_ts);
	ilp_jw_ku64(w, "duration_ns", wall);
	ilp_jw_ku64(w, "events", info->events);
	ilp_jw_ku64(w, "lost_events", info->lost);
	ilp_jw_kbool(w, "interim", info->interim);
	ilp_jw_ku64_or_null(w, "interval", info->interval != 0, info->interval);
	ilp_jw_kbool(w, "cumulative", !info->window_ts);
	ilp_jw_ku64(w, "window_start_ns", info->window_ts ? info->window_ts : info->start_ts);
	ilp_jw_ku64(w, "window_end_ns", info->end_ts);
	ilp_jw_key(w, "since_start");	/* sections that stay whole-capture in a window */
	ilp_jw_arr_begin(w);
	if (info->window_ts && info->stacks)
		ilp_jw_str(w, "call_sites");
	ilp_jw_arr_end(w);
	ilp_jw_ku64_or_null(w, "exit_status", info->exit_status >= 0, (uint64_t)info->exit_status);
	ilp_jw_key(w, "sampling");	/* attach --continuous: counts of the captured time */
	if (info->duty > 0) {
		ilp_jw_obj_begin(w);
		/* a fraction with 3 decimals (0.100): thousandths written as
		 * ns_as_us writes ns */
		ilp_jw_key(w, "duty");
		ilp_jw_ns_as_us(w, (uint64_t)(info->duty * 1000 + 0.5));
		ilp_jw_ku64(w, "period_ns", info->duty_period_ns);
		ilp_jw_ku64(w, "captured_ns", info->captured_ns);
		ilp_jw_ku64(w, "span_ns", wall);
		ilp_jw_obj_end(w);
	} else {
		ilp_jw_null(w);
	}
	ilp_jw_obj_end(w);
}

static void json_counters(struct ilp_jw *w, const struct ilp_model *m)
{
	const struct ilp_model_counters *c = ilp_model_counters(m);

	ilp_jw_key(w, "model");
	ilp_jw_obj_begin(w);
	ilp_jw_ku64(w, "events", c->events);
	ilp_jw_ku64(w, "unpaired_exits", c->unpaired_exits);
	ilp_jw_ku64(w, "lost_enters", c->lost_enters);
	ilp_jw_ku64(w, "out_of_order", c->out_of_order);
	ilp_jw_ku64(w, "dropped", c->dropped);
	ilp_jw_obj_end(w);
}

/* one syscall row; with_hist: process rows (percentiles and histogram) */
static void json_syscall(struct ilp_jw *w, const struct ilp_sc_stats *sc, int with_hist)
{
	int has_hist = with_hist && sc->hist && ilp_hist_count(sc->hist);

	ilp_jw_obj_begin(w);
	ilp_jw_kstr(w, "name", ilp_syscall_name(sc->nr));
	ilp_jw_ki64(w, "nr", sc->nr);
	ilp_jw_ku64(w, "calls", sc->calls);
	ilp_jw_ku64(w, "errors", sc->errors);
	ilp_jw_ku64(w, "total_ns", sc->total_ns);
	ilp_jw_ku64_or_null(w, "avg_ns", sc->calls != 0,
			    sc->calls ? (sc->total_ns + sc->calls / 2) / sc->calls : 0);
	if (with_hist) {
		for (size_t i = 0; i < sizeof(pcts) / sizeof(pcts[0]); i++)
			ilp_jw_ku64_or_null(w, pcts[i].key, has_hist,
					    has_hist ? ilp_hist_percentile(sc->hist, pcts[i].pct) : 0);
	}
	ilp_jw_ku64_or_null(w, "max_ns", sc->calls != 0, sc->max_ns);
	ilp_jw_ku64(w, "unfinished", sc->unfinished);
	ilp_jw_ku64(w, "unfinished_ns", sc->unfinished_ns);
	if (has_hist)
		ilp_json_hist(w, sc->hist, "ns");
	ilp_jw_obj_end(w);
}

static void json_proc_syscalls(struct ilp_jw *w, const struct ilp_proc *p)
{
	ilp_jw_key(w, "syscalls");
	ilp_jw_arr_begin(w);
	for (size_t i = 0; i < ilp_proc_nsyscalls(p); i++)
		json_syscall(w, ilp_proc_syscall(p, i), 1);
	ilp_jw_arr_end(w);
}

static void json_threads(struct ilp_jw *w, const struct ilp_proc *p)
{
	ilp_jw_key(w, "threads");
	ilp_jw_arr_begin(w);
	for (size_t i = 0; i < ilp_proc_nthreads_seen(p); i++) {
		const struct ilp_thread *t = ilp_proc_thread(p, i);

		if (!ilp_thread_nsyscalls(t))
			continue;
		ilp_jw_obj_begin(w);
		ilp_jw_ki64(w, "tid", ilp_thread_tid(t));
		ilp_jw_kstr(w, "comm", ilp_thread_comm(t));
		ilp_jw_kbool(w, "exited", ilp_thread_exited(t));
		ilp_jw_ku64(w, "calls", ilp_thread_calls(t));
		ilp_jw_ku64(w, "total_ns", ilp_thread_total_ns(t));
		ilp_jw_key(w, "syscalls");
		ilp_jw_arr_begin(w);
		for (size_t j = 0; j < ilp_thread_nsyscalls(t); j++)
			json_syscall(w, ilp_thread_syscall(t, j), 0);
		ilp_jw_arr_end(w);
		ilp_jw_obj_end(w);
	}
	ilp_jw_arr_end(w);
}

/* the longest calls the model kept (callsmodel.h), in start order */
static void json_top_calls(struct ilp_jw *w, const struct ilp_proc *p)
{
	const struct ilp_calls *set = ilp_proc_top_calls(p);
	char name[ILP_FINDING_OBJ + 32];

	ilp_jw_key(w, "top_calls");
	ilp_jw_obj_begin(w);
	ilp_jw_ku64(w, "limit", ilp_calls_cap(set));
	ilp_jw_ku64(w, "seen", ilp_calls_seen(set));
	ilp_jw_key(w, "calls");
	ilp_jw_arr_begin(w);
	for (size_t i = 0; i < ilp_calls_count(set); i++) {
		const struct ilp_call *c = ilp_calls_get(set, i);

		ilp_jw_obj_begin(w);
		ilp_jw_ku64(w, "start_ns", c->start_ts);
		ilp_jw_ku64(w, "dur_ns", c->dur_ns);
		ilp_jw_ki64(w, "tid", c->tid);
		ilp_jw_kstr(w, "syscall", ilp_syscall_name(c->nr));
		ilp_jw_ki64(w, "nr", c->nr);
		ilp_jw_ki64(w, "ret", c->ret);
		ilp_jw_ku64(w, "arg0", c->arg0);
		if (c->fobj) {
			ilp_fdobj_format(c->fobj, name, sizeof(name));
			ilp_jw_kstr(w, "object", name);
		}
		ilp_jw_obj_end(w);
	}
	ilp_jw_arr_end(w);
	ilp_jw_obj_end(w);
}

/* a name that is not valid UTF-8 cannot be a JSON string exactly (its bad
 * bytes become U+FFFD): its exact bytes, in hex, beside it */
static void desc_hex(struct ilp_jw *w, const char *s)
{
	size_t len = strlen(s), i, n;
	char *hex;

	for (i = 0; i < len; i += n)
		if (!(n = ilp_utf8_seq(s + i, len - i)))
			break;
	if (i == len)
		return;
	hex = malloc(len * 2 + 1);
	if (!hex) {
		w->err = -ENOMEM;
		return;
	}
	for (i = 0; i < len; i++)
		snprintf(hex + i * 2, 3, "%02x", (unsigned char)s[i]);
	ilp_jw_kstr(w, "desc_hex", hex);
	free(hex);
}

/* one object's name and counters, inside its JSON object */
static void json_object_fields(struct ilp_jw *w, const struct ilp_fdobj *o)
{
	const struct ilp_io_stats *st = ilp_fdobj_stats(o);
	char name[ILP_FINDING_OBJ + 32];

	ilp_fdobj_format(o, name, sizeof(name));
	ilp_jw_kstr(w, "name", name);
	ilp_jw_kstr(w, "type", ilp_obj_type_name(ilp_fdobj_type(o)));
	ilp_jw_kstr(w, "desc", ilp_fdobj_desc(o));
	desc_hex(w, ilp_fdobj_desc(o));
	ilp_jw_kstr(w, "name_source", ilp_name_src_name(ilp_fdobj_type(o)));
	ilp_jw_ki64(w, "tid", ilp_fdobj_tid(o));
	ilp_jw_ku64(w, "ops", st->ops);
	ilp_jw_ku64(w, "errors", st->errors);
	ilp_jw_ku64(w, "total_ns", st->total_ns);
	ilp_jw_ku64(w, "reads", st->reads);
	ilp_jw_ku64(w, "read_bytes", st->rbytes);
	ilp_jw_ku64(w, "read_ns", st->read_ns);
	ilp_jw_ku64(w, "writes", st->writes);
	ilp_jw_ku64(w, "write_bytes", st->wbytes);
	ilp_jw_ku64(w, "write_ns", st->write_ns);
	ilp_jw_ku64(w, "syncs", st->syncs);
	ilp_jw_ku64(w, "sync_ns", st->sync_ns);
	ilp_jw_ku64(w, "opens", st->opens);
	ilp_jw_ku64(w, "open_ns", st->open_ns);
	ilp_jw_ku64(w, "stats", st->stats);
	ilp_jw_ku64(w, "stat_ns", st->stat_ns);
	ilp_jw_ku64(w, "closes", st->closes);
	ilp_jw_ku64(w, "close_ns", st->close_ns);
	ilp_jw_ku64(w, "others", st->others);
	ilp_jw_ku64(w, "other_ns", st->other_ns);
	ilp_jw_ku64(w, "round_trips", st->round_trips);
	ilp_jw_ku64(w, "round_trip_wait_ns", st->rt_wait_ns);
	ilp_jw_ku64(w, "requests", st->requests);
}

/* I/O by object (fdmodel.h): every object with a call, by total time; the
 * calls past the process's caps in objects_more */
static void json_objects(struct ilp_jw *w, const struct ilp_proc *p)
{
	const struct ilp_fdproc *f = ilp_proc_fds(p);
	uint64_t nobjs = 0, nfds = 0;
	int exact = 1;
	const struct ilp_fdobj *more = ilp_fdproc_more(f, &nobjs, &exact, &nfds);

	ilp_jw_key(w, "objects");
	ilp_jw_arr_begin(w);
	for (size_t i = 0; i < ilp_fdproc_nobjs(f); i++) {
		ilp_jw_obj_begin(w);
		json_object_fields(w, ilp_fdproc_obj(f, i));
		ilp_jw_obj_end(w);
	}
	ilp_jw_arr_end(w);
	if (!more)
		return;
	ilp_jw_key(w, "objects_more");
	ilp_jw_obj_begin(w);
	json_object_fields(w, more);
	ilp_jw_ku64(w, "objects", nobjs);
	ilp_jw_kbool(w, "objects_exact", exact);
	ilp_jw_ku64(w, "objects_kept", ILP_FDOBJ_MAX);
	ilp_jw_ku64(w, "fds_untracked", nfds);
	ilp_jw_obj_end(w);
}

static void json_proc(struct ilp_jw *w, const struct ilp_model *m, const struct ilp_proc *p,
		      const struct ilp_report_info *info, const struct ilp_report_opts *opts)
{
	ilp_jw_obj_begin(w);
	ilp_jw_ki64(w, "pid", ilp_proc_pid(p));
	ilp_jw_kstr(w, "comm", ilp_proc_comm(p));
	ilp_jw_kbool(w, "exited", ilp_proc_exited(p));
	ilp_jw_ku64(w, "threads_seen", ilp_proc_nthreads_seen(p));
	ilp_jw_ku64(w, "calls", ilp_proc_calls(p));
	ilp_jw_ku64(w, "total_ns", ilp_proc_total_ns(p));
	json_proc_syscalls(w, p);
	if (opts->threads)
		json_threads(w, p);
	json_objects(w, p);
	ilp_json_proc_uring(w, p);
	json_top_calls(w, p);
	ilp_json_proc_wait(w, m, p, info);
	ilp_jw_obj_end(w);
}

static const char *severity_name(int sev)
{
	switch (sev) {
	case ILP_SEV_LOW: return "low";
	case ILP_SEV_MEDIUM: return "medium";
	case ILP_SEV_HIGH: return "high";
	default: return "unknown";
	}
}

/* one finding; a group with its nested findings as "children" */
static void json_finding(struct ilp_jw *w, const struct ilp_finding *f)
{
	ilp_jw_obj_begin(w);
	ilp_jw_kstr(w, "kind", f->kind);
	ilp_jw_kstr(w, "label", f->label);
	ilp_jw_kstr(w, "severity", severity_name(f->severity));
	ilp_jw_ki64(w, "pid", f->pid);
	ilp_jw_ki64(w, "tid", f->tid);
	ilp_jw_kstr(w, "comm", f->comm);
	ilp_jw_kstr(w, "object", f->object);
	ilp_jw_key(w, "syscall");
	if (f->nr >= 0)
		ilp_jw_str(w, ilp_syscall_name(f->nr));
	else
		ilp_jw_null(w);
	ilp_jw_key(w, "site");
	if (f->site[0])
		ilp_jw_str(w, f->site);
	else
		ilp_jw_null(w);
	if (f->waited[0])	/* --sleep-stacks */
		ilp_jw_kstr(w, "waited_in", f->waited);
	ilp_jw_ku64(w, "count", f->count);
	ilp_jw_ku64(w, "bytes", f->bytes);
	ilp_jw_ku64(w, "size", f->size);
	ilp_jw_ku64(w, "time_ns", f->time_ns);
	ilp_jw_ku64(w, "threshold", f->threshold);
	ilp_jw_ku64(w, "saving_ns", f->saving_ns);
	ilp_jw_ku64(w, "saving_calls", f->saving_calls);
	ilp_jw_kstr(w, "what", f->what);
	ilp_jw_kstr(w, "evidence", f->evidence);
	ilp_jw_kstr(w, "why", f->why);
	ilp_jw_kstr(w, "fix", f->fix);
	ilp_jw_key(w, "children");
	ilp_jw_arr_begin(w);
	for (size_t i = 1; i <= f->nchildren; i++)
		json_finding(w, f + i);
	ilp_jw_arr_end(w);
	ilp_jw_obj_end(w);
}

/* findings (analyze.h), ranked, groups with their nested findings inside;
 * absent when the analysis did not run */
static void json_findings(struct ilp_jw *w, const struct ilp_report_info *info)
{
	if (!info->ndetectors)
		return;
	ilp_jw_ku64(w, "detectors", info->ndetectors);
	ilp_jw_key(w, "thresholds");
	ilp_jw_obj_begin(w);
	for (size_t i = 0; i < info->nthresholds; i++) {
		ilp_jw_key(w, info->thresholds[i].name);
		ilp_jw_obj_begin(w);
		ilp_jw_ku64(w, "value", info->thresholds[i].value);
		ilp_jw_kstr(w, "unit", info->thresholds[i].unit);
		ilp_jw_obj_end(w);
	}
	ilp_jw_obj_end(w);
	ilp_jw_key(w, "findings");
	ilp_jw_arr_begin(w);
	for (size_t i = 0; i < info->nfindings; i += 1 + info->findings[i].nchildren)
		json_finding(w, &info->findings[i]);
	ilp_jw_arr_end(w);
}

int ilp_report_proc_is_empty(const struct ilp_proc *p)
{
	if (ilp_proc_calls(p))
		return 0;
	for (size_t i = 0; i < ilp_proc_nsyscalls(p); i++)
		if (ilp_proc_syscall(p, i)->unfinished)
			return 0;
	return 1;
}

int ilp_report_proc_shown(const struct ilp_model *m, const struct ilp_proc *p)
{
	return ilp_model_nprocs(m) <= 1 || !ilp_report_proc_is_empty(p);
}

int ilp_report_json(FILE *out, const struct ilp_model *m,
		    const struct ilp_report_info *info,
		    const struct ilp_report_opts *opts)
{
	struct ilp_jw w;

	ilp_jw_init(&w, out, 1);
	ilp_jw_obj_begin(&w);
	json_header(&w, info);
	json_counters(&w, m);
	json_findings(&w, info);
	ilp_json_devices(&w, m);
	ilp_jw_key(&w, "processes");
	ilp_jw_arr_begin(&w);
	for (size_t i = 0; i < ilp_model_nprocs(m); i++) {
		const struct ilp_proc *p = ilp_model_proc(m, i);

		if (ilp_report_proc_shown(m, p))
			json_proc(&w, m, p, info, opts);
	}
	ilp_jw_arr_end(&w);
	ilp_jw_obj_end(&w);
	return ilp_jw_finish(&w);
}
