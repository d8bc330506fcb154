// SPDX-License-Identifier: MIT
/*
 * iolockprof attach PID...: profile every thread of running processes, and
 * what they create later, until -d, a signal, or all of them exit.  The
 * targets are never stopped or signalled: tracing is all in the kernel.
 */
#include <signal.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "procfs.h"
#include "ptrace.h"

struct tidset {
	pid_t *v;
	size_t n, cap;
};

static int tidset_has(const struct tidset *s, pid_t t)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i] == t)
			return 1;
	return 0;
}

static int tidset_add(struct tidset *s, pid_t t)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		pid_t *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = t;
	return 0;
}

/* a thread not in seen yet: remembered in fresh */
struct fresh_ctx {
	const struct tidset *seen;
	struct tidset fresh;
};

static int note_fresh(void *ctx, pid_t tid)
{
	struct fresh_ctx *fc = ctx;

	return tidset_has(fc->seen, tid) ? 0 : tidset_add(&fc->fresh, tid);
}

/*
 * Adds to the capture every thread of pid not in seen yet.  Returns the
 * number added, or -errno (-ESRCH: no such process).
 */
static int add_threads(struct ilp_capture *c, pid_t pid, struct tidset *seen)
{
	struct fresh_ctx fc = { seen, { 0 } };
	char comm[32];
	size_t i;
	int err;

	err = ilp_procfs_each_task(pid, note_fresh, &fc);
	if (!err)
		err = ilp_capture_add_tids(c, fc.fresh.v, fc.fresh.n);
	for (i = 0; !err && i < fc.fresh.n; i++) {
		ilp_procfs_comm(fc.fresh.v[i], comm, sizeof(comm));
		err = ilp_capture_task_info(c, pid, fc.fresh.v[i], comm);
		if (!err)
			err = tidset_add(seen, fc.fresh.v[i]);
	}
	free(fc.fresh.v);
	return err ? err : (int)fc.fresh.n;
}

int ilp_cmd_attach(struct ilp_opts *o)
{
	struct ilp_capture *c = NULL;
	struct tidset seen = { 0 };
	pid_t *pids;
	char *desc = NULL, comm[32];
	size_t len;
	int i, err, status, ret = ILP_EXIT_FAIL, pass;

	{	/* ptrace when asked, or when tracefs is not usable (auto) */
		int fb, b = ilp_backend_pick(o, &fb);

		if (b)
			return b < 0 ? ILP_EXIT_USAGE : ilp_ptrace_cmd_attach(o, fb);
	}
	pids = calloc((size_t)o->argc, sizeof(*pids));
	if (!pids)
		goto out;
	for (i = 0; i < o->argc; i++) {
		if (ilp_procfs_parse_pid(o->argv[i], &pids[i])) {
			fprintf(stderr, "iolockprof: attach: '%s' is not a process id\n", o->argv[i]);
			ret = ILP_EXIT_USAGE;
			goto out;
		}
		if (pids[i] == getpid()) {
			fprintf(stderr, "iolockprof: attach: %d is iolockprof itself\n", (int)pids[i]);
			goto out;
		}
		if (kill(pids[i], 0) && errno == ESRCH) {
			fprintf(stderr, "iolockprof: attach: no such process: %d\n", (int)pids[i]);
			goto out;
		}
	}
	err = ilp_capture_new(o, &c);
	if (err == -ETIMEDOUT && o->backend == ILP_BACKEND_AUTO) {
		/* the kernel's tracing is stuck: auto means ptrace then */
		fprintf(stderr, "iolockprof: creating a tracefs instance hangs in the kernel "
			"(see dmesg): using the ptrace backend (no disk requests, kernel locks "
			"or off-CPU state; higher overhead)\n");
		ret = ilp_ptrace_cmd_attach(o, 1);
		goto out;
	}
	if (err) {
		ilp_error("cannot start tracing", err);
		goto out;
	}
	len = 16;
	for (i = 0; i < o->argc; i++)
		len += strlen(o->argv[i]) + sizeof(comm) + 8;
	desc = malloc(len);
	if (!desc)
		goto out;
	strcpy(desc, "attach");
	for (i = 0; i < o->argc; i++) {
		ilp_procfs_comm(pids[i], comm, sizeof(comm));
		snprintf(desc + strlen(desc), len - strlen(desc), " %d (%s)", (int)pids[i], comm);
	}
	err = ilp_capture_set_command(c, desc);
	for (i = 0; !err && i < o->argc; i++) {
		err = add_threads(c, pids[i], &seen);
		if (err > 0)
			err = 0;
		if (!err)
			err = ilp_capture_watch(c, pids[i], 0);
	}
	if (!err)
		err = ilp_capture_start(c);
	/*
	 * Threads created between our listing and the filter write were not
	 * followed by event-fork: list again until nothing new appears.
	 */
	for (pass = 0; !err && pass < 8; pass++) {
		int added = 0;

		for (i = 0; !err && i < o->argc; i++) {
			err = add_threads(c, pids[i], &seen);
			if (err == -ESRCH)	/* exited meanwhile: the loop sees it */
				err = 0;
			else if (err > 0)
				added += err, err = 0;
		}
		if (!added)
			break;
	}
	/* fds opened before tracing: named now, from /proc (after start: none missed) */
	for (i = 0; !err && i < o->argc; i++)
		err = ilp_capture_fd_scan(c, pids[i]);
	if (err == -ESRCH) {
		fprintf(stderr, "iolockprof: attach: no such process\n");
		goto out;
	}
	if (err) {
		ilp_error("attach", err);
		goto out;
	}
	err = ilp_capture_loop(c, &status);
	if (err) {
		ilp_error("capture", err);
		goto out;
	}
	ret = 0;
out:
	ilp_capture_free(c);
	free(desc);
	free(seen.v);
	free(pids);
	return ret;
}
