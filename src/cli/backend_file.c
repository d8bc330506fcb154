// SPDX-License-Identifier: MIT
/*
 * The file backend (include/session.h): a trace file (record's, or one
 * trace-cmd made) replayed through the session like a live capture, so the
 * same model, namer and sinks make the report.  Names of devices and locks
 * come from the file's facts, not from this machine.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "report.h"
#include "session.h"
#include "source.h"

#define DEFAULT_INPUT "trace.dat"

struct file_be {
	struct ilp_backend base;
	struct ilp_tracefile *f;
	const char *path;
	char *command;		/* "trace file PATH" for a file without its command line */
	int delivered;
};

static struct file_be *fbe(struct ilp_backend *b)
{
	return (struct file_be *)b;
}

static void file_free(struct ilp_backend *b)
{
	struct file_be *f = fbe(b);

	if (!f)
		return;
	ilp_tracefile_close(f->f);
	free(f->command);
	free(f);
}

static int file_open(struct ilp_session *s, struct ilp_backend **out)
{
	const struct ilp_opts *o = ilp_session_opts(s);
	const struct ilp_tracefile_info *fi;
	const char *why = NULL;
	struct file_be *f;
	int err;

	*out = NULL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->base.ops = &ilp_backend_file;
	f->base.s = s;
	f->path = o->input ? o->input : DEFAULT_INPUT;
	err = ilp_tracefile_open(f->path, &f->f, &why);
	if (err) {
		if (why)
			fprintf(stderr, "iolockprof: %s: %s\n", f->path, why);
		else
			ilp_error(f->path, err);
		err = -ECANCELED;
		goto out;
	}
	fi = ilp_tracefile_info(f->f);
	if (fi->lacks)
		fprintf(stderr, "iolockprof: %s: %s\n", f->path, fi->lacks);
	if (!fi->command[0] && asprintf(&f->command, "trace file %s", f->path) < 0) {
		f->command = NULL;
		err = -ENOMEM;
		goto out;
	}
	*out = &f->base;
	return 0;
out:
	file_free(&f->base);
	return err;
}

static int file_start(struct ilp_backend *b)
{
	(void)b;
	return 0;
}

static size_t file_pollfds(struct ilp_backend *b, struct pollfd *fds, size_t max, int *timeout)
{
	(void)b;
	(void)fds;
	(void)max;
	*timeout = 0;	/* everything is there: deliver at once */
	return 0;
}

static int file_pump(struct ilp_backend *b, const struct pollfd *fds, size_t n, int flush)
{
	struct file_be *f = fbe(b);

	(void)fds;
	(void)n;
	(void)flush;
	if (!f->delivered) {
		f->delivered = 1;
		ilp_tracefile_deliver(f->f, ilp_session_feed, b->s);
	}
	return ILP_PUMP_END;
}

static int file_stop(struct ilp_backend *b, int early)
{
	(void)b;
	(void)early;
	return 0;
}

static int file_name(struct ilp_backend *b, int kind, int pid, uint64_t key, char *buf,
		     size_t size)
{
	return ilp_tracefile_name(fbe(b)->f, kind, pid, key, buf, size);
}

static int file_describe(struct ilp_backend *b, struct ilp_report_info *info)
{
	struct file_be *f = fbe(b);
	const struct ilp_tracefile_info *fi = ilp_tracefile_info(f->f);

	info->command = fi->command[0] ? fi->command : f->command;
	info->backend = "ftrace";	/* what recorded it */
	info->start_ts = fi->start_ts;
	info->end_ts = fi->end_ts;
	info->events = ilp_tracefile_counters(f->f)->records;
	info->lost = fi->lost;
	info->exit_status = fi->exit_status;
	return 0;
}

const struct ilp_backend_ops ilp_backend_file = {
	.name = "file",
	.open = file_open,
	.free = file_free,
	.start = file_start,
	.pollfds = file_pollfds,
	.pump = file_pump,
	.stop = file_stop,
	.name_object = file_name,
	.describe = file_describe,
};
