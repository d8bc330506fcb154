// SPDX-License-Identifier: MIT
/*
 * The report sink (include/session.h): each interim and the final report
 * in the chosen --format, through the one dispatch (report.c), to -o FILE
 * or to the default stream.  A reader that went away (EPIPE: SIGPIPE is
 * ignored) is told to the session, which stops in order.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "report.h"
#include "session.h"

struct report_sink {
	struct ilp_sink base;
	const struct ilp_opts *o;
	FILE *out;
	int own;		/* out is -o FILE: closed here */
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
		if (errno == EPIPE)
			return -EPIPE;
		if (!err)
			err = errno ? -errno : -EIO;
	}
	return err;
}

static void report_free(struct ilp_sink *k)
{
	struct report_sink *r = (struct report_sink *)k;

	if (!r)
		return;
	if (r->own)
		fclose(r->out);
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
		r->out = fopen(o->output, "we");
		if (!r->out) {
			ilp_error(o->output, -errno);
			free(r);
			return -ECANCELED;	/* explained */
		}
		r->own = 1;
	}
	*out = &r->base;
	return 0;
}
