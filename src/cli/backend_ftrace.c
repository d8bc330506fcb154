// SPDX-License-Identifier: MIT
/*
 * The ftrace backend (include/session.h): one private tracefs instance
 * (and its companion for block I/O, instance.h), one reader of the per-CPU
 * buffers (source.h), fd names from /proc at decode time (resolve.h).
 *
 * Draining: a CPU buffer wakes poll() as soon as it holds data
 * (buffer_percent 0, set by instance.c), but the buffers are polled only a
 * gap after the last drain: SHORT_GAP_MS after a drain that found little
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
 *
 * attach: threads created between our listing and the filter write are
 * not followed by event-fork, so start() lists every process's threads
 * again until nothing new appears; then it names the fds they had open
 * before tracing, from /proc (after start: none missed).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "duty.h"
#include "instance.h"
#include "pidns.h"
#include "procfs.h"
#include "ptrace.h"
#include "report.h"
#include "resolve.h"
#include "session.h"
#include "source.h"
#include "stacks.h"
#include "ustack_feed.h"

#define IDLE_DRAIN_MS 50
#define MIN_GAP_MS 20
#define SHORT_GAP_MS 2
#define LIGHT_PAGES 8		/* per drain, all CPUs: 32 KiB of 4 KiB pages */
#define DEFAULT_BUFFER_KB 16384
#define RELIST_PASSES 8

struct pidset {
	pid_t *v;
	size_t n, cap;
};

/* fds a scan of /proc named (fd_scan_all) */
struct fdseen {
	pid_t pid;
	int fd;
	unsigned type;
	const char *str;	/* pooled in the resolver */
	int back;		/* post: named alike before the events went on */
};

struct fdvec {
	struct fdseen *v;
	size_t n, cap;
};

static void fdvec_free(struct fdvec *v)
{
	free(v->v);
	memset(v, 0, sizeof(*v));
}

struct ftrace_be {
	struct ilp_backend base;
	struct ilp_instance *in;
	struct ilp_ftrace *src;
	struct ilp_ftrace_tap ftap;	/* record: the sink's page/inject */
	const struct ilp_record_tap *tap;
	struct pidset procs;		/* attach: the processes; run: the child */
	struct pidset seen;		/* attach: every thread listed */
	struct pidset fresh;		/* ... not yet in the filter */
	struct pidset fresh_pid;	/* ... and their processes */
	uint64_t last_drain;
	unsigned light_ms, gap_ms;
	int started;
	struct ilp_pidns *pidns;	/* run inside a pid namespace (pidns.h) */
	struct ilp_ptrace *names;	/* --names=exact: the name reader */
	int *names_nrs;			/* the calls it stops at */
	int names_busy;			/* it handled stops: look again at once */
	int names_ended;		/* no process left to read names of */
	struct ilp_ustack_feed *ustk;	/* --stacks: the user stacks into call sites */
	char note[256];
	struct ilp_uprobe_lib holds[ILP_UPROBE_LIBS_MAX];	/* --lock-holds: the libcs */
	/* attach --continuous: the duty cycle (duty.h) */
	int continuous;
	struct ilp_duty duty;
	int capturing;			/* the events are on */
	uint64_t cap_on_ts;		/* this capture's start: older events are dropped */
	uint64_t captured_ns;		/* the captures closed so far */
	/* attach: the fds named just before the events went on, and after */
	struct fdvec pre, post;
	uint64_t events_on_ts;		/* just before the events went on */
};

static struct ftrace_be *fb(struct ilp_backend *b)
{
	return (struct ftrace_be *)b;
}

static int pidset_has(const struct pidset *p, pid_t t)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->v[i] == t)
			return 1;
	return 0;
}

static int pidset_add(struct pidset *p, pid_t t)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		pid_t *v = realloc(p->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		p->v = v;
		p->cap = cap;
	}
	p->v[p->n++] = t;
	return 0;
}

static size_t default_buffer_kb(void)
{
	long n = sysconf(_SC_NPROCESSORS_CONF);

	/* 16 MiB per CPU on small machines, 256 MiB in all on big ones */
	if (n <= 16)
		return DEFAULT_BUFFER_KB;
	return 262144 / (size_t)n < 2048 ? 2048 : 262144 / (size_t)n;
}

static void ft_free(struct ilp_backend *b)
{
	struct ftrace_be *f = fb(b);

	if (!f)
		return;
	/* readers first: an open trace_pipe_raw keeps the instance busy */
	ilp_ftrace_close(f->src);
	ilp_pidns_free(f->pidns);	/* holds a file of the instance until then */
	ilp_instance_free(f->in);
	ilp_ptrace_free(f->names);
	fdvec_free(&f->pre);
	fdvec_free(&f->post);
	ilp_ustack_feed_free(f->ustk);
	free(f->names_nrs);
	free(f->procs.v);
	free(f->seen.v);
	free(f->fresh.v);
	free(f->fresh_pid.v);
	free(f);
}

static int no_event(const struct ilp_event *ev, void *ctx)
{
	(void)ev;
	(void)ctx;
	return 0;
}

/*
 * --names=exact: a ptrace side channel on the ftrace capture.  The command
 * installs a seccomp filter that stops it only at the path-taking calls
 * (the path is read there, at the call, for the resolver of the ftrace
 * source) and at the calls that make an fd without a path (read at their
 * exit); every event still comes from ftrace.
 */
static int names_open(struct ftrace_be *f, struct ilp_session *s)
{
	struct ilp_ptrace_opts po = { 0 };
	int n;

	if (ilp_pidns_nested()) {
		fprintf(stderr, "iolockprof: --names=exact does not work inside a pid namespace "
			"(the kernel's numbers of the command's threads cannot be proved here)\n");
		return -ECANCELED;
	}
	f->names_nrs = calloc(ILP_SC_MAX, sizeof(int));
	if (!f->names_nrs)
		return -ENOMEM;
	n = ilp_ptrace_names_set(f->names_nrs, ILP_SC_MAX);
	if (n < 0)
		return n;
	po.syscalls = f->names_nrs;
	po.nsyscalls = (size_t)n;
	po.seccomp = 1;
	po.names_for = ilp_ftrace_resolver(f->src);
	return ilp_ptrace_new(&po, no_event, s, &f->names);
}

/*
 * --lock-holds: the libcs to probe, each once (by dev:ino): run's, ours
 * (the command is our fork until it execs, and a dynamic command of the
 * same root maps the same libc); attach's, each process's.
 */
static int holds_libs(struct ilp_session *s, struct ilp_uprobe_lib *libs, size_t *n)
{
	const struct ilp_opts *o = ilp_session_opts(s);
	size_t i, k, np = ilp_session_mode(s) == ILP_SESSION_ATTACH ? o->npids : 1;
	int err;

	*n = 0;
	err = ilp_uprobe_check();
	if (err) {
		fprintf(stderr, "iolockprof: --lock-holds: %s\n", err == -ENOTSUP ?
			"this kernel has no uprobe events (CONFIG_UPROBE_EVENTS)" :
			"tracefs's uprobe_events is not writable");
		return -ECANCELED;
	}
	for (i = 0; i < np; i++) {
		pid_t pid = ilp_session_mode(s) == ILP_SESSION_ATTACH ? o->pids[i] : getpid();
		struct ilp_uprobe_lib *l = &libs[*n];

		err = ilp_uprobe_libc_of(pid, l);
		if (err == -ESRCH)
			continue;	/* gone: attach says so */
		if (err) {
			fprintf(stderr, "iolockprof: --lock-holds: process %d: %s\n", (int)pid,
				err == -ENOTSUP ? "uprobe arguments are known on x86-64 only" :
				err == -ENOENT ? "it maps no libc with pthread_mutex_lock "
						 "(static, or not glibc)" : strerror(-err));
			return -ECANCELED;
		}
		for (k = 0; k < *n; k++)
			if (libs[k].dev == l->dev && libs[k].ino == l->ino)
				break;
		if (k < *n)
			continue;
		if (++*n == ILP_UPROBE_LIBS_MAX)
			break;
	}
	return 0;
}

static int ft_open(struct ilp_session *s, struct ilp_backend **out)
{
	const struct ilp_opts *o = ilp_session_opts(s);
	struct ilp_instance_opts io = { 0 };
	struct ftrace_be *f;
	int err;

	*out = NULL;
	err = ilp_tracefs_check();
	if (err)
		return err;
	/* attach cannot learn the kernel pids of running processes inside a
	 * pid namespace (pidns.h): refused, never a silent empty report */
	if (ilp_session_mode(s) == ILP_SESSION_ATTACH && ilp_pidns_nested())
		return -EXDEV;
	ilp_instance_remove_stale(NULL, NULL);
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->base.ops = &ilp_backend_ftrace;
	f->base.s = s;
	io.buffer_kb = o->buffer_kb ? o->buffer_kb : default_buffer_kb();
	io.syscalls = o->syscalls;
	io.nsyscalls = o->nsyscalls;
	io.user_stacks = o->stacks;
	if (o->stacks) {
		err = ilp_ustack_feed_new(ilp_session_symbolizer(s), ilp_session_feed, s, &f->ustk);
		if (err)
			goto out;
	}
	if (o->lock_holds) {
		io.holds = f->holds;
		err = holds_libs(s, f->holds, &io.nholds);
		if (err)
			goto out;
	}
	io.sleep_stacks = o->sleep_stacks;
	err = ilp_instance_new(&io, &f->in);
	if (!err)
		err = ilp_ftrace_open(f->in, &f->src);
	/* run inside a pid namespace: the child will tell its kernel pid,
	 * and /proc is read only through proved pids */
	if (!err && ilp_session_mode(s) == ILP_SESSION_RUN)
		err = ilp_pidns_new(f->in, &f->pidns);
	if (err)
		goto out;
	if (f->pidns) {
		ilp_resolver_set_pidns(ilp_ftrace_resolver(f->src), f->pidns);
		ilp_session_set_pidns(s, f->pidns);
	}
	f->tap = ilp_session_tap(s);
	if (f->tap) {
		f->ftap.page = f->tap->page;
		f->ftap.inject = f->tap->inject;
		f->ftap.ctx = f->tap->ctx;
		ilp_ftrace_set_tap(f->src, &f->ftap);
	}
	if (o->names_exact && ilp_session_mode(s) == ILP_SESSION_RUN) {
		err = names_open(f, s);
		if (err)
			goto out;
	}
	f->continuous = o->continuous && ilp_session_mode(s) == ILP_SESSION_ATTACH;
	f->light_ms = f->tap ? IDLE_DRAIN_MS : SHORT_GAP_MS;
	f->gap_ms = f->light_ms;
	*out = &f->base;
	return 0;
out:
	ft_free(&f->base);
	return err;
}

static unsigned ft_traits(struct ilp_backend *b)
{
	/* --names=exact: the command and everything it makes carry a seccomp
	 * filter that stops them for the name reader, which reaps them */
	return fb(b)->names ? ILP_BK_REAPS | ILP_BK_TETHERED : 0;
}

/* an event iolockprof knows from /proc, stamped now, into the stream */
static void injected_init(struct ilp_event *ev, int kind, pid_t pid, pid_t tid)
{
	memset(ev, 0, sizeof(*ev));
	ev->ts = ilp_now_ns();
	ev->kind = (uint16_t)kind;
	ev->pid = pid;
	ev->tid = tid;
	ev->nr = -1;
}

static int inject_task_info(struct ftrace_be *f, pid_t pid, pid_t tid, const char *comm,
			    unsigned flags)
{
	struct ilp_event ev;

	injected_init(&ev, ILP_EV_TASK_INFO, pid, tid);
	ev.task.flags = flags;
	if (comm)	/* truncated to the kernel's TASK_COMM_LEN, as comm is */
		memcpy(ev.task.comm, comm, strnlen(comm, sizeof(ev.task.comm) - 1));
	return ilp_ftrace_inject(f->src, &ev);
}

struct fd_scan {
	struct ftrace_be *f;
	struct fdvec *into;
	pid_t pid;
};

static int fdseen_cmp(const void *x, const void *y)
{
	const struct fdseen *a = x, *b = y;

	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	return a->fd < b->fd ? -1 : a->fd > b->fd;
}

static int fd_seen_one(void *ctx, int fd, unsigned type, const char *str)
{
	struct fd_scan *sc = ctx;
	struct fdvec *v = sc->into;

	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 64;
		struct fdseen *nv = realloc(v->v, cap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		v->v = nv;
		v->cap = cap;
	}
	v->v[v->n++] = (struct fdseen){ sc->pid, fd, type, str ? str : "", 0 };
	return 0;
}

/* every fd of the processes now into v; a process gone meanwhile has none */
static int fd_scan_into(struct ftrace_be *f, struct fdvec *v)
{
	size_t i;
	int err = 0;

	for (i = 0; i < f->procs.n && !err; i++) {
		struct fd_scan sc = { f, v, f->procs.v[i] };

		err = ilp_resolve_scan(ilp_ftrace_resolver(f->src), sc.pid, fd_seen_one, &sc);
		if (err == -ENOENT || err == -ESRCH)	/* gone meanwhile */
			err = 0;
	}
	return err;
}

static int inject_fd(struct ftrace_be *f, const struct fdseen *e, uint64_t ts)
{
	struct ilp_event ev;

	injected_init(&ev, ILP_EV_FD_INFO, e->pid, e->pid);
	if (ts)
		ev.ts = ts;
	ev.fd.fd = e->fd;
	ev.fd.type = e->type;
	/* the event outlives the scan: the source's pool owns the string */
	ev.fd.str = ilp_resolver_intern(ilp_ftrace_resolver(f->src), e->str);
	if (!ev.fd.str)
		return -ENOMEM;
	return ilp_ftrace_inject(f->src, &ev);
}

/*
 * Every fd the processes have open now (fds opened before tracing, or a
 * run's child's inherited ones) as FD_INFO, at this time.  attach: an fd
 * the scan just before the events went on (f->pre) found with the same
 * name held that object over the whole gap: a change in between the
 * events' start and now went through calls the capture saw, which name
 * the fd themselves (one between the first scan and the events' start,
 * away and back to the same name, is the one case missed).  Its name goes
 * back to the events' start, so the calls made on it before this scan
 * are not "unresolved".  Injections stay in time order: the back-dated
 * ones first, then the rest, before anything else is injected.
 */
static int fd_scan_all(struct ftrace_be *f)
{
	size_t i;
	int err = fd_scan_into(f, &f->post), pass;

	if (!err && f->pre.n) {
		qsort(f->pre.v, f->pre.n, sizeof(*f->pre.v), fdseen_cmp);
		for (i = 0; i < f->post.n; i++) {
			struct fdseen *e = &f->post.v[i];
			const struct fdseen *p = bsearch(e, f->pre.v, f->pre.n, sizeof(*e), fdseen_cmp);

			e->back = p && ILP_OBJ_SRC_OF(e->type) == ILP_NAME_SRC_PROC &&
				  (p->type & ILP_OBJ_TYPE_MASK) == (e->type & ILP_OBJ_TYPE_MASK) &&
				  !strcmp(p->str, e->str);
		}
	}
	for (pass = 1; !err && pass >= 0; pass--)
		for (i = 0; !err && i < f->post.n; i++)
			if (f->post.v[i].back == pass)
				err = inject_fd(f, &f->post.v[i], pass ? f->events_on_ts : 0);
	fdvec_free(&f->pre);
	fdvec_free(&f->post);
	return err;
}

static void ft_child_early(struct ilp_backend *b)
{
	ilp_pidns_child(fb(b)->pidns);	/* NULL: not in a pid namespace */
}

static int ft_add_child(struct ilp_backend *b, pid_t local)
{
	struct ftrace_be *f = fb(b);
	const char *base;
	char **argv = ilp_session_opts(b->s)->argv;
	pid_t pid;	/* as the kernel, set_event_pid and every event number it */
	int err;

	base = strrchr(argv[0], '/');
	base = base ? base + 1 : argv[0];
	err = ilp_pidns_learn(f->pidns, local, &pid);
	if (err)
		return err == -ETIMEDOUT ? -EPROTO : err;	/* not the mkdir's timeout */
	if (f->pidns)
		fprintf(stderr, "iolockprof: in a pid namespace: the report numbers processes "
			"as the kernel does (the command is pid %d there, %d here)\n",
			(int)pid, (int)local);
	err = ilp_instance_add_pids(f->in, &pid, 1);
	if (!err)
		err = inject_task_info(f, pid, pid, base, ILP_TASK_GATED);	/* at our gate */
	if (!err)
		err = pidset_add(&f->procs, pid);
	if (!err && f->names)
		err = ilp_ptrace_seize_child(f->names, local);
	return err;
}

static int ft_child_setup(struct ilp_backend *b)
{
	struct ftrace_be *f = fb(b);

	return f->names ? ilp_ptrace_child_setup(f->names) : 0;
}

static int ft_child_status(struct ilp_backend *b, pid_t pid)
{
	struct ftrace_be *f = fb(b);

	return f->names ? ilp_ptrace_exit_status(f->names, pid) : -1;
}

/* a thread not in seen yet: remembered in fresh, with its process */
struct fresh_ctx {
	struct ftrace_be *f;
	pid_t pid;
	int n;
};

static int note_fresh(void *ctx, pid_t tid)
{
	struct fresh_ctx *fc = ctx;
	int err;

	if (pidset_has(&fc->f->seen, tid))
		return 0;
	err = pidset_add(&fc->f->seen, tid);
	if (!err)
		err = pidset_add(&fc->f->fresh, tid);
	if (!err)
		err = pidset_add(&fc->f->fresh_pid, fc->pid);
	if (!err)
		fc->n++;
	return err;
}

/* Notes every thread of pid not seen yet.  Number noted or -errno. */
static int list_threads(struct ftrace_be *f, pid_t pid)
{
	struct fresh_ctx fc = { f, pid, 0 };
	int err = ilp_procfs_each_task(pid, note_fresh, &fc);

	return err ? err : fc.n;
}

/*
 * Puts the threads noted since the last call in the filter, in one write
 * (each write of set_event_pid costs the kernel a grace period: one per
 * thread made attach of 600 processes take longer than they lived), and
 * tells the model their names.
 */
static int add_fresh(struct ftrace_be *f)
{
	char comm[32];
	size_t i;
	int err;

	err = ilp_instance_add_pids(f->in, f->fresh.v, f->fresh.n);
	for (i = 0; !err && i < f->fresh.n; i++) {
		ilp_procfs_comm(f->fresh.v[i], comm, sizeof(comm));
		err = inject_task_info(f, f->fresh_pid.v[i], f->fresh.v[i], comm, 0);
	}
	f->fresh.n = f->fresh_pid.n = 0;
	return err;
}

static int ft_attach(struct ilp_backend *b, pid_t pid)
{
	struct ftrace_be *f = fb(b);
	int err = list_threads(f, pid);

	if (err < 0)
		return err;
	return pidset_add(&f->procs, pid);
}

/*
 * attach: threads created between our listing and the filter write are
 * not followed by event-fork: the processes' threads are listed again
 * until nothing new appears.
 */
static int relist(struct ftrace_be *f)
{
	int err, pass;
	size_t i;

	for (pass = 0; pass < RELIST_PASSES; pass++) {
		int added = 0;

		for (i = 0; i < f->procs.n; i++) {
			err = list_threads(f, f->procs.v[i]);
			if (err == -ESRCH || err == -ENOENT)	/* exited meanwhile: the loop sees it */
				err = 0;
			if (err < 0)
				return err;
			added += err;
		}
		err = add_fresh(f);
		if (err)
			return err;
		if (!added)
			break;
	}
	return 0;
}

static int ft_start(struct ilp_backend *b)
{
	struct ftrace_be *f = fb(b);
	const struct ilp_record_tap *tap = f->tap;
	enum ilp_session_mode mode = ilp_session_mode(b->s);
	int err;

	/* --continuous: the first capture starts with tracing, and the
	 * threads' names injected now are part of it (feed_captured) */
	f->cap_on_ts = ilp_now_ns();
	err = add_fresh(f);	/* attach: every thread listed so far */
	if (!err && mode == ILP_SESSION_ATTACH && fd_scan_into(f, &f->pre))
		fdvec_free(&f->pre);	/* best effort: names come at the scan after */
	f->events_on_ts = ilp_now_ns();
	if (!err)
		err = ilp_instance_start(f->in);
	if (err)
		return err;
	f->started = 1;
	f->last_drain = ilp_now_ns();
	if (f->continuous) {	/* the first capture starts now */
		const struct ilp_opts *o = ilp_session_opts(b->s);

		f->capturing = 1;
		ilp_duty_init(&f->duty, o->duty / 100.0, (uint64_t)(o->duty_period * 1e9),
			      f->cap_on_ts);
	}
	if (tap && tap->started) {
		err = tap->started(tap->ctx, f->in, ilp_session_command(b->s), f->last_drain);
		if (err)
			return err;
	}
	/* fds opened before tracing (attach), or inherited (run's child,
	 * before it execs), named from /proc: before relist injects newer
	 * events, for the back-dated names */
	err = fd_scan_all(f);
	if (!err && mode == ILP_SESSION_ATTACH)
		err = relist(f);
	return err;
}

static unsigned ms_until(uint64_t now, uint64_t t)
{
	return t <= now ? 0 : (unsigned)((t - now + 999999) / 1000000);
}

static size_t ft_pollfds(struct ilp_backend *b, struct pollfd *fds, size_t max, int *timeout)
{
	struct ftrace_be *f = fb(b);
	uint64_t now = ilp_now_ns();
	unsigned wait;

	if (f->names_busy)	/* name-reader stops come as SIGCHLD; more are likely */
		*timeout = 0;
	if (f->continuous && f->started) {
		uint64_t edge = ilp_duty_next(&f->duty, now);

		if (edge != UINT64_MAX && (int)ms_until(now, edge) < *timeout)
			*timeout = (int)ms_until(now, edge);
		if (!f->capturing)
			return 0;
	}

	if (now - f->last_drain >= f->gap_ms * 1000000ull) {
		/* the gap is over: wake on data, or at the idle drain */
		wait = ms_until(now, f->last_drain + IDLE_DRAIN_MS * 1000000ull);
		if ((int)wait < *timeout)
			*timeout = (int)wait;
		return ilp_ftrace_pollfds(f->src, fds, max);
	}
	wait = ms_until(now, f->last_drain + f->gap_ms * 1000000ull);
	if ((int)wait < *timeout)
		*timeout = (int)wait;
	return 0;
}

/*
 * --continuous: only what a capture recorded whole reaches the model.  An
 * event stamped before the capture's start is dropped (the events are
 * enabled one at a time: a call whose enter came before its exit's event
 * was on would otherwise pair wrongly), and so is anything read between
 * captures (a record still in flight when the events went off).
 */
static int feed_captured(const struct ilp_event *ev, void *ctx)
{
	struct ftrace_be *f = ctx;

	if (f->continuous && (!f->capturing || ev->ts < f->cap_on_ts))
		return 0;
	return f->ustk ? ilp_ustack_feed(ev, f->ustk) : ilp_session_feed(ev, f->base.s);
}

static int drain(struct ftrace_be *f, int final)
{
	uint64_t pages = ilp_ftrace_counters(f->src)->pages;
	int err = ilp_ftrace_drain(f->src, final, feed_captured, f);

	/* names for the model's devices and locks while the processes live */
	ilp_session_name_objects(f->base.s);
	f->last_drain = ilp_now_ns();
	pages = ilp_ftrace_counters(f->src)->pages - pages;
	f->gap_ms = pages > LIGHT_PAGES ? MIN_GAP_MS : f->light_ms;
	return err;
}

static int relist(struct ftrace_be *f);

/*
 * A duty cycle's edge: pause (events off, then everything they recorded
 * read, then the models forget what was in progress) or resume (events on,
 * then the capture starts: what came before is dropped, feed_captured;
 * threads made meanwhile are listed, as at the start).
 */
static int capture_edge(struct ftrace_be *f, int on)
{
	uint64_t off;
	int err;

	if (!on) {
		err = ilp_instance_capture(f->in, 0);
		off = ilp_now_ns();
		if (!err)
			err = drain(f, 1);
		f->captured_ns += off - f->cap_on_ts;
		f->capturing = 0;
		ilp_session_gap(f->base.s, off);
		return err;
	}
	err = ilp_instance_capture(f->in, 1);
	f->cap_on_ts = ilp_now_ns();
	f->capturing = 1;
	return err ? err : relist(f);
}

static int ft_pump(struct ilp_backend *b, const struct pollfd *fds, size_t n, int flush)
{
	struct ftrace_be *f = fb(b);
	uint64_t now = ilp_now_ns();
	int ready = 0;
	size_t i;

	int err;

	if (f->names && !f->names_ended) {	/* the stopped first: they wait for us */
		err = ilp_ptrace_poll(f->names);
		f->names_busy = err > 0;
		if (err == -ECHILD)
			f->names_ended = 1;	/* the command and all it made are gone */
		else if (err < 0)
			return err;
	}
	for (i = 0; i < n; i++)
		if (fds[i].revents & POLLIN)
			ready = 1;
	if (f->continuous && ilp_duty_on(&f->duty, now) != f->capturing) {
		err = capture_edge(f, !f->capturing);
		if (err)
			return err;
	}
	if (f->continuous && !f->capturing)
		return ILP_PUMP_MORE;	/* nothing to read until the next capture */
	if (ready || flush || now - f->last_drain >= IDLE_DRAIN_MS * 1000000ull) {
		err = drain(f, 0);
		if (err)
			return err;
	}
	return f->names_ended ? ILP_PUMP_END : ILP_PUMP_MORE;
}

static int ft_stop(struct ilp_backend *b, int early)
{
	struct ftrace_be *f = fb(b);
	const struct ilp_record_tap *tap = f->tap;
	int err = 0, rerr;

	if (f->names && !f->names_ended && early) {
		/* the command cannot run on without its name reader (its
		 * filter would fail its calls): killed, as under ptrace */
		uint64_t end = ilp_now_ns() + 2000000000ull;

		ilp_ptrace_kill_all(f->names);
		while (ilp_ptrace_poll(f->names) >= 0 && ilp_now_ns() < end)
			usleep(1000);	/* the killed ones exit: no busy wait */
		f->names_ended = 1;
	}
	if (!f->started)
		return 0;
	/* record: while tracing is still on (not for a command that could
	 * not even start: no file then) */
	if (tap && tap->end && !ilp_session_exec_errno(b->s)) {
		/* no more events, but the buffer still takes trace_marker
		 * lines: read everything, so that every device and lock the
		 * capture saw is named in the file, then the end fact */
		err = ilp_instance_events_off(f->in);
		if (err)	/* events may still come: a final drain could never end */
			ilp_instance_stop(f->in);
		rerr = drain(f, 1);
		if (!err)
			err = rerr;
		rerr = tap->end(tap->ctx, ilp_session_exit_code(b->s), ilp_instance_lost(f->in));
		if (!err)
			err = rerr;
	}
	/* stop, then read everything the buffers still hold */
	ilp_instance_stop(f->in);
	if (f->continuous && f->capturing)
		f->captured_ns += ilp_now_ns() - f->cap_on_ts;
	f->started = 0;
	rerr = drain(f, 1);
	f->capturing = 0;
	return err ? err : rerr;
}

static int ft_describe(struct ilp_backend *b, struct ilp_report_info *info)
{
	struct ftrace_be *f = fb(b);
	const struct ilp_source_counters *sc = ilp_ftrace_counters(f->src);
	uint64_t lost = ilp_instance_lost(f->in), with, without;

	info->events = sc->records;
	info->lost = lost > sc->missed ? lost : sc->missed;
	info->sleep_stacks = ilp_session_opts(f->base.s)->sleep_stacks;
	info->lock_holds = ilp_session_opts(b->s)->lock_holds;
	if (f->continuous) {	/* the captures so far, the open one up to now */
		info->duty = (double)f->duty.on_ns / (double)f->duty.period_ns;
		info->duty_period_ns = f->duty.period_ns;
		info->captured_ns = f->captured_ns +
			(f->capturing && f->started ? ilp_now_ns() - f->cap_on_ts : 0);
	}
	if (!f->ustk)
		return 0;
	/* --stacks: the kernel's frame-pointer walks */
	ilp_ustack_feed_counts(f->ustk, &with, &without);
	snprintf(f->note, sizeof(f->note),
		 "stacks: walked by the kernel along frame pointers at each syscall entry "
		 "(%d frames at most): %llu of %llu completed calls have one",
		 ILP_USTACK_PCS, (unsigned long long)with, (unsigned long long)(with + without));
	info->note = f->note;
	info->stacks = ilp_ustack_feed_stacks(f->ustk);
	return ilp_stacks_index(ilp_ustack_feed_stacks(f->ustk));
}

const struct ilp_backend_ops ilp_backend_ftrace = {
	.name = "ftrace",
	.open = ft_open,
	.free = ft_free,
	.add_child = ft_add_child,
	.child_early = ft_child_early,
	.child_setup = ft_child_setup,
	.child_status = ft_child_status,
	.traits = ft_traits,
	.attach = ft_attach,
	.start = ft_start,
	.pollfds = ft_pollfds,
	.pump = ft_pump,
	.stop = ft_stop,
	.describe = ft_describe,
};
