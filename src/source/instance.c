// SPDX-License-Identifier: MIT
/*
 * The private tracefs instance of one capture: create, configure, start,
 * stop, count lost events, remove.  See include/instance.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <tracefs.h>

#include "decode.h"
#include "instance.h"
#include "owner.h"
#include "uprobe.h"
#include "userstr.h"

#define TRACEFS_MOUNT "/sys/kernel/tracing"
#define SYS_BUFFER_KB 4096	/* companion's per-CPU buffer, at most */

struct ilp_instance {
	struct tracefs_instance *ti;
	char name[ILP_OWNER_NAME_MAX];
	int ncpus;
	int started;
	/* companion "<name>-sys", no pid filter: ILP_TP_UNFILTERED events */
	struct tracefs_instance *sys;
	int sys_ncpus;
	struct ilp_owner own;	/* our name's lock (include/owner.h) */
	int made, made_sys;	/* the directories exist, made by us */
	int hold, hold_sys;	/* their trace_marker, open: rmdir gets EBUSY */
	char group[ILP_UPROBE_GROUP_MAX];	/* --lock-holds: our uprobes' group, or "" */
	int sleep_trigger;	/* the --sleep-stacks trigger is set (sleep_stacks_on) */
	/* ilp_instance_capture: the events enabled, "system/name", each instance's */
	char **evs, **sys_evs;
	size_t nevs, nsys_evs;
	int paused;
};

int ilp_tracefs_check(void)
{
	const char *dir;
	char path[1024];

	dir = tracefs_tracing_dir();
	if (!dir) {
		if (mkdir(TRACEFS_MOUNT, 0755) && errno != EEXIST && errno != EROFS)
			return errno == EACCES ? -EACCES : -ENODEV;
		if (mount("nodev", TRACEFS_MOUNT, "tracefs", 0, NULL)) {
			if (errno == EPERM || errno == EACCES)
				return -EPERM;
			return -ENODEV;
		}
		if (tracefs_set_tracing_dir((char *)TRACEFS_MOUNT))
			return -ENODEV;
		dir = tracefs_tracing_dir();
		if (!dir)
			return -ENODEV;
	}
	snprintf(path, sizeof(path), "%s/instances", dir);
	if (access(path, W_OK))
		return errno == ENOENT ? -ENODEV : -EACCES;
	return 0;
}

static int instances_dir(char *buf, size_t size)
{
	const char *dir = tracefs_tracing_dir();

	if (!dir)
		return -ENODEV;
	snprintf(buf, size, "%s/instances", dir);
	return 0;
}

int ilp_instance_remove_stale(ilp_stale_note_fn note, void *ctx)
{
	char instances[512];
	int dirfd = -1, err;

	err = instances_dir(instances, sizeof(instances));
	if (err)
		return err;
	/* no lock directory yet: nothing of ours is provably dead */
	err = ilp_owner_lockdir(ILP_LOCK_DIR, 0, &dirfd);
	if (err && err != -ENOENT)
		return err;
	err = ilp_owner_remove_stale_also(instances, dirfd, ilp_uprobe_remove_owned, note, ctx);
	if (dirfd >= 0)
		close(dirfd);
	return err;
}

static int write_file(struct tracefs_instance *ti, const char *file, const char *val)
{
	if (tracefs_instance_file_write(ti, file, val) < 0)
		return errno ? -errno : -EIO;
	return 0;
}

/*
 * Enables system:name in ti by its enable file.  tracefs_event_enable()
 * takes regular expressions and walks every system and event directory
 * of tracefs to match them: 5000 stats and more per call, 0.1 s of
 * start-up for our two dozen events.  -1 if the event is missing.
 */
static int event_enable(struct tracefs_instance *ti, const char *system, const char *name)
{
	return tracefs_event_file_write(ti, system, name, "enable", "1") < 0 ? -1 : 0;
}

static int count_cpus(struct tracefs_instance *ti)
{
	int n = 0;

	for (;;) {
		char file[64], *path;
		struct stat st;
		int ok;

		snprintf(file, sizeof(file), "per_cpu/cpu%d", n);
		path = tracefs_instance_get_file(ti, file);
		if (!path)
			break;
		ok = stat(path, &st) == 0;
		tracefs_put_tracing_file(path);
		if (!ok)
			break;
		n++;
	}
	return n;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/*
 * "id == 1 || (id >= 3 && id <= 9)" for the raw_syscalls events: runs of
 * numbers as ranges, so that a large set (-e '!write': every number but
 * one) stays far under the kernel's limit for a filter (a page).
 */
static char *syscall_filter(const int *nrs, size_t n)
{
	size_t len = n * 40 + 1, off = 0, i, j;
	int *v = malloc(n * sizeof(*v));
	char *s = malloc(len);

	if (!v || !s) {
		free(v);
		free(s);
		return NULL;
	}
	memcpy(v, nrs, n * sizeof(*v));
	qsort(v, n, sizeof(*v), cmp_int);
	s[0] = '\0';
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && v[j] <= v[j - 1] + 1; j++)
			;
		if (v[j - 1] == v[i])
			off += (size_t)snprintf(s + off, len - off, "%sid == %d",
						i ? " || " : "", v[i]);
		else
			off += (size_t)snprintf(s + off, len - off, "%s(id >= %d && id <= %d)",
						i ? " || " : "", v[i], v[j - 1]);
	}
	free(v);
	return s;
}

/* Enables every tracepoint of decode.c's table that runs in the traced
 * tasks' context; the -e filter goes on the syscall events. */
static int enable_events(struct ilp_instance *in, const struct ilp_instance_opts *o)
{
	char *filter = NULL, file[256];
	size_t i;
	int err = 0;

	if (o->syscalls && o->nsyscalls) {
		filter = syscall_filter(o->syscalls, o->nsyscalls);
		if (!filter)
			return -ENOMEM;
	}
	for (i = 0; i < ilp_tracepoint_count() && !err; i++) {
		const struct ilp_tracepoint *tp = ilp_tracepoint(i);

		if (tp->flags & (ILP_TP_UNFILTERED | ILP_TP_OPTION | ILP_TP_TRIGGERED))
			continue;
		if (filter && (tp->flags & ILP_TP_SYSCALL)) {
			snprintf(file, sizeof(file), "events/%s/%s/filter", tp->system, tp->name);
			err = write_file(in->ti, file, filter);
			if (err)
				break;
		}
		if (ilp_tracepoint_filter(tp)) {	/* an event we need some of: best effort */
			snprintf(file, sizeof(file), "events/%s/%s/filter", tp->system, tp->name);
			write_file(in->ti, file, ilp_tracepoint_filter(tp));
		}
		if (event_enable(in->ti, tp->system, tp->name) &&
		    (tp->flags & ILP_TP_REQUIRED))
			err = -ENOENT;
	}
	/* the kernel's copies of path arguments, where it makes them (userstr.h) */
	if (!err)
		ilp_userstr_enable(in->ti, o->syscalls, o->nsyscalls);
	free(filter);
	return err;
}

/*
 * --sleep-stacks: a trigger on the instance's own sched_switch writes the
 * kernel stack (an ftrace:kernel_stack record, right after the switch on
 * its CPU) of a task leaving the CPU asleep, S or D: a preempted task's
 * prev_state has neither bit.  The trigger is the instance's: the top
 * level's sched_switch and buffer are not touched.  It is removed before
 * the events are turned off (a trigger keeps its event soft-enabled: it
 * would go on firing) and before the instance is removed; an instance
 * removed with it still set (a session killed) loses it with the rest.
 */
#define SLEEP_TRIGGER "stacktrace if prev_state & 3"
#define SLEEP_TRIGGER_FILE "events/sched/sched_switch/trigger"

static int sleep_stacks_on(struct ilp_instance *in)
{
	int err = write_file(in->ti, SLEEP_TRIGGER_FILE, SLEEP_TRIGGER);

	if (!err)
		in->sleep_trigger = 1;
	return err;
}

static void sleep_stacks_off(struct ilp_instance *in)
{
	if (!in->sleep_trigger || !in->ti)
		return;
	/* "!stacktrace" removes the stacktrace trigger, whatever its filter */
	write_file(in->ti, SLEEP_TRIGGER_FILE, "!stacktrace");
	in->sleep_trigger = 0;
}

#define MKDIR_TIMEOUT_MS 10000
#define WAIT_STEP_MS 10

/*
 * Test hook: ILP_TEST_FAULTS, comma-separated: "no-pidfd" (pidfd_open
 * fails, as before Linux 5.3 or at EMFILE), "mkdir-stall" (the mkdir child
 * sleeps 60 s first, as if stuck in the kernel).  Only ever slower or
 * failing, never another behaviour.
 */
static int test_fault(const char *name)
{
	const char *s = getenv("ILP_TEST_FAULTS");
	size_t n = strlen(name);

	while (s && *s) {
		size_t len = strcspn(s, ",");

		if (len == n && !strncmp(s, name, n))
			return 1;
		s += len + (s[len] == ',');
	}
	return 0;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * Waits at most ms for the child pid to exit: 0 (*status set), -ETIMEDOUT
 * or -errno.  With a pidfd, poll()s it; without one (a kernel before 5.3,
 * EMFILE), polls waitpid(WNOHANG) every WAIT_STEP_MS: the limit holds
 * either way.
 */
static int wait_child(pid_t pid, int ms, int *status)
{
	uint64_t deadline = now_ms() + (uint64_t)ms, t;
	struct pollfd p;
	int pfd = -1, r;

	if (!test_fault("no-pidfd"))
		pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pfd >= 0) {
		p.fd = pfd;
		p.events = POLLIN;
		do {
			t = now_ms();
			r = poll(&p, 1, t >= deadline ? 0 : (int)(deadline - t));
		} while (r < 0 && errno == EINTR);
		close(pfd);
		if (r == 0)
			return -ETIMEDOUT;
	}
	for (;;) {
		r = (int)waitpid(pid, status, pfd >= 0 ? 0 : WNOHANG);
		if (r == pid)
			return 0;
		if (r < 0 && errno != EINTR)
			return -errno;
		if (r == 0) {
			struct timespec step = { 0, WAIT_STEP_MS * 1000000L };

			if (now_ms() >= deadline)
				return -ETIMEDOUT;
			nanosleep(&step, NULL);
		}
	}
}

/*
 * Creates instances/name in a child process: a kernel whose tracing lock
 * is held forever (an oops inside tracing code) hangs every instance
 * mkdir, unkillably.  After MKDIR_TIMEOUT_MS the child is sent SIGKILL
 * (it dies when its mkdir returns, if ever; it holds our lock until then)
 * and we return -ETIMEDOUT instead of hanging with it.  0 or -errno
 * (-EEXIST: the name is taken).
 */
static int mkdir_instance(const char *instances, const char *name)
{
	char path[1024];
	int status, err;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/%s", instances, name);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		if (test_fault("mkdir-stall"))
			sleep(60);
		_exit(mkdir(path, 0750) ? (errno & 0xff) : 0);
	}
	err = wait_child(pid, MKDIR_TIMEOUT_MS, &status);
	if (err == -ETIMEDOUT)
		kill(pid, SIGKILL);
	if (err)
		return err;
	err = WIFEXITED(status) ? WEXITSTATUS(status) : EIO;
	return err ? -err : 0;
}

/* Opens instances/name/trace_marker: while it is open, rmdir of the
 * instance fails with EBUSY.  fd or -errno. */
static int hold_open(const char *instances, const char *name)
{
	char path[1024];
	int fd;

	snprintf(path, sizeof(path), "%s/%s/trace_marker", instances, name);
	fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int ilp_instance_mark(struct ilp_instance *in, const char *line)
{
	size_t len = strlen(line);
	ssize_t n;

	if (in->hold < 0)
		return -EBADF;
	n = write(in->hold, line, len);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

/* rmdir what make_instances made; 1 if nothing of ours is left */
static int unmake_instances(struct ilp_instance *in)
{
	char instances[512], sys[ILP_OWNER_NAME_MAX + 8];
	int gone = 1;

	if (in->hold_sys >= 0)
		close(in->hold_sys);
	if (in->hold >= 0)
		close(in->hold);
	in->hold = in->hold_sys = -1;
	if (instances_dir(instances, sizeof(instances)))
		return 0;
	snprintf(sys, sizeof(sys), "%s" ILP_INSTANCE_SYS_SUFFIX, in->name);
	if (in->made_sys && ilp_owner_remove_instance(instances, sys))
		gone = 0;
	if (in->made && ilp_owner_remove_instance(instances, in->name))
		gone = 0;
	in->made = in->made_sys = 0;
	return gone;
}

/*
 * Claims a fresh name (include/owner.h) and makes its two instances, each
 * with a file held open from its creation on.  A name whose directory
 * exists is someone else's: another name is chosen, nothing is removed.
 */
static int make_instances(struct ilp_instance *in)
{
	char instances[512], sys[ILP_OWNER_NAME_MAX + 8];
	int err, tries;

	err = instances_dir(instances, sizeof(instances));
	if (err)
		return err;
	for (tries = 0; tries < 8; tries++) {
		err = ilp_owner_claim(&in->own);
		if (err)
			return err;
		snprintf(in->name, sizeof(in->name), "%s", in->own.name);
		snprintf(sys, sizeof(sys), "%s" ILP_INSTANCE_SYS_SUFFIX, in->name);
		err = mkdir_instance(instances, in->name);
		if (!err) {
			in->made = 1;
			in->hold = hold_open(instances, in->name);
			if (in->hold < 0)
				return in->hold;
			err = mkdir_instance(instances, sys);
		}
		if (!err) {
			in->made_sys = 1;
			in->hold_sys = hold_open(instances, sys);
			return in->hold_sys < 0 ? in->hold_sys : 0;
		}
		if (err != -EEXIST) {
			/* timed out: a stuck child may still make it, and
			 * holds our lock until then; the lock file stays */
			if (err == -ETIMEDOUT)
				ilp_owner_release(&in->own, 0);
			return err;
		}
		ilp_owner_release(&in->own, unmake_instances(in));
	}
	return -EAGAIN;
}

/*
 * The companion instance: same clock, no pid filter, only the
 * ILP_TP_UNFILTERED events (block I/O: a few per request, system-wide).
 * Missing events are not an error: the report then has no disk data.
 */
static int sys_setup(struct ilp_instance *in, const struct ilp_instance_opts *o)
{
	char val[32];
	size_t i;
	int err;

	if (tracefs_trace_off(in->sys))
		return -EIO;
	in->sys_ncpus = count_cpus(in->sys);
	if (in->sys_ncpus <= 0)
		return -EIO;
	err = write_file(in->sys, "trace_clock", "mono");
	if (err)
		return err;
	/* block events are few next to syscalls: a smaller buffer will do */
	snprintf(val, sizeof(val), "%zu",
		 o->buffer_kb < SYS_BUFFER_KB ? o->buffer_kb : (size_t)SYS_BUFFER_KB);
	err = write_file(in->sys, "buffer_size_kb", val);
	if (err)
		return err;
	tracefs_option_disable(in->sys, TRACEFS_OPTION_OVERWRITE);
	write_file(in->sys, "buffer_percent", "0");
	for (i = 0; i < ilp_tracepoint_count(); i++) {
		const struct ilp_tracepoint *tp = ilp_tracepoint(i);

		if (tp->flags & ILP_TP_UNFILTERED)
			event_enable(in->sys, tp->system, tp->name);
	}
	return 0;
}

/*
 * --lock-holds: our group's probes on each libc, enabled in our instance
 * only.  From the first one defined on, ilp_instance_free() removes them.
 */
static int uprobes_setup(struct ilp_instance *in, const struct ilp_instance_opts *o)
{
	char file[ILP_UPROBE_GROUP_MAX + 32];
	size_t i;
	int err = 0;

	ilp_uprobe_group_of(in->name, in->group, sizeof(in->group));
	for (i = 0; i < o->nholds && !err; i++)
		err = ilp_uprobe_create(in->group, (int)i, &o->holds[i]);
	if (err)
		return err;
	snprintf(file, sizeof(file), "events/%s/enable", in->group);
	return write_file(in->ti, file, "1");
}

const char *ilp_instance_uprobe_group(const struct ilp_instance *in)
{
	return in->group[0] ? in->group : NULL;
}

int ilp_instance_new(const struct ilp_instance_opts *o, struct ilp_instance **out)
{
	struct ilp_instance *in;
	char val[32], sys[ILP_OWNER_NAME_MAX + 8];
	int err = -ENOMEM, dirfd;

	*out = NULL;
	in = calloc(1, sizeof(*in));
	if (!in)
		return -ENOMEM;
	in->hold = in->hold_sys = -1;
	err = ilp_owner_lockdir(ILP_LOCK_DIR, 1, &dirfd);
	if (err) {
		free(in);
		return err;
	}
	ilp_owner_init(&in->own, dirfd);
	/* from here on, ilp_instance_free() removes what was made */
	err = make_instances(in);
	if (err)
		goto out;
	snprintf(sys, sizeof(sys), "%s" ILP_INSTANCE_SYS_SUFFIX, in->name);
	in->ti = tracefs_instance_alloc(NULL, in->name);
	in->sys = tracefs_instance_alloc(NULL, sys);
	err = -ENOMEM;
	if (!in->ti || !in->sys)
		goto out;
	err = -EIO;
	if (tracefs_trace_off(in->ti))
		goto out;
	in->ncpus = count_cpus(in->ti);
	if (in->ncpus <= 0)
		goto out;
	/* mono: timestamps comparable with clock_gettime(CLOCK_MONOTONIC) */
	err = write_file(in->ti, "trace_clock", "mono");
	if (err)
		goto out;
	snprintf(val, sizeof(val), "%zu", o->buffer_kb);
	err = write_file(in->ti, "buffer_size_kb", val);
	if (err)
		goto out;
	/* when full, drop new events (counted in "dropped events") rather than
	 * overwrite old ones: either way they are counted as lost */
	tracefs_option_disable(in->ti, TRACEFS_OPTION_OVERWRITE);
	if (tracefs_option_enable(in->ti, TRACEFS_OPTION_EVENT_FORK)) {
		err = -ENOTSUP;
		goto out;
	}
	/* wake a poll()ing reader as soon as a CPU buffer holds data:
	 * capture.c polls only a gap after each drain */
	write_file(in->ti, "buffer_percent", "0");
	err = enable_events(in, o);
	if (!err && o->nholds)
		err = uprobes_setup(in, o);
	if (!err && o->sleep_stacks)
		err = sleep_stacks_on(in);
	if (err)
		goto out;
	/* --stacks: the kernel walks the user stack by frame pointers after
	 * every event of this instance (the option is per instance); no
	 * stop of the tracee.  Never on the companion. */
	if (o->user_stacks && tracefs_option_enable(in->ti, TRACEFS_OPTION_USERSTACKTRACE)) {
		err = -ENOTSUP;
		goto out;
	}
	err = sys_setup(in, o);
	if (err)
		goto out;
	*out = in;
	return 0;
out:
	ilp_instance_free(in);
	return err;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void ilp_instance_free(struct ilp_instance *in)
{
	int gone;

	if (!in)
		return;
	free_list(in->evs, in->nevs);
	free_list(in->sys_evs, in->nsys_evs);
	if (in->sys)
		tracefs_trace_off(in->sys);
	if (in->ti)
		tracefs_trace_off(in->ti);
	sleep_stacks_off(in);
	/* the lock file goes only once both instances and our uprobes are
	 * gone: if one stays (busy), a later session removes it when it can.
	 * The probes after the instance: enabled there, they are busy. */
	gone = unmake_instances(in);
	if (in->group[0] && ilp_uprobe_remove_group(in->group))
		gone = 0;
	ilp_owner_release(&in->own, gone);
	tracefs_instance_free(in->sys);
	tracefs_instance_free(in->ti);
	if (in->own.dirfd >= 0)
		close(in->own.dirfd);
	free(in);
}

int ilp_instance_add_pids(struct ilp_instance *in, const pid_t *tids, size_t n)
{
	size_t i, len = n * 12 + 2, off = 0;
	char *s;
	int err = 0;

	if (!n)
		return 0;
	s = malloc(len);
	if (!s)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(s + off, len - off, "%d ", (int)tids[i]);
	if (tracefs_instance_file_append(in->ti, "set_event_pid", s) < 0)
		err = errno ? -errno : -EIO;
	free(s);
	return err;
}

int ilp_instance_start(struct ilp_instance *in)
{
	if (tracefs_trace_on(in->ti))
		return -EIO;
	if (in->sys && tracefs_trace_on(in->sys))
		return -EIO;
	in->started = 1;
	return 0;
}

int ilp_instance_events_off(struct ilp_instance *in)
{
	int err;

	sleep_stacks_off(in);
	/* every event of the instance, in one write (see event_enable) */
	err = write_file(in->ti, "events/enable", "0") ? -EIO : 0;

	if (in->sys && tracefs_trace_off(in->sys))
		err = -EIO;
	return err;
}

int ilp_instance_stop(struct ilp_instance *in)
{
	int err = tracefs_trace_off(in->ti) ? -EIO : 0;

	if (in->sys && tracefs_trace_off(in->sys))
		err = -EIO;
	return err;
}

/*
 * The events ti has on, from its set_event ("system:name" lines), as
 * "system/name" for their enable files.  0 or -errno.
 */
static int enabled_events(struct tracefs_instance *ti, char ***out, size_t *n)
{
	char *text = tracefs_instance_file_read(ti, "set_event", NULL), *line, *save = NULL;
	char **v = NULL, **nv, *c;
	int err = 0;

	*out = NULL;
	*n = 0;
	if (!text)
		return errno ? -errno : -EIO;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		c = strchr(line, ':');
		if (!c)
			continue;
		*c = '/';
		nv = realloc(v, (*n + 1) * sizeof(*v));
		if (!nv || !(nv[*n] = strdup(line))) {
			v = nv ? nv : v;
			err = -ENOMEM;
			break;
		}
		v = nv;
		(*n)++;
	}
	free(text);
	*out = v;
	return err;
}

/* each of the events' enable files: val */
static int write_enables(struct tracefs_instance *ti, char **evs, size_t n, const char *val)
{
	char file[320];
	int err = 0;

	for (size_t i = 0; i < n; i++) {
		snprintf(file, sizeof(file), "events/%s/enable", evs[i]);
		if (write_file(ti, file, val))
			err = -EIO;
	}
	return err;
}

int ilp_instance_capture(struct ilp_instance *in, int on)
{
	int err = 0;

	if (!in->evs && !in->paused) {	/* the first pause: what is on now */
		err = enabled_events(in->ti, &in->evs, &in->nevs);
		if (!err && in->sys)
			err = enabled_events(in->sys, &in->sys_evs, &in->nsys_evs);
		if (err)
			return err;
	}
	if ((!on) == in->paused)
		return 0;
	err = write_enables(in->ti, in->evs, in->nevs, on ? "1" : "0");
	if (in->sys && write_enables(in->sys, in->sys_evs, in->nsys_evs, on ? "1" : "0"))
		err = -EIO;
	in->paused = !on;
	return err;
}

struct tracefs_instance *ilp_instance_sys_tracefs(struct ilp_instance *in)
{
	return in->sys;
}

int ilp_instance_sys_ncpus(const struct ilp_instance *in)
{
	return in->sys ? in->sys_ncpus : 0;
}

const char *ilp_instance_name(const struct ilp_instance *in)
{
	return in->name;
}

struct tracefs_instance *ilp_instance_tracefs(struct ilp_instance *in)
{
	return in->ti;
}

int ilp_instance_ncpus(const struct ilp_instance *in)
{
	return in->ncpus;
}

static uint64_t stat_field(const char *text, const char *key)
{
	const char *p = text;
	size_t klen = strlen(key);

	while (p && *p) {
		if (!strncmp(p, key, klen))
			return strtoull(p + klen, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return 0;
}

static uint64_t lost_of(struct tracefs_instance *ti, int ncpus)
{
	uint64_t lost = 0;
	int cpu;

	for (cpu = 0; cpu < ncpus; cpu++) {
		char file[64], *text;

		snprintf(file, sizeof(file), "per_cpu/cpu%d/stats", cpu);
		text = tracefs_instance_file_read(ti, file, NULL);
		if (!text)
			continue;
		lost += stat_field(text, "overrun: ");
		lost += stat_field(text, "commit overrun: ");
		lost += stat_field(text, "dropped events: ");
		free(text);
	}
	return lost;
}

uint64_t ilp_instance_lost(struct ilp_instance *in)
{
	return lost_of(in->ti, in->ncpus) + (in->sys ? lost_of(in->sys, in->sys_ncpus) : 0);
}
