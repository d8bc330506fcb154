// SPDX-License-Identifier: MIT
/*
 * iolockprof report [-i FILE]: the report run or attach would have printed,
 * from a trace file (record's, or one trace-cmd made).  The file source
 * (source_file.c) feeds the same model the live capture feeds, and the
 * report goes through the one dispatch (report.c), so every --format works.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "model.h"
#include "report.h"
#include "source.h"
#include "waitmodel.h"

#define DEFAULT_INPUT "trace.dat"

struct feed_ctx {
	struct ilp_model *m;
	int err;
};

static int feed(const struct ilp_event *ev, void *ctx)
{
	struct feed_ctx *fc = ctx;

	if (ilp_model_feed(fc->m, ev))
		fc->err = -ENOMEM;
	return 0;
}

int ilp_cmd_report(struct ilp_opts *o)
{
	const char *path = o->input ? o->input : DEFAULT_INPUT, *why = NULL;
	const struct ilp_tracefile_info *fi;
	struct ilp_report_info info = { 0 };
	struct ilp_tracefile *f = NULL;
	struct feed_ctx fc = { 0 };
	char *command = NULL;
	FILE *out = stdout;
	int err, ret = ILP_EXIT_FAIL;

	if (o->argc > 0) {
		fprintf(stderr, "iolockprof: report: unexpected argument '%s' (the file is -i FILE; "
			"see iolockprof --help)\n", o->argv[0]);
		return ILP_EXIT_USAGE;
	}
	err = ilp_tracefile_open(path, &f, &why);
	if (err) {
		if (why)
			fprintf(stderr, "iolockprof: %s: %s\n", path, why);
		else
			ilp_error(path, err);
		goto out;
	}
	fi = ilp_tracefile_info(f);
	fc.m = ilp_model_new();
	if (fc.m)
		ilp_model_set_slow(fc.m, (uint64_t)o->slow_ms * 1000000);
	if (!fc.m) {
		ilp_error("report", -ENOMEM);
		goto out;
	}
	ilp_tracefile_deliver(f, feed, &fc);
	if (ilp_wait_name_objects(fc.m, ilp_tracefile_name, f))
		fc.err = -ENOMEM;
	ilp_model_finish(fc.m, fi->end_ts);
	if (fi->lacks)
		fprintf(stderr, "iolockprof: %s: %s\n", path, fi->lacks);
	if (fi->command[0]) {
		info.command = fi->command;
	} else {
		if (asprintf(&command, "trace file %s", path) < 0) {
			command = NULL;
			ilp_error("report", -ENOMEM);
			goto out;
		}
		info.command = command;
	}
	info.backend = "ftrace";
	info.start_ts = fi->start_ts;
	info.end_ts = fi->end_ts;
	info.events = ilp_tracefile_counters(f)->records;
	info.lost = fi->lost;
	info.exit_status = fi->exit_status;
	if (o->output) {
		out = fopen(o->output, "we");
		if (!out) {
			out = stdout;
			ilp_error(o->output, -errno);
			goto out;
		}
	}
	err = ilp_report_emit(out, fc.m, &info, o);
	if (!err && (fflush(out) || ferror(out)))
		err = -EIO;
	if (err) {
		ilp_error(o->output ? o->output : "report", err);
		goto out;
	}
	ret = fc.err ? ILP_EXIT_FAIL : 0;
	if (fc.err)
		ilp_error("report", fc.err);
out:
	if (out != stdout && fclose(out) && !ret) {
		ilp_error(o->output, -errno);
		ret = ILP_EXIT_FAIL;
	}
	free(command);
	ilp_model_free(fc.m);
	ilp_tracefile_close(f);
	return ret;
}
