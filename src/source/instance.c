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
#include <unistd.h>

#include <tracefs.h>

#include "decode.h"
#include "instance.h"

#define TRACEFS_MOUNT "/sys/kernel/tracing"
#define SYS_BUFFER_KB 4096	/* companion's per-CPU buffer, at most */

struct ilp_instance {
	struct tracefs_instance *ti;
	char name[64];
	int ncpus;
	int started;
	/* companion "<name>-sys", no pid filter: ILP_TP_UNFILTERED events */
	struct tracefs_instance *sys;
	int sys_ncpus;
};

int ilp_tracefs_check(void)
{
	const char *dir;
	char path[512];

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

/*
 * Is the owner of an instance alive?  By pid only: removing a live
 * session's instance under it crashes some kernels (a NULL dereference in
 * ring_buffer_change_overwrite that leaves the tracing lock held forever),
 * so any live pid counts as the owner, whatever its name (iolockprof may
 * run under another name) and even if the pid was reused: such an
 * instance is removed once that process is gone.
 */
static int owner_alive(pid_t pid)
{
	if (pid <= 0)
		return 0;
	return !(kill(pid, 0) && errno == ESRCH);
}

static int destroy_by_name(const char *name)
{
	struct tracefs_instance *ti;
	int ret;

	ti = tracefs_instance_alloc(NULL, name);
	if (!ti)
		return -ENOMEM;
	tracefs_trace_off(ti);
	ret = tracefs_instance_destroy(ti) ? -EBUSY : 0;
	tracefs_instance_free(ti);
	return ret;
}

int ilp_instance_remove_stale(void)
{
	char **names;
	int i, removed = 0;

	/* iolockprof-<pid> and its companion iolockprof-<pid>-sys */
	names = tracefs_instances("^" ILP_INSTANCE_PREFIX "[0-9][0-9]*");
	if (!names)
		return 0;
	for (i = 0; names[i]; i++) {
		char *end;
		long pid = strtol(names[i] + strlen(ILP_INSTANCE_PREFIX), &end, 10);

		if (!strcmp(end, ILP_INSTANCE_SYS_SUFFIX))
			end += strlen(ILP_INSTANCE_SYS_SUFFIX);
		if (*end || pid == getpid() || owner_alive((pid_t)pid))
			continue;
		if (destroy_by_name(names[i]) == 0)
			removed++;
	}
	tracefs_list_free(names);
	return removed;
}

static int write_file(struct tracefs_instance *ti, const char *file, const char *val)
{
	if (tracefs_instance_file_write(ti, file, val) < 0)
		return errno ? -errno : -EIO;
	return 0;
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

/* "id == 1 || id == 3" for the raw_syscalls events */
static char *syscall_filter(const int *nrs, size_t n)
{
	size_t len = n * 24 + 1, off = 0, i;
	char *s = malloc(len);

	if (!s)
		return NULL;
	s[0] = '\0';
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(s + off, len - off, "%sid == %d",
					i ? " || " : "", nrs[i]);
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

		if (tp->flags & ILP_TP_UNFILTERED)
			continue;
		if (filter && (tp->flags & ILP_TP_SYSCALL)) {
			snprintf(file, sizeof(file), "events/%s/%s/filter", tp->system, tp->name);
			err = write_file(in->ti, file, filter);
			if (err)
				break;
		}
		if (tracefs_event_enable(in->ti, tp->system, tp->name) &&
		    (tp->flags & ILP_TP_REQUIRED))
			err = -ENOENT;
	}
	free(filter);
	return err;
}

#define MKDIR_TIMEOUT_MS 10000

/*
 * Creates the instance directory name, in a child process: a kernel whose
 * tracing lock is held forever (an oops inside tracing code) hangs every
 * instance mkdir, unkillably.  Then the child stays behind, stuck, and we
 * return -ETIMEDOUT instead of hanging with it.  0 or -errno.
 */
static int mkdir_instance(const char *name)
{
	const char *dir = tracefs_tracing_dir();
	char path[512];
	int status, pfd, r, err;
	struct pollfd p;
	pid_t pid;

	if (!dir)
		return -ENODEV;
	snprintf(path, sizeof(path), "%s/instances/%s", dir, name);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0)
		_exit(mkdir(path, 0750) ? (errno & 0xff) : 0);
	pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pfd >= 0) {
		p.fd = pfd;
		p.events = POLLIN;
		do
			r = poll(&p, 1, MKDIR_TIMEOUT_MS);
		while (r < 0 && errno == EINTR);
		close(pfd);
		if (r == 0)
			return -ETIMEDOUT;	/* the child is stuck in the kernel */
	}
	while ((r = (int)waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	if (r < 0)
		return -errno;
	err = WIFEXITED(status) ? WEXITSTATUS(status) : EIO;
	return err ? -err : 0;
}

/* mkdir_instance, then a libtracefs handle on it */
static int create_instance(const char *name, struct tracefs_instance **out)
{
	int err = mkdir_instance(name);

	*out = NULL;
	if (err)
		return err;
	*out = tracefs_instance_alloc(NULL, name);
	if (!*out) {
		err = errno ? -errno : -ENOMEM;
		destroy_by_name(name);
	}
	return err;
}

/*
 * The companion instance: same clock, no pid filter, only the
 * ILP_TP_UNFILTERED events (block I/O: a few per request, system-wide).
 * Missing events are not an error: the report then has no disk data.
 */
static int sys_new(struct ilp_instance *in, const struct ilp_instance_opts *o)
{
	char name[80], val[32];
	size_t i;
	int err;

	snprintf(name, sizeof(name), "%s" ILP_INSTANCE_SYS_SUFFIX, in->name);
	if (tracefs_instance_exists(name))
		destroy_by_name(name);
	err = create_instance(name, &in->sys);
	if (err)
		return err;
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
			tracefs_event_enable(in->sys, tp->system, tp->name);
	}
	return 0;
}

int ilp_instance_new(const struct ilp_instance_opts *o, struct ilp_instance **out)
{
	struct ilp_instance *in;
	char val[32];
	int err = -ENOMEM;

	*out = NULL;
	in = calloc(1, sizeof(*in));
	if (!in)
		return -ENOMEM;
	snprintf(in->name, sizeof(in->name), ILP_INSTANCE_PREFIX "%d", (int)getpid());
	if (tracefs_instance_exists(in->name))
		destroy_by_name(in->name);
	err = create_instance(in->name, &in->ti);
	if (err)
		goto out;
	/* from here on, ilp_instance_free() removes the directory */
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
	if (err)
		goto out;
	err = sys_new(in, o);
	if (err)
		goto out;
	*out = in;
	return 0;
out:
	ilp_instance_free(in);
	return err;
}

void ilp_instance_free(struct ilp_instance *in)
{
	if (!in)
		return;
	if (in->sys) {
		tracefs_trace_off(in->sys);
		tracefs_instance_destroy(in->sys);
		tracefs_instance_free(in->sys);
	}
	if (in->ti) {
		tracefs_trace_off(in->ti);
		tracefs_instance_destroy(in->ti);
		tracefs_instance_free(in->ti);
	}
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
	int err = tracefs_event_disable(in->ti, NULL, NULL) ? -EIO : 0;

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
