// SPDX-License-Identifier: MIT
/*
 * iolockprof report [-i FILE]: the report run or attach would have printed,
 * from a trace file (record's, or one trace-cmd made): a session with the
 * file backend and the report sink, so every --format works.
 */
#include <errno.h>
#include <stdio.h>

#include "cli.h"
#include "session.h"

int ilp_cmd_report(struct ilp_opts *o)
{
	struct ilp_session *s = NULL;
	struct ilp_sink *k = NULL;
	int err, ret = ILP_EXIT_FAIL;

	if (o->argc > 0) {
		fprintf(stderr, "iolockprof: report: unexpected argument '%s' (the file is -i FILE; "
			"see iolockprof --help)\n", o->argv[0]);
		return ILP_EXIT_USAGE;
	}
	err = ilp_sink_report_new(o, 1, &k);
	if (!err)
		err = ilp_session_new(o, ILP_SESSION_REPLAY, k, &s);
	if (!err)
		err = ilp_session_start(s);
	if (!err)
		err = ilp_session_loop(s);
	if (err)
		ilp_error(o->output && err != -ENOMEM ? o->output : "report", err);
	else
		ret = 0;
	ilp_session_free(s);
	ilp_sink_free(k);
	return ret;
}
