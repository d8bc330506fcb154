// SPDX-License-Identifier: MIT
/*
 * iolockprof: where programs wait.  Command table, option parsing, and the
 * one place where a negative errno becomes a message for the user.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "cli.h"
#include "syscalls.h"

#ifndef ILP_VERSION
#define ILP_VERSION "0.0.0"
#endif

enum cmd_flags {
	TAKES_COMMAND = 1 << 0,	/* run: the rest of the line is the command */
	TAKES_PIDS = 1 << 1,	/* attach: one or more PIDs */
	ALLOWS_DURATION = 1 << 2,	/* -d and --interval */
	TAKES_PIDLIST = 1 << 3,		/* record: -p PID[,PID...] */
	TAKES_INPUT = 1 << 4,		/* report: -i FILE, no capture options */
	OWN_ARGS = 1 << 5,		/* diff: parses its own arguments (o->argv) */
	ALLOWS_USER = 1 << 6,		/* run, record -- CMD: -u USER */
};

struct cmd {
	const char *name;
	int (*fn)(struct ilp_opts *o);
	unsigned flags;
	const char *usage;
};

static const struct cmd commands[] = {
	{ "run", ilp_cmd_run, TAKES_COMMAND | ALLOWS_USER,
	  "run [options] -- CMD [ARGS...]" },
	{ "attach", ilp_cmd_attach, TAKES_PIDS | ALLOWS_DURATION,
	  "attach [options] PID [PID...]" },
	{ "record", ilp_cmd_record, TAKES_PIDLIST | ALLOWS_DURATION | ALLOWS_USER,
	  "record -o FILE [options] (-- CMD [ARGS...] | -p PID[,PID...])" },
	{ "report", ilp_cmd_report, TAKES_INPUT,
	  "report [-i FILE] [--format FMT] [--threads] [-o OUT]" },
	{ "diff", ilp_cmd_diff, OWN_ARGS,
	  "diff [--fail-above PCT] BASE.json NEW.json" },
};

static const char help_text[] =
"usage: iolockprof run [options] -- CMD [ARGS...]\n"
"       iolockprof attach [options] PID [PID...]\n"
"       iolockprof record -o FILE [options] (-- CMD [ARGS...] | -p PID[,PID...])\n"
"       iolockprof report [-i FILE] [--format FMT] [--threads] [-o OUT]\n"
"       iolockprof diff [--fail-above PCT] BASE.json NEW.json\n"
"       iolockprof --remove-stale | --version | --help\n"
"\n"
"Profiles where programs wait: the wall-clock time spent inside each\n"
"syscall (enter to exit, including time blocked off-CPU), per process and\n"
"thread, with exact counts, latency percentiles and log2 histograms.\n"
"Uses ftrace through a private tracefs instance (needs root).\n"
"\n"
"commands:\n"
"  run        launch CMD and profile it and every process and thread it\n"
"             creates, from its first syscall; exits with CMD's exit status\n"
"  attach     profile all threads of running processes (and what they\n"
"             create later) until -d, Ctrl-C/SIGTERM, or all of them exit\n"
"  record     like run (-- CMD) or attach (-p PIDS), but keep the raw trace\n"
"             in FILE, a trace-cmd trace.dat (trace-cmd report and\n"
"             KernelShark open it) that carries the command line, process\n"
"             names and lost-event counts too; exits like run or attach\n"
"  report     the report run or attach would have printed, from a FILE\n"
"             made by record (default trace.dat); a file made by trace-cmd\n"
"             record also works, and the report says what it lacks\n"
"  diff       compare two --format json reports: what got slower or faster\n"
"             per process name, syscall, ...; --fail-above PCT exits 1 if\n"
"             the total or an entry grew by more than PCT % (entries under\n"
"             1 ms or 1 % of the total are ignored): a CI gate\n"
"\n"
"options:\n"
"  -o, --output FILE      write the report to FILE (default: stderr; report:\n"
"                         stdout; -: stdout); record: the trace.dat to write\n"
"                         (required, mode 0600); FILE appears whole at the\n"
"                         end (a temporary file renamed over it; a symlink\n"
"                         there is replaced, not followed)\n"
"  -p, --pid PID[,PID]    record: processes to attach to (instead of CMD)\n"
"  -u, --user USER        run, record -- CMD: run CMD as USER (its uid, group\n"
"                         and supplementary groups), like strace -u: for\n"
"                         sudo iolockprof run -u alice -- ./app\n"
"  -i, --input FILE       report: the trace file to read (default trace.dat)\n"
"  -e, --syscalls LIST    trace only these syscalls, comma-separated names\n"
"                         (like strace -e trace=): -e read,write,fsync\n"
"  -b, --buffer-size KB   per-CPU ring buffer size, 64 to 4194304 (default\n"
"                         16384; over 16 CPUs: 256 MiB in all)\n"
"  -d, --duration SEC     attach, record -p: stop after SEC seconds\n"
"      --interval SEC     attach: print an interim report every SEC seconds\n"
"                         (each covers everything since the start)\n"
"  -t, --threads          add a per-thread breakdown\n"
"      --hist N           latency histograms for the top N syscalls of each\n"
"                         process (default 3, 0: none)\n"
"      --slow MS          list each call that took MS milliseconds or more\n"
"                         under Blocking calls, with its start time, thread,\n"
"                         object and off-CPU split (default 100, 0: none)\n"
"      --format FMT       report format: text (default); json (every number\n"
"                         of the text report, integers in ns, schema in\n"
"                         docs/report.schema.json); html (one self-contained\n"
"                         page with SVG latency charts); folded (stack;lines\n"
"                         NS for flamegraph.pl/speedscope); perfetto (Chrome\n"
"                         trace JSON of the 256 longest calls per process\n"
"                         and the 256 slowest disk requests per device)\n"
"      --backend B        auto (default: ftrace if tracefs is usable, else\n"
"                         ptrace), ftrace, or ptrace (no root needed; no\n"
"                         disk, kernel lock or off-CPU data; run: a seccomp\n"
"                         filter stops the app only at profiled syscalls,\n"
"                         and sets no_new_privs: setuid programs run\n"
"                         without their privilege; attach: every syscall\n"
"                         stops the app, so expect a large slowdown)\n"
"      --stacks           ptrace: unwind the user stack at each profiled\n"
"                         syscall (libdw) and report the call sites,\n"
"                         e.g. \"write from fetch_user (app.c:42)\"; picks\n"
"                         ptrace under auto\n"
"      --names MODE       run, record -- CMD: how fd names are read under\n"
"                         ftrace: fast (default: from /proc and the\n"
"                         kernel, a name that cannot be made certain is\n"
"                         shown as \"name lost\") or exact (a seccomp filter\n"
"                         stops the app at calls that take a path or make\n"
"                         an fd, and reads the name there: every name\n"
"                         exact; an open storm runs several times slower)\n"
"  -h, --help             this help\n"
"  -V, --version          print the version\n"
"      --remove-stale     remove the tracefs instances of iolockprof\n"
"                         sessions that are provably dead (every session\n"
"                         does this when it starts) and say what was kept\n"
"\n"
"findings (first in the text report; thresholds in docs/detectors.md):\n"
"      --loop-min N       loop: iterations of the same calls on the same\n"
"                         objects in one thread, such as a transaction per\n"
"                         item; the findings on its objects nest under it (20)\n"
"      --min-ops N        unbuffered, random I/O: calls on one object (1000)\n"
"      --small-bytes B    unbuffered: median call size below B is small (512)\n"
"      --nplus1-min N     N+1: request/response round trips on one socket,\n"
"                         or a pipe/socket pair (100)\n"
"      --repeat-min N     repeat: opens + stats of one path (100)\n"
"      --fsync-min N      fsync storm: syncs of one file, at >= 10/s (10)\n"
"      --random-pct P     random I/O: % of positioned calls not at the\n"
"                         previous one's end (20)\n"
"      --lock-min N       hot lock: contended waits on one mutex or kernel\n"
"                         lock (10), and their wait time at least\n"
"      --lock-pct P       P % of the wall time (5), or\n"
"      --lock-ms MS       MS milliseconds (50)\n"
"      --slow MS          also: slow call findings, calls >= MS (100)\n"
"      --min-saving MS    hide findings that would save less (1 ms)\n"
"      --all              list every finding: the ones under 1% of the wall\n"
"                         time fold into one \"minor:\" line otherwise (text,\n"
"                         html; json lists them all)\n"
"\n"
"exit status: run returns CMD's status (128+N if killed by signal N), 127\n"
"if CMD is not found, 126 if it cannot be executed, 125 if iolockprof\n"
"failed; attach returns 0, or 1 on failure; 2 means a usage error.\n"
"record -- CMD returns like run, record -p like attach; report returns 0,\n"
"or 1 if the file cannot be read (corrupt, truncated, not a trace).\n"
"diff returns 0, 1 on a regression (--fail-above), 2 if an input cannot\n"
"be read.\n"
"\n"
"EXAMPLES\n"
"  iolockprof run -- ./app --flag          profile app, report on stderr\n"
"  iolockprof run -o report.txt -- make -j2   every compiler process too\n"
"  iolockprof run -e write,fsync -- ./db   only these two syscalls\n"
"  iolockprof attach -d 10 1234            10 seconds of a running process\n"
"  iolockprof attach --interval 5 1234 5678   two processes, report every 5 s\n"
"  iolockprof record -o app.dat -- ./app   keep the trace to report later\n"
"  iolockprof record -o db.dat -d 30 -p 1234,5678   30 s of two processes\n"
"  iolockprof report -i app.dat --threads  the report run would have printed\n"
"  trace-cmd report app.dat | head         the same file in trace-cmd\n"
"  iolockprof run --format html -o r.html -- ./app   charts, open in a browser\n"
"  iolockprof run --format folded -o app.folded -- ./app\n"
"        flamegraph.pl --countname ns app.folded > app.svg\n"
"  iolockprof run --format perfetto -o app.json -- ./app   ui.perfetto.dev\n"
"  iolockprof diff --fail-above 20 base.json new.json   exit 1 if 20 % slower\n"
"\n"
"See iolockprof(1) for the report's columns.\n";

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "iolockprof: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (see iolockprof --help)\n");
	return ILP_EXIT_USAGE;
}

static int parse_seconds(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v <= 0 || v > 31536000)
		return -EINVAL;
	*out = v;
	return 0;
}

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (*s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* "read,write" or "trace=read,write" into syscall numbers */
static int parse_syscalls(const char *list, struct ilp_opts *o)
{
	char *copy, *tok, *save = NULL;
	size_t n = 0, cap = 8;
	int err = 0;

	if (!strncmp(list, "trace=", 6))
		list += 6;
	copy = strdup(list);
	o->syscalls = malloc(cap * sizeof(int));
	if (!copy || !o->syscalls) {
		free(copy);
		return -ENOMEM;
	}
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int nr = ilp_syscall_nr(tok);

		if (nr < 0) {
			fprintf(stderr, "iolockprof: -e: unknown syscall '%s' (see iolockprof --help)\n", tok);
			err = -EINVAL;
			break;
		}
		if (n == cap) {
			int *v = realloc(o->syscalls, cap * 2 * sizeof(int));

			if (!v) {
				err = -ENOMEM;
				break;
			}
			o->syscalls = v;
			cap *= 2;
		}
		o->syscalls[n++] = nr;
	}
	free(copy);
	if (!err && !n) {
		fprintf(stderr, "iolockprof: -e: empty syscall list (see iolockprof --help)\n");
		err = -EINVAL;
	}
	o->nsyscalls = n;
	return err;
}

enum { OPT_INTERVAL = 256, OPT_HIST, OPT_FORMAT, OPT_BACKEND, OPT_STACKS, OPT_NAMES,
       OPT_ALL, OPT_TH_FIRST };	/* then one per row of thresholds[] */

static const struct {
	const char *name;
	enum ilp_format fmt;
} formats[] = {
	{ "text", ILP_FMT_TEXT },
	{ "json", ILP_FMT_JSON },
	{ "html", ILP_FMT_HTML },
	{ "folded", ILP_FMT_FOLDED },
	{ "perfetto", ILP_FMT_PERFETTO },
};

static const struct {
	const char *name;
	enum ilp_backend_choice backend;
} backends[] = {
	{ "auto", ILP_BACKEND_AUTO },
	{ "ftrace", ILP_BACKEND_FTRACE },
	{ "ptrace", ILP_BACKEND_PTRACE },
};

static int parse_format(const char *s, enum ilp_format *out)
{
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (!strcmp(s, formats[i].name)) {
			*out = formats[i].fmt;
			return 0;
		}
	return -EINVAL;
}

static int parse_backend(const char *s, enum ilp_backend_choice *out)
{
	size_t i;

	for (i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
		if (!strcmp(s, backends[i].name)) {
			*out = backends[i].backend;
			return 0;
		}
	return -EINVAL;
}

/* detector thresholds (docs/detectors.md): --NAME N, within [min, max] */
static const struct {
	const char *name;
	size_t off;		/* in struct ilp_thresholds */
	uint64_t min, max, scale;	/* scale: what one unit on the command line is */
	const char *what;
} thresholds[] = {
	{ "min-ops", offsetof(struct ilp_thresholds, min_ops), 1, 1000000000, 1, "a count" },
	{ "small-bytes", offsetof(struct ilp_thresholds, small_bytes), 1, 1 << 30, 1, "a size in bytes" },
	{ "nplus1-min", offsetof(struct ilp_thresholds, nplus1_min), 2, 1000000000, 1, "a count (2 or more)" },
	{ "repeat-min", offsetof(struct ilp_thresholds, repeat_min), 2, 1000000000, 1, "a count (2 or more)" },
	{ "fsync-min", offsetof(struct ilp_thresholds, fsync_min), 2, 1000000000, 1, "a count (2 or more)" },
	{ "random-pct", offsetof(struct ilp_thresholds, random_pct), 0, 100, 1, "a percentage (0 to 100)" },
	{ "min-saving", offsetof(struct ilp_thresholds, min_saving_ns), 0, 3600000, 1000000, "milliseconds" },
	{ "lock-min", offsetof(struct ilp_thresholds, lock_min), 1, 1000000000, 1, "a count (1 or more)" },
	{ "lock-pct", offsetof(struct ilp_thresholds, lock_pct), 0, 100, 1, "a percentage (0 to 100)" },
	{ "lock-ms", offsetof(struct ilp_thresholds, lock_ns), 0, 3600000, 1000000, "milliseconds" },
	{ "loop-min", offsetof(struct ilp_thresholds, loop_min), 2, 1000000000, 1, "a count (2 or more)" },
	/* also the wait model's: the session sets it from here */
	{ "slow", offsetof(struct ilp_thresholds, slow_ns), 0, 86400000, 1000000,
	  "a number of milliseconds" },
};

#define NTHRESHOLDS (sizeof(thresholds) / sizeof(thresholds[0]))

static int parse_threshold(int which, const char *arg, struct ilp_opts *o)
{
	char msg[96];
	unsigned long v;

	if (parse_uint(arg, ULONG_MAX, &v) || v < thresholds[which].min || v > thresholds[which].max) {
		snprintf(msg, sizeof(msg), "--%s: '%%s' is not %s", thresholds[which].name,
			 thresholds[which].what);
		return usage_error(msg, arg);
	}
	if (o->th)
		*(uint64_t *)((char *)o->th + thresholds[which].off) = v * thresholds[which].scale;
	return 0;
}

static int parse_options(const struct cmd *cmd, int argc, char **argv, struct ilp_opts *o)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "syscalls", required_argument, NULL, 'e' },
		{ "buffer-size", required_argument, NULL, 'b' },
		{ "duration", required_argument, NULL, 'd' },
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ "threads", no_argument, NULL, 't' },
		{ "hist", required_argument, NULL, OPT_HIST },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "backend", required_argument, NULL, OPT_BACKEND },
		{ "stacks", no_argument, NULL, OPT_STACKS },
		{ "names", required_argument, NULL, OPT_NAMES },
		{ "all", no_argument, NULL, OPT_ALL },
		{ "help", no_argument, NULL, 'h' },
		{ "pid", required_argument, NULL, 'p' },
		{ "user", required_argument, NULL, 'u' },
		{ "input", required_argument, NULL, 'i' },
		/* detector thresholds: same order as thresholds[] */
		{ "min-ops", required_argument, NULL, OPT_TH_FIRST + 0 },
		{ "small-bytes", required_argument, NULL, OPT_TH_FIRST + 1 },
		{ "nplus1-min", required_argument, NULL, OPT_TH_FIRST + 2 },
		{ "repeat-min", required_argument, NULL, OPT_TH_FIRST + 3 },
		{ "fsync-min", required_argument, NULL, OPT_TH_FIRST + 4 },
		{ "random-pct", required_argument, NULL, OPT_TH_FIRST + 5 },
		{ "min-saving", required_argument, NULL, OPT_TH_FIRST + 6 },
		{ "lock-min", required_argument, NULL, OPT_TH_FIRST + 7 },
		{ "lock-pct", required_argument, NULL, OPT_TH_FIRST + 8 },
		{ "lock-ms", required_argument, NULL, OPT_TH_FIRST + 9 },
		{ "loop-min", required_argument, NULL, OPT_TH_FIRST + 10 },
		{ "slow", required_argument, NULL, OPT_TH_FIRST + 11 },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long v;
	int c;

	o->top_hist = 3;
	optind = 1;
	opterr = 0;
	/* '+': stop at the first non-option, so run's command keeps its own */
	while ((c = getopt_long(argc, argv, "+:o:e:b:d:thp:i:u:", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (!(cmd->flags & TAKES_PIDLIST))
				return usage_error("-p: only for record (%s takes its own arguments)", cmd->name);
			o->pids = optarg;
			break;
		case 'u':
			if (!(cmd->flags & ALLOWS_USER))
				return usage_error("-u: only for run and record, not %s", cmd->name);
			if (!*optarg || !getpwnam(optarg))
				return usage_error("-u: no such user: '%s'", optarg);
			o->user = optarg;
			break;
		case 'i':
			if (!(cmd->flags & TAKES_INPUT))
				return usage_error("-i: only for report, not %s", cmd->name);
			o->input = optarg;
			break;
		case 'o':
			o->output = optarg;
			break;
		case 'e':
			if (parse_syscalls(optarg, o))
				return ILP_EXIT_USAGE;
			break;
		case 'b':
			if (parse_uint(optarg, 4194304, &v) || v < 64)
				return usage_error("-b: '%s' is not a buffer size in KB (64 to 4194304)", optarg);
			o->buffer_kb = v;
			break;
		case 'd':
			if (!(cmd->flags & ALLOWS_DURATION))
				return usage_error("-d: %s runs until the command exits", cmd->name);
			if (parse_seconds(optarg, &o->duration))
				return usage_error("-d: '%s' is not a number of seconds", optarg);
			break;
		case OPT_INTERVAL:
			if (!(cmd->flags & ALLOWS_DURATION))
				return usage_error("--interval: not available for %s", cmd->name);
			if (parse_seconds(optarg, &o->interval))
				return usage_error("--interval: '%s' is not a number of seconds", optarg);
			break;
		case 't':
			o->threads = 1;
			break;
		case OPT_HIST:
			if (parse_uint(optarg, 1000, &v))
				return usage_error("--hist: '%s' is not a count", optarg);
			o->top_hist = (int)v;
			break;
		case OPT_FORMAT:
			if (parse_format(optarg, &o->format))
				return usage_error("--format: '%s' is not one of text, json, html, folded, perfetto", optarg);
			break;
		case OPT_BACKEND:
			if (parse_backend(optarg, &o->backend))
				return usage_error("--backend: '%s' is not one of auto, ftrace, ptrace", optarg);
			break;
		case OPT_STACKS:
			o->stacks = 1;
			break;
		case OPT_NAMES:
			if (!(cmd->flags & ALLOWS_USER))
				return usage_error("--names: only for run and record -- CMD, not %s "
						   "(the filter must be there before the command starts)",
						   cmd->name);
			if (!strcmp(optarg, "exact"))
				o->names_exact = 1;
			else if (!strcmp(optarg, "fast"))
				o->names_exact = 0;
			else
				return usage_error("--names: '%s' is not one of exact, fast", optarg);
			break;
		case OPT_ALL:
			o->all_findings = 1;
			break;
		case 'h':
			fputs(help_text, stdout);
			exit(0);
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			if (c >= OPT_TH_FIRST && c < OPT_TH_FIRST + (int)NTHRESHOLDS) {
				if (parse_threshold(c - OPT_TH_FIRST, optarg, o))
					return ILP_EXIT_USAGE;
				break;
			}
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc && !strcmp(argv[optind], "--"))
		optind++;
	o->argv = argv + optind;
	o->argc = argc - optind;
	if ((cmd->flags & TAKES_COMMAND) && o->argc < 1)
		return usage_error("%s: no command given", cmd->name);
	if ((cmd->flags & TAKES_PIDS) && o->argc < 1)
		return usage_error("%s: no process id given", cmd->name);
	if (o->stacks && o->backend == ILP_BACKEND_FTRACE && strcmp(cmd->name, "record"))
		return usage_error("--stacks needs the ptrace backend (--backend=ptrace or auto), "
				   "not %s", "ftrace");
	return 0;
}

int main(int argc, char **argv)
{
	struct ilp_opts o = { 0 };
	struct ilp_thresholds th = { 0 };
	size_t i;
	int ret;

	ilp_thresholds_default(&th);
	o.th = &th;
	/* a report whose reader left fails with EPIPE and ends the capture in
	 * order (instances removed), instead of killing us mid-way; the
	 * command gets SIGPIPE's default back before exec (session.c) */
	signal(SIGPIPE, SIG_IGN);

	if (argc < 2) {
		fputs(help_text, stderr);
		return ILP_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		fputs(help_text, stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--remove-stale")) {
		if (argc > 2)
			return usage_error("--remove-stale takes no arguments (got '%s')", argv[2]);
		return ilp_cmd_remove_stale();
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("iolockprof %s\n", ILP_VERSION);
		return 0;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		if (commands[i].flags & OWN_ARGS) {
			o.argv = argv + 2;
			o.argc = argc - 2;
			ret = 0;
		} else {
			ret = parse_options(&commands[i], argc - 1, argv + 1, &o);
		}
		if (!ret)
			ret = commands[i].fn(&o);
		free(o.syscalls);
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
