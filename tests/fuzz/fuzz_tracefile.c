// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the trace-file parser: the input is written to a
 * memfd and parsed as a trace.dat in this process (libtracecmd's own walk
 * probed in a child first, so the fuzzer sees iolockprof's parsing, not
 * libtracecmd's known crashes); the events feed the
 * model, the detectors run, and the text and JSON reports are written to
 * /dev/null.  `make fuzz` builds
 * it with clang -fsanitize=fuzzer,address,undefined and runs it for a
 * bounded time on tests/fuzz/corpus/ (small recorded files).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "analyze.h"
#include "model.h"
#include "report.h"
#include "source.h"
#include "waitmodel.h"

static int feed(const struct ilp_event *ev, void *ctx)
{
	ilp_model_feed(ctx, ev);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ilp_report_opts o = { .threads = 1, .top_hist = 3, .top_objects = 10 };
	struct ilp_report_info info = { 0 };
	struct ilp_findings fs = { 0 };
	struct ilp_thresholds th;
	const struct ilp_tracefile_info *fi;
	struct ilp_tracefile *f = NULL;
	struct ilp_model *m;
	const char *why;
	FILE *out;
	int fd;

	fd = memfd_create("fuzz-trace", 0);
	if (fd < 0)
		return 0;
	if (size && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	if (ilp_tracefile_open_fd(fd, ILP_TRACEFILE_PROBE, &f, &why) == 0) {
		fi = ilp_tracefile_info(f);
		m = ilp_model_new();
		out = fopen("/dev/null", "w");
		if (m && out) {
			ilp_tracefile_deliver(f, feed, m);
			ilp_wait_name_objects(m, ilp_tracefile_name, f);
			ilp_model_finish(m, fi->end_ts);
			info.command = fi->command;
			info.backend = "ftrace";
			info.start_ts = fi->start_ts;
			info.end_ts = fi->end_ts;
			info.lost = fi->lost;
			info.exit_status = fi->exit_status;
			ilp_thresholds_default(&th);
			if (!ilp_model_index(m, fi->end_ts) &&
			    !ilp_analyze(m, &th, ilp_report_span_ns(&info), &fs)) {
				info.findings = fs.v;
				info.nfindings = fs.n;
				ilp_report_text(out, m, &info, &o);
				ilp_report_json(out, m, &info, &o);
			}
			ilp_findings_release(&fs);
		}
		if (out)
			fclose(out);
		ilp_model_free(m);
		ilp_tracefile_close(f);
	}
	close(fd);
	return 0;
}
