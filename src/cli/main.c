// SPDX-License-Identifier: MIT
/*
 * iolockprof: where programs wait.  The command table, --help, and the
 * edge where a command's result becomes the exit status.  The options are
 * the option table's (options.c).
 */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "cli.h"
#include "options.h"

#ifndef ILP_VERSION
#define ILP_VERSION "0.0.0"
#endif

enum cmd_flags {
	TAKES_COMMAND = 1 << 0,	/* run: the rest of the line is the command */
	TAKES_PIDS = 1 << 1,	/* attach: one or more PIDs, as arguments or -p */
};

/* which options a command takes is the option table's (options.c): bit */
struct cmd {
	const char *name;
	int (*fn)(struct ilp_opts *o);
	unsigned bit;		/* enum ilp_cmd_bit; 0: no options of the table */
	unsigned flags;
	const char *usage;
	const char *help;	/* one line, wrapped by --help */
	const char *more;	/* its --help only: more paragraphs (blank-line
				 * separated, wrapped), or NULL */
};

static const struct cmd commands[] = {
	{ "run", ilp_cmd_run, ILP_CMD_RUN, TAKES_COMMAND,
	  "run [options] -- CMD [ARGS...]",
	  "launch CMD and profile it and every process and thread it creates, from its "
	  "first syscall; exits with CMD's exit status", NULL },
	{ "attach", ilp_cmd_attach, ILP_CMD_ATTACH, TAKES_PIDS,
	  "attach [options] (PID [PID...] | -p PID[,PID...])",
	  "profile all threads of running processes (and what they create later) until "
	  "-d, Ctrl-C/SIGTERM, or all of them exit", NULL },
	{ "record", ilp_cmd_record, ILP_CMD_RECORD, 0,
	  "record -o FILE [options] (-- CMD [ARGS...] | -p PID[,PID...])",
	  "like run (-- CMD) or attach (-p PIDS), but keep the raw trace in FILE, a "
	  "trace-cmd trace.dat (trace-cmd report and KernelShark open it) that carries "
	  "the command line, process names and lost-event counts too; exits like run or "
	  "attach", NULL },
	{ "report", ilp_cmd_report, ILP_CMD_REPORT, 0,
	  "report [-i FILE] [--format FMT] [--threads] [-o OUT]",
	  "the report run or attach would have printed, from a FILE made by record "
	  "(default trace.dat); a file made by trace-cmd record also works, and the "
	  "report says what it lacks", NULL },
	{ "watch", ilp_cmd_watch, ILP_CMD_WATCH, TAKES_PIDS,
	  "watch -o DIR [--trigger EXPR]... [options] PID [PID...]",
	  "a flight recorder: trace running processes as attach does, keep the last "
	  "--before seconds in memory, and when a --trigger fires (or on SIGUSR1) write "
	  "DIR/TIME.dat (a trace.dat for report -i) and DIR/TIME.txt (its report) of "
	  "--before seconds before and --after seconds after it",
	  "Triggers on the p50, p90, p99 and max latency of a syscall, its calls and "
	  "the lost events are checked at the end of each --window; 'call > TIME' at "
	  "each call's exit.  A trigger that fires while a dump is being captured is "
	  "part of it; --cooldown ignores triggers for a while after a dump, "
	  "--max-dumps stops watching after N.  Memory: the raw ring-buffer pages of "
	  "the span, at most --before-mb MiB (the oldest go first), and the facts "
	  "(process and fd names) a dump needs.  Ends when every process exited, at "
	  "-d, or on Ctrl-C; a dump being captured is written first.  Needs the "
	  "ftrace backend.\n"
	  "Exit status: 0, 1 on failure (as attach), 2 a usage error (a bad "
	  "--trigger is one line before anything is traced)." },
	{ "diff", ilp_cmd_diff, ILP_CMD_DIFF, 0,
	  "diff [--fail-above PCT] BASE.json NEW.json",
	  "compare two --format json reports: what got slower or faster per process "
	  "name, syscall, ...; --fail-above PCT exits 1 if the total or an entry grew by "
	  "more than PCT % (entries under 1 ms or 1 % of the total are ignored): a CI "
	  "gate",
	  "It lists total syscall time, each process (matched by name) and its "
	  "syscalls, objects, user and kernel locks, blocking calls and findings, and "
	  "each device; largest absolute change first, with % change.  Names are "
	  "matched with what differs between runs of one program masked as '*': pipe "
	  "and socket inodes (pipe:[*]), addresses (0x*), child pids (child:*), "
	  "ephemeral ports 32768-60999 (127.0.0.1:*), temporary-file names "
	  "(/tmp/app-*, /tmp/build.*/out.o) and /proc/*/ numbers; entries equal once "
	  "masked are summed.  A note line names each detector threshold (--slow, "
	  "--min-ops, ...) the two reports were made with different values of.\n"
	  "Exit status: 0 no regression (or no --fail-above), 1 regression, 2 usage "
	  "error or unreadable input." },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const char help_intro[] =
"\n"
"Profiles where programs wait: the wall-clock time spent inside each\n"
"syscall (enter to exit, including time blocked off-CPU), per process and\n"
"thread, with exact counts, latency percentiles and log2 histograms.\n"
"Uses ftrace through a private tracefs instance (needs root).\n"
"\n"
"commands:\n";

static const char help_status[] =
"\n"
"exit status: run returns CMD's status (128+N if killed by signal N), 127\n"
"if CMD is not found, 126 if it cannot be executed, 125 if iolockprof\n"
"failed; attach returns 0, or 1 on failure; 2 means a usage error.\n"
"record -- CMD returns like run, record -p and watch like attach; report\n"
"returns 0, or 1 if the file cannot be read (corrupt, truncated, not a\n"
"trace).  diff returns 0, 1 on a regression (--fail-above), 2 if an input\n"
"cannot be read.\n";

/* EXAMPLES of --help, each under the command it shows (CMD --help too) */
static const struct {
	const char *cmd;
	const char *text;	/* whole lines */
} examples[] = {
	{ "run", "  iolockprof run -- ./app --flag          profile app, report on stderr\n" },
	{ "run", "  iolockprof run -o report.txt -- make -j2   every compiler process too\n" },
	{ "run", "  iolockprof run -e write,fsync -- ./db   only these two syscalls\n" },
	{ "run", "  iolockprof run -e '%file' -- ./app      calls that take a path (strace's)\n" },
	{ "attach", "  iolockprof attach -d 10 1234            10 seconds of a running process\n" },
	{ "attach", "  iolockprof attach --interval 5 1234 5678   two processes, report every 5 s\n" },
	{ "attach", "  iolockprof attach --continuous -o redis.prom --format prom $(pidof redis-server)\n"
		    "                                             10 % sampled, a report a minute, for hours\n" },
	{ "attach", "  iolockprof attach -d 10 -p $(pgrep -d, nginx)   strace's and perf's -p\n" },
	{ "watch", "  iolockprof watch -o dumps --trigger 'call > 1s' 1234   a call over 1 s\n" },
	{ "watch", "  iolockprof watch -o d --trigger 'p99(read) > 50ms' 1234   slow reads\n" },
	{ "watch", "  kill -USR1 WATCHER_PID                  a dump of watch now\n" },
	{ "record", "  iolockprof record -o app.dat -- ./app   keep the trace to report later\n" },
	{ "record", "  iolockprof record -o db.dat -d 30 -p 1234,5678   30 s of two processes\n" },
	{ "report", "  iolockprof report -i app.dat --threads  the report run would have printed\n" },
	{ "record", "  trace-cmd report app.dat | head         the same file in trace-cmd\n" },
	{ "run", "  iolockprof run --format html -o r.html -- ./app   charts, open in a browser\n" },
	{ "run", "  iolockprof run --format folded -o app.folded -- ./app\n"
		 "        flamegraph.pl --countname ns app.folded > app.svg\n" },
	{ "run", "  iolockprof run --format perfetto -o app.json -- ./app   ui.perfetto.dev\n" },
	{ "run", "  iolockprof run --format pprof -o app.pb.gz -- ./app\n"
		 "        go tool pprof -top -sample_index=calls app.pb.gz\n" },
	{ "diff", "  iolockprof run --format json -o base.json -- ./app\n"
		  "  iolockprof run --format json -o new.json -- ./app-new\n" },
	{ "diff", "  iolockprof diff --fail-above 20 base.json new.json   exit 1 if 20 % slower\n" },
};

#define NEXAMPLES (sizeof(examples) / sizeof(examples[0]))

/* the EXAMPLES of cmd, or of all commands (NULL) */
static void print_examples(FILE *out, const char *cmd)
{
	size_t i;

	fputs("\nEXAMPLES\n", out);
	for (i = 0; i < NEXAMPLES; i++)
		if (!cmd || !strcmp(cmd, examples[i].cmd))
			fputs(examples[i].text, out);
}

/* the usage lines and the commands come from commands[], the options from
 * the option table */
static void print_help(FILE *out)
{
	char left[32];
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		fprintf(out, "%s iolockprof %s\n", i ? "      " : "usage:", commands[i].usage);
	fputs("       iolockprof --remove-stale | --version | --help\n", out);
	fputs("       iolockprof help COMMAND | COMMAND --help\n", out);
	fputs(help_intro, out);
	for (i = 0; i < NCOMMANDS; i++) {
		snprintf(left, sizeof(left), "  %s", commands[i].name);
		ilp_help_item(out, left, 13, commands[i].help);
	}
	ilp_options_help(out);
	fputs(help_status, out);
	print_examples(out, NULL);
	fputs("\nSee iolockprof(1) for the report's columns.\n", out);
}

/*
 * CMD --help, help CMD: its usage line, what it does, the options the
 * table gives it (their .cmds has its bit), its examples.
 */
static void print_cmd_help(FILE *out, const struct cmd *c)
{
	char para[1024];

	fprintf(out, "usage: iolockprof %s\n\n", c->usage);
	/* the command list's line, as a sentence */
	snprintf(para, sizeof(para), "%c%s.", toupper((unsigned char)c->help[0]), c->help + 1);
	ilp_help_item(out, "", 0, para);
	for (const char *m = c->more, *nl; m && *m; m = nl ? nl + 1 : NULL) {
		size_t n;

		nl = strchr(m, '\n');
		n = nl ? (size_t)(nl - m) : strlen(m);
		snprintf(para, sizeof(para), "%.*s", (int)n, m);
		fputc('\n', out);
		ilp_help_item(out, "", 0, para);
	}
	ilp_options_help_for(out, c->bit);
	print_examples(out, c->name);
	fputs("\nSee iolockprof --help for every command and the exit statuses, and\n"
	      "iolockprof(1).\n", out);
}

/* a usage error: one line (see ilp_usage_error), exit status 2 */
#define usage_error(...) (ilp_usage_error(__VA_ARGS__), ILP_EXIT_USAGE)

/*
 * A command's options, then what the command itself needs of its
 * arguments.  1: run the command; 0: not (--help, or a usage error said
 * in one line), exit with *status.
 */
static int parse_options(const struct cmd *cmd, int argc, char **argv, struct ilp_opts *o,
			 int *status)
{
	int err = ilp_options_parse(cmd->bit, cmd->name, argc, argv, o);

	*status = ILP_EXIT_USAGE;
	if (err == ILP_ACT_HELP) {
		print_cmd_help(stdout, cmd);
		*status = 0;
		return 0;
	}
	if (err == -EINVAL)	/* said already */
		return 0;
	/* attach's PID arguments are -p's */
	for (int i = 0; !err && (cmd->flags & TAKES_PIDS) && i < o->argc; i++)
		err = ilp_options_add_pids(o, o->argv[i], cmd->name);
	if (cmd->flags & TAKES_PIDS)
		o->argc = 0;
	if (err == -EINVAL)
		return 0;
	if (err) {
		ilp_error("cannot parse the options", err);
		return 0;
	}
	if ((cmd->flags & TAKES_COMMAND) && o->argc < 1)
		*status = usage_error("%s: no command given", cmd->name);
	else if ((cmd->flags & TAKES_PIDS) && !o->npids)
		*status = usage_error("%s: no process id given", cmd->name);
	else if (o->push && o->format != ILP_FMT_PPROF)
		*status = usage_error("--push needs --format pprof");
	else if (o->push && (o->interval > 0 || o->continuous))
		*status = usage_error("--push: not with --interval or --continuous (one push "
				      "per capture)");
	else if (o->lock_holds && o->backend == ILP_BACKEND_PTRACE)
		*status = usage_error("--lock-holds needs the ftrace backend, not %s", "ptrace");
	else if (o->sleep_stacks && o->backend == ILP_BACKEND_PTRACE)
		*status = usage_error("--sleep-stacks needs the ftrace backend (--backend=ftrace "
				      "or auto), not %s", "ptrace");
	else if (!o->continuous && strcmp(cmd->name, "watch") &&
		 (o->duty || o->duty_period > 0 || o->window > 0))
		*status = usage_error("--duty, --duty-period and --window go with --continuous");
	else if (o->continuous && (o->interval > 0 || o->cumulative))
		*status = usage_error("--continuous writes a report per --window: no --interval "
				      "or --cumulative");
	else if (o->continuous && o->duty_period > 0 && o->duty_period < 0.1)
		*status = usage_error("--duty-period: at least 0.1 s (each edge writes the "
				      "events' enable files)");
	else if (o->continuous && (o->backend == ILP_BACKEND_PTRACE || o->stacks))
		*status = usage_error("--continuous needs the ftrace backend (no --stacks)");
	else
		return 1;
	return 0;
}

/* --help, --version, --remove-stale: options that take the command's place */
static int run_top(const struct ilp_option *opt, int argc, char **argv)
{
	switch (opt->action) {
	case ILP_ACT_HELP:
		print_help(stdout);
		return 0;
	case ILP_ACT_VERSION:
		printf("iolockprof %s\n", ILP_VERSION);
		return 0;
	case ILP_ACT_REMOVE_STALE:
		if (argc > 2)
			return usage_error("--remove-stale takes no arguments (got '%s')", argv[2]);
		return ilp_cmd_remove_stale();
	default:
		return usage_error("unknown command '%s'", argv[1]);
	}
}

int main(int argc, char **argv)
{
	struct ilp_opts o = { 0 };
	struct ilp_thresholds th = { 0 };
	const struct ilp_option *top;
	char *help_argv[4] = { NULL };
	size_t i;
	int ret;

	ilp_thresholds_default(&th);
	o.th = &th;
	/* a report whose reader left fails with EPIPE and ends the capture in
	 * order (instances removed), instead of killing us mid-way; the
	 * command gets SIGPIPE's default back before exec (session.c) */
	signal(SIGPIPE, SIG_IGN);

	if (argc < 2) {
		print_help(stderr);
		return ILP_EXIT_USAGE;
	}
	top = !strcmp(argv[1], "help") ? ilp_option_top("--help") : ilp_option_top(argv[1]);
	/* help CMD, --help CMD: as CMD --help */
	if (top && top->action == ILP_ACT_HELP && argc > 3)
		return usage_error("%s takes one command, not '%s'", argv[1], argv[3]);
	if (top && top->action == ILP_ACT_HELP && argc == 3) {
		static char help_opt[] = "--help";

		help_argv[0] = argv[0];
		help_argv[1] = argv[2];
		help_argv[2] = help_opt;
		argv = help_argv;
		top = NULL;
	}
	if (top)
		return run_top(top, argc, argv);
	for (i = 0; i < NCOMMANDS; i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		if (parse_options(&commands[i], argc - 1, argv + 1, &o, &ret))
			ret = commands[i].fn(&o);
		free(o.syscalls);
		free(o.pids);
		free(o.triggers);
		/* a reader that left (EPIPE) is no error: the command stopped
		 * in order; an error a command already reported is not told twice */
		if ((fflush(stdout) || ferror(stdout)) && errno != EPIPE && !ret) {
			fprintf(stderr, "iolockprof: error writing to stdout\n");
			ret = ILP_EXIT_FAIL;
		}
		return ret;
	}
	return usage_error("unknown command '%s'", argv[1]);
}
