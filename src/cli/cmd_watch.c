// SPDX-License-Identifier: MIT
/*
 * iolockprof watch -o DIR --trigger EXPR PID...: a flight recorder.
 *
 * attach's capture (ftrace only) with the watch sink.  Its tap sees every
 * raw ring-buffer page the backend reads and keeps a copy in the page ring
 * (pagering.h), evicted by time (older than --before) and by bytes
 * (--before-mb); and every fact record would write into its file
 * (process names, fd names, device and lock names), kept as marker lines.
 * Every event goes through the trigger set (trigger.h): a call trigger
 * fires at the call's exit; the aggregate triggers at the end of each
 * --window, which is the session's --interval (its interim emit); SIGUSR1
 * fires at the next event or window.
 *
 * When one fires: the ring keeps everything from --before seconds before
 * it on, the begin fact (its time: the oldest page kept) and every fact
 * known are written through the instance's trace_marker (so they land in
 * the pages, as record's do), and capture goes on for --after seconds.
 * Then the end fact; at the next window, once the pages holding it were
 * read, the pages are written as DIR/TIME.dat (tracedat_out.c, from
 * memfds) and DIR/TIME.txt is the trigger's header followed by the text
 * report of that file, made by `iolockprof report -i` in a child process
 * so the watch goes on meanwhile.  The ring is emptied: the next dump
 * never repeats this one's pages.
 *
 * Why a userspace ring and not the kernel's overwrite mode and snapshot:
 * the triggers need every event decoded live anyway (they read the
 * calls), so the pages are in our hands already and a copy costs a
 * memcpy per 4 KiB page; an overwrite-mode instance could not be read
 * live (reading consumes), and its snapshot is one per instance, bounded
 * by the buffer size rather than by time.
 *
 * The session's model is reset each window (nothing reads a whole-run
 * report of watch): memory stays bounded over a long watch.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "fmt.h"
#include "instance.h"
#include "model.h"
#include "pagering.h"
#include "report.h"
#include "session.h"
#include "source.h"
#include "status.h"
#include "syscalls.h"
#include "tracedat.h"
#include "tracemeta.h"
#include "trigger.h"

#define WATCH_WINDOW_S 1.0	/* --window when not given (options.c: "watch: 1") */

#define FACTS_MAX_BYTES (16u << 20)	/* the facts kept for the dumps, at most */
#define NAME_TRIES 1000			/* TIME.dat, TIME-2.dat, ... */
#define MIB (1024u * 1024u)

enum dump_state {
	IDLE,		/* keeping the last --before seconds */
	AFTER,		/* fired: capturing --after seconds more */
	ENDING,		/* end fact written: the dump is written at the next window */
};

struct watcher {
	struct ilp_sink base;
	struct ilp_record_tap tap;
	const struct ilp_opts *o;
	const char *dir;
	int dirfd;
	struct ilp_trigger_set *set;	/* NULL: no --trigger (SIGUSR1 only) */
	struct ilp_pagering *ring;	/* made at the first page (its size) */
	int ncpus;
	struct ilp_instance *in;	/* where facts go; NULL before the start and after the end */
	char *command;			/* "watch 12 (app)" */
	char **facts;			/* marker lines of every fact seen */
	size_t nfacts, facts_cap, facts_bytes;
	uint64_t facts_dropped;
	uint64_t before_ns, after_ns, cooldown_ns, window_ns;
	/* the dump being captured */
	enum dump_state state;
	struct ilp_trigger_hit hit;
	int by_signal;
	uint64_t begin_ts, after_end;
	uint64_t end_ts;		/* just after its end fact was written */
	uint64_t lost_begin;		/* the capture's lost events when it fired */
	uint64_t ring_dropped;		/* the ring's dropped pages when it fired */
	unsigned also;			/* triggers that fired during it */
	unsigned suppressed;		/* ignored in --cooldown before it */
	uint64_t cooldown_end;
	unsigned ndumps;
	uint64_t lost;			/* the capture's lost events, as last seen */
	uint64_t win_start;		/* when the current window began */
	uint64_t win_first;		/* its first event's time (0: none yet): events
					 * come late, after the merge of the CPUs */
	pid_t *children;		/* report -i of each dump, still running */
	size_t nchildren;
	int err;
};

/* SIGUSR1: a dump now.  The one thing a handler may touch. */
static volatile sig_atomic_t usr1_pending;

static void on_usr1(int sig)
{
	(void)sig;
	usr1_pending = 1;
}

/* ---- facts ---- */

static void mark(struct watcher *w, const char *line)
{
	if (w->in)
		ilp_instance_mark(w->in, line);	/* a fact less is no failure */
}

static int keep_fact(struct watcher *w, const char *line)
{
	size_t len = strlen(line) + 1;
	char **v;

	if (w->state == AFTER)	/* the dump being captured needs it now */
		mark(w, line);
	if (w->facts_bytes + len > FACTS_MAX_BYTES) {
		w->facts_dropped++;
		return 0;
	}
	if (w->nfacts == w->facts_cap) {
		size_t cap = w->facts_cap ? w->facts_cap * 2 : 256;

		v = realloc(w->facts, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		w->facts = v;
		w->facts_cap = cap;
	}
	w->facts[w->nfacts] = strdup(line);
	if (!w->facts[w->nfacts])
		return -ENOMEM;
	w->nfacts++;
	w->facts_bytes += len;
	return 0;
}

/* ---- the tap ---- */

static int tap_page(void *ctx, int cpu, const void *page, size_t size)
{
	struct watcher *w = ctx;
	size_t max = (size_t)w->o->before_mb * MIB;
	int err;

	if (!w->ring) {
		err = ilp_pagering_new(w->ncpus, size, max, &w->ring);
		if (err)
			return err;
	}
	return ilp_pagering_add(w->ring, cpu, page, size, ilp_now_ns());
}

static int tap_inject(void *ctx, const struct ilp_event *ev)
{
	char line[ILP_META_MAX];

	if (ilp_meta_format_event(line, sizeof(line), ev) < 0)
		return 0;	/* not a fact */
	return keep_fact(ctx, line);
}

static int tap_name(void *ctx, int kind, int pid, uint64_t key, const char *name)
{
	char line[ILP_META_MAX];

	if (ilp_meta_format_name(line, sizeof(line), ilp_now_ns(), kind, pid, key, name) < 0)
		return 0;
	return keep_fact(ctx, line);
}

static void say_triggers(const struct watcher *w)
{
	char buf[96];
	size_t i;

	for (i = 0; i < w->o->ntriggers; i++) {
		ilp_trigger_format(&w->o->triggers[i], buf, sizeof(buf));
		fprintf(stderr, "%s%s", i ? " or " : "", buf);
	}
	if (!w->o->ntriggers)
		fprintf(stderr, "SIGUSR1 only");
}

static int tap_started(void *ctx, struct ilp_instance *in, const char *command,
		       uint64_t start_ts)
{
	struct watcher *w = ctx;
	size_t len;

	w->win_start = start_ts;
	w->in = in;
	w->ncpus = ilp_instance_ncpus(in) + ilp_instance_sys_ncpus(in);
	/* "attach 12 (app)" -> "watch 12 (app)" */
	if (!strncmp(command, "attach", 6))
		command += 6;
	len = strlen(command) + 8;
	w->command = malloc(len);
	if (!w->command)
		return -ENOMEM;
	snprintf(w->command, len, "watch%s", command);
	fprintf(stderr, "iolockprof: watch: dumps to %s when ", w->dir);
	say_triggers(w);
	fprintf(stderr, " (window %g s, %g s before, %g s after, at most %u dumps); "
		"kill -USR1 %d for one now\n", (double)w->window_ns / 1e9, w->o->before, w->o->after,
		w->o->max_dumps, (int)getpid());
	return 0;
}

/* ---- firing ---- */

/* ts on the trace clock as UTC wall time */
static struct timespec wall_of(uint64_t ts)
{
	struct timespec now;
	uint64_t mono = ilp_now_ns(), ns;

	clock_gettime(CLOCK_REALTIME, &now);
	ns = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
	ns -= mono > ts ? mono - ts : 0;
	now.tv_sec = (time_t)(ns / 1000000000ull);
	now.tv_nsec = (long)(ns % 1000000000ull);
	return now;
}

/* "iolockprof: watch: call > 200 ms: read of pid 12 tid 12 took 301 ms" */
static void describe_hit(const struct watcher *w, char *buf, size_t size)
{
	char trig[96], v[ILP_FMT_TIME_LEN];
	const struct ilp_trigger *t;

	if (w->by_signal) {
		snprintf(buf, size, "SIGUSR1");
		return;
	}
	t = &w->o->triggers[w->hit.trigger];
	ilp_trigger_format(t, trig, sizeof(trig));
	switch (t->kind) {
	case ILP_TRIG_CALL:
		ilp_fmt_time(v, sizeof(v), w->hit.value);
		snprintf(buf, size, "%s: %s of pid %d tid %d took %s", trig,
			 ilp_syscall_name(w->hit.nr), w->hit.pid, w->hit.tid, v);
		break;
	case ILP_TRIG_PCT:
		ilp_fmt_time(v, sizeof(v), w->hit.value);
		snprintf(buf, size, "%s: %s in the window", trig, v);
		break;
	default:
		snprintf(buf, size, "%s: %llu in the window", trig,
			 (unsigned long long)w->hit.value);
		break;
	}
}

/*
 * A trigger fired (hit; by SIGUSR1 if by_signal).  from: when what fired
 * it began (the call's entry, the first event of the window): the dump
 * keeps --before seconds before that, so it holds the evidence whole.
 */
static void fire(struct watcher *w, const struct ilp_trigger_hit *hit, int by_signal,
		 uint64_t from)
{
	char line[ILP_META_MAX], what[256];
	uint64_t now = ilp_now_ns(), cutoff, oldest;
	size_t i;

	if (w->state != IDLE) {
		w->also++;
		return;
	}
	if (w->ndumps >= w->o->max_dumps || !w->in)
		return;
	if (now < w->cooldown_end) {
		w->suppressed++;
		return;
	}
	w->hit = *hit;
	w->by_signal = by_signal;
	if (from > hit->ts)
		from = hit->ts;
	cutoff = from > w->before_ns ? from - w->before_ns : 0;
	if (w->ring)
		ilp_pagering_evict(w->ring, cutoff);
	oldest = w->ring ? ilp_pagering_oldest(w->ring) : UINT64_MAX;
	w->begin_ts = oldest < cutoff ? oldest : cutoff;
	w->after_end = (hit->ts > now ? hit->ts : now) + w->after_ns;
	w->lost_begin = w->lost;
	w->ring_dropped = w->ring ? ilp_pagering_dropped(w->ring) : 0;
	w->state = AFTER;
	if (ilp_meta_format_begin(line, sizeof(line), w->begin_ts, w->command) < 0)
		line[sizeof(line) - 1] = '\0';
	mark(w, line);
	for (i = 0; i < w->nfacts; i++)
		mark(w, w->facts[i]);
	describe_hit(w, what, sizeof(what));
	fprintf(stderr, "iolockprof: watch: %s; capturing %g s more\n", what, w->o->after);
}

/* the capture's end fact: the pages holding it are read before the dump is written */
static void end_dump(struct watcher *w, uint64_t lost)
{
	char line[ILP_META_MAX];

	ilp_meta_format_end(line, sizeof(line), ilp_now_ns(),
			    lost > w->lost_begin ? lost - w->lost_begin : 0, -1);
	mark(w, line);
	/* after the write: the end record's own time is before it, so the
	 * page that holds it (it may be the first of its page) is kept */
	w->end_ts = ilp_now_ns();
	w->state = ENDING;
}

static void on_event(struct ilp_sink *k, struct ilp_session *s, const struct ilp_event *ev)
{
	struct watcher *w = (struct watcher *)k;
	struct ilp_trigger_hit hit = { 0 };
	int r;

	if (!w->win_first)
		w->win_first = ev->ts;
	if (usr1_pending) {
		usr1_pending = 0;
		hit.ts = ev->ts;
		fire(w, &hit, 1, hit.ts);
	}
	if (w->state == AFTER && ev->ts >= w->after_end)
		end_dump(w, w->lost);
	if (!w->set)
		return;
	r = ilp_trigger_feed(w->set, ev, &hit);
	if (r == 1) {
		/* the model was fed the event: it knows the thread's process */
		const struct ilp_thread *t = ilp_model_find_thread(ilp_session_model(s), ev->tid);

		if (t)
			hit.pid = ilp_thread_pid(t);
		fire(w, &hit, 0, hit.ts - hit.value);	/* from the call's entry */
	}
	else if (r < 0)
		w->err = r;
}

/* ---- writing a dump ---- */

/* DIR/NAME.dat and DIR/NAME.txt, both new (O_EXCL|O_NOFOLLOW, 0600) */
static int create_pair(struct watcher *w, char *name, size_t size, int *dat, int *txt)
{
	const int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
	struct timespec wall = wall_of(w->hit.ts);
	char stamp[32], path[96];
	struct tm tm;
	int n, err;

	gmtime_r(&wall.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	for (n = 1; n <= NAME_TRIES; n++) {
		if (n == 1)
			snprintf(name, size, "%s", stamp);
		else
			snprintf(name, size, "%s-%d", stamp, n);
		snprintf(path, sizeof(path), "%s.dat", name);
		*dat = openat(w->dirfd, path, flags, 0600);
		if (*dat < 0 && errno == EEXIST)
			continue;
		if (*dat < 0)
			return -errno;
		snprintf(path, sizeof(path), "%s.txt", name);
		*txt = openat(w->dirfd, path, flags, 0600);
		if (*txt >= 0)
			return 0;
		err = -errno;
		close(*dat);
		snprintf(path, sizeof(path), "%s.dat", name);
		unlinkat(w->dirfd, path, 0);
		if (err != -EEXIST)
			return err;
	}
	return -EEXIST;
}

/* the ring's pages of each CPU in a memfd, for tracedat_out.c (paths) */
static int pages_to_memfds(struct watcher *w, int *fds, char **paths)
{
	int cpu;

	for (cpu = 0; cpu < w->ncpus; cpu++) {
		size_t i, n = w->ring ? ilp_pagering_count(w->ring, cpu) : 0;
		char name[24];

		snprintf(name, sizeof(name), "ilp-cpu%d", cpu);
		fds[cpu] = memfd_create(name, MFD_CLOEXEC);
		if (fds[cpu] < 0)
			return -errno;
		if (asprintf(&paths[cpu], "/proc/self/fd/%d", fds[cpu]) < 0) {
			paths[cpu] = NULL;
			return -ENOMEM;
		}
		for (i = 0; i < n; i++) {
			const void *p = ilp_pagering_page(w->ring, cpu, i);
			size_t size = ilp_pagering_page_size(w->ring);

			if (ilp_pagering_page_ts(p) > w->end_ts)
				break;	/* read after the end fact: not this dump's */
			if (write(fds[cpu], p, size) != (ssize_t)size)
				return errno ? -errno : -EIO;
		}
	}
	return 0;
}

/* the .txt's first lines: what fired, when, and the span */
static int write_header(struct watcher *w, int fd, const char *name)
{
	struct timespec wall = wall_of(w->hit.ts);
	char what[256], when[64], span[ILP_FMT_TIME_LEN], after[ILP_FMT_TIME_LEN];
	uint64_t dropped = w->ring ? ilp_pagering_dropped(w->ring) - w->ring_dropped : 0;
	struct tm tm;
	FILE *f;
	int err = 0;

	fd = dup(fd);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		if (fd >= 0)
			close(fd);
		return -errno;
	}
	gmtime_r(&wall.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	describe_hit(w, what, sizeof(what));
	ilp_fmt_time(span, sizeof(span), w->hit.ts - (w->begin_ts < w->hit.ts ? w->begin_ts :
								 w->hit.ts));
	ilp_fmt_time(after, sizeof(after), w->end_ts > w->hit.ts ? w->end_ts - w->hit.ts : 0);
	fprintf(f, "iolockprof watch: %s\n", what);
	fprintf(f, "fired: %s.%03ld UTC; this dump (%s.dat) holds %s before it and "
		"%s after it\n", when, wall.tv_nsec / 1000000L, name, span, after);
	if (w->also || w->suppressed)
		fprintf(f, "triggers also fired: %u while this dump was captured, %u in "
			"--cooldown before it\n", w->also, w->suppressed);
	if (dropped)
		fprintf(f, "note: %llu pages (%g MiB) of the dump's start were dropped: "
			"--before-mb %u was full\n", (unsigned long long)dropped,
			(double)dropped * (double)ilp_pagering_page_size(w->ring) / MIB,
			w->o->before_mb);
	if (w->facts_dropped)
		fprintf(f, "note: %llu process, fd or object names were not kept (%u MiB "
			"of them already)\n", (unsigned long long)w->facts_dropped,
			FACTS_MAX_BYTES / MIB);
	fprintf(f, "\n");
	if (fflush(f) || ferror(f))
		err = errno ? -errno : -EIO;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}

/* iolockprof report -i DIR/NAME.dat, its stdout the .txt: in a child, so
 * the watch goes on while it runs */
static int spawn_report(struct watcher *w, const char *name, int txt)
{
	posix_spawn_file_actions_t fa;
	char *path = NULL, *argv[5];
	pid_t pid, *v;
	int err;

	if (asprintf(&path, "%s/%s.dat", w->dir, name) < 0)
		return -ENOMEM;
	v = realloc(w->children, (w->nchildren + 1) * sizeof(*v));
	if (!v) {
		free(path);
		return -ENOMEM;
	}
	w->children = v;
	argv[0] = "iolockprof";
	argv[1] = "report";
	argv[2] = "-i";
	argv[3] = path;
	argv[4] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, txt, STDOUT_FILENO);
	/* nothing else of ours: an fd of the instance held open by the child
	 * would keep the kernel from removing it when we end */
	posix_spawn_file_actions_addclosefrom_np(&fa, STDERR_FILENO + 1);
	err = -posix_spawn(&pid, "/proc/self/exe", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	free(path);
	if (!err)
		w->children[w->nchildren++] = pid;
	return err;
}

/* reaps the report children (block: waits for them all) */
static void reap(struct watcher *w, int block)
{
	size_t i = 0;
	int st;

	while (i < w->nchildren) {
		pid_t r = waitpid(w->children[i], &st, block ? 0 : WNOHANG);

		if (r == 0 || (r < 0 && errno == EINTR)) {
			i++;
			continue;
		}
		if (r > 0 && !(WIFEXITED(st) && WEXITSTATUS(st) == 0))
			fprintf(stderr, "iolockprof: watch: the report of a dump failed "
				"(status %d): report -i its .dat again\n", st);
		w->children[i] = w->children[--w->nchildren];
	}
}

static int write_dump(struct watcher *w)
{
	char name[48], *paths[w->ncpus > 0 ? w->ncpus : 1];
	int fds[w->ncpus > 0 ? w->ncpus : 1], dat = -1, txt = -1, cpu, err;
	struct stat st;

	for (cpu = 0; cpu < w->ncpus; cpu++) {
		fds[cpu] = -1;
		paths[cpu] = NULL;
	}
	err = create_pair(w, name, sizeof(name), &dat, &txt);
	if (err)
		goto out;
	err = pages_to_memfds(w, fds, paths);
	if (!err)
		err = ilp_tracedat_write(dat, w->ncpus, paths, "mono");
	if (!err && fsync(dat))
		err = -errno;
	if (!err)
		err = write_header(w, txt, name);
	if (!err)
		err = spawn_report(w, name, txt);
	if (err) {
		char path[64];

		snprintf(path, sizeof(path), "%s.dat", name);
		unlinkat(w->dirfd, path, 0);
		snprintf(path, sizeof(path), "%s.txt", name);
		unlinkat(w->dirfd, path, 0);
		goto out;
	}
	if (fstat(dat, &st))
		st.st_size = 0;
	fprintf(stderr, "iolockprof: watch: wrote %s/%s.dat (%.1f KiB) and %s/%s.txt\n",
		w->dir, name, (double)st.st_size / 1024.0, w->dir, name);
out:
	if (err)
		fprintf(stderr, "iolockprof: watch: cannot write a dump in %s: %s\n", w->dir,
			strerror(-err));
	for (cpu = 0; cpu < w->ncpus; cpu++) {
		if (fds[cpu] >= 0)
			close(fds[cpu]);
		free(paths[cpu]);
	}
	if (dat >= 0)
		close(dat);
	if (txt >= 0)
		close(txt);
	/* the next dump starts after this one, whether it was written or not */
	if (w->ring)
		ilp_pagering_clear(w->ring);
	w->state = IDLE;
	w->also = w->suppressed = 0;
	w->ndumps++;
	w->cooldown_end = ilp_now_ns() + w->cooldown_ns;
	return err;
}

/* ---- the sink ---- */

static int tap_end(void *ctx, int exit_status, uint64_t lost)
{
	struct watcher *w = ctx;

	(void)exit_status;
	if (w->state == AFTER)	/* cut short by the capture's end */
		end_dump(w, lost);
	w->in = NULL;
	return 0;
}

static int watch_emit(struct ilp_sink *k, struct ilp_session *s, int interim)
{
	struct watcher *w = (struct watcher *)k;
	struct ilp_trigger_hit hit = { 0 };
	struct ilp_report_info info;
	uint64_t now = ilp_now_ns(), lost = w->lost;

	reap(w, 0);
	if (!ilp_session_report_info(s, interim, &info))
		lost = info.lost;
	if (!interim) {	/* the capture ended: a dump being captured is written */
		if (w->state == ENDING)
			write_dump(w);
		reap(w, 1);
		return w->err;
	}
	/* the window's end: nothing reads the whole run, memory stays bounded */
	if (ilp_model_reset_stats(ilp_session_model(s)))
		w->err = -ENOMEM;
	if (usr1_pending) {
		usr1_pending = 0;
		hit.ts = now;
		fire(w, &hit, 1, now);
	}
	if (w->set && ilp_trigger_window(w->set, now, lost - (lost > w->lost ? w->lost : lost),
					 &hit))
		fire(w, &hit, 0, w->win_first && w->win_first < w->win_start ? w->win_first :
			       w->win_start);
	w->lost = lost;
	w->win_start = now;
	w->win_first = 0;
	/* a window's margin: what fires at the next window may begin in this
	 * one, and events come late (the merge of the CPUs holds them) */
	if (w->state == IDLE && w->ring)
		ilp_pagering_evict(w->ring, now > w->before_ns + w->window_ns ?
				   now - w->before_ns - w->window_ns : 0);
	else if (w->state == AFTER && now >= w->after_end)
		end_dump(w, lost);
	else if (w->state == ENDING) {
		write_dump(w);
		if (w->ndumps >= w->o->max_dumps) {
			fprintf(stderr, "iolockprof: watch: %u dump%s written (--max-dumps): "
				"done watching\n", w->ndumps, w->ndumps > 1 ? "s" : "");
			return -EPIPE;	/* the session stops */
		}
	}
	return w->err;
}

static const struct ilp_record_tap *watch_tap(struct ilp_sink *k)
{
	return &((struct watcher *)k)->tap;
}

static const struct ilp_sink_ops watch_sink = {
	.emit = watch_emit,
	.tap = watch_tap,
	.event = on_event,
};

static void watcher_release(struct watcher *w)
{
	size_t i;

	reap(w, 1);
	free(w->children);
	for (i = 0; i < w->nfacts; i++)
		free(w->facts[i]);
	free(w->facts);
	free(w->command);
	ilp_pagering_free(w->ring);
	ilp_trigger_set_free(w->set);
	if (w->dirfd >= 0)
		close(w->dirfd);
}

/* DIR, made 0700 if missing; a symlink at DIR is refused (ELOOP) */
static int open_dir(const char *dir)
{
	int fd;

	if (mkdir(dir, 0700) && errno != EEXIST)
		return -errno;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int ilp_cmd_watch(struct ilp_opts *o)
{
	struct watcher w = {
		.base.ops = &watch_sink,
		.tap = {
			.page = tap_page, .inject = tap_inject, .started = tap_started,
			.end = tap_end, .name = tap_name, .ctx = &w,
		},
		.o = o,
		.dir = o->output,
		.dirfd = -1,
	};
	struct ilp_opts co = *o;
	struct sigaction sa, old;
	int ret = ILP_EXIT_FAIL, err;

	if (!o->output) {
		fprintf(stderr, "iolockprof: watch: -o DIR is required (see iolockprof watch "
			"--help)\n");
		return ILP_EXIT_USAGE;
	}
	if (o->ntriggers) {
		err = ilp_trigger_set_new(o->triggers, o->ntriggers, &w.set);
		if (err) {
			ilp_error("watch", err);
			goto out;
		}
	}
	w.dirfd = open_dir(o->output);
	if (w.dirfd < 0) {
		if (w.dirfd == -ELOOP || w.dirfd == -ENOTDIR)
			fprintf(stderr, "iolockprof: watch: %s: not a directory (a symlink is not "
				"followed: give the directory itself)\n", o->output);
		else
			ilp_error(o->output, w.dirfd);
		w.dirfd = -1;
		goto out;
	}
	w.before_ns = (uint64_t)(o->before * 1e9);
	w.after_ns = (uint64_t)(o->after * 1e9);
	w.cooldown_ns = (uint64_t)(o->cooldown * 1e9);
	/* --window's default for watch (attach --continuous's is its own) */
	w.window_ns = (uint64_t)((o->window > 0 ? o->window : WATCH_WINDOW_S) * 1e9);
	/* attach's capture: ftrace (the pages), one window per interval, no
	 * second model (the only one is reset each window), no status line */
	co.backend = ILP_BACKEND_FTRACE;
	co.output = NULL;
	co.interval = (double)w.window_ns / 1e9;
	co.cumulative = 1;
	co.status = ILP_STATUS_NEVER;
	co.watching = 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	usr1_pending = 0;
	sigaction(SIGUSR1, &sa, &old);
	ret = ilp_cli_attach(&co, &w.base);
	sigaction(SIGUSR1, &old, NULL);
out:
	watcher_release(&w);
	return ret;
}
