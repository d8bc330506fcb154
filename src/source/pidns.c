// SPDX-License-Identifier: MIT
/*
 * A child's kernel pid, learnt from the kernel inside a pid namespace:
 * see include/pidns.h.
 */
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <tracefs.h>

#include "event.h"
#include "idmap.h"
#include "instance.h"
#include "pidns.h"

/* the initial pid namespace's inode number (PROC_PID_INIT_INO, fixed) */
#define INIT_PIDNS_INO 0xEFFFFFFCul
#define LEARN_MS 2000
#define STEP_MS 2
#define TOKEN_LEN 24

/* a tid that exited: no longer proved (its number may be reused) */
#define GONE ((void *)UINTPTR_MAX)

struct ilp_pidns {
	struct tracefs_instance *sys;	/* the companion (not owned) */
	int marker;			/* its trace_marker; -1 once restored */
	char token[TOKEN_LEN + 32];	/* "iolockprof-pidns <letters>\n" */
	struct ilp_idmap tids;		/* kernel tid -> (void *)pid here, or GONE */
};

int ilp_pidns_nested(void)
{
	struct stat st;

	if (stat("/proc/self/ns/pid", &st))
		return 1;	/* cannot tell: learning is right anywhere */
	return st.st_ino != INIT_PIDNS_INO;
}

/* Companion back as the capture wants it: tracing off, nothing in its
 * buffer, default text format, marker closed. */
static void restore(struct ilp_pidns *ns)
{
	char *path;
	int fd;

	if (ns->marker < 0)
		return;
	close(ns->marker);
	ns->marker = -1;
	tracefs_trace_off(ns->sys);
	/* opening "trace" with O_TRUNC clears the ring buffer */
	path = tracefs_instance_get_file(ns->sys, "trace");
	if (path) {
		fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
		if (fd >= 0)
			close(fd);
		tracefs_put_tracing_file(path);
	}
	tracefs_instance_file_write(ns->sys, "options/raw", "0");
}

int ilp_pidns_new(struct ilp_instance *in, struct ilp_pidns **out)
{
	unsigned char rnd[TOKEN_LEN];
	struct ilp_pidns *ns;
	char *path = NULL;
	int err, i;

	*out = NULL;
	if (!ilp_pidns_nested())
		return 0;
	ns = calloc(1, sizeof(*ns));
	if (!ns)
		return -ENOMEM;
	ns->marker = -1;
	ns->sys = ilp_instance_sys_tracefs(in);
	err = -EIO;
	if (!ns->sys)
		goto out;
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {
		err = -errno;
		goto out;
	}
	strcpy(ns->token, "iolockprof-pidns ");
	for (i = 0; i < TOKEN_LEN; i++)
		ns->token[17 + i] = (char)('a' + rnd[i] % 26);
	ns->token[17 + TOKEN_LEN] = '\n';
	err = -ENOMEM;
	path = tracefs_instance_get_file(ns->sys, "trace_marker");
	if (!path)
		goto out;
	ns->marker = open(path, O_WRONLY | O_CLOEXEC);
	if (ns->marker < 0) {
		err = -errno;
		goto out;
	}
	/* raw: each line of "trace" starts with the writer's kernel pid */
	err = -EIO;
	if (tracefs_instance_file_write(ns->sys, "options/raw", "1") < 0 ||
	    tracefs_trace_on(ns->sys))
		goto out;
	tracefs_put_tracing_file(path);
	*out = ns;
	return 0;
out:
	tracefs_put_tracing_file(path);
	ilp_pidns_free(ns);
	return err;
}

void ilp_pidns_child(const struct ilp_pidns *ns)
{
	if (ns && write(ns->marker, ns->token, strlen(ns->token)) < 0) {
		/* the parent times out and says so */
	}
}

/* The pid at the start of the line holding the token in the raw "trace"
 * text ("PID CPU TS # IP TEXT"), or 0. */
static pid_t find_token(const char *text, const char *token)
{
	const char *hit = strstr(text, token), *bol;
	char *end;
	long pid;

	if (!hit)
		return 0;
	for (bol = hit; bol > text && bol[-1] != '\n'; bol--)
		;
	pid = strtol(bol, &end, 10);
	return end != bol && *end == ' ' && pid > 0 && pid <= 4194304 ? (pid_t)pid : 0;
}

int ilp_pidns_learn(struct ilp_pidns *ns, pid_t local, pid_t *kpid)
{
	struct timespec step = { 0, STEP_MS * 1000000L };
	int waited, err = -ETIMEDOUT;

	*kpid = local;
	if (!ns)
		return 0;
	for (waited = 0; waited < LEARN_MS && err; waited += STEP_MS) {
		char *text = tracefs_instance_file_read(ns->sys, "trace", NULL);
		pid_t pid = text ? find_token(text, ns->token) : 0;

		free(text);
		if (pid > 0) {
			*kpid = pid;
			err = ilp_idmap_put(&ns->tids, (uint64_t)pid, (void *)(uintptr_t)local);
			break;
		}
		nanosleep(&step, NULL);
	}
	restore(ns);
	return err;
}

pid_t ilp_pidns_proc_pid(const struct ilp_pidns *ns, pid_t ktid)
{
	void *v;

	if (!ns)
		return ktid;
	v = ilp_idmap_peek(&ns->tids, (uint64_t)(uint32_t)ktid);
	return v && v != GONE ? (pid_t)(uintptr_t)v : 0;
}

void ilp_pidns_on_event(struct ilp_pidns *ns, const struct ilp_event *ev)
{
	pid_t local;

	if (!ns)
		return;
	if (ev->kind == ILP_EV_TASK_NEW && (ev->task.clone_flags & CLONE_THREAD) &&
	    (local = ilp_pidns_proc_pid(ns, ev->tid)) > 0)
		ilp_idmap_put(&ns->tids, (uint64_t)(uint32_t)ev->task.child,
			      (void *)(uintptr_t)local);	/* ENOMEM: a name less */
	else if (ev->kind == ILP_EV_TASK_EXIT && ilp_pidns_proc_pid(ns, ev->tid) > 0)
		ilp_idmap_put(&ns->tids, (uint64_t)(uint32_t)ev->tid, GONE);
}

void ilp_pidns_free(struct ilp_pidns *ns)
{
	if (!ns)
		return;
	restore(ns);
	ilp_idmap_release(&ns->tids);
	free(ns);
}
