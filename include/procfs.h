/* SPDX-License-Identifier: MIT */
/*
 * procfs: the few /proc reads the commands and the ptrace source share:
 * a process's threads, a thread's name and thread group, a user-typed pid.
 * Reading /proc never stops or signals the process read.
 */
#ifndef ILP_PROCFS_H
#define ILP_PROCFS_H

#include <stddef.h>
#include <sys/types.h>

/**
 * ilp_procfs_each_task - calls fn for every thread of a process
 * @pid: the process
 * @fn: called as fn(ctx, tid) for every thread listed in /proc/PID/task;
 *	a non-zero return stops the walk
 * @ctx: passed to fn
 *
 * Returns 0 when all were visited, fn's first non-zero return, -ESRCH when
 * the process does not exist, else opendir's -errno (e.g. -EACCES).
 */
int ilp_procfs_each_task(pid_t pid, int (*fn)(void *ctx, pid_t tid), void *ctx);

/**
 * ilp_procfs_comm - reads a thread's name
 * @tid: the thread
 * @buf: the caller's buffer, set to /proc/TID/comm without its newline
 *	(cut to fit), or "" on error
 * @len: bytes at buf, > 0
 *
 * Returns 0, fopen's -errno (-ENOENT: no such thread), or -EIO when the
 * file reads empty.
 */
int ilp_procfs_comm(pid_t tid, char *buf, size_t len);

/**
 * ilp_procfs_tgid - the thread group (process) a thread belongs to
 * @tid: the thread
 *
 * Returns the Tgid line of /proc/TID/status, or 0 if it cannot be read.
 */
pid_t ilp_procfs_tgid(pid_t tid);

/**
 * ilp_procfs_parse_pid - parses a process id as a user types it
 * @s: the text: decimal, 1..4194304 (PID_MAX_LIMIT), nothing after it
 * @out: set to the pid; left alone on error
 *
 * Returns 0, or -EINVAL.
 */
int ilp_procfs_parse_pid(const char *s, pid_t *out);

#endif
