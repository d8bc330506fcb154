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

/*
 * Calls fn(ctx, tid) for every thread listed in /proc/PID/task, stopping at
 * the first non-zero return of fn, which is returned.  0 when all were
 * visited, -ESRCH when the process does not exist, else -errno.
 */
int ilp_procfs_each_task(pid_t pid, int (*fn)(void *ctx, pid_t tid), void *ctx);

/* /proc/TID/comm without its newline into buf (len > 0); "" and -errno if unreadable */
int ilp_procfs_comm(pid_t tid, char *buf, size_t len);

/* the Tgid line of /proc/TID/status; 0 if it cannot be read */
pid_t ilp_procfs_tgid(pid_t tid);

/* a process id as a user types it: decimal, 1..4194304 (PID_MAX_LIMIT); 0 or -EINVAL */
int ilp_procfs_parse_pid(const char *s, pid_t *out);

#endif
