// SPDX-License-Identifier: MIT
/*
 * The report sink (include/session.h): each interim and the final report
 * in the chosen --format, through the one dispatch (report_write), to -o FILE
 * (outfile.h: each report appears whole, a failed run leaves the file as
 * it was) or to the default stream.  A reader that went away (EPIPE: SIGPIPE is
 * ignored) is told to the session, which stops in order.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analyze.h"
#include "cli.h"
#include "model.h"
#include "options.h"
#include "outfile.h"
#include "report.h"
#include "session.h"
#include "stacks.h"

static int report_write(FILE *out, struct ilp_model *m, const struct ilp_report_info *info,
			const struct ilp_opts *o);

struct report_sink {
	struct ilp_sink base;
	const struct ilp_opts *o;
	FILE *out;
	struct ilp_outfile *outf;	/* -o FILE (outfile.h); NULL: the default stream */
	unsigned ninterim;	/* interim reports written to FILE.1, FILE.2, ... */
};

/*
 * --interval with a document format (json, html, perfetto, folded, pprof) and -o
 * FILE: each interim report is a file of its own, FILE.N, as one file
 * cannot hold several documents; prom rewrites FILE, whole, each time (what
 * node_exporter's textfile collector reads); text reports follow each other
 * in FILE.
 */
static int per_interval_files(const struct ilp_opts *o)
{
	static const char *const streams[] = { "-", "/dev/stdout", "/dev/stderr", "/dev/null" };

	if (!o->output || o->format == ILP_FMT_TEXT)
		return 0;
	for (size_t i = 0; i < sizeof(streams) / sizeof(streams[0]); i++)
		if (!strcmp(o->output, streams[i]))
			return 0;
	return 1;
}

/* the Nth interim report, whole, to FILE.N (prom: FILE) */
static int emit_interval_file(struct report_sink *r, struct ilp_session *s,
			      const struct ilp_report_info *info)
{
	struct ilp_outfile *f;
	char *path;
	int err;

	if (r->o->format == ILP_FMT_PROM ? !(path = strdup(r->o->output)) :
	    asprintf(&path, "%s.%u", r->o->output,
		     info->interval ? info->interval : r->ninterim + 1) < 0)
		return -ENOMEM;
	err = ilp_outfile_open(path, ILP_OUT_REPORT, &f);
	if (!err) {
		err = report_write(ilp_outfile_stream(f), ilp_session_report_model(s, 1), info,
				   r->o);
		if (!err)
			err = ilp_outfile_commit(f);
		ilp_outfile_free(f);
	}
	if (err)
		ilp_error(path, err);
	else
		r->ninterim++;
	free(path);
	return err ? -ECANCELED : 0;	/* explained */
}

/* the reporter of o->format */
static int emit(FILE *out, struct ilp_model *m, const struct ilp_report_info *info,
		const struct ilp_opts *o)
{
	struct ilp_report_opts ro = { 0 };

	/* the model was indexed by report_write */
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
	case ILP_FMT_PROM:
		return ilp_report_prom(out, m, info, &ro);
	case ILP_FMT_PPROF:
		return ilp_report_pprof(out, m, info, &ro);
	default:
		return -ENOTSUP;
	}
}

/*
 * The one way to a report, for every backend and command: index the model
 * at info->end_ts, run the detectors once (the reporters get the findings
 * through info: they compute nothing), write o->format to out.  0 or -errno.
 */
static int report_write(FILE *out, struct ilp_model *m, const struct ilp_report_info *info,
			const struct ilp_opts *o)
{
	struct ilp_findings fs = { 0 };
	struct ilp_report_threshold ths[ILP_REPORT_THRESHOLDS_MAX];
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
	err = ilp_analyze(m, &def, ilp_report_span_ns(info), &fs);
	if (!err && info->stacks)
		ilp_findings_set_sites(&fs, info->stacks);
	if (!err && info->sleep_stacks)
		ilp_findings_set_waited(&fs, m);
	if (!err) {
		ri.findings = fs.v;
		ri.nfindings = fs.n;
		ri.ndetectors = ilp_detector_count();
		ri.thresholds = ths;
		ri.nthresholds = ilp_options_thresholds(&def, ths, ILP_REPORT_THRESHOLDS_MAX);
		if (ri.nthresholds > ILP_REPORT_THRESHOLDS_MAX)
			ri.nthresholds = ILP_REPORT_THRESHOLDS_MAX;	/* the test keeps it under */
		err = emit(out, m, &ri, o);
	}
	ilp_findings_release(&fs);
	return err;
}

/*
 * --push: the final report rendered in memory and written to the stream;
 * *buf, *len hold it for push() (the caller frees *buf).
 */
static int emit_kept(struct report_sink *r, struct ilp_session *s,
		     const struct ilp_report_info *info, char **buf, size_t *len)
{
	FILE *mem = open_memstream(buf, len);
	int err;

	if (!mem)
		return -ENOMEM;
	err = report_write(mem, ilp_session_report_model(s, 0), info, r->o);
	if (fclose(mem) && !err)
		err = -ENOMEM;
	if (!err && *len && fwrite(*buf, 1, *len, r->out) != *len)
		err = -EIO;	/* told by the caller's check of the stream */
	return err;
}

/* POSTs the profile (push.c) with its span in Unix seconds: the capture's
 * wall clock, or, for a trace file (which has none), the span up to now */
static int push(struct report_sink *r, const struct ilp_report_info *info, const char *buf,
		size_t len)
{
	uint64_t span = ilp_report_span_ns(info), from, until;
	struct timespec now;

	if (info->start_wall_ns) {
		from = info->start_wall_ns / 1000000000u;
		until = (info->start_wall_ns + span + 999999999u) / 1000000000u;
	} else {
		clock_gettime(CLOCK_REALTIME, &now);
		until = (uint64_t)now.tv_sec;
		from = until - (span + 999999999u) / 1000000000u;
	}
	return ilp_push_pprof(r->o->push, buf, len, from, until);
}

static int report_emit(struct ilp_sink *k, struct ilp_session *s, int interim)
{
	struct report_sink *r = (struct report_sink *)k;
	struct ilp_report_info info;
	char *kept = NULL;
	size_t nkept = 0;
	int err;

	err = ilp_session_report_info(s, interim, &info);
	if (!err && interim && per_interval_files(r->o))
		return emit_interval_file(r, s, &info);
	if (!err && !interim && r->o->push)
		err = emit_kept(r, s, &info, &kept, &nkept);
	else if (!err)
		err = report_write(r->out, ilp_session_report_model(s, interim), &info, r->o);
	if (fflush(r->out) || ferror(r->out)) {
		int e = errno;

		/* told here, once: the stream's error is not left for main's
		 * check of stdout to tell again */
		clearerr(r->out);
		if (e == EPIPE)
			err = -EPIPE;
		else if (!err)
			err = e ? -e : -EIO;
	}
	if (!err)	/* -o FILE: what is written appears, whole, now */
		err = interim ? ilp_outfile_publish(r->outf) : ilp_outfile_commit(r->outf);
	if (!err && kept)	/* --push: once the report is out */
		err = push(r, &info, kept, nkept);
	free(kept);
	return err;
}

static void report_free(struct ilp_sink *k)
{
	struct report_sink *r = (struct report_sink *)k;

	if (!r)
		return;
	ilp_outfile_free(r->outf);	/* not committed: the target stays as it was */
	free(r);
}

static const struct ilp_sink_ops report_ops = {
	.emit = report_emit,
	.free = report_free,
};

int ilp_sink_report_new(const struct ilp_opts *o, int to_stdout, struct ilp_sink **out)
{
	struct report_sink *r;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->base.ops = &report_ops;
	r->o = o;
	r->out = to_stdout ? stdout : stderr;
	if (o->output) {
		int err = ilp_outfile_open(o->output, ILP_OUT_REPORT, &r->outf);

		if (err) {
			ilp_error(o->output, err);
			free(r);
			return -ECANCELED;	/* explained */
		}
		r->out = ilp_outfile_stream(r->outf);
	}
	/* binary: never to a terminal, and never to the stderr the command
	 * writes to as well (run's, attach's: the two would mix) */
	if (o->format == ILP_FMT_PPROF && (isatty(fileno(r->out)) || r->out == stderr)) {
		fprintf(stderr, "iolockprof: --format pprof is binary (gzip): give -o FILE%s\n",
			r->out == stderr ? "" : " or pipe it");
		report_free(&r->base);
		return -ECANCELED;	/* explained */
	}
	*out = &r->base;
	return 0;
}
