// SPDX-License-Identifier: MIT
/*
 * The report sink (include/session.h): each interim and the final report
 * in the chosen --format, through the one dispatch (report.c), to -o FILE
 * (outfile.h: each report appears whole, a failed run leaves the file as
 * it was) or to the default stream.  A reader that went away (EPIPE: SIGPIPE is
 * ignored) is told to the session, which stops in order.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "outfile.h"
#include "report.h"
#include "session.h"

struct report_sink {
	struct ilp_sink base;
	const struct ilp_opts *o;
	FILE *out;
	struct ilp_outfile *outf;	/* -o FILE (outfile.h); NULL: the default stream */
};

static int report_emit(struct ilp_sink *k, struct ilp_session *s, int interim)
{
	struct report_sink *r = (struct report_sink *)k;
	struct ilp_report_info info;
	int err;

	err = ilp_session_report_info(s, interim, &info);
	if (!err)
		err = ilp_report_emit(r->out, ilp_session_model(s), &info, r->o);
	if (fflush(r->out) || ferror(r->out)) {
		int e = errno;

		/* told here, once: the stream's error is not left for main's
		 * check of stdout to tell again */
		clearerr(r->out);
		if (e == EPIPE)
			return -EPIPE;
		if (!err)
			err = e ? -e : -EIO;
	}
	if (!err)	/* -o FILE: what is written appears, whole, now */
		err = interim ? ilp_outfile_publish(r->outf) : ilp_outfile_commit(r->outf);
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
	*out = &r->base;
	return 0;
}
