// SPDX-License-Identifier: MIT
/*
 * iolockprof record -o FILE (-- CMD | -p PID[,PID...]): the capture of run
 * or attach, kept as a trace-cmd trace.dat instead of reported.
 *
 * The session of run or attach runs with the record sink instead of the
 * report sink: its tap (struct ilp_record_tap) sees every raw page the
 * ftrace backend reads from a CPU, appended to FILE.cpuN, and
 * what iolockprof knows outside the ring buffer (command line, process
 * names, fd facts, lost events, exit status) is written as trace_marker
 * lines of our instance (include/tracemeta.h), so those land in the same
 * pages.  When the capture ends, tracedat_out.c builds FILE from the
 * per-CPU files.  Facts injected before tracing is on are queued and
 * written as soon as it is; each carries its own time.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


#include "cli.h"
#include "instance.h"
#include "outfile.h"
#include "session.h"
#include "source.h"
#include "tracedat.h"
#include "tracemeta.h"

struct recorder {
	struct ilp_sink base;	/* the record sink: a tap, no report */
	struct ilp_record_tap tap;
	struct ilp_outfile *out;	/* the trace file, written at the end (outfile.h) */
	int ncpus;
	FILE **cpu;
	char **cpu_path;
	struct ilp_instance *in;	/* where the facts go (its trace_marker); NULL
					 * before the start and after the end */
	int started, ended;
	char **queue;		/* lines waiting for tracing to be on */
	size_t nqueue;
	uint64_t pages, lines, dropped, lost;
	int err;
};

static int write_line(struct recorder *r, const char *line)
{
	if (!r->in || ilp_instance_mark(r->in, line))
		r->dropped++;	/* a fact less is not worth failing the capture */
	else
		r->lines++;
	return 0;
}

static int queue_line(struct recorder *r, const char *line)
{
	char **q = realloc(r->queue, (r->nqueue + 1) * sizeof(*q));

	if (!q)
		return -ENOMEM;
	r->queue = q;
	q[r->nqueue] = strdup(line);
	if (!q[r->nqueue])
		return -ENOMEM;
	r->nqueue++;
	return 0;
}

static int tap_page(void *ctx, int cpu, const void *page, size_t size)
{
	struct recorder *r = ctx;

	if (cpu < 0 || cpu >= r->ncpus || !r->cpu[cpu])
		return -EINVAL;
	if (fwrite(page, 1, size, r->cpu[cpu]) != size)
		return errno ? -errno : -EIO;
	r->pages++;
	return 0;
}

static int tap_inject(void *ctx, const struct ilp_event *ev)
{
	struct recorder *r = ctx;
	char line[ILP_META_MAX];

	if (ilp_meta_format_event(line, sizeof(line), ev) < 0)
		return 0;	/* not a fact we keep */
	if (r->ended) {
		r->dropped++;
		return 0;
	}
	if (!r->started)
		return queue_line(r, line);
	return write_line(r, line);
}

static int tap_started(void *ctx, struct ilp_instance *in, const char *command,
		       uint64_t start_ts)
{
	struct recorder *r = ctx;
	char line[ILP_META_MAX];
	size_t i;
	int cpu;

	/* the companion's CPUs (block events, instance.h) follow the main
	 * instance's as extra CPUs of the file, as the live source reads them */
	r->ncpus = ilp_instance_ncpus(in) + ilp_instance_sys_ncpus(in);
	r->cpu = calloc((size_t)r->ncpus, sizeof(*r->cpu));
	r->cpu_path = calloc((size_t)r->ncpus, sizeof(*r->cpu_path));
	if (!r->cpu || !r->cpu_path)
		return -ENOMEM;
	for (cpu = 0; cpu < r->ncpus; cpu++) {
		char suffix[24];
		int err;

		snprintf(suffix, sizeof(suffix), ".cpu%d", cpu);
		err = ilp_outfile_side(r->out, suffix, &r->cpu[cpu], &r->cpu_path[cpu]);
		if (err)
			return err;
	}
	r->in = in;
	r->started = 1;
	if (ilp_meta_format_begin(line, sizeof(line), start_ts, command) < 0)
		line[sizeof(line) - 1] = '\0';
	write_line(r, line);
	for (i = 0; i < r->nqueue; i++)
		write_line(r, r->queue[i]);
	return 0;
}

static int tap_name(void *ctx, int kind, int pid, uint64_t key, const char *name)
{
	struct recorder *r = ctx;
	char line[ILP_META_MAX];

	if (ilp_meta_format_name(line, sizeof(line), ilp_now_ns(), kind, pid, key, name) < 0)
		return 0;
	if (r->ended) {
		r->dropped++;
		return 0;
	}
	if (!r->started)
		return queue_line(r, line);
	return write_line(r, line);
}

static int tap_end(void *ctx, int exit_status, uint64_t lost)
{
	struct recorder *r = ctx;
	char line[ILP_META_MAX];

	if (!r->in)
		return 0;
	r->lost = lost;
	ilp_meta_format_end(line, sizeof(line), ilp_now_ns(), lost, exit_status);
	write_line(r, line);
	r->in = NULL;
	r->ended = 1;
	return 0;
}

/* Closes the per-CPU files; 0 or -errno if any write failed. */
static int close_cpu_files(struct recorder *r)
{
	int cpu, err = 0;

	for (cpu = 0; r->cpu && cpu < r->ncpus; cpu++) {
		if (!r->cpu[cpu])
			continue;
		if ((fflush(r->cpu[cpu]) || ferror(r->cpu[cpu])) && !err)
			err = errno ? -errno : -EIO;
		if (fclose(r->cpu[cpu]) && !err)
			err = -errno;
		r->cpu[cpu] = NULL;
	}
	return err;
}

static void recorder_release(struct recorder *r)
{
	size_t i;
	int cpu;

	close_cpu_files(r);
	for (cpu = 0; r->cpu_path && cpu < r->ncpus; cpu++) {
		if (r->cpu_path[cpu])
			unlink(r->cpu_path[cpu]);
		free(r->cpu_path[cpu]);
	}
	free(r->cpu_path);
	free(r->cpu);
	for (i = 0; i < r->nqueue; i++)
		free(r->queue[i]);
	free(r->queue);
}

/*
 * A signal once the capture has ended (a second Ctrl-C while FILE is being
 * written) must not kill us between the per-CPU files and their removal:
 * from before the capture to the end, SIGINT/SIGTERM/SIGHUP/SIGQUIT run a handler
 * that does nothing (the capture blocks them and reads them from its
 * signalfd, as before; an exec'd command gets the default action back, as
 * exec resets handled signals).  The file is finished, the temporary files
 * removed, and the exit status is the capture's.
 */
static const int late_sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
#define NLATE ((int)(sizeof(late_sigs) / sizeof(late_sigs[0])))

static void on_late_signal(int sig)
{
	(void)sig;
}

static void hold_signals(struct sigaction *old)
{
	struct sigaction sa;
	int i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_late_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NLATE; i++)
		sigaction(late_sigs[i], &sa, &old[i]);
}

static void release_signals(const struct sigaction *old)
{
	int i;

	for (i = 0; i < NLATE; i++)
		sigaction(late_sigs[i], &old[i], NULL);
}

static const struct ilp_record_tap *recorder_tap(struct ilp_sink *k)
{
	return &((struct recorder *)k)->tap;
}

static const struct ilp_sink_ops record_sink = {
	.tap = recorder_tap,
};

int ilp_cmd_record(struct ilp_opts *o)
{
	struct recorder r = {
		.base.ops = &record_sink,
		.tap = {
			.page = tap_page, .inject = tap_inject, .started = tap_started,
			.end = tap_end, .name = tap_name, .ctx = &r,
		},
	};
	struct ilp_opts co = *o;
	struct sigaction oldsa[NLATE];
	int attach = o->npids > 0, held = 0, ret, err;
	int fail = attach ? ILP_EXIT_FAIL : ILP_EXIT_RUN_FAIL;
	struct stat st;

	if (!o->output) {
		fprintf(stderr, "iolockprof: record: -o FILE is required (see iolockprof --help)\n");
		return ILP_EXIT_USAGE;
	}
	if (attach == (o->argc > 0)) {
		fprintf(stderr, "iolockprof: record: give either -- CMD [ARGS] or -p PID[,PID...] "
			"(see iolockprof --help)\n");
		return ILP_EXIT_USAGE;
	}
	/* a trace.dat is a recording of the ring buffers: ftrace only, never a
	 * silent fallback to a backend that would write no file */
	if (o->backend == ILP_BACKEND_PTRACE || o->stacks) {
		fprintf(stderr, "iolockprof: record: needs the ftrace backend (--backend=ptrace and "
			"--stacks cannot write a trace file; use run with them)\n");
		return ILP_EXIT_USAGE;
	}
	if (attach && o->names_exact) {
		fprintf(stderr, "iolockprof: record: --names=exact needs -- CMD (the filter must be "
			"there before the command starts), not -p\n");
		return ILP_EXIT_USAGE;
	}
	co.backend = ILP_BACKEND_FTRACE;
	/* fail now, not after the capture, if FILE cannot be written */
	err = ilp_outfile_open(o->output, ILP_OUT_TRACE, &r.out);
	if (err) {
		ilp_error(o->output, err);
		ret = fail;
		goto out;
	}
	co.output = NULL;
	hold_signals(oldsa);
	held = 1;
	ret = attach ? ilp_cli_attach(&co, &r.base) : ilp_cli_run(&co, &r.base);
	if (!r.ended)	/* the capture never ran (command not found, bad pid...) */
		goto out;
	err = close_cpu_files(&r);
	if (!err)
		err = ilp_tracedat_write(fileno(ilp_outfile_stream(r.out)), r.ncpus, r.cpu_path,
					 "mono");
	if (!err)
		err = ilp_outfile_commit(r.out);
	if (err) {
		ilp_error(o->output, err);
		ret = fail;
		goto out;
	}
	if (stat(o->output, &st))
		st.st_size = 0;
	fprintf(stderr, "iolockprof: wrote %s (%.1f KiB, %d CPUs, %llu lost events%s)\n",
		o->output, (double)st.st_size / 1024.0, r.ncpus, (unsigned long long)r.lost,
		r.dropped ? ", some iolockprof facts could not be written" : "");
out:
	recorder_release(&r);
	ilp_outfile_free(r.out);	/* not committed: the target stays as it was */
	if (held)
		release_signals(oldsa);
	return ret;
}
