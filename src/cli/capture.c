// SPDX-License-Identifier: MIT
/*
 * The capture engine shared by `run` and `attach`: one private instance,
 * one reader, one model; a poll loop over the per-CPU buffers, a signalfd
 * and a pidfd per watched process; interim and final reports.
 *
 * Draining: a CPU buffer wakes poll() as soon as it holds data
 * (buffer_percent 0, set by instance.c), but the buffers are polled only
 * a gap after the last drain: SHORT_GAP_MS after a drain that found little
 * (a light load is read within milliseconds, so the fd an accept() or
 * open() made is named from /proc while it still exists), MIN_GAP_MS after
 * a drain that found more than LIGHT_PAGES pages (a storm is read in large
 * batches and the reader costs the traced program little).  No event, no
 * wake-up (but the companion's block events are system-wide: a disk busy
 * with other processes wakes the reader too); IDLE_DRAIN_MS bounds the
 * wait.  record writes every page it reads whole, and a page read 2 ms
 * after the last is mostly empty: it drains a light load every
 * IDLE_DRAIN_MS instead, so its file grows by at most 20 pages a second
 * per CPU (fds of processes shorter than that are more often unresolved
 * in a file than live).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "instance.h"
#include "model.h"
#include "report.h"
#include "resolve.h"
#include "sigfd.h"
#include "source.h"
#include "symbolize.h"
#include "waitmodel.h"

#define IDLE_DRAIN_MS 50
#define MIN_GAP_MS 20
#define SHORT_GAP_MS 2
#define LIGHT_PAGES 8		/* per drain, all CPUs: 32 KiB of 4 KiB pages */
#define CHILD_GRACE_MS 5000	/* after forwarding a signal, wait this long */
#define DEFAULT_BUFFER_KB 16384
#define MAX_POLL 1024

struct watch {
	pid_t pid;
	int pidfd;
	int is_child;
	int done;
	int status;
};

struct ilp_capture {
	const struct ilp_opts *o;
	struct ilp_instance *in;
	struct ilp_ftrace *src;
	struct ilp_model *model;
	struct ilp_sigfd sig;		/* SIGINT/SIGTERM/SIGHUP */
	struct watch *w;
	size_t nw;
	char *command;
	uint64_t start_ts, end_ts;
	FILE *out;
	int model_err;
	struct ilp_symbolizer *sym;	/* names for devices and locks */
	struct ilp_ftrace_tap ftap;	/* record: o->tap's page/inject */
};

static size_t default_buffer_kb(void)
{
	long n = sysconf(_SC_NPROCESSORS_CONF);

	/* 16 MiB per CPU on small machines, 256 MiB in all on big ones */
	if (n <= 16)
		return DEFAULT_BUFFER_KB;
	return 262144 / (size_t)n < 2048 ? 2048 : 262144 / (size_t)n;
}

int ilp_capture_new(const struct ilp_opts *o, struct ilp_capture **out)
{
	struct ilp_instance_opts io = { 0 };
	struct ilp_capture *c;
	int err;

	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->o = o;
	c->sig.fd = -1;
	c->out = stderr;
	err = ilp_tracefs_check();
	if (err)
		goto out;
	ilp_instance_remove_stale();
	if (o->output) {
		c->out = fopen(o->output, "we");
		if (!c->out) {
			err = -errno;
			c->out = stderr;
			ilp_error(o->output, err);
			err = -ECANCELED;	/* explained */
			goto out;
		}
	}
	err = ilp_sigfd_init(&c->sig, 0);
	if (err)
		goto out;
	io.buffer_kb = o->buffer_kb ? o->buffer_kb : default_buffer_kb();
	io.syscalls = o->syscalls;
	io.nsyscalls = o->nsyscalls;
	err = ilp_instance_new(&io, &c->in);
	if (err)
		goto out;
	err = ilp_ftrace_open(c->in, &c->src);
	if (err)
		goto out;
	if (o->tap) {
		c->ftap.page = o->tap->page;
		c->ftap.inject = o->tap->inject;
		c->ftap.ctx = o->tap->ctx;
		ilp_ftrace_set_tap(c->src, &c->ftap);
	}
	c->model = ilp_model_new();
	if (!c->model || ilp_symbolizer_new(&c->sym)) {
		err = -ENOMEM;
		goto out;
	}
	ilp_model_set_slow(c->model, (uint64_t)o->slow_ms * 1000000);
	*out = c;
	return 0;
out:
	ilp_capture_free(c);
	return err;
}

void ilp_capture_free(struct ilp_capture *c)
{
	size_t i;

	if (!c)
		return;
	/* readers first: an open trace_pipe_raw keeps the instance busy */
	ilp_ftrace_close(c->src);
	ilp_instance_free(c->in);
	ilp_model_free(c->model);
	ilp_symbolizer_free(c->sym);
	for (i = 0; i < c->nw; i++)
		if (c->w[i].pidfd >= 0)
			close(c->w[i].pidfd);
	free(c->w);
	free(c->command);
	ilp_sigfd_release(&c->sig);
	if (c->out && c->out != stderr)
		fclose(c->out);
	free(c);
}

const void *ilp_capture_orig_sigmask(const struct ilp_capture *c)
{
	return &c->sig.oldmask;
}

int ilp_capture_set_command(struct ilp_capture *c, const char *command)
{
	char *s = strdup(command);

	if (!s)
		return -ENOMEM;
	free(c->command);
	c->command = s;
	return 0;
}

int ilp_capture_add_tids(struct ilp_capture *c, const pid_t *tids, size_t n)
{
	return ilp_instance_add_pids(c->in, tids, n);
}

/* an event the capture injects from /proc, stamped now */
static void injected_init(struct ilp_event *ev, int kind, pid_t pid, pid_t tid)
{
	memset(ev, 0, sizeof(*ev));
	ev->ts = ilp_now_ns();
	ev->kind = (uint16_t)kind;
	ev->pid = pid;
	ev->tid = tid;
	ev->nr = -1;
}

int ilp_capture_task_info(struct ilp_capture *c, pid_t pid, pid_t tid, const char *comm)
{
	struct ilp_event ev;

	injected_init(&ev, ILP_EV_TASK_INFO, pid, tid);
	snprintf(ev.task.comm, sizeof(ev.task.comm), "%s", comm ? comm : "");
	return ilp_ftrace_inject(c->src, &ev);
}

int ilp_capture_fd_info(struct ilp_capture *c, pid_t pid, int fd, unsigned type, const char *str)
{
	struct ilp_event ev;

	if (!c->src)
		return 0;
	injected_init(&ev, ILP_EV_FD_INFO, pid, pid);
	ev.fd.fd = fd;
	ev.fd.type = type;
	/* the event outlives this call: the source's pool owns the string */
	ev.fd.str = ilp_resolver_intern(ilp_ftrace_resolver(c->src), str ? str : "");
	if (!ev.fd.str)
		return -ENOMEM;
	return ilp_ftrace_inject(c->src, &ev);
}

struct fd_scan {
	struct ilp_capture *c;
	pid_t pid;
};

static int fd_scan_one(void *ctx, int fd, unsigned type, const char *str)
{
	struct fd_scan *s = ctx;

	return ilp_capture_fd_info(s->c, s->pid, fd, type, str);
}

int ilp_capture_fd_scan(struct ilp_capture *c, pid_t pid)
{
	struct fd_scan s = { c, pid };
	int err;

	if (!c->src)
		return 0;
	err = ilp_resolve_scan(ilp_ftrace_resolver(c->src), pid, fd_scan_one, &s);
	return err == -ENOENT || err == -ESRCH ? 0 : err;	/* gone meanwhile */
}

int ilp_capture_watch(struct ilp_capture *c, pid_t pid, int is_child)
{
	struct watch *w;
	int fd;

	fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (fd < 0)
		return -errno;
	w = realloc(c->w, (c->nw + 1) * sizeof(*w));
	if (!w) {
		close(fd);
		return -ENOMEM;
	}
	c->w = w;
	w = &c->w[c->nw++];
	w->pid = pid;
	w->pidfd = fd;
	w->is_child = is_child;
	w->done = 0;
	w->status = -1;
	return 0;
}

int ilp_capture_start(struct ilp_capture *c)
{
	int err = ilp_instance_start(c->in);

	if (!err)
		c->start_ts = ilp_now_ns();
	if (!err && c->o->tap && c->o->tap->started)
		err = c->o->tap->started(c->o->tap->ctx, c->in, c->command ? c->command : "",
					 c->start_ts);
	return err;
}

static int feed(const struct ilp_event *ev, void *ctx)
{
	struct ilp_capture *c = ctx;

	if (ilp_symbolizer_on_event(c->sym, ev))	/* lock names after fork/exec */
		c->model_err = -ENOMEM;
	if (ilp_model_feed(c->model, ev))
		c->model_err = -ENOMEM;
	return 0;
}

/* record: every name found also goes into the file (tap->name) */
static int record_namer(void *ctx, int kind, int pid, uint64_t key, char *buf, size_t size)
{
	struct ilp_capture *c = ctx;
	int r = ilp_symbolize_object(c->sym, kind, pid, key, buf, size);

	if (!r && c->o->tap->name)
		c->o->tap->name(c->o->tap->ctx, kind, pid, key, buf);
	return r;
}

static void name_objects(struct ilp_capture *c)
{
	/* names for the model's devices and locks, asked after each drain
	 * while the processes live (symbolize.c) */
	if (c->o->tap ? ilp_wait_name_objects(c->model, record_namer, c)
		      : ilp_wait_name_objects(c->model, ilp_symbolize_object, c->sym))
		c->model_err = -ENOMEM;
}

static int report(struct ilp_capture *c, int interim, int exit_status)
{
	struct ilp_report_info info = { 0 };
	const struct ilp_source_counters *sc = ilp_ftrace_counters(c->src);
	uint64_t lost = ilp_instance_lost(c->in);
	int err;

	if (c->o->tap)	/* record: the report comes later, from the file */
		return 0;
	info.command = c->command ? c->command : "";
	info.backend = "ftrace";
	info.start_ts = c->start_ts;
	info.end_ts = interim ? ilp_now_ns() : c->end_ts;
	info.events = sc->records;
	info.lost = lost > sc->missed ? lost : sc->missed;
	info.interim = interim;
	info.exit_status = exit_status;
	err = ilp_report_emit(c->out, c->model, &info, c->o);
	fflush(c->out);
	return err;
}

static int all_done(const struct ilp_capture *c)
{
	size_t i;

	for (i = 0; i < c->nw; i++)
		if (!c->w[i].done)
			return 0;
	return c->nw > 0;
}

static struct watch *first_child(struct ilp_capture *c)
{
	size_t i;

	for (i = 0; i < c->nw; i++)
		if (c->w[i].is_child)
			return &c->w[i];
	return NULL;
}

static void reap(struct watch *w)
{
	int status;

	if (w->is_child) {
		if (waitpid(w->pid, &status, WNOHANG) != w->pid)
			return;	/* not yet: the pidfd said so a little early */
		w->status = status;
	}
	w->done = 1;
}

/* Returns 1 when the capture should end now. */
static int on_signal(struct ilp_capture *c, int *nsignals, uint64_t *grace_end)
{
	struct signalfd_siginfo si;
	struct watch *child = first_child(c);
	size_t i;

	while (ilp_sigfd_next(&c->sig, &si)) {
		(*nsignals)++;
		if (!child || *nsignals > 1)
			return 1;
		/* a terminal's Ctrl-C already reached the app's process group;
		 * a signal sent to us alone (kill PID) is passed on */
		if (si.ssi_code == SI_USER || si.ssi_code == SI_QUEUE)
			for (i = 0; i < c->nw; i++)
				if (c->w[i].is_child && !c->w[i].done)
					kill(c->w[i].pid, (int)si.ssi_signo);
		*grace_end = ilp_now_ns() + CHILD_GRACE_MS * 1000000ull;
	}
	return 0;
}

static int ms_until(uint64_t now, uint64_t t)
{
	if (t <= now)
		return 0;
	return (int)((t - now + 999999) / 1000000);
}

int ilp_capture_loop(struct ilp_capture *c, int *child_status)
{
	const struct ilp_opts *o = c->o;
	struct pollfd pfd[MAX_POLL];
	uint64_t now, last_drain = c->start_ts, grace_end = 0;
	uint64_t deadline = o->duration > 0 ? c->start_ts + (uint64_t)(o->duration * 1e9) : 0;
	uint64_t next_interim = o->interval > 0 ? c->start_ts + (uint64_t)(o->interval * 1e9) : 0;
	int nsignals = 0, err = 0, exit_status = -1;
	unsigned light_ms = o->tap ? IDLE_DRAIN_MS : SHORT_GAP_MS, gap_ms = light_ms;
	struct watch *child;
	size_t i;

	/* run: the child has exec'd by now; attach: running.  Their maps now,
	 * so a lock of a process that exits before its first drain is named */
	for (i = 0; i < c->nw; i++)
		ilp_symbolizer_snapshot(c->sym, c->w[i].pid);
	for (;;) {
		size_t n = 0, nwatch_first, ncpu_first;
		int timeout, cpu_ready = 0, want_cpu;

		now = ilp_now_ns();
		pfd[n].fd = c->sig.fd;
		pfd[n++].events = POLLIN;
		nwatch_first = n;
		for (i = 0; i < c->nw && n < MAX_POLL / 2; i++) {
			pfd[n].fd = c->w[i].done ? -1 : c->w[i].pidfd;
			pfd[n++].events = POLLIN;
		}
		ncpu_first = n;
		want_cpu = now - last_drain >= gap_ms * 1000000ull;
		timeout = want_cpu ? ms_until(now, last_drain + IDLE_DRAIN_MS * 1000000ull)
				   : ms_until(now, last_drain + gap_ms * 1000000ull);
		if (want_cpu)
			n += ilp_ftrace_pollfds(c->src, pfd + n, MAX_POLL - n);
		if (deadline && ms_until(now, deadline) < timeout)
			timeout = ms_until(now, deadline);
		if (next_interim && ms_until(now, next_interim) < timeout)
			timeout = ms_until(now, next_interim);
		if (grace_end && ms_until(now, grace_end) < timeout)
			timeout = ms_until(now, grace_end);
		if (poll(pfd, n, timeout) < 0 && errno != EINTR) {
			err = -errno;
			break;
		}
		if ((pfd[0].revents & POLLIN) && on_signal(c, &nsignals, &grace_end))
			break;
		for (i = 0; i < c->nw && nwatch_first + i < ncpu_first; i++)
			if (pfd[nwatch_first + i].revents)
				reap(&c->w[i]);
		for (i = ncpu_first; i < n; i++)
			if (pfd[i].revents & POLLIN)
				cpu_ready = 1;
		if (all_done(c))
			break;
		now = ilp_now_ns();
		if ((deadline && now >= deadline) || (grace_end && now >= grace_end))
			break;
		if (cpu_ready || now - last_drain >= IDLE_DRAIN_MS * 1000000ull ||
		    (next_interim && now >= next_interim)) {
			uint64_t pages = ilp_ftrace_counters(c->src)->pages;

			err = ilp_ftrace_drain(c->src, 0, feed, c);
			if (err)
				break;
			name_objects(c);
			last_drain = now;
			pages = ilp_ftrace_counters(c->src)->pages - pages;
			gap_ms = pages > LIGHT_PAGES ? MIN_GAP_MS : light_ms;
		}
		if (next_interim && now >= next_interim) {
			report(c, 1, -1);
			next_interim += (uint64_t)(o->interval * 1e9);
		}
	}
	if (o->tap && o->tap->end) {	/* record: while tracing is still on */
		int es = -1, rerr;

		/* no more events, but the buffer still takes trace_marker
		 * lines: read everything, so that every device and lock the
		 * capture saw is named in the file, then the end fact */
		rerr = ilp_instance_events_off(c->in);
		if (rerr)	/* events may still come: a final drain could never end */
			ilp_instance_stop(c->in);
		if (!err)
			err = rerr;
		rerr = ilp_ftrace_drain(c->src, 1, feed, c);
		if (!err)
			err = rerr;
		name_objects(c);

		child = first_child(c);
		if (child && child->done && child->status != -1)
			es = WIFEXITED(child->status) ? WEXITSTATUS(child->status)
			   : WIFSIGNALED(child->status) ? 128 + WTERMSIG(child->status) : -1;
		rerr = o->tap->end(o->tap->ctx, es, ilp_instance_lost(c->in));
		if (!err)
			err = rerr;
	}
	/* stop, then read everything the buffers still hold */
	ilp_instance_stop(c->in);
	c->end_ts = ilp_now_ns();
	if (!err)
		err = ilp_ftrace_drain(c->src, 1, feed, c);
	else
		ilp_ftrace_drain(c->src, 1, feed, c);
	name_objects(c);
	ilp_model_finish(c->model, c->end_ts);
	child = first_child(c);
	if (child && child->done && child->status != -1) {
		if (WIFEXITED(child->status))
			exit_status = WEXITSTATUS(child->status);
		else if (WIFSIGNALED(child->status))
			exit_status = 128 + WTERMSIG(child->status);
	}
	*child_status = child && child->done ? child->status : -1;
	{
		int rerr = report(c, 0, exit_status);

		if (!err)
			err = rerr;
	}
	if (!err && c->model_err)
		err = c->model_err;
	return err;
}
