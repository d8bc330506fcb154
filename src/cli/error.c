// SPDX-License-Identifier: MIT
/*
 * The one place where a negative errno becomes a message for the user.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "owner.h"

void ilp_error(const char *what, int err)
{
	const char *hint = "";

	if (err == -ECANCELED)	/* already explained where it happened */
		return;
	if ((err == -EPERM || err == -EACCES) && !strcmp(what, ILP_WHAT_PTRACE))
		hint = ": ptrace is not allowed here (kernel.yama.ptrace_scope, a container's "
		       "seccomp policy, or another user's process)";
	else if (err == -EPERM || err == -EACCES)
		hint = ": tracefs needs root; run it with sudo";
	else if (err == -ENODEV)
		hint = ": tracefs is not available; mount it with "
		       "'mount -t tracefs nodev /sys/kernel/tracing' (kernel needs CONFIG_FTRACE)";
	else if (err == -EBADFD)	/* outfile.h: a FIFO, device or socket */
		hint = ": not a regular file (a FIFO, device or socket): reports and traces are "
		       "written only to regular files (a report also to -, /dev/stdout, "
		       "/dev/stderr or /dev/null)";
	else if (err == -EUCLEAN)	/* instance.h: the lock directory is unsafe */
		hint = ": " ILP_LOCK_DIR " is not a directory that only root can write (a "
		       "symlink, another owner, or group/other-writable); remove it";
	else if (err == -ETIMEDOUT && !strcmp(what, "cannot start tracing"))
		hint = ": creating a tracefs instance hangs in the kernel (its tracing lock is "
		       "held by a crashed task? see dmesg); reboot, or use --backend=ptrace";
	else if (err == -EXDEV && !strcmp(what, "cannot start tracing"))	/* pidns.h */
		hint = ": inside a pid namespace the kernel's pids of running processes "
		       "cannot be learnt; attach from the host, or use --backend=ptrace";
	else if (err == -EPROTO && !strcmp(what, "cannot start tracing"))	/* pidns.h */
		hint = ": in a pid namespace, the kernel did not report the command's pid "
		       "within 2 s (through the instance's trace_marker)";
	else if (err == -ENOENT && !strcmp(what, "cannot start tracing"))
		hint = ": a needed tracepoint (raw_syscalls, task, sched) is missing in this kernel";
	if (*hint)
		fprintf(stderr, "iolockprof: %s%s\n", what, hint);
	else
		fprintf(stderr, "iolockprof: %s: %s\n", what, strerror(-err));
}
