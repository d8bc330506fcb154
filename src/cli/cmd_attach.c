// SPDX-License-Identifier: MIT
/*
 * iolockprof attach PID...: profile every thread of running processes, and
 * what they create later, until -d, a signal, or all of them exit.  Under
 * ftrace the targets are never stopped or signalled: tracing is all in the
 * kernel.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cli.h"
#include "procfs.h"
#include "session.h"

/* attach --continuous's defaults (the option table shows them) */
#define CONT_DUTY_PCT 10
#define CONT_PERIOD_S 10.0
#define CONT_WINDOW_S 60.0

/* One pidfd per target: let a long PID list have the fds it needs. */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* "attach 12 (app) 34 (db)" */
static char *describe(const pid_t *pids, int n)
{
	char comm[32], *desc;
	size_t len = 16;
	int i;

	len += (size_t)n * (sizeof(comm) + 16);
	desc = malloc(len);
	if (!desc)
		return NULL;
	strcpy(desc, "attach");
	for (i = 0; i < n; i++) {
		ilp_procfs_comm(pids[i], comm, sizeof(comm));
		snprintf(desc + strlen(desc), len - strlen(desc), " %d (%s)", (int)pids[i], comm);
	}
	return desc;
}

/*
 * One line on stderr once tracing is on: what is profiled, by which backend,
 * and how it ends.  "iolockprof: profiling 812 (redis-server) with ftrace
 * until it exits or Ctrl-C (kill -INT 4567); a report every 5 s"
 */
#define ANNOUNCE_PIDS 8		/* named; the rest counted */
static void announce(const struct ilp_opts *o, const char *backend, const pid_t *pids,
		     int n)
{
	char comm[32];
	int i;

	fprintf(stderr, "iolockprof: profiling ");
	if (n > 1)
		fprintf(stderr, "%d processes: ", n);
	for (i = 0; i < n && i < ANNOUNCE_PIDS; i++) {
		ilp_procfs_comm(pids[i], comm, sizeof(comm));
		for (char *c = comm; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				*c = '?';
		fprintf(stderr, "%s%d (%s)", i ? ", " : "", (int)pids[i], comm);
	}
	if (n > ANNOUNCE_PIDS)
		fprintf(stderr, " and %d more", n - ANNOUNCE_PIDS);
	fprintf(stderr, " with %s until %s or Ctrl-C (kill -INT %d)", backend,
		n > 1 ? "they all exit" : "it exits", (int)getpid());
	if (o->duration > 0)
		fprintf(stderr, ", %g s at most", o->duration);
	if (o->continuous)
		fprintf(stderr, "; %d %% of every %g s captured, a report every %g s", o->duty,
			o->duty_period, o->window);
	else if (o->interval > 0 && !o->watching)	/* watch's windows make no report */
		fprintf(stderr, "; a report every %g s", o->interval);
	fprintf(stderr, "\n");
}

int ilp_cli_attach(struct ilp_opts *o, struct ilp_sink *sink)
{
	struct ilp_session *s = NULL;
	const pid_t *pids = o->pids;	/* each once (options.c) */
	int n = (int)o->npids;
	char *desc = NULL;
	int i, err, ret = ILP_EXIT_FAIL;

	for (i = 0; i < n; i++) {
		if (pids[i] == getpid()) {
			fprintf(stderr, "iolockprof: attach: %d is iolockprof itself\n", (int)pids[i]);
			goto out;
		}
		if (kill(pids[i], 0) && errno == ESRCH) {
			fprintf(stderr, "iolockprof: attach: no such process: %d\n", (int)pids[i]);
			goto out;
		}
	}
	raise_fd_limit();
	if (o->continuous) {	/* a report per window (session.c) */
		if (!o->duty)
			o->duty = CONT_DUTY_PCT;
		if (o->duty_period <= 0)
			o->duty_period = CONT_PERIOD_S;
		if (o->window <= 0)
			o->window = CONT_WINDOW_S;
		o->interval = o->window;
	}
	err = ilp_session_new(o, ILP_SESSION_ATTACH, sink, &s);
	if (err) {
		ilp_error("cannot start tracing", err);
		goto out;
	}
	if (o->continuous && strcmp(ilp_session_backend(s), "ftrace")) {
		fprintf(stderr, "iolockprof: attach --continuous needs ftrace (tracefs), not %s\n",
			ilp_session_backend(s));
		goto out;
	}
	desc = describe(pids, n);
	err = desc ? ilp_session_set_command(s, desc) : -ENOMEM;
	for (i = 0; !err && i < n; i++) {
		err = ilp_session_attach(s, pids[i]);
		if (err == -ESRCH || err == -ENOENT) {
			fprintf(stderr, "iolockprof: attach: no such process: %d\n", (int)pids[i]);
			goto out;
		}
		if (err == -EPERM) {
			fprintf(stderr, "iolockprof: attach: not allowed to trace %d (another "
				"user's process, or kernel.yama.ptrace_scope forbids it)\n", (int)pids[i]);
			goto out;
		}
	}
	if (!err)
		err = ilp_session_start(s);
	if (err == -ESRCH) {
		fprintf(stderr, "iolockprof: attach: no such process\n");
		goto out;
	}
	if (err) {
		ilp_error("attach", err);
		goto out;
	}
	announce(o, ilp_session_backend(s), pids, n);
	err = ilp_session_loop(s);
	if (err) {
		ilp_error("capture", err);
		goto out;
	}
	ret = 0;
out:
	ilp_session_free(s);
	free(desc);
	return ret;
}

int ilp_cmd_attach(struct ilp_opts *o)
{
	struct ilp_sink *k;
	int ret;

	if (ilp_sink_report_new(o, 0, &k))
		return ILP_EXIT_FAIL;
	ret = ilp_cli_attach(o, k);
	ilp_sink_free(k);
	return ret;
}
