// SPDX-License-Identifier: MIT
/*
 * The capture session (include/session.h): backend choice, the gated
 * child of run, the processes waited for, the stop signals, the timers,
 * the poll loop, the namer, and the hand-over to the sink.
 *
 * Signals: SIGINT, SIGTERM, SIGHUP and SIGQUIT end an attach or a replay
 * at once.  run passes one sent to iolockprof alone (kill PID) on to the
 * command (a terminal's Ctrl-C reached the command's process group
 * already) and waits CHILD_GRACE_MS for it to exit; a second signal ends
 * the capture now.  SIGCHLD is read too (ptrace stops, a child's exit
 * wake the loop).  SIGPIPE is ignored (main.c): a report whose reader is
 * gone fails with EPIPE, which ends the capture like a signal, in order,
 * with the instance removed; run's command is left to run (ftrace) or
 * traced to its end without reports (ptrace: its seccomp filter needs us).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "analyze.h"
#include "cli.h"
#include "fdmodel.h"
#include "instance.h"
#include "model.h"
#include "report.h"
#include "session.h"
#include "status.h"
#include "sigfd.h"
#include "source.h"
#include "symbolize.h"
#include "waitmodel.h"

#define CHILD_GRACE_MS 5000	/* after passing a signal on, wait this long */
#define IDLE_MS 50		/* the loop wakes at least this often */
#define KILL_CHECK_MS 100	/* a process watched without a pidfd: looked at this often */

struct watch {
	pid_t pid;
	int pidfd;		/* -1: watched by kill(pid, 0) (pidfd_open failed) */
	int done;
};

struct ilp_session {
	const struct ilp_opts *o;
	struct ilp_status status;	/* the live line on the terminal */
	enum ilp_session_mode mode;
	const struct ilp_backend_ops *bops;
	struct ilp_backend *b;
	struct ilp_sink *k;
	struct ilp_model *model;
	/* --interval without --cumulative: a second model fed the same
	 * events, reset after each interim report (ilp_model_reset_stats) */
	struct ilp_model *window;
	uint64_t window_ts;	/* when the current interval began */
	unsigned ninterim;	/* interim reports made */
	uint64_t interim_ts;	/* the interim report being made: its time; 0 none */
	uint64_t win_events, win_lost;	/* the backend's counts when the interval began */
	uint64_t win_captured;		/* ... and its capture time (--continuous) */
	/* attach --continuous: one model, reset (but for prom: cumulative) and
	 * pruned after each window's report */
	int continuous, cont_reset;
	struct ilp_symbolizer *sym;
	struct ilp_sigfd sig;
	struct watch *w;
	size_t nw, npidfds;
	struct pollfd *pfd;	/* the poll set, grown with the watches */
	size_t *pidx;		/* pfd slot -> its watch */
	size_t npfd_cap;
	pid_t child;		/* run: the command, -1 before */
	int exec_fd;		/* run: the child's exec result (an errno, or EOF
				 * once exec closed it), -1 once known */
	int exec_errno;		/* the exec failed with this ... */
	int exec_stage;		/* ... at this step (enum ilp_exec_stage) */
	int child_pidfd;	/* run's command, for passing signals on (no pid reuse) */
	int child_status;	/* its wait status, -1 until reaped */
	char *command;
	uint64_t start_ts, end_ts;
	uint64_t start_wall_ns;		/* start_ts on CLOCK_REALTIME; 0 when replaying a file */
	int model_err;
	int fell_back;		/* auto chose ptrace */
	int started, stopped;
	int sink_gone;		/* the report's reader left (EPIPE) */
	int names_final;	/* a report follows: name what waited (kernel locks) */
	/* run -u USER: resolved before the fork (the child only makes syscalls) */
	uid_t uid;
	gid_t gid;
	gid_t *groups;
	int ngroups;
};

static unsigned traits(const struct ilp_session *s)
{
	return s->b && s->bops->traits ? s->bops->traits(s->b) : 0;
}

/* ---- backend choice ---- */

/*
 * The backend a live command uses: ptrace when asked, or under auto
 * without a usable tracefs (one line says so).  --stacks works on both
 * (ftrace: frame-pointer walks by the kernel; ptrace: DWARF unwinding).
 */
static int pick_live_backend(const struct ilp_opts *o, const struct ilp_backend_ops **out,
			     int *fell_back)
{
	int err;

	*fell_back = 0;
	*out = &ilp_backend_ftrace;
	if (o->backend == ILP_BACKEND_PTRACE) {
		*out = &ilp_backend_ptrace;
		return 0;
	}
	if (o->backend == ILP_BACKEND_FTRACE)
		return 0;
	err = ilp_tracefs_check();
	if (o->lock_holds)	/* uprobes: ftrace or nothing (the error says why) */
		return 0;
	if (err == -EPERM || err == -EACCES || err == -ENODEV) {
		fprintf(stderr, "iolockprof: tracefs not usable (%s): using the ptrace backend "
			"(no disk requests, kernel locks or off-CPU state; higher overhead)\n",
			err == -ENODEV ? "no tracefs" : "not root");
		*out = &ilp_backend_ptrace;
		*fell_back = 1;
	}
	return 0;
}

static int open_backend(struct ilp_session *s)
{
	int err;

	if (s->mode == ILP_SESSION_REPLAY) {
		s->bops = &ilp_backend_file;
		return s->bops->open(s, &s->b);
	}
	err = pick_live_backend(s->o, &s->bops, &s->fell_back);
	if (err)
		return err;
	err = s->bops->open(s, &s->b);
	if (err == -ETIMEDOUT && s->bops == &ilp_backend_ftrace &&
	    s->o->backend == ILP_BACKEND_AUTO && !ilp_session_tap(s)) {
		/* the kernel's tracing is stuck: auto means ptrace then */
		fprintf(stderr, "iolockprof: creating a tracefs instance hangs in the kernel "
			"(see dmesg): using the ptrace backend (no disk requests, kernel locks "
			"or off-CPU state; higher overhead)\n");
		s->bops = &ilp_backend_ptrace;
		s->fell_back = 1;
		err = s->bops->open(s, &s->b);
	}
	return err;
}

/* ---- -u USER ---- */

static int resolve_user(struct ilp_session *s, const char *user)
{
	struct passwd *pw;
	int n = 64;

	errno = 0;
	pw = getpwnam(user);
	if (!pw) {
		fprintf(stderr, "iolockprof: -u: no such user: %s\n", user);
		return -ECANCELED;
	}
	s->uid = pw->pw_uid;
	s->gid = pw->pw_gid;
	for (;;) {
		gid_t *g = realloc(s->groups, (size_t)n * sizeof(*g));
		int want = n;

		if (!g)
			return -ENOMEM;
		s->groups = g;
		if (getgrouplist(pw->pw_name, pw->pw_gid, g, &want) >= 0) {
			s->ngroups = want;
			return 0;
		}
		if (want <= n || want > 65536)
			return -EINVAL;
		n = want;
	}
}

/* In the child: the -u user's groups, group and user, for good. */
static int become_user(const struct ilp_session *s)
{
	if (setgroups((size_t)s->ngroups, s->groups) || setgid(s->gid) || setuid(s->uid))
		return -errno;
	if (s->uid != 0 && setuid(0) == 0)	/* the switch must not be undoable */
		return -EPERM;
	return 0;
}

/* ---- session ---- */

int ilp_session_new(const struct ilp_opts *o, enum ilp_session_mode mode,
		    struct ilp_sink *sink, struct ilp_session **out)
{
	struct ilp_session *s;
	int err = -ENOMEM;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->o = o;
	s->mode = mode;
	s->k = sink;
	s->sig.fd = -1;
	s->child = -1;
	s->child_status = -1;
	s->child_pidfd = -1;
	s->exec_fd = -1;
	s->model = ilp_model_new();
	if (!s->model || ilp_symbolizer_new(&s->sym))
		goto out;
	/* prom: counters only grow (what a scraper's rate() needs), so its
	 * interim reports are cumulative */
	s->continuous = o->continuous && mode == ILP_SESSION_ATTACH;
	s->cont_reset = s->continuous && o->format != ILP_FMT_PROM;
	if (o->interval > 0 && !o->cumulative && o->format != ILP_FMT_PROM && sink &&
	    sink->ops->emit && !s->continuous) {
		s->window = ilp_model_new();
		if (!s->window)
			goto out;
	}
	if (o->th) {	/* else the model's default, which is --slow's */
		ilp_model_set_slow(s->model, o->th->slow_ns);
		if (s->window)
			ilp_model_set_slow(s->window, o->th->slow_ns);
	}
	if (o->user && mode == ILP_SESSION_RUN && (err = resolve_user(s, o->user)))
		goto out;
	err = ilp_sigfd_init(&s->sig, 1);
	if (err)
		goto out;
	err = open_backend(s);
	if (err)
		goto out;
	*out = s;
	return 0;
out:
	ilp_session_free(s);
	return err;
}

void ilp_session_free(struct ilp_session *s)
{
	size_t i;

	if (!s)
		return;
	if (s->b && s->started && !s->stopped)
		s->bops->stop(s->b, 1);
	if (s->b)
		s->bops->free(s->b);
	/* run's command, once let go, is never killed here: a capture ended
	 * by -d, a signal or a gone reader leaves it running (ftrace), and
	 * a backend it cannot live without killed it in its stop */
	if (s->child_pidfd >= 0)
		close(s->child_pidfd);
	ilp_model_free(s->model);
	ilp_model_free(s->window);
	ilp_symbolizer_free(s->sym);
	for (i = 0; i < s->nw; i++)
		if (s->w[i].pidfd >= 0)
			close(s->w[i].pidfd);
	free(s->w);
	free(s->pfd);
	free(s->pidx);
	free(s->command);
	free(s->groups);
	if (s->exec_fd >= 0)
		close(s->exec_fd);
	ilp_sigfd_release(&s->sig);
	free(s);
}

struct ilp_symbolizer *ilp_session_symbolizer(const struct ilp_session *s)
{
	return s->sym;
}

const struct ilp_opts *ilp_session_opts(const struct ilp_session *s)
{
	return s->o;
}

enum ilp_session_mode ilp_session_mode(const struct ilp_session *s)
{
	return s->mode;
}

struct ilp_model *ilp_session_model(struct ilp_session *s)
{
	return s->model;
}

struct ilp_model *ilp_session_report_model(struct ilp_session *s, int interim)
{
	return interim && s->window ? s->window : s->model;
}

const char *ilp_session_command(const struct ilp_session *s)
{
	return s->command ? s->command : "";
}

const void *ilp_session_orig_sigmask(const struct ilp_session *s)
{
	return &s->sig.oldmask;
}

const struct ilp_record_tap *ilp_session_tap(const struct ilp_session *s)
{
	return s->k && s->k->ops->tap ? s->k->ops->tap(s->k) : NULL;
}

int ilp_session_fell_back(const struct ilp_session *s)
{
	return s->fell_back;
}

const char *ilp_session_backend(const struct ilp_session *s)
{
	return s->bops->name;
}

int ilp_session_set_command(struct ilp_session *s, const char *command)
{
	char *c = strdup(command);

	if (!c)
		return -ENOMEM;
	free(s->command);
	s->command = c;
	return 0;
}

int ilp_session_child_status(const struct ilp_session *s)
{
	return s->child_status;
}

int ilp_session_exit_code(const struct ilp_session *s)
{
	int st = s->child_status;

	if (st == -1)
		return -1;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return -1;
}

int ilp_session_feed(const struct ilp_event *ev, void *ctx)
{
	struct ilp_session *s = ctx;

	if (ilp_symbolizer_on_event(s->sym, ev))	/* lock names after fork/exec */
		s->model_err = -ENOMEM;
	if (ilp_model_feed(s->model, ev))
		s->model_err = -ENOMEM;
	if (s->window && ilp_model_feed(s->window, ev))
		s->model_err = -ENOMEM;
	if (s->k && s->k->ops->event)
		s->k->ops->event(s->k, s, ev);
	return 0;
}

void ilp_session_gap(struct ilp_session *s, uint64_t ts)
{
	ilp_model_gap(s->model, ts);
	if (s->window)
		ilp_model_gap(s->window, ts);
}

/* the namer: the backend's (a file's facts) or our symbolizer; record
 * keeps every name found in its file */
static int namer(void *ctx, int kind, int pid, uint64_t key, char *buf, size_t size)
{
	struct ilp_session *s = ctx;
	const struct ilp_record_tap *tap = ilp_session_tap(s);
	int r;

	/* a kernel lock's name (or a sleep stack's function) does not
	 * depend on any process living, and the first costs a read of all of
	 * /proc/kallsyms (a stall of 0.1 s and more: short-lived processes'
	 * fds went unread meanwhile): named at the end */
	if ((kind == ILP_NAME_KLOCK || kind == ILP_NAME_KFUNC) && !s->names_final &&
	    !s->bops->name_object)
		return -EAGAIN;
	if (s->bops->name_object)
		r = s->bops->name_object(s->b, kind, pid, key, buf, size);
	else
		r = ilp_symbolize_object(s->sym, kind, pid, key, buf, size);
	if (!r && tap && tap->name)
		tap->name(tap->ctx, kind, pid, key, buf);
	return r;
}

void ilp_session_name_objects(struct ilp_session *s)
{
	struct ilp_model *m[2] = { s->model, s->window };

	for (size_t i = 0; i < 2 && m[i]; i++) {
		if (ilp_wait_name_objects(m[i], namer, s))
			s->model_err = -ENOMEM;
		/* who a blocked reader waits for, from /proc (peer.c): live only */
		if (s->mode != ILP_SESSION_REPLAY &&
		    ilp_model_name_peers(m[i], ilp_now_ns(), ilp_peer_lookup, NULL))
			s->model_err = -ENOMEM;
	}
}

void ilp_session_set_pidns(struct ilp_session *s, const struct ilp_pidns *ns)
{
	ilp_symbolizer_set_pidns(s->sym, ns);
}

void ilp_session_snapshot(struct ilp_session *s, pid_t pid)
{
	ilp_symbolizer_snapshot(s->sym, pid);
}

int ilp_session_report_info(struct ilp_session *s, int interim, struct ilp_report_info *info)
{
	int err;

	memset(info, 0, sizeof(*info));
	info->command = ilp_session_command(s);
	info->backend = s->bops->name;
	info->start_ts = s->start_ts;
	info->start_wall_ns = s->start_wall_ns;
	info->end_ts = !interim ? s->end_ts : s->interim_ts ? s->interim_ts : ilp_now_ns();
	info->interim = interim;
	info->exit_status = interim ? -1 : ilp_session_exit_code(s);
	err = s->bops->describe(s->b, info);
	if (interim && !s->interim_ts)
		return err;	/* the status line */
	if (!interim && !s->cont_reset)
		return err;	/* the final report: the whole run */
	/* an interim report, or --continuous's last (partial) window */
	info->interval = s->ninterim + 1;
	if (s->window || s->cont_reset) {	/* the interval's: the model holds only it */
		info->window_ts = s->window_ts;
		info->events -= info->events >= s->win_events ? s->win_events : info->events;
		info->lost -= info->lost >= s->win_lost ? s->win_lost : info->lost;
		info->captured_ns -= info->captured_ns >= s->win_captured ? s->win_captured :
				     info->captured_ns;
	}
	/* the first capture began while tracing started, a little before
	 * start_ts: never more than the span */
	if (info->captured_ns > ilp_report_span_ns(info))
		info->captured_ns = ilp_report_span_ns(info);
	return err;
}

void ilp_sink_free(struct ilp_sink *k)
{
	if (k && k->ops->free)
		k->ops->free(k);
}

/* ---- watched processes ---- */

/* pidfds we may open: half the fd limit (the rest for /proc, tracefs, output) */
static size_t pidfd_budget(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur == RLIM_INFINITY)
		return 4096;
	return (size_t)(rl.rlim_cur / 2);
}

static int watch(struct ilp_session *s, pid_t pid)
{
	struct watch *w;
	int fd;

	if (traits(s) & ILP_BK_REAPS)
		return 0;	/* the backend says when they are gone */
	w = realloc(s->w, (s->nw + 1) * sizeof(*w));
	if (!w)
		return -ENOMEM;
	s->w = w;
	fd = -1;
	errno = EMFILE;
	if (s->npidfds < pidfd_budget())
		fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (fd < 0 && errno != EMFILE && errno != ENFILE && errno != ENOSYS)
		return -errno;	/* ESRCH: gone already */
	if (fd >= 0)
		s->npidfds++;
	w = &s->w[s->nw++];
	w->pid = pid;
	w->pidfd = fd;	/* -1: too many fds: kill(pid, 0) each loop instead */
	w->done = 0;
	return 0;
}

/* The capture runs until every watched process has exited. */
static int all_done(const struct ilp_session *s)
{
	size_t i;

	for (i = 0; i < s->nw; i++)
		if (!s->w[i].done)
			return 0;
	return s->nw > 0;
}

/* run's command: reaped here unless the backend reaps it (ptrace) */
static void reap_child(struct ilp_session *s, int block)
{
	int status;

	if (s->child <= 0 || s->child_status != -1)
		return;
	if (traits(s) & ILP_BK_REAPS) {
		s->child_status = s->bops->child_status(s->b, s->child);
		return;
	}
	if (waitpid(s->child, &status, block ? 0 : WNOHANG) == s->child)
		s->child_status = status;
}

/* w's pidfd said it ended, or (no pidfd) kill(pid, 0) says so */
static void check_watch(struct ilp_session *s, struct watch *w)
{
	if (w->done)
		return;
	if (w->pidfd < 0 && !(kill(w->pid, 0) && errno == ESRCH))
		return;
	if (w->pid == s->child) {
		reap_child(s, 0);
		if (s->child_status == -1)
			return;	/* not yet: the pidfd said so a little early */
	}
	w->done = 1;
}

/* ---- run's child ---- */

static int set_cloexec_pipe(int p[2])
{
	return pipe2(p, O_CLOEXEC) ? -errno : 0;
}

/*
 * The child: says it is ready (errfd: an int 0), waits at the gate until
 * the backend traces it and tracing is on, then execs; an exec failure
 * goes to errfd as its errno.  Nothing it does before the gate is traced
 * (the parent adds it to the trace only once it is ready), so the app's
 * profile starts with the gate's read (the fds of the gate are
 * close-on-exec: no close of ours shows).
 */
static void child_main(struct ilp_session *s, char **argv, int gate, int errfd)
{
	struct sigaction dfl;
	char go;
	int e = 0, stage, msg;

	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	if (s->bops->child_early)
		s->bops->child_early(s->b);
	if (write(errfd, &e, sizeof(e)) != (ssize_t)sizeof(e))
		_exit(ILP_EXIT_RUN_FAIL);
	if (read(gate, &go, 1) != 1)
		_exit(ILP_EXIT_RUN_FAIL);
	sigaction(SIGPIPE, &dfl, NULL);	/* ignored by iolockprof: not by the app */
	sigprocmask(SIG_SETMASK, ilp_session_orig_sigmask(s), NULL);
	stage = ILP_EXEC_USER;
	e = s->o->user ? become_user(s) : 0;
	if (!e && s->bops->child_setup) {
		stage = ILP_EXEC_SETUP;
		e = s->bops->child_setup(s->b);
	}
	if (!e) {
		stage = ILP_EXEC_EXEC;
		execvp(argv[0], argv);
		e = -errno;
	}
	e = -e;
	if (e <= 0 || e > 0xffff)
		e = EIO;
	msg = e | stage << 16;
	if (write(errfd, &msg, sizeof(msg)) != (ssize_t)sizeof(msg))
		_exit(ILP_EXIT_RUN_FAIL);
	_exit(stage != ILP_EXEC_EXEC ? ILP_EXIT_RUN_FAIL : e == ENOENT ? 127 : 126);
}

/* The child's "ready" (an int 0 on fd): 0, or -ECHILD if it died first. */
static int child_ready(int fd)
{
	ssize_t r;
	int e = -1;

	do
		r = read(fd, &e, sizeof(e));
	while (r < 0 && errno == EINTR);
	return r == (ssize_t)sizeof(e) && e == 0 ? 0 : -ECHILD;
}

int ilp_session_spawn(struct ilp_session *s, char **argv)
{
	int gate[2] = { -1, -1 }, errp[2] = { -1, -1 }, err;
	pid_t pid;

	err = set_cloexec_pipe(gate);
	if (!err)
		err = set_cloexec_pipe(errp);
	if (err)
		goto out;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		err = -errno;
		goto out;
	}
	if (pid == 0) {
		close(gate[1]);
		close(errp[0]);
		child_main(s, argv, gate[0], errp[1]);
	}
	s->child = pid;
	s->child_pidfd = (int)syscall(SYS_pidfd_open, pid, 0);	/* -1: kill() then */
	close(gate[0]);
	close(errp[1]);
	gate[0] = errp[1] = -1;
	err = child_ready(errp[0]);
	if (!err)
		err = s->bops->add_child(s->b, pid);
	if (!err)
		err = watch(s, pid);
	if (!err)
		err = ilp_session_start(s);
	if (err)
		goto out;
	/* let the child exec; whether it could, the loop learns from errp
	 * (a traced child may stop before it gets there) */
	if (write(gate[1], "g", 1) != 1) {
		err = -errno;
		goto out;
	}
	if (fcntl(errp[0], F_SETFL, O_NONBLOCK)) {
		err = -errno;
		goto out;
	}
	s->exec_fd = errp[0];
	errp[0] = -1;
out:
	if (err && s->child > 0) {
		/* it never left the gate: gone for good, traced or not (a
		 * backend that reaps may have done so in its stop: ECHILD) */
		if (s->b && s->started && !s->stopped) {
			s->bops->stop(s->b, 1);
			s->stopped = 1;
		}
		kill(s->child, SIGKILL);
		while (waitpid(s->child, NULL, __WALL) < 0 && errno == EINTR)
			;
		s->child_status = 0;	/* never to be waited for again */
	}
	if (gate[0] >= 0)
		close(gate[0]);
	if (gate[1] >= 0)
		close(gate[1]);
	if (errp[0] >= 0)
		close(errp[0]);
	if (errp[1] >= 0)
		close(errp[1]);
	return err;
}

int ilp_session_attach(struct ilp_session *s, pid_t pid)
{
	int err = s->bops->attach(s->b, pid);

	return err ? err : watch(s, pid);
}

int ilp_session_start(struct ilp_session *s)
{
	int err = s->bops->start(s->b);

	if (err)
		return err;
	s->started = 1;
	s->start_ts = ilp_now_ns();
	s->window_ts = s->start_ts;
	if (s->mode != ILP_SESSION_REPLAY) {
		struct timespec rt;

		if (!clock_gettime(CLOCK_REALTIME, &rt))
			s->start_wall_ns = (uint64_t)rt.tv_sec * 1000000000u + (uint64_t)rt.tv_nsec;
	}
	return 0;
}

int ilp_session_exec_errno(const struct ilp_session *s)
{
	return s->exec_errno;
}

enum ilp_exec_stage ilp_session_exec_stage(const struct ilp_session *s)
{
	return (enum ilp_exec_stage)s->exec_stage;
}

/* The exec result is readable: 1 if the exec failed (s->exec_errno). */
static int exec_result(struct ilp_session *s)
{
	ssize_t r;
	int e;

	do
		r = read(s->exec_fd, &e, sizeof(e));
	while (r < 0 && errno == EINTR);
	if (r < 0 && errno == EAGAIN)
		return 0;
	close(s->exec_fd);
	s->exec_fd = -1;
	if (r != (ssize_t)sizeof(e)) {
		/* EOF: exec closed the pipe, the command runs its own image
		 * now: its maps, so that a lock of a command that exits
		 * before its first drain is named */
		ilp_session_snapshot(s, s->child);
		return 0;
	}
	s->exec_errno = e & 0xffff ? e & 0xffff : EIO;
	s->exec_stage = (e >> 16) & 0xff;
	return 1;
}

/* ---- the loop ---- */

static int ms_until(uint64_t now, uint64_t t)
{
	if (t <= now)
		return 0;
	return (int)((t - now + 999999) / 1000000);
}

/* sig to run's command: through its pidfd, so never to a process that
 * reused its pid after a backend reaped it */
static void pass_on(struct ilp_session *s, int sig)
{
	if (s->child_pidfd >= 0)
		syscall(SYS_pidfd_send_signal, s->child_pidfd, sig, NULL, 0);
	else if (s->child_status == -1)
		kill(s->child, sig);
}

/* Reads our signals: 1 when the capture should end now. */
static int on_signals(struct ilp_session *s, int *nsig, uint64_t *grace_end)
{
	struct signalfd_siginfo si;

	while (ilp_sigfd_next(&s->sig, &si)) {
		if (si.ssi_signo == SIGCHLD)
			continue;
		(*nsig)++;
		if (s->child <= 0 || *nsig > 1)
			return 1;
		/* a terminal's Ctrl-C already reached the app's process group;
		 * a signal sent to us alone (kill PID) is passed on */
		if (si.ssi_code == SI_USER || si.ssi_code == SI_QUEUE)
			pass_on(s, (int)si.ssi_signo);
		*grace_end = ilp_now_ns() + CHILD_GRACE_MS * 1000000ull;
	}
	return 0;
}

static int grow_pollset(struct ilp_session *s, size_t want)
{
	struct pollfd *p;
	size_t *x;

	if (want <= s->npfd_cap)
		return 0;
	p = realloc(s->pfd, want * sizeof(*p));
	if (!p)
		return -ENOMEM;
	s->pfd = p;
	x = realloc(s->pidx, want * sizeof(*x));
	if (!x)
		return -ENOMEM;
	s->pidx = x;
	s->npfd_cap = want;
	return 0;
}

/* the next interval begins: what the backend counted so far and the
 * window model's statistics are the last interval's */
static void next_window(struct ilp_session *s)
{
	struct ilp_report_info info = { 0 };

	s->ninterim++;
	if (s->continuous) {	/* one model: reset (not prom's), then pruned */
		if (s->cont_reset && ilp_model_reset_stats(s->model))
			s->model_err = -ENOMEM;
		ilp_model_prune(s->model);
	}
	if (!s->window && !s->cont_reset)
		return;
	s->window_ts = s->interim_ts;
	if (!s->bops->describe(s->b, &info)) {
		s->win_events = info.events;
		s->win_lost = info.lost;
		s->win_captured = info.captured_ns;
	}
	if (s->window && ilp_model_reset_stats(s->window))
		s->model_err = -ENOMEM;
}

static int emit(struct ilp_session *s, int interim)
{
	int err = 0;

	ilp_status_clear(&s->status);
	if (interim)
		s->interim_ts = ilp_now_ns();
	if (!s->sink_gone && s->k && s->k->ops->emit)
		err = s->k->ops->emit(s->k, s, interim);
	if (err == -EPIPE)
		s->sink_gone = 1;
	if (interim)
		next_window(s);
	s->interim_ts = 0;
	return err;
}

#define BACKEND_FDS 1024	/* most fds a backend polls (CPU buffers) */

int ilp_session_loop(struct ilp_session *s)
{
	const struct ilp_opts *o = s->o;
	uint64_t now, grace_end = 0;
	uint64_t deadline = o->duration > 0 ? s->start_ts + (uint64_t)(o->duration * 1e9) : 0;
	uint64_t next_interim = o->interval > 0 ? s->start_ts + (uint64_t)(o->interval * 1e9) : 0;
	uint64_t kill_ts = 0;
	int nsig = 0, err = 0, r, early = 1;
	size_t i, nkill;

	/* attach: their maps now, so that a lock of a process that exits
	 * before its first drain is named (run's command: once it exec'd) */
	for (i = 0; i < s->nw; i++)
		if (s->w[i].pid != s->child)
			ilp_session_snapshot(s, s->w[i].pid);
	s->status.on = s->mode != ILP_SESSION_REPLAY && ilp_status_wanted(o->status);
	s->status.next = s->start_ts + ILP_STATUS_NS;
	for (;;) {
		size_t n = 0, nb;
		int timeout = IDLE_MS;

		err = grow_pollset(s, 2 + s->nw + BACKEND_FDS);
		if (err)
			break;
		now = ilp_now_ns();
		s->pfd[n].fd = s->sig.fd;
		s->pfd[n++].events = POLLIN;
		s->pfd[n].fd = s->exec_fd;
		s->pfd[n].events = POLLIN;
		s->pfd[n++].revents = 0;
		/* the live pidfds only: poll takes no more entries than the
		 * fd limit, and a PID list may be long */
		nkill = 0;
		for (i = 0; i < s->nw; i++) {
			if (s->w[i].done)
				continue;
			if (s->w[i].pidfd < 0) {
				nkill++;
				continue;
			}
			s->pidx[n] = i;
			s->pfd[n].fd = s->w[i].pidfd;
			s->pfd[n].events = POLLIN;
			s->pfd[n++].revents = 0;
		}
		if (nkill && KILL_CHECK_MS < timeout)
			timeout = KILL_CHECK_MS;
		nb = s->bops->pollfds(s->b, s->pfd + n, BACKEND_FDS, &timeout);
		if (deadline && ms_until(now, deadline) < timeout)
			timeout = ms_until(now, deadline);
		if (next_interim && ms_until(now, next_interim) < timeout)
			timeout = ms_until(now, next_interim);
		if (grace_end && ms_until(now, grace_end) < timeout)
			timeout = ms_until(now, grace_end);
		if (poll(s->pfd, n + nb, timeout) < 0) {
			if (errno != EINTR) {
				err = -errno;
				break;
			}
			for (i = 0; i < n + nb; i++)
				s->pfd[i].revents = 0;
		}
		if ((s->pfd[0].revents & POLLIN) && on_signals(s, &nsig, &grace_end))
			break;
		if (s->pfd[1].revents && exec_result(s))
			break;	/* the command did not start: no report */
		for (i = 2; i < n; i++)
			if (s->pfd[i].revents)
				check_watch(s, &s->w[s->pidx[i]]);
		now = ilp_now_ns();
		if (nkill && now - kill_ts >= KILL_CHECK_MS * 1000000ull) {
			kill_ts = now;
			for (i = 0; i < s->nw; i++)
				if (s->w[i].pidfd < 0)
					check_watch(s, &s->w[i]);
		}
		/* before an interim report, every name it can show */
		s->names_final = next_interim && now >= next_interim;
		r = s->bops->pump(s->b, s->pfd + n, nb, s->names_final);
		s->names_final = 0;
		if (r < 0) {
			err = r;
			break;
		}
		if (r == ILP_PUMP_END || all_done(s)) {
			early = 0;
			break;
		}
		if ((deadline && now >= deadline) || (grace_end && now >= grace_end))
			break;
		if (s->status.on && now >= s->status.next) {
			struct ilp_report_info info;

			if (!ilp_session_report_info(s, 1, &info))
				ilp_status_draw(&s->status, s->model, now, &info);
		}
		if (next_interim && now >= next_interim) {
			next_interim += (uint64_t)(o->interval * 1e9);
			if (emit(s, 1) == -EPIPE) {
				/* nobody reads: end as if signalled, unless the
				 * command cannot run on without us */
				if (!(traits(s) & ILP_BK_TETHERED))
					break;
				next_interim = 0;
			}
		}
	}
	ilp_status_clear(&s->status);
	reap_child(s, 0);	/* its exit status for the stop (record's end fact) */
	s->names_final = 1;	/* the stop's last drain names everything */
	r = s->bops->stop(s->b, early);
	s->stopped = 1;
	if (!err)
		err = r;
	s->end_ts = s->mode == ILP_SESSION_REPLAY ? 0 : ilp_now_ns();
	ilp_session_name_objects(s);
	/* run: the command's status (ptrace: reaped by stop; ftrace: it may
	 * still run after a stop by signal, -d or a gone reader) */
	reap_child(s, 0);
	if (s->child > 0 && s->child_status == -1 && s->sink_gone)
		reap_child(s, 1);	/* untraced now: its status is still run's */
	if (s->mode == ILP_SESSION_REPLAY) {	/* the file says when it ended */
		struct ilp_report_info info;

		ilp_session_report_info(s, 0, &info);
		s->end_ts = info.end_ts;
	}
	ilp_model_finish(s->model, s->end_ts);
	/* an exec failure the loop did not read (the child's exit seen
	 * first): its write end is closed by now, the read does not block */
	if (s->exec_fd >= 0 && s->child_status != -1)
		exec_result(s);
	if (s->exec_errno) {
		reap_child(s, 1);
		return -ECHILD;	/* ilp_session_exec_errno says why */
	}
	if (err && s->mode == ILP_SESSION_REPLAY)
		return err;	/* a file read part way: its error, no half report */
	r = emit(s, 0);
	if (!err && r != -EPIPE)
		err = r;
	if (!err && s->model_err)
		err = s->model_err;
	return err;
}
