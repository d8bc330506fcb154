// SPDX-License-Identifier: MIT
/*
 * The file backend (include/session.h): a trace file (record's, or one
 * trace-cmd made) replayed through the session like a live capture, so the
 * same model, namer and sinks make the report.  The file is parsed in a
 * sandboxed child (ilp_tracereader_*, source.h) whose events stream in
 * through a pipe the session polls.  Names of devices and locks come from
 * the file's facts, not from this machine.
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
	struct ilp_tracereader *r;
	const char *path;
	char *command;		/* "trace file PATH" for a file without its command line */
	int told;		/* what the file lacks was said */
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
	ilp_tracereader_close(f->r);
	free(f->command);
	free(f);
}

static int file_open(struct ilp_session *s, struct ilp_backend **out)
{
	const struct ilp_opts *o = ilp_session_opts(s);
	struct file_be *f;
	int err;

	*out = NULL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->base.ops = &ilp_backend_file;
	f->base.s = s;
	f->path = o->input ? o->input : DEFAULT_INPUT;
	if (asprintf(&f->command, "trace file %s", f->path) < 0) {
		f->command = NULL;
		err = -ENOMEM;
		goto out;
	}
	/* the file's facts and errors come through the pump: a signal ends
	 * even the reader's first pass over a large file */
	err = ilp_tracereader_open(f->path, &f->r);
	if (err == -EBADFD) {
		fprintf(stderr, "iolockprof: %s: not a regular file\n", f->path);
		err = -ECANCELED;
	} else if (err) {
		ilp_error(f->path, err);
		err = -ECANCELED;
	}
	if (err)
		goto out;
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
	(void)timeout;
	if (!max)
		return 0;
	fds[0].fd = ilp_tracereader_fd(fbe(b)->r);
	fds[0].events = POLLIN;
	fds[0].revents = 0;
	return 1;
}

static int file_pump(struct ilp_backend *b, const struct pollfd *fds, size_t n, int flush)
{
	struct file_be *f = fbe(b);
	const char *why;
	int r;

	(void)flush;
	if (n && !fds[0].revents)
		return ILP_PUMP_MORE;
	r = ilp_tracereader_pump(f->r, ilp_session_feed, b->s, &why);
	if (!f->told && ilp_tracereader_has_info(f->r)) {
		const struct ilp_tracefile_info *fi = ilp_tracereader_info(f->r);

		f->told = 1;
		if (fi->lacks)
			fprintf(stderr, "iolockprof: %s: %s\n", f->path, fi->lacks);
	}
	if (r == 1)
		return ILP_PUMP_END;
	if (r < 0) {
		if (why)
			fprintf(stderr, "iolockprof: %s: %s\n", f->path, why);
		else
			ilp_error(f->path, r);
		return -ECANCELED;
	}
	return ILP_PUMP_MORE;
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
	return ilp_tracereader_name(fbe(b)->r, kind, pid, key, buf, size);
}

static int file_describe(struct ilp_backend *b, struct ilp_report_info *info)
{
	struct file_be *f = fbe(b);
	const struct ilp_tracefile_info *fi = ilp_tracereader_info(f->r);

	info->command = fi->command && fi->command[0] ? fi->command : f->command;
	info->backend = "ftrace";	/* what recorded it */
	info->start_ts = fi->start_ts;
	info->end_ts = fi->end_ts;
	info->events = ilp_tracereader_counters(f->r)->records;
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
