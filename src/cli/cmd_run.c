// SPDX-License-Identifier: MIT
/*
 * iolockprof run -- CMD: launch CMD and profile it and everything it
 * creates from its very first syscall.
 *
 * The child is forked first and waits on a pipe; only once set_event_pid
 * holds its pid and tracing is on does it exec, so no event is missed at
 * start.  An exec failure comes back through a close-on-exec pipe, so
 * "not found" is one line and exit 127, not a report.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "ptrace.h"

static char *join_argv(char **argv, int argc)
{
	size_t len = 1;
	char *s;
	int i;

	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = malloc(len);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (i = 0; i < argc; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

static void child_exec(struct ilp_capture *c, char **argv, int gate, int errfd)
{
	char go;
	int e;

	sigprocmask(SIG_SETMASK, ilp_capture_orig_sigmask(c), NULL);
	/* wait until the pid filter holds us and tracing is on */
	if (read(gate, &go, 1) != 1)
		_exit(ILP_EXIT_RUN_FAIL);
	close(gate);
	execvp(argv[0], argv);
	e = errno;
	if (write(errfd, &e, sizeof(e)) != (ssize_t)sizeof(e))
		_exit(ILP_EXIT_RUN_FAIL);
	_exit(127);
}

int ilp_cmd_run(struct ilp_opts *o)
{
	struct ilp_capture *c = NULL;
	int gate[2] = { -1, -1 }, errp[2] = { -1, -1 };
	int err, status = -1, exec_errno = 0, ret = ILP_EXIT_RUN_FAIL;
	const char *base;
	char *cmdline = NULL;
	pid_t pid = -1;
	ssize_t r;

	{	/* ptrace when asked, or when tracefs is not usable (auto) */
		int fb, b = ilp_backend_pick(o, &fb);

		if (b)
			return b < 0 ? ILP_EXIT_USAGE : ilp_ptrace_cmd_run(o, fb);
	}
	err = ilp_capture_new(o, &c);
	if (err == -ETIMEDOUT && o->backend == ILP_BACKEND_AUTO) {
		/* the kernel's tracing is stuck: auto means ptrace then */
		fprintf(stderr, "iolockprof: creating a tracefs instance hangs in the kernel "
			"(see dmesg): using the ptrace backend (no disk requests, kernel locks "
			"or off-CPU state; higher overhead)\n");
		ret = ilp_ptrace_cmd_run(o, 1);
		goto out;
	}
	if (err) {
		ilp_error("cannot start tracing", err);
		goto out;
	}
	if (pipe2(gate, O_CLOEXEC) || pipe2(errp, O_CLOEXEC)) {
		ilp_error("pipe", -errno);
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		ilp_error("fork", -errno);
		goto out;
	}
	if (pid == 0) {
		close(gate[1]);
		close(errp[0]);
		child_exec(c, o->argv, gate[0], errp[1]);
	}
	close(gate[0]);
	close(errp[1]);
	gate[0] = errp[1] = -1;

	base = strrchr(o->argv[0], '/');
	base = base ? base + 1 : o->argv[0];
	cmdline = join_argv(o->argv, o->argc);
	err = cmdline ? ilp_capture_set_command(c, cmdline) : -ENOMEM;
	if (!err)
		err = ilp_capture_add_tids(c, &pid, 1);
	if (!err)
		err = ilp_capture_task_info(c, pid, pid, base);
	if (!err)
		err = ilp_capture_watch(c, pid, 1);
	if (!err)
		err = ilp_capture_start(c);
	if (!err)	/* what the child inherits (stdin/out/err...), before it execs */
		err = ilp_capture_fd_scan(c, pid);
	if (err) {
		ilp_error("cannot start tracing", err);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		goto out;
	}
	/* let the child exec */
	if (write(gate[1], "g", 1) != 1) {
		ilp_error("cannot start the command", -errno);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		goto out;
	}
	close(gate[1]);
	gate[1] = -1;
	do
		r = read(errp[0], &exec_errno, sizeof(exec_errno));
	while (r < 0 && errno == EINTR);
	if (r == (ssize_t)sizeof(exec_errno)) {
		waitpid(pid, NULL, 0);
		fprintf(stderr, "iolockprof: cannot run '%s': %s\n", o->argv[0],
			strerror(exec_errno));
		ret = exec_errno == ENOENT ? 127 : 126;
		goto out;
	}
	err = ilp_capture_loop(c, &status);
	if (err)
		ilp_error("capture", err);
	if (status != -1 && WIFEXITED(status))
		ret = WEXITSTATUS(status);
	else if (status != -1 && WIFSIGNALED(status))
		ret = 128 + WTERMSIG(status);
	else	/* interrupted while the app still ran */
		ret = err ? ILP_EXIT_RUN_FAIL : 128 + SIGINT;
	if (err && ret == 0)	/* the app succeeded, the profile did not (-o /dev/full) */
		ret = ILP_EXIT_RUN_FAIL;
out:
	if (gate[0] >= 0)
		close(gate[0]);
	if (gate[1] >= 0)
		close(gate[1]);
	if (errp[0] >= 0)
		close(errp[0]);
	if (errp[1] >= 0)
		close(errp[1]);
	free(cmdline);
	ilp_capture_free(c);
	return ret;
}
