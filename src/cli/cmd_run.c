// SPDX-License-Identifier: MIT
/*
 * iolockprof run -- CMD: launch CMD and profile it and everything it
 * creates from its very first syscall (the session's gated child: it execs
 * only once the backend traces it).  Exits with CMD's own status; an exec
 * failure is one line and 127 (not found) or 126, not a report.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "session.h"

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

int ilp_cli_run(struct ilp_opts *o, struct ilp_sink *sink)
{
	struct ilp_session *s = NULL;
	int err, exec_errno = 0, code, ret = ILP_EXIT_RUN_FAIL;
	char *cmdline = NULL;

	err = ilp_session_new(o, ILP_SESSION_RUN, sink, &s);
	if (err) {
		ilp_error("cannot start tracing", err);
		goto out;
	}
	cmdline = join_argv(o->argv, o->argc);
	err = cmdline ? ilp_session_set_command(s, cmdline) : -ENOMEM;
	if (!err)
		err = ilp_session_spawn(s, o->argv);
	if (err) {
		ilp_error(strcmp(ilp_session_backend(s), "ptrace") ? "cannot start tracing"
								  : ILP_WHAT_PTRACE, err);
		goto out;
	}
	err = ilp_session_loop(s);
	exec_errno = ilp_session_exec_errno(s);
	if (exec_errno) {
		switch (ilp_session_exec_stage(s)) {
		case ILP_EXEC_USER:
			fprintf(stderr, "iolockprof: cannot switch to user '%s' to run '%s': %s\n",
				o->user, o->argv[0], strerror(exec_errno));
			break;
		case ILP_EXEC_SETUP:
			fprintf(stderr, "iolockprof: cannot install the seccomp filter for '%s': %s\n",
				o->argv[0], strerror(exec_errno));
			break;
		default:
			fprintf(stderr, "iolockprof: cannot run '%s': %s\n", o->argv[0],
				strerror(exec_errno));
			ret = exec_errno == ENOENT ? 127 : 126;
			goto out;
		}
		goto out;	/* ILP_EXIT_RUN_FAIL: iolockprof's failure, not the command's */
	}
	if (err)
		ilp_error("capture", err);
	code = ilp_session_exit_code(s);
	if (code >= 0)
		ret = code;
	else	/* stopped while the app still ran */
		ret = err ? ILP_EXIT_RUN_FAIL : 128 + SIGINT;
	if (err && ret == 0)	/* the app succeeded, the profile did not (-o /dev/full) */
		ret = ILP_EXIT_RUN_FAIL;
out:
	free(cmdline);
	ilp_session_free(s);
	return ret;
}

int ilp_cmd_run(struct ilp_opts *o)
{
	struct ilp_sink *k;
	int ret;

	if (ilp_sink_report_new(o, 0, &k))
		return ILP_EXIT_RUN_FAIL;
	ret = ilp_cli_run(o, k);
	ilp_sink_free(k);
	return ret;
}
