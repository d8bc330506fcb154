// SPDX-License-Identifier: MIT
/*
 * run and attach under the ptrace backend (include/ptrace.h): backend
 * choice, the tracer loop (stops, signals, -d, --interval), and the report
 * through ilp_report_emit like every other backend.
 *
 * Signals to iolockprof (SIGINT, SIGTERM, SIGHUP): attach detaches every
 * thread and reports (the targets run on).  run passes a signal sent to us
 * alone (kill PID) on to the app and keeps tracing until it exits; a second
 * signal or 5 s later, the app is killed (its seccomp filter would fail its
 * profiled syscalls with ENOSYS once no tracer is attached).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "instance.h"
#include "model.h"
#include "procfs.h"
#include "ptrace.h"
#include "report.h"
#include "sigfd.h"
#include "stacks.h"
#include "symbolize.h"
#include "waitmodel.h"

#define BATCH 256		/* stops handled between looks at signals and timers */
#define IDLE_MS 50
#define NAME_MS 50		/* lock names are asked this often, while processes live */
#define GRACE_MS 5000
#define DETACH_MS 2000
#define NOTE_LEN 512

struct session {
	const struct ilp_opts *o;
	struct ilp_model *model;
	struct ilp_stacks *stacks;
	struct ilp_ptrace *pt;
	int *nrs;
	int nnrs;
	struct ilp_sigfd sig;		/* stop signals and SIGCHLD */
	FILE *out;
	char *command;
	uint64_t start_ts, end_ts;
	int model_err;
	int fallback;
	int run;
	struct ilp_symbolizer *sym;	/* lock names, while the processes live */
	uint64_t named_ts;		/* last naming pass */
	char note[NOTE_LEN];
};

int ilp_backend_pick(const struct ilp_opts *o, int *fallback)
{
	int err;

	*fallback = 0;
	if (o->backend == ILP_BACKEND_PTRACE)
		return 1;
	if (o->backend == ILP_BACKEND_FTRACE) {
		if (o->stacks) {
			fprintf(stderr, "iolockprof: --stacks needs the ptrace backend "
				"(--backend=ptrace or auto)\n");
			return -1;
		}
		return 0;
	}
	if (o->stacks)		/* auto: only ptrace can unwind user stacks */
		return 1;
	err = ilp_tracefs_check();
	if (err == -EPERM || err == -EACCES || err == -ENODEV) {
		fprintf(stderr, "iolockprof: tracefs not usable (%s): using the ptrace backend "
			"(no disk requests, kernel locks or off-CPU state; higher overhead)\n",
			err == -ENODEV ? "no tracefs" : "not root");
		*fallback = 1;
		return 1;
	}
	return 0;
}

static int feed(const struct ilp_event *ev, void *ctx)
{
	struct session *s = ctx;

	if (ilp_symbolizer_on_event(s->sym, ev))	/* lock names after fork/exec */
		s->model_err = -ENOMEM;
	if (ilp_model_feed(s->model, ev))
		s->model_err = -ENOMEM;
	return 0;
}

/* names for the model's locks, asked while the processes still live */
static void name_objects(struct session *s)
{
	s->named_ts = ilp_now_ns();
	if (ilp_wait_name_objects(s->model, ilp_symbolize_object, s->sym))
		s->model_err = -ENOMEM;
}

static void session_free(struct session *s)
{
	ilp_ptrace_free(s->pt);
	ilp_model_free(s->model);
	ilp_symbolizer_free(s->sym);
	ilp_stacks_free(s->stacks);
	free(s->nrs);
	free(s->command);
	ilp_sigfd_release(&s->sig);
	if (s->out && s->out != stderr)
		fclose(s->out);
}

static int session_init(struct session *s, const struct ilp_opts *o, int run, int fallback)
{
	struct ilp_ptrace_opts po = { 0 };
	int n, err;

	memset(s, 0, sizeof(*s));
	s->o = o;
	s->sig.fd = -1;
	s->out = stderr;
	s->run = run;
	s->fallback = fallback;
	if (o->output) {
		s->out = fopen(o->output, "we");
		if (!s->out) {
			s->out = stderr;
			ilp_error(o->output, -errno);
			return -ECANCELED;
		}
	}
	s->nrs = calloc(ILP_SC_MAX, sizeof(int));
	s->model = ilp_model_new();
	if (o->stacks)
		s->stacks = ilp_stacks_new();
	if (!s->nrs || !s->model || (o->stacks && !s->stacks) || ilp_symbolizer_new(&s->sym))
		return -ENOMEM;
	ilp_model_set_slow(s->model, (uint64_t)o->slow_ms * 1000000);
	n = ilp_ptrace_syscall_set(o->syscalls, o->nsyscalls, s->nrs, ILP_SC_MAX);
	if (n < 0)
		return n;
	s->nnrs = n;
	err = ilp_sigfd_init(&s->sig, 1);
	if (err)
		return err;
	po.syscalls = s->nrs;
	po.nsyscalls = (size_t)n;
	po.seccomp = run;
	po.stacks = s->stacks;
	err = ilp_ptrace_new(&po, feed, s, &s->pt);
	return err;
}

static int report(struct session *s, int interim, int exit_status)
{
	const struct ilp_ptrace_counters *pc = ilp_ptrace_counters(s->pt);
	struct ilp_report_info info = { 0 };
	uint64_t end = interim ? ilp_now_ns() : s->end_ts;
	double secs = end > s->start_ts ? (double)(end - s->start_ts) / 1e9 : 0;
	int err;

	snprintf(s->note, sizeof(s->note),
		 "%sptrace sees no disk requests, kernel locks or off-CPU state; "
		 "%s; times include the tracer's stops: %llu stops (%.0f/s)%s",
		 s->fallback ? "tracefs not usable, " : "",
		 s->run ? (s->o->nsyscalls ? "seccomp: only the -e syscalls stop the app"
				    : "seccomp: only read/write/open/net/sync/wait/stat/close "
				      "syscalls stop the app")
			: "attach: every syscall stops the app",
		 (unsigned long long)pc->stops, secs > 0 ? (double)pc->stops / secs : 0.0,
		 s->stacks ? ", stacks unwound at each profiled entry" : "");
	if (s->stacks && ilp_stacks_index(s->stacks))
		return -ENOMEM;
	name_objects(s);
	info.command = s->command ? s->command : "";
	info.backend = "ptrace";
	info.note = s->note;
	info.stacks = s->stacks;
	info.start_ts = s->start_ts;
	info.end_ts = end;
	info.events = pc->events;
	info.lost = 0;
	info.interim = interim;
	info.exit_status = exit_status;
	err = ilp_report_emit(s->out, s->model, &info, s->o);
	fflush(s->out);
	return err;
}

static int ms_until(uint64_t now, uint64_t t)
{
	if (t <= now)
		return 0;
	return (int)((t - now + 999999) / 1000000);
}

/*
 * Reads our signals: returns 1 when the capture should end now.  run: the
 * first one sent to us alone is passed to the app, then GRACE_MS.
 */
static int on_signals(struct session *s, pid_t child, int *nsig, uint64_t *grace_end)
{
	struct signalfd_siginfo si;

	while (ilp_sigfd_next(&s->sig, &si)) {
		if (si.ssi_signo == SIGCHLD)
			continue;
		(*nsig)++;
		if (!s->run || *nsig > 1)
			return 1;
		if (si.ssi_code == SI_USER || si.ssi_code == SI_QUEUE)
			kill(child, (int)si.ssi_signo);
		*grace_end = ilp_now_ns() + GRACE_MS * 1000000ull;
	}
	return 0;
}

/* Until no tracee is left (0), or stopped early (1), or -errno. */
static int loop(struct session *s, pid_t child)
{
	const struct ilp_opts *o = s->o;
	uint64_t deadline = o->duration > 0 ? s->start_ts + (uint64_t)(o->duration * 1e9) : 0;
	uint64_t next_interim = o->interval > 0 ? s->start_ts + (uint64_t)(o->interval * 1e9) : 0;
	uint64_t grace_end = 0, now;
	int nsig = 0, n;

	for (;;) {
		struct pollfd pfd = { s->sig.fd, POLLIN, 0 };
		int timeout = IDLE_MS;

		n = ilp_ptrace_poll(s->pt, BATCH);
		if (ilp_now_ns() - s->named_ts >= NAME_MS * 1000000ull)
			name_objects(s);
		if (n == -ECHILD)
			return 0;
		if (n < 0)
			return n;
		if (n > 0 && n < BATCH)
			continue;	/* ask again: idle (0) or a full batch ends here */
		if (n == BATCH)		/* busy: look at signals and timers, no sleep */
			timeout = 0;
		now = ilp_now_ns();
		if (deadline && ms_until(now, deadline) < timeout)
			timeout = ms_until(now, deadline);
		if (next_interim && ms_until(now, next_interim) < timeout)
			timeout = ms_until(now, next_interim);
		if (grace_end && ms_until(now, grace_end) < timeout)
			timeout = ms_until(now, grace_end);
		if (poll(&pfd, 1, timeout) < 0 && errno != EINTR)
			return -errno;
		if ((pfd.revents & POLLIN) && on_signals(s, child, &nsig, &grace_end))
			return 1;
		now = ilp_now_ns();
		if ((deadline && now >= deadline) || (grace_end && now >= grace_end))
			return 1;
		if (next_interim && now >= next_interim) {
			report(s, 1, -1);
			next_interim += (uint64_t)(o->interval * 1e9);
		}
	}
}

static char *join_argv(char **argv, int argc)
{
	size_t len = 1;
	char *str;
	int i;

	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	str = malloc(len);
	if (!str)
		return NULL;
	str[0] = '\0';
	for (i = 0; i < argc; i++) {
		if (i)
			strcat(str, " ");
		strcat(str, argv[i]);
	}
	return str;
}

static int exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return -1;
}

int ilp_ptrace_cmd_run(struct ilp_opts *o, int fallback)
{
	struct session s;
	int errp[2] = { -1, -1 }, err, status, exec_errno = 0, ret = ILP_EXIT_RUN_FAIL;
	pid_t pid = -1;

	err = session_init(&s, o, 1, fallback);
	if (err) {
		if (err != -ECANCELED)
			ilp_error("ptrace backend", err);
		goto out;
	}
	s.command = join_argv(o->argv, o->argc);
	if (!s.command || pipe2(errp, O_CLOEXEC)) {
		ilp_error("ptrace backend", s.command ? -errno : -ENOMEM);
		goto out;
	}
	s.start_ts = ilp_now_ns();
	err = ilp_ptrace_spawn(s.pt, o->argv, &s.sig.oldmask, errp[1], &pid);
	close(errp[1]);
	errp[1] = -1;
	if (err) {
		ilp_error("cannot trace the command", err);
		goto out;
	}
	err = loop(&s, pid);
	if (err < 0)
		ilp_error("ptrace", err);
	s.end_ts = ilp_now_ns();
	if (err) {	/* stopped early: the app cannot run on without us */
		uint64_t end = ilp_now_ns() + DETACH_MS * 1000000ull;

		ilp_ptrace_kill_all(s.pt);
		while (ilp_ptrace_poll(s.pt, BATCH) >= 0 && ilp_now_ns() < end)
			;
	}
	if (read(errp[0], &exec_errno, sizeof(exec_errno)) == (ssize_t)sizeof(exec_errno)) {
		fprintf(stderr, "iolockprof: cannot run '%s': %s\n", o->argv[0],
			strerror(exec_errno));
		ret = exec_errno == ENOENT ? 127 : 126;
		goto out;
	}
	ilp_model_finish(s.model, s.end_ts);
	status = ilp_ptrace_exit_status(s.pt, pid);
	if (status != -1 && exit_code(status) >= 0)
		ret = exit_code(status);
	else
		ret = err < 0 ? ILP_EXIT_RUN_FAIL : 128 + SIGINT;
	{
		int rerr = report(&s, 0, status != -1 ? exit_code(status) : -1);

		if (rerr)
			ilp_error("report", rerr);
		else if (s.model_err)
			ilp_error("report", s.model_err);
		if ((rerr || s.model_err) && ret == 0)
			ret = ILP_EXIT_RUN_FAIL;
	}
out:
	if (errp[0] >= 0)
		close(errp[0]);
	if (errp[1] >= 0)
		close(errp[1]);
	session_free(&s);
	return ret;
}

int ilp_ptrace_cmd_attach(struct ilp_opts *o, int fallback)
{
	struct session s;
	char comm[32];
	size_t len;
	pid_t pid;
	int i, err, ret = ILP_EXIT_FAIL;

	for (i = 0; i < o->argc; i++) {
		if (ilp_procfs_parse_pid(o->argv[i], &pid)) {
			fprintf(stderr, "iolockprof: attach: '%s' is not a process id\n", o->argv[i]);
			return ILP_EXIT_USAGE;
		}
		if (pid == getpid()) {
			fprintf(stderr, "iolockprof: attach: %d is iolockprof itself\n", (int)pid);
			return ILP_EXIT_FAIL;
		}
	}
	err = session_init(&s, o, 0, fallback);
	if (err) {
		if (err != -ECANCELED)
			ilp_error("ptrace backend", err);
		goto out;
	}
	len = 16;
	for (i = 0; i < o->argc; i++)
		len += strlen(o->argv[i]) + sizeof(comm) + 8;
	s.command = malloc(len);
	if (!s.command)
		goto out;
	strcpy(s.command, "attach");
	s.start_ts = ilp_now_ns();
	for (i = 0; i < o->argc; i++) {
		ilp_procfs_parse_pid(o->argv[i], &pid);
		ilp_procfs_comm(pid, comm, sizeof(comm));
		snprintf(s.command + strlen(s.command), len - strlen(s.command), " %d (%s)",
			 (int)pid, comm);
		err = ilp_ptrace_attach(s.pt, pid);
		if (err == -ESRCH) {
			fprintf(stderr, "iolockprof: attach: no such process: %d\n", (int)pid);
			goto detach;
		}
		if (err == -EPERM) {
			fprintf(stderr, "iolockprof: attach: not allowed to trace %d (another "
				"user's process, or kernel.yama.ptrace_scope forbids it)\n", (int)pid);
			goto detach;
		}
		if (err) {
			ilp_error("attach", err);
			goto detach;
		}
	}
	err = loop(&s, -1);
	if (err < 0)
		ilp_error("ptrace", err);
	s.end_ts = ilp_now_ns();
	if (ilp_ptrace_detach_all(s.pt, DETACH_MS))
		fprintf(stderr, "iolockprof: attach: some threads did not stop for detach "
			"within %d ms\n", DETACH_MS);
	ilp_model_finish(s.model, s.end_ts);
	err = report(&s, 0, -1);
	if (err)
		ilp_error("report", err);
	ret = err ? ILP_EXIT_FAIL : 0;
	goto out;
detach:
	ilp_ptrace_detach_all(s.pt, DETACH_MS);
out:
	session_free(&s);
	return ret;
}
