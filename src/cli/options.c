// SPDX-License-Identifier: MIT
/*
 * The option table: every option of every command, once.  getopt_long's
 * arrays, the defaults, the parsing, the usage errors and the option part
 * of --help are all made from it, so a new option is one row here plus its
 * entry in docs/iolockprof.1 (and docs/detectors.md for a threshold);
 * tests/unit/test_options.c fails if those disagree with the table.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <pwd.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "cli.h"
#include "options.h"
#include "procfs.h"
#include "report.h"
#include "status.h"
#include "syscalls.h"
#include "trigger.h"

#define HELP_WIDTH 78	/* the longest --help line */
#define HELP_COL 25	/* where an option's help text starts */
#define HELP_NBSP '\x1f'	/* a space --help does not break a line at */

static int parse_syscalls(const struct ilp_option *opt, const char *arg, struct ilp_opts *o);
static int parse_user(const struct ilp_option *opt, const char *arg, struct ilp_opts *o);
static int parse_pct(const struct ilp_option *opt, const char *arg, struct ilp_opts *o);
static int parse_pids(const struct ilp_option *opt, const char *arg, struct ilp_opts *o);
static int parse_trigger(const struct ilp_option *opt, const char *arg, struct ilp_opts *o);

static const struct ilp_opt_choice formats[] = {
	{ "text", ILP_FMT_TEXT },
	{ "json", ILP_FMT_JSON },
	{ "html", ILP_FMT_HTML },
	{ "folded", ILP_FMT_FOLDED },
	{ "perfetto", ILP_FMT_PERFETTO },
	{ "prom", ILP_FMT_PROM },
	{ "pprof", ILP_FMT_PPROF },
	{ NULL, 0 },
};

static const struct ilp_opt_choice backends[] = {
	{ "auto", ILP_BACKEND_AUTO },
	{ "ftrace", ILP_BACKEND_FTRACE },
	{ "ptrace", ILP_BACKEND_PTRACE },
	{ NULL, 0 },
};

static const struct ilp_opt_choice status_whens[] = {
	{ "auto", ILP_STATUS_AUTO },
	{ "always", ILP_STATUS_ALWAYS },
	{ "never", ILP_STATUS_NEVER },
	{ NULL, 0 },
};

static const struct ilp_opt_choice name_modes[] = {
	{ "exact", 1 },
	{ "fast", 0 },
	{ NULL, 0 },
};

#define FIELD(m) .off = offsetof(struct ilp_opts, m), .size = sizeof(((struct ilp_opts *)0)->m)
#define TH(m) .threshold = 1, .off = offsetof(struct ilp_thresholds, m), \
	      .size = sizeof(((struct ilp_thresholds *)0)->m)
#define COUNT_MAX 1000000000

/*
 * In the man page's order (OPTIONS, by subsection): --help prints them in
 * this order, and the test holds the man page to it.
 */
static const struct ilp_option options[] = {
	/* ---- Capture ---- */
	{ .name = "user", .short_name = 'u', .arg = "USER", .section = ILP_SEC_CAPTURE,
	  .cmds = ILP_CMD_RUN | ILP_CMD_RECORD, .not_for = "-u: only for run and record, not %s",
	  .kind = ILP_OPT_FN, .parse = parse_user,
	  .help = "run, record -- CMD: run CMD as USER (its uid, group and supplementary "
		  "groups), like strace -u: for sudo iolockprof run -u alice -- ./app" },
	{ .name = "syscalls", .short_name = 'e', .arg = "LIST", .section = ILP_SEC_CAPTURE,
	  .cmds = ILP_CMD_ALL | ILP_CMD_WATCH, .kind = ILP_OPT_FN, .parse = parse_syscalls,
	  .help = "trace only these syscalls, as strace -e trace= takes them: names "
		  "(-e read,write,fsync), strace's classes (%file, %desc, %network, "
		  "%process, %signal, %ipc, %memory, %creds, %clock, %stat...), /REGEX, all; "
		  "a leading ! takes every other call: -e '!%memory'" },
	{ .name = "follow-forks", .short_name = 'f', .section = ILP_SEC_CAPTURE,
	  .cmds = ILP_CMD_RUN | ILP_CMD_ATTACH | ILP_CMD_RECORD,
	  .not_for = "-f: for run, attach and record (which always follow children), not %s",
	  .kind = ILP_OPT_FLAG, FIELD(follow_forks),
	  .help = "does nothing: children are always followed; accepted for strace "
		  "habits (strace -f, -ff)" },
	{ .name = "buffer-size", .short_name = 'b', .arg = "KB", .def = "16384",
	  .def_elsewhere = 1, .unit = ILP_UNIT_KIB, .section = ILP_SEC_CAPTURE,
	  .cmds = ILP_CMD_ALL | ILP_CMD_WATCH, .kind = ILP_OPT_UINT, FIELD(buffer_kb), .min = 64,
	  .max = 4194304, .bad = "a buffer size in KB (64 to 4194304)",
	  .help = "per-CPU ring buffer size, 64 to 4194304; over 16 CPUs the default is "
		  "256 MiB in all" },
	{ .name = "duration", .short_name = 'd', .arg = "SEC", .unit = ILP_UNIT_S,
	  .section = ILP_SEC_CAPTURE, .cmds = ILP_CMD_ATTACH | ILP_CMD_RECORD | ILP_CMD_WATCH,
	  .not_for = "-d: %s runs until the command exits", .kind = ILP_OPT_SECONDS,
	  FIELD(duration), .bad = "a number of seconds",
	  .help = "attach, record -p, watch: stop after SEC seconds" },
	{ .name = "interval", .arg = "SEC", .unit = ILP_UNIT_S, .section = ILP_SEC_CAPTURE,
	  .cmds = ILP_CMD_RUN | ILP_CMD_ATTACH | ILP_CMD_RECORD,
	  .not_for = "--interval: not available for %s",
	  .kind = ILP_OPT_SECONDS, FIELD(interval), .bad = "a number of seconds",
	  .help = "run, attach: write an interim report every SEC seconds of what happened "
		  "in that interval (the calls completed in it; --cumulative: everything "
		  "since the start); the report at the end covers the whole run; with -o "
		  "FILE and a format other than text, each to a file of its own: FILE.1, "
		  "FILE.2, ... (prom: FILE rewritten, always cumulative)" },
	{ .name = "cumulative", .section = ILP_SEC_CAPTURE,
	  .cmds = ILP_CMD_RUN | ILP_CMD_ATTACH | ILP_CMD_RECORD,
	  .not_for = "--cumulative: not available for %s",
	  .kind = ILP_OPT_FLAG, FIELD(cumulative),
	  .help = "with --interval: each interim report covers everything since the "
		  "start, not only its interval" },
	{ .name = "continuous", .section = ILP_SEC_CAPTURE, .cmds = ILP_CMD_ATTACH,
	  .not_for = "--continuous: only for attach, not %s",
	  .kind = ILP_OPT_FLAG, FIELD(continuous),
	  .help = "attach: stay attached for hours at a bounded cost: capture --duty of "
		  "every --duty-period (the events are off in between), write a report "
		  "per --window (text to -o or stderr; other formats to FILE.1, FILE.2, "
		  "...; prom: FILE rewritten, cumulative), each marked as sampled, and "
		  "forget the processes and threads that exited; Ctrl-C or the targets' "
		  "exit writes the last, partial window" },
	{ .name = "duty", .arg = "PCT", .def = "10", .def_elsewhere = 1, .unit = ILP_UNIT_PCT,
	  .section = ILP_SEC_CAPTURE, .cmds = ILP_CMD_ATTACH,
	  .not_for = "--duty: only for attach --continuous, not %s",
	  .kind = ILP_OPT_UINT, FIELD(duty), .min = 1, .max = 100,
	  .bad = "a percentage (1 to 100)",
	  .help = "with --continuous: the share of each --duty-period captured (the "
		  "first part of it); 100 captures all the time, counts exact" },
	{ .name = "duty-period", .arg = "SEC", .def = "10", .def_elsewhere = 1,
	  .unit = ILP_UNIT_S, .section = ILP_SEC_CAPTURE, .cmds = ILP_CMD_ATTACH,
	  .not_for = "--duty-period: only for attach --continuous, not %s",
	  .kind = ILP_OPT_SECONDS, FIELD(duty_period), .bad = "a number of seconds",
	  .help = "with --continuous: the cycle of --duty (10 % of 10 s: 1 s captured "
		  "in every 10 s), 0.1 s at least" },
	{ .name = "window", .arg = "SEC", .def = "60 (watch: 1)", .def_elsewhere = 1,
	  .unit = ILP_UNIT_S, .section = ILP_SEC_CAPTURE, .cmds = ILP_CMD_ATTACH | ILP_CMD_WATCH,
	  .not_for = "--window: only for attach --continuous and watch, not %s",
	  .kind = ILP_OPT_SECONDS, FIELD(window), .bad = "a number of seconds",
	  .help = "attach --continuous: a report every SEC seconds, of that window only "
		  "(prom: cumulative), best a multiple of --duty-period; watch: the window the "
		  "p50/p90/p99/max, calls and lost triggers look at (a dump is written at the "
		  "end of a window too)" },
	{ .name = "status", .arg = "WHEN", .def = "auto", .section = ILP_SEC_CAPTURE,
	  .cmds = ILP_CMD_RUN | ILP_CMD_ATTACH | ILP_CMD_RECORD,
	  .not_for = "--status: only while capturing, not for %s",
	  .kind = ILP_OPT_CHOICE, .choices = status_whens, FIELD(status),
	  .help = "the live status line on stderr, redrawn twice a second and cleared "
		  "before each report (elapsed time, events, lost events, the top wait so "
		  "far): auto (when stderr is a terminal and iolockprof is in its "
		  "foreground), always, or never" },
	{ .name = "lock-holds", .section = ILP_SEC_CAPTURE, .cmds = ILP_CMD_RUN | ILP_CMD_ATTACH,
	  .not_for = "--lock-holds: only for run and attach, not %s",
	  .kind = ILP_OPT_FLAG, FIELD(lock_holds),
	  .help = "ftrace, x86-64: also time how long each pthread mutex is held and from "
		  "which call site (uprobes on the libc the processes map: pthread_mutex_lock, "
		  "_trylock, _unlock, pthread_cond_wait...); opt-in because every lock and "
		  "unlock traps into the kernel while it runs, in every process that maps that "
		  "libc: a lock storm runs several times slower (README, Overhead)" },
	{ .name = "pid", .short_name = 'p', .arg = "PID[,PID]", .section = ILP_SEC_CAPTURE,
	  .cmds = ILP_CMD_ATTACH | ILP_CMD_RECORD | ILP_CMD_WATCH,
	  .not_for = "-p: only for attach, record -p and watch, not %s", .kind = ILP_OPT_FN,
	  .parse = parse_pids,
	  .help = "attach, record, watch: the processes to attach to, comma-separated or -p "
		  "again, like strace -p and perf -p (attach and watch also take them as "
		  "arguments; each is traced once)" },
	{ .name = "trigger", .arg = "EXPR", .section = ILP_SEC_CAPTURE, .cmds = ILP_CMD_WATCH,
	  .not_for = "--trigger: only for watch, not %s", .kind = ILP_OPT_FN,
	  .parse = parse_trigger,
	  .help = "watch: write a dump when EXPR holds; again for more (any one fires): "
		  "'call > 200ms' (one call, of any syscall or call(SYSCALL), longer: fires "
		  "at its exit), 'p99(read) > 50ms' (p50, p90, p99 or max of a syscall, or "
		  "* for all, in a --window), 'calls(write) > 1000' (calls in a window), "
		  "'lost > 0' (events lost in a window); times take ns, us, ms or s" },
	{ .name = "before", .arg = "SEC", .def = "10", .unit = ILP_UNIT_S,
	  .section = ILP_SEC_CAPTURE, .cmds = ILP_CMD_WATCH,
	  .not_for = "--before: only for watch, not %s", .kind = ILP_OPT_SECONDS,
	  FIELD(before), .bad = "a number of seconds",
	  .help = "watch: a dump holds this much of what came before its trigger, from "
		  "where what fired began (the call's entry, the window's start): the raw "
		  "ring-buffer pages of the last SEC seconds, kept in memory" },
	{ .name = "after", .arg = "SEC", .def = "5", .unit = ILP_UNIT_S,
	  .section = ILP_SEC_CAPTURE, .cmds = ILP_CMD_WATCH,
	  .not_for = "--after: only for watch, not %s", .kind = ILP_OPT_SECONDS,
	  FIELD(after), .bad = "a number of seconds",
	  .help = "watch: and this much after it (more triggers meanwhile are part of "
		  "the same dump)" },
	{ .name = "before-mb", .arg = "MIB", .def = "64", .section = ILP_SEC_CAPTURE,
	  .cmds = ILP_CMD_WATCH, .not_for = "--before-mb: only for watch, not %s",
	  .kind = ILP_OPT_UINT, FIELD(before_mb), .min = 1, .max = 65536,
	  .bad = "a size in MiB (1 to 65536)",
	  .help = "watch: the most memory the pages of --before and --after take, in "
		  "MiB; past it the oldest pages go first (the dump then says its before "
		  "part is short)" },
	{ .name = "max-dumps", .arg = "N", .def = "10", .section = ILP_SEC_CAPTURE,
	  .cmds = ILP_CMD_WATCH, .not_for = "--max-dumps: only for watch, not %s",
	  .kind = ILP_OPT_UINT, FIELD(max_dumps), .min = 1, .max = 1000000,
	  .bad = "a count (1 to 1000000)",
	  .help = "watch: stop watching (and tracing) after N dumps, with one line saying "
		  "so" },
	{ .name = "cooldown", .arg = "SEC", .def = "0", .def_elsewhere = 1, .unit = ILP_UNIT_S,
	  .section = ILP_SEC_CAPTURE, .cmds = ILP_CMD_WATCH,
	  .not_for = "--cooldown: only for watch, not %s", .kind = ILP_OPT_SECONDS,
	  FIELD(cooldown), .bad = "a number of seconds",
	  .help = "watch: after a dump is written, triggers are ignored for SEC seconds "
		  "(counted in the next dump's header)" },

	/* ---- Report and format ---- */
	{ .name = "output", .short_name = 'o', .arg = "FILE", .section = ILP_SEC_REPORT,
	  .cmds = ILP_CMD_ALL | ILP_CMD_WATCH, .kind = ILP_OPT_STRING, FIELD(output),
	  .help = "write the report to FILE (default: stderr; report: stdout; -: stdout); "
		  "record: the trace.dat to write (required, mode 0600); FILE appears "
		  "whole at the end (a temporary file renamed over it; a symlink there is "
		  "replaced, not followed); watch: the directory of the dumps (required; "
		  "made, mode 0700, if missing)" },
	{ .name = "input", .short_name = 'i', .arg = "FILE", .def = "trace.dat",
	  .def_elsewhere = 1, .section = ILP_SEC_REPORT, .cmds = ILP_CMD_REPORT,
	  .not_for = "-i: only for report, not %s", .kind = ILP_OPT_STRING, FIELD(input),
	  .help = "report: the trace file to read" },
	{ .name = "format", .arg = "FMT", .def = "text", .section = ILP_SEC_REPORT,
	  .cmds = ILP_CMD_ALL, .kind = ILP_OPT_CHOICE, .choices = formats, FIELD(format),
	  .help = "report format: text, json (every number of the text report, integers "
		  "in ns, schema in docs/report.schema.json), html (one self-contained page "
		  "with SVG latency charts and wait flame graphs), folded (stack;lines NS for "
		  "flamegraph.pl/speedscope), perfetto (Chrome trace JSON of the 256 "
		  "longest calls per process and the 256 slowest disk requests per device), "
		  "prom (Prometheus text format: counters and latency histograms per "
		  "process and syscall, lock and device; node_exporter's textfile collector "
		  "reads it; with --interval and -o FILE, FILE is rewritten each interval) "
		  "or pprof (gzipped profile.proto of the wait stacks, sample types wait "
		  "(ns) and calls, for go tool pprof, Pyroscope, Parca; binary: needs -o "
		  "FILE or a pipe)" },
	{ .name = "push", .arg = "URL", .section = ILP_SEC_REPORT,
	  .cmds = ILP_CMD_RUN | ILP_CMD_ATTACH | ILP_CMD_REPORT,
	  .not_for = "--push: only for run, attach and report, not %s",
	  .kind = ILP_OPT_STRING, FIELD(push),
	  .help = "with --format pprof: also POST the final profile to URL as Pyroscope's "
		  "/ingest takes one (multipart form, file field profile; the query gets "
		  "name=iolockprof, from, until and format=pprof unless URL has them; a "
		  "URL without a path means its /ingest); not with --interval" },
	{ .name = "threads", .short_name = 't', .section = ILP_SEC_REPORT, .cmds = ILP_CMD_ALL,
	  .kind = ILP_OPT_FLAG, FIELD(threads),
	  .help = "add a per-thread breakdown" },
	{ .name = "hist", .arg = "N", .def = "3", .section = ILP_SEC_REPORT,
	  .cmds = ILP_CMD_ALL, .kind = ILP_OPT_UINT, FIELD(top_hist), .min = 0, .max = 1000,
	  .bad = "a count",
	  .help = "latency histograms for the top N syscalls of each process, 0 for none" },

	/* ---- Findings thresholds (docs/detectors.md) ---- */
	{ .name = "loop-min", .arg = "N", .section = ILP_SEC_FINDINGS, .cmds = ILP_CMD_ALL,
	  .kind = ILP_OPT_UINT, TH(loop_min), .min = 2, .max = COUNT_MAX,
	  .bad = "a count (2 or more)",
	  .help = "loop: iterations of the same calls on the same objects in one thread, "
		  "such as a transaction per item; the findings on its objects nest under it" },
	{ .name = "min-ops", .arg = "N", .section = ILP_SEC_FINDINGS, .cmds = ILP_CMD_ALL,
	  .kind = ILP_OPT_UINT, TH(min_ops), .min = 1, .max = COUNT_MAX, .bad = "a count",
	  .help = "unbuffered, random I/O: calls on one object" },
	{ .name = "small-bytes", .arg = "B", .unit = ILP_UNIT_BYTES, .section = ILP_SEC_FINDINGS,
	  .cmds = ILP_CMD_ALL, .kind = ILP_OPT_UINT, TH(small_bytes), .min = 1, .max = 1 << 30,
	  .bad = "a size in bytes",
	  .help = "unbuffered: median call size below B is small" },
	{ .name = "nplus1-min", .arg = "N", .section = ILP_SEC_FINDINGS, .cmds = ILP_CMD_ALL,
	  .kind = ILP_OPT_UINT, TH(nplus1_min), .min = 2, .max = COUNT_MAX,
	  .bad = "a count (2 or more)",
	  .help = "N+1: request/response round trips on one socket (or a process's "
		  "connections to one peer), or a pipe/socket pair" },
	{ .name = "repeat-min", .arg = "N", .section = ILP_SEC_FINDINGS, .cmds = ILP_CMD_ALL,
	  .kind = ILP_OPT_UINT, TH(repeat_min), .min = 2, .max = COUNT_MAX,
	  .bad = "a count (2 or more)",
	  .help = "repeat: opens + stats of one path" },
	{ .name = "fsync-min", .arg = "N", .section = ILP_SEC_FINDINGS, .cmds = ILP_CMD_ALL,
	  .kind = ILP_OPT_UINT, TH(fsync_min), .min = 2, .max = COUNT_MAX,
	  .bad = "a count (2 or more)",
	  .help = "fsync storm: syncs of one file, at >= 10/s" },
	{ .name = "random-pct", .arg = "P", .unit = ILP_UNIT_PCT, .section = ILP_SEC_FINDINGS,
	  .cmds = ILP_CMD_ALL, .kind = ILP_OPT_UINT, TH(random_pct), .min = 0, .max = 100,
	  .bad = "a percentage (0 to 100)",
	  .help = "random I/O: % of positioned calls not at the previous one's end" },
	{ .name = "lock-min", .arg = "N", .section = ILP_SEC_FINDINGS, .cmds = ILP_CMD_ALL,
	  .kind = ILP_OPT_UINT, TH(lock_min), .min = 1, .max = COUNT_MAX,
	  .bad = "a count (1 or more)",
	  .help = "hot lock: contended waits on one mutex or kernel lock, whose wait time "
		  "is also at least --lock-pct or --lock-ms" },
	{ .name = "lock-pct", .arg = "P", .unit = ILP_UNIT_PCT, .section = ILP_SEC_FINDINGS,
	  .cmds = ILP_CMD_ALL, .kind = ILP_OPT_UINT, TH(lock_pct), .min = 0, .max = 100,
	  .bad = "a percentage (0 to 100)",
	  .help = "hot lock: wait time as P % of the wall time" },
	{ .name = "lock-ms", .arg = "MS", .unit = ILP_UNIT_MS, .section = ILP_SEC_FINDINGS,
	  .cmds = ILP_CMD_ALL, .kind = ILP_OPT_UINT, TH(lock_ns), .min = 0, .max = 3600000,
	  .bad = "milliseconds",
	  .help = "hot lock: wait time in milliseconds" },
	{ .name = "slow", .arg = "MS", .unit = ILP_UNIT_MS, .section = ILP_SEC_FINDINGS,
	  .cmds = ILP_CMD_ALL, .kind = ILP_OPT_UINT, TH(slow_ns), .min = 0, .max = 86400000,
	  .bad = "a number of milliseconds",
	  .help = "list each call that took MS milliseconds or more under Blocking calls, "
		  "with its start time, thread, object and off-CPU split, and report slow "
		  "call findings for them, 0 for none" },
	{ .name = "min-saving", .arg = "MS", .unit = ILP_UNIT_MS, .section = ILP_SEC_FINDINGS,
	  .cmds = ILP_CMD_ALL, .kind = ILP_OPT_UINT, TH(min_saving_ns), .min = 0,
	  .max = 3600000, .bad = "milliseconds",
	  .help = "hide findings that would save less" },
	{ .name = "all", .section = ILP_SEC_FINDINGS, .cmds = ILP_CMD_ALL, .kind = ILP_OPT_FLAG,
	  FIELD(all_findings),
	  .help = "list every finding: the ones under 1% of the wall time fold into one "
		  "\"minor:\" line otherwise (text, html; json lists them all)" },

	/* ---- Backend ---- */
	{ .name = "backend", .arg = "B", .def = "auto", .section = ILP_SEC_BACKEND,
	  .cmds = ILP_CMD_ALL, .kind = ILP_OPT_CHOICE, .choices = backends, FIELD(backend),
	  .help = "auto (ftrace if tracefs is usable, else ptrace), ftrace, or ptrace (no "
		  "root needed; no disk, kernel lock or off-CPU data; run: a seccomp filter "
		  "stops the app only at profiled syscalls, and sets no_new_privs: setuid "
		  "programs run without their privilege; attach: every syscall stops the "
		  "app, so expect a large slowdown)" },
	{ .name = "stacks", .section = ILP_SEC_BACKEND, .cmds = ILP_CMD_ALL,
	  .kind = ILP_OPT_FLAG, FIELD(stacks),
	  .help = "report the call sites of the syscalls, e.g. \"write from fetch_user "
		  "(app.c:42)\": ftrace: the kernel walks the user stack along frame pointers "
		  "at each syscall entry (no stop; build with -fno-omit-frame-pointer); "
		  "ptrace: unwinds it with libdw at each profiled syscall (DWARF, no frame "
		  "pointers needed)" },
	{ .name = "sleep-stacks", .section = ILP_SEC_BACKEND,
	  .cmds = ILP_CMD_RUN | ILP_CMD_ATTACH,
	  .not_for = "--sleep-stacks: only for run and attach, not %s",
	  .kind = ILP_OPT_FLAG, FIELD(sleep_stacks),
	  .help = "ftrace: record the kernel stack each time a traced thread goes to "
		  "sleep in a syscall and report the kernel function it waited in, e.g. "
		  "\"read waited in anon_pipe_read (pipe empty)\" or \"fsync waited in "
		  "jbd2_log_wait_commit (journal commit)\"; costs a few microseconds per "
		  "sleep (see README)" },
	{ .name = "names", .arg = "MODE", .def = "fast", .section = ILP_SEC_BACKEND,
	  .cmds = ILP_CMD_RUN | ILP_CMD_RECORD,
	  .not_for = "--names: only for run and record -- CMD, not %s (the filter must be "
		     "there before the command starts)",
	  .kind = ILP_OPT_CHOICE, .choices = name_modes, FIELD(names_exact),
	  .help = "run, record -- CMD: how fd names are read under ftrace: fast (from "
		  "/proc and the kernel, a name that cannot be made certain is shown as "
		  "\"name lost\") or exact (a seccomp filter stops the app at calls that "
		  "take a path or make an fd, and reads the name there: every name exact; "
		  "an open storm runs several times slower)" },

	/* ---- Other ---- */
	{ .name = "fail-above", .arg = "PCT", .section = ILP_SEC_OTHER, .cmds = ILP_CMD_DIFF,
	  .not_for = "--fail-above: only for diff, not %s", .kind = ILP_OPT_FN,
	  .parse = parse_pct,
	  .help = "diff: exit 1 if the total or any entry grew by more than PCT percent "
		  "(entries under 1 ms or 1% of the total are noise and never fail the gate; "
		  "a new entry above that counts as a regression)" },
	{ .name = "help", .short_name = 'h', .section = ILP_SEC_OTHER,
	  .cmds = ILP_CMD_ANY | ILP_CMD_TOP, .kind = ILP_OPT_ACTION, .action = ILP_ACT_HELP,
	  .help = "this help" },
	{ .name = "version", .short_name = 'V', .section = ILP_SEC_OTHER, .cmds = ILP_CMD_TOP,
	  .kind = ILP_OPT_ACTION, .action = ILP_ACT_VERSION,
	  .help = "print the version (first argument only)" },
	{ .name = "remove-stale", .section = ILP_SEC_OTHER, .cmds = ILP_CMD_TOP,
	  .kind = ILP_OPT_ACTION, .action = ILP_ACT_REMOVE_STALE,
	  .help = "remove the tracefs instances of iolockprof sessions that are provably "
		  "dead (every session does this when it starts) and say what was kept "
		  "(first argument only)" },
};

#define NOPTIONS (sizeof(options) / sizeof(options[0]))

static const char *const section_names[ILP_SEC_COUNT] = {
	[ILP_SEC_CAPTURE] = "Capture",
	[ILP_SEC_REPORT] = "Report and format",
	[ILP_SEC_FINDINGS] = "Findings thresholds",
	[ILP_SEC_BACKEND] = "Backend",
	[ILP_SEC_OTHER] = "Other",
};

static const struct {
	const char *name;
	uint64_t scale;		/* what the field holds for one typed unit */
	const char *stored;	/* the unit of the field, as the JSON report names it */
} units[] = {
	[ILP_UNIT_NONE] = { "", 1, "count" },
	[ILP_UNIT_BYTES] = { "B", 1, "bytes" },
	[ILP_UNIT_KIB] = { "KiB", 1, "KiB" },
	[ILP_UNIT_PCT] = { "%", 1, "percent" },
	[ILP_UNIT_MS] = { "ms", 1000000, "ns" },	/* the thresholds hold ns */
	[ILP_UNIT_S] = { "s", 1, "s" },
};

size_t ilp_option_count(void)
{
	return NOPTIONS;
}

const struct ilp_option *ilp_option(size_t i)
{
	return i < NOPTIONS ? &options[i] : NULL;
}

const char *ilp_option_section_name(enum ilp_opt_section s)
{
	return (unsigned)s < ILP_SEC_COUNT ? section_names[s] : "";
}

static uint64_t load_uint(const void *field, size_t size)
{
	uint64_t v64;
	unsigned v32;

	if (size == sizeof(v64)) {
		memcpy(&v64, field, size);
		return v64;
	}
	memcpy(&v32, field, sizeof(v32));
	return v32;
}

/* into an int, enum or unsigned field, or a uint64_t/size_t one (the test
 * checks every row's field is one of those sizes) */
static void store_uint(void *field, size_t size, uint64_t v)
{
	unsigned v32 = (unsigned)v;

	if (size == sizeof(v))
		memcpy(field, &v, size);
	else
		memcpy(field, &v32, sizeof(v32));
}

/* a stored value as it is typed, with its unit if with_unit ("100 ms") */
static int fmt_typed(const struct ilp_option *opt, uint64_t stored, int with_unit,
		     char *buf, size_t size)
{
	const char *unit = units[opt->unit].name;
	int n = snprintf(buf, size, "%" PRIu64, stored / units[opt->unit].scale);

	if (n >= 0 && (size_t)n < size && with_unit && *unit)
		n = snprintf(buf + n, size - (size_t)n, " %s", unit);
	return n < 0 ? -EIO : 0;
}

int ilp_option_default(const struct ilp_option *opt, int with_unit, char *buf, size_t size)
{
	struct ilp_thresholds th;
	const char *unit = units[opt->unit].name;
	int n;

	if (opt->threshold) {
		ilp_thresholds_default(&th);
		return fmt_typed(opt, load_uint((char *)&th + opt->off, opt->size), with_unit,
				 buf, size);
	}
	if (!opt->def)
		return -ENOENT;
	n = snprintf(buf, size, "%s", opt->def);
	if (n >= 0 && (size_t)n < size && with_unit && *unit)
		n = snprintf(buf + n, size - (size_t)n, " %s", unit);
	return n < 0 ? -EIO : 0;
}

int ilp_option_threshold_str(const char *name, const char *unit, uint64_t value,
			     char *buf, size_t size)
{
	for (size_t i = 0; i < NOPTIONS; i++) {
		const struct ilp_option *opt = &options[i];

		if (opt->threshold && !strcmp(opt->name, name) &&
		    !strcmp(units[opt->unit].stored, unit))
			return fmt_typed(opt, value, 1, buf, size);
	}
	snprintf(buf, size, "%" PRIu64 " %s", value, unit);
	return -ENOENT;
}

size_t ilp_options_thresholds(const struct ilp_thresholds *th,
			      struct ilp_report_threshold *out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < NOPTIONS; i++) {
		const struct ilp_option *opt = &options[i];

		if (!opt->threshold)
			continue;
		if (n < max) {
			out[n].name = opt->name;
			out[n].unit = units[opt->unit].stored;
			out[n].value = load_uint((const char *)th + opt->off, opt->size);
		}
		n++;
	}
	return n;
}

const struct ilp_option *ilp_option_top(const char *arg)
{
	size_t i;

	for (i = 0; i < NOPTIONS; i++) {
		const struct ilp_option *opt = &options[i];

		if (!(opt->cmds & ILP_CMD_TOP))
			continue;
		if ((arg[0] == '-' && arg[1] == '-' && !strcmp(arg + 2, opt->name)) ||
		    (opt->short_name && arg[0] == '-' && arg[1] == opt->short_name && !arg[2]))
			return opt;
	}
	return NULL;
}

int ilp_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("iolockprof: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see iolockprof --help)\n", stderr);
	return -EINVAL;
}

/* "-b" when it has a short name, else "--hist": what its errors call it */
static const char *label(const struct ilp_option *opt, char *buf, size_t size)
{
	if (opt->short_name)
		snprintf(buf, size, "-%c", opt->short_name);
	else
		snprintf(buf, size, "--%s", opt->name);
	return buf;
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

/* "%file, %process, ..." for an error: every class -e takes */
static void class_list(char *buf, size_t size)
{
	const char *name;
	size_t len = 0;
	int i, n;

	buf[0] = 0;
	for (i = 0; (name = ilp_strace_class_name(i)) && len < size; i++, len += (size_t)n) {
		n = snprintf(buf + len, size - len, "%s%s", i ? ", " : "", name);
		if (n < 0)
			break;
	}
}

/* why tok is not a syscall name, as a usage error */
static int unknown_syscall(const char *tok)
{
	char cls[64], list[256];

	if (strchr(tok, '!'))
		return ilp_usage_error("-e: '!' negates the whole list and goes first "
				       "(-e '!read,write'), not '%s'", tok);
	if (strchr(tok, '='))
		return ilp_usage_error("-e: only strace's trace= is taken, not '%s'", tok);
	snprintf(cls, sizeof(cls), "%%%s", tok);
	if (ilp_strace_class_by_name(cls) > 0)	/* strace's deprecated spelling */
		return ilp_usage_error("-e: unknown syscall '%s' (the class is %s)", tok, cls);
	if (tok[0] == '%') {
		class_list(list, sizeof(list));
		return ilp_usage_error("-e: unknown class '%s' (classes: %s)", tok, list);
	}
	return ilp_usage_error("-e: unknown syscall '%s'", tok);
}

/* the syscalls of one -e value into set[]: 1 if it matched any, 0 if none
 * (or, quiet, an unknown name), or a usage error */
static int add_syscalls(unsigned char *set, const char *tok, int quiet)
{
	regex_t re;
	int nr, cls, hits = 0;

	if (!strcmp(tok, "all")) {
		memset(set, 1, ILP_SC_MAX);
		return 1;
	}
	if (!strcmp(tok, "none"))
		return 1;
	if (tok[0] == '/') {	/* strace's /REGEX, on the names */
		if (regcomp(&re, tok + 1, REG_EXTENDED | REG_NOSUB))
			return ilp_usage_error("-e: '%s' is not a regular expression", tok + 1);
		for (nr = 0; nr < ilp_syscall_count(); nr++) {
			const char *name = ilp_syscall_name(nr);

			if (strncmp(name, "syscall_", 8) && !regexec(&re, name, 0, NULL, 0))
				hits = set[nr] = 1;
		}
		regfree(&re);
		return hits;
	}
	if (tok[0] == '%') {
		cls = ilp_strace_class_by_name(tok);
		if (cls < 0)
			return quiet ? 0 : unknown_syscall(tok);
		for (nr = 0; nr < ILP_SC_MAX; nr++)
			if (ilp_syscall_strace_class(nr) & (unsigned)cls)
				hits = set[nr] = 1;
		return hits;
	}
	nr = ilp_syscall_nr(tok);
	if (nr < 0 || nr >= ILP_SC_MAX)
		return quiet ? 0 : unknown_syscall(tok);
	set[nr] = 1;
	return 1;
}

/*
 * strace's -e trace=SET: [trace=|t=][!]VALUE[,VALUE...], each VALUE a
 * syscall name, a class (%file, %desc...: syscalls.h), /REGEX on the
 * names, all or none; ?VALUE may match nothing.  ! traces every other
 * call (every number, unknown ones too, as strace does).  The set goes
 * into o->syscalls as numbers, ascending; the set of all: NULL, no filter.
 * The last -e counts.
 */
static int parse_syscalls(const struct ilp_option *opt, const char *arg, struct ilp_opts *o)
{
	unsigned char set[ILP_SC_MAX] = { 0 };
	const char *list = arg;
	char *copy, *tok, *save = NULL;
	int negate = 0, err = 0, nr, ntok = 0;
	size_t n = 0;

	(void)opt;
	if (!strncmp(list, "trace=", 6))
		list += 6;
	else if (!strncmp(list, "t=", 2))
		list += 2;
	if (*list == '!') {
		negate = 1;
		list++;
	}
	free(o->syscalls);	/* the last -e counts */
	o->syscalls = NULL;
	o->nsyscalls = 0;
	copy = strdup(list);
	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok && !err; tok = strtok_r(NULL, ",", &save)) {
		int quiet = tok[0] == '?';
		int hits = add_syscalls(set, tok + quiet, quiet);

		ntok++;
		if (hits < 0)
			err = hits;
		else if (!hits && !quiet)
			err = ilp_usage_error("-e: '%s' matches no syscall", tok);
	}
	free(copy);
	if (!err && !ntok)
		err = ilp_usage_error("-e: empty syscall list");
	if (err)
		return err;
	for (nr = 0; nr < ILP_SC_MAX; nr++) {
		set[nr] ^= (unsigned char)negate;
		n += set[nr];
	}
	if (!n)
		return ilp_usage_error("-e: '%s' selects no syscall", arg);
	if (n == ILP_SC_MAX)	/* all: no filter */
		return 0;
	o->syscalls = malloc(n * sizeof(int));
	if (!o->syscalls)
		return -ENOMEM;
	for (nr = 0; nr < ILP_SC_MAX; nr++)
		if (set[nr])
			o->syscalls[o->nsyscalls++] = nr;
	return 0;
}

int ilp_options_add_pids(struct ilp_opts *o, const char *list, const char *what)
{
	const char *s = list;
	char tok[16];

	do {
		size_t len = strcspn(s, ","), i;
		pid_t pid, *v;

		/* digits only: no sign or space that strtol would take */
		if (len >= sizeof(tok) || strspn(s, "0123456789") < len)
			return ilp_usage_error("%s: '%.*s' is not a process id", what, (int)len, s);
		memcpy(tok, s, len);
		tok[len] = 0;
		if (ilp_procfs_parse_pid(tok, &pid))
			return ilp_usage_error("%s: '%s' is not a process id", what, tok);
		s += len + (s[len] == ',');
		for (i = 0; i < o->npids && o->pids[i] != pid; i++)
			;
		if (i < o->npids)	/* named twice: traced once */
			continue;
		v = realloc(o->pids, (o->npids + 1) * sizeof(*v));
		if (!v)
			return -ENOMEM;
		o->pids = v;
		o->pids[o->npids++] = pid;
	} while (*s);
	return 0;
}

static int parse_pids(const struct ilp_option *opt, const char *arg, struct ilp_opts *o)
{
	(void)opt;
	return ilp_options_add_pids(o, arg, "-p");
}

/* watch --trigger EXPR, once per trigger: parsed now, a bad one is the
 * usage error before anything is traced */
static int parse_trigger(const struct ilp_option *opt, const char *arg, struct ilp_opts *o)
{
	struct ilp_trigger t, *v;
	char why[160];

	if (ilp_trigger_parse(arg, &t, why, sizeof(why)))
		return ilp_usage_error("--%s '%s': %s", opt->name, arg, why);
	v = realloc(o->triggers, (o->ntriggers + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	v[o->ntriggers++] = t;
	o->triggers = v;
	return 0;
}

/* diff --fail-above PCT: a percentage, 0 or more (decimals allowed) */
static int parse_pct(const struct ilp_option *opt, const char *arg, struct ilp_opts *o)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !isfinite(v) || v < 0 || v > 1e9)
		return ilp_usage_error("--%s: '%s' is not a percentage (0 or more)",
				       opt->name, arg);
	o->fail_above = v;
	o->fail_gate = 1;
	return 0;
}

static int parse_user(const struct ilp_option *opt, const char *arg, struct ilp_opts *o)
{
	(void)opt;
	if (!*arg || !getpwnam(arg))
		return ilp_usage_error("-u: no such user: '%s'", arg);
	o->user = arg;
	return 0;
}

/* "one of text, json, html" from choices[], for the usage error */
static void choice_list(const struct ilp_opt_choice *c, char *buf, size_t size)
{
	size_t len = 0;
	int n;

	buf[0] = 0;
	for (; c->name && len < size; c++, len += (size_t)n) {
		n = snprintf(buf + len, size - len, "%s%s", len ? ", " : "one of ", c->name);
		if (n < 0)
			break;
	}
}

/* sets opt's field from arg; a bad value is a usage error (-EINVAL) */
static int set_value(const struct ilp_option *opt, const char *arg, struct ilp_opts *o)
{
	char name[32], list[128];
	void *field;
	unsigned long v;
	double secs;
	const struct ilp_opt_choice *c;
	const char *what = opt->bad;

	/* no thresholds to set (o->th NULL: the defaults): still checked */
	if (opt->threshold)
		field = o->th ? (char *)o->th + opt->off : NULL;
	else
		field = (char *)o + opt->off;
	switch (opt->kind) {
	case ILP_OPT_FLAG:
		store_uint(field, opt->size, 1);
		return 0;
	case ILP_OPT_STRING:
		memcpy(field, &arg, sizeof(arg));
		return 0;
	case ILP_OPT_UINT:
		if (parse_uint(arg, ULONG_MAX, &v) || v < opt->min || v > opt->max)
			break;
		if (field)
			store_uint(field, opt->size, (uint64_t)v * units[opt->unit].scale);
		return 0;
	case ILP_OPT_SECONDS:
		if (parse_seconds(arg, &secs))
			break;
		memcpy(field, &secs, sizeof(secs));
		return 0;
	case ILP_OPT_CHOICE:
		for (c = opt->choices; c->name; c++)
			if (!strcmp(arg, c->name)) {
				store_uint(field, opt->size, (unsigned)c->value);
				return 0;
			}
		choice_list(opt->choices, list, sizeof(list));
		what = list;
		break;
	case ILP_OPT_FN:
		return opt->parse(opt, arg, o);
	case ILP_OPT_ACTION:
		return 0;
	}
	return ilp_usage_error("%s: '%s' is not %s", label(opt, name, sizeof(name)), arg, what);
}

/*
 * The table's defaults, through the same parser as a typed value, so a
 * default is written once; thresholds have theirs from
 * ilp_thresholds_default() (the detectors' own, for callers without a
 * command line).
 */
static int set_defaults(struct ilp_opts *o)
{
	size_t i;
	int err;

	for (i = 0; i < NOPTIONS; i++) {
		const struct ilp_option *opt = &options[i];

		if (!opt->def || opt->def_elsewhere || opt->threshold ||
		    !(opt->cmds & (ILP_CMD_ALL | ILP_CMD_WATCH)))
			continue;
		err = set_value(opt, opt->def, o);
		if (err)
			return err;
	}
	return 0;
}

/* getopt_long's long options and short string, for the options commands take */
static int make_getopt(int permute, struct option **longopts, char **shortopts)
{
	struct option *lo;
	char *so;
	size_t i, nl = 0, ns = 0;

	lo = calloc(NOPTIONS + 1, sizeof(*lo));
	/* "+:": stop at the first non-option, so run's command keeps its own
	 * options (diff's options may follow its files: no '+'); report a
	 * missing value as ':' */
	so = malloc(2 + 2 * NOPTIONS + 1);
	if (!lo || !so) {
		free(lo);
		free(so);
		return -ENOMEM;
	}
	if (!permute)
		so[ns++] = '+';
	so[ns++] = ':';
	for (i = 0; i < NOPTIONS; i++) {
		const struct ilp_option *opt = &options[i];

		/* every command's options, not only this one's: one it cannot
		 * use gets its own error, not "unknown option" */
		if (!(opt->cmds & ILP_CMD_ANY))
			continue;
		lo[nl].name = opt->name;
		lo[nl].has_arg = opt->arg ? required_argument : no_argument;
		lo[nl].val = 256 + (int)i;	/* past every char: a row index */
		nl++;
		if (opt->short_name) {
			so[ns++] = opt->short_name;
			if (opt->arg)
				so[ns++] = ':';
		}
	}
	so[ns] = 0;
	*longopts = lo;
	*shortopts = so;
	return 0;
}

static const struct ilp_option *by_short(int c)
{
	size_t i;

	for (i = 0; i < NOPTIONS; i++)
		if (options[i].short_name && options[i].short_name == c &&
		    (options[i].cmds & (ILP_CMD_ALL | ILP_CMD_WATCH)))
			return &options[i];
	return NULL;
}

int ilp_options_parse(unsigned cmd, const char *cmd_name, int argc, char **argv,
		      struct ilp_opts *o)
{
	struct option *longopts = NULL;
	char *shortopts = NULL;
	const struct ilp_option *opt;
	int c, err;

	err = set_defaults(o);
	if (!err)
		err = make_getopt(cmd == ILP_CMD_DIFF, &longopts, &shortopts);
	if (err)
		return err;
	optind = 0;	/* 0, not 1: getopt forgets any earlier parse entirely */
	opterr = 0;	/* its errors are ours, in one line */
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (c == ':') {
			err = ilp_usage_error("option '%s' needs a value", argv[optind - 1]);
			break;
		}
		opt = c >= 256 && c < 256 + (int)NOPTIONS ? &options[c - 256] : by_short(c);
		if (!opt) {
			err = ilp_usage_error("unknown option '%s'", argv[optind - 1]);
			break;
		}
		if (!(opt->cmds & cmd)) {
			/* rows for every capture command say nothing of diff's */
			err = opt->not_for ? ilp_usage_error(opt->not_for, cmd_name) :
			      ilp_usage_error("--%s: not an option of %s", opt->name, cmd_name);
			break;
		}
		if (opt->kind == ILP_OPT_ACTION) {
			err = opt->action;
			break;
		}
		err = set_value(opt, optarg, o);
		if (err)
			break;
	}
	free(longopts);
	free(shortopts);
	if (err)
		return err;
	if (optind < argc && !strcmp(argv[optind], "--"))
		optind++;
	o->argv = argv + optind;
	o->argc = argc - optind;
	return 0;
}

int ilp_help_item(FILE *out, const char *left, size_t col, const char *text)
{
	size_t at, len;
	int r = 0;

	r |= fputs(left, out) < 0;
	at = strlen(left);
	if (at && at >= col) {	/* then the text starts on the next line */
		r |= fputc('\n', out) < 0;
		at = 0;
	}
	while (*text) {
		/* the longest run of words that fits from col to HELP_WIDTH */
		size_t room = HELP_WIDTH - col;
		const char *end = text;

		len = strlen(text);
		if (len > room) {
			for (end = text + room; end > text && *end != ' '; end--)
				;
			if (end == text)	/* one word longer than the line */
				for (end = text + room; *end && *end != ' '; end++)
					;
			len = (size_t)(end - text);
		}
		r |= fprintf(out, "%*s", (int)(col - at), "") < 0;
		for (size_t k = 0; k < len; k++)
			r |= fputc(text[k] == HELP_NBSP ? ' ' : text[k], out) == EOF;
		r |= fputc('\n', out) == EOF;
		at = 0;
		text += len;
		while (*text == ' ')
			text++;
	}
	return r ? -EIO : 0;
}

int ilp_options_help(FILE *out)
{
	return ilp_options_help_for(out, ~0u);
}

int ilp_options_help_for(FILE *out, unsigned cmds)
{
	char left[64], def[48], text[1024];
	size_t i;
	int s, r = 0;

	for (s = 0; s < ILP_SEC_COUNT; s++) {
		const char *title = section_names[s];

		for (i = 0; i < NOPTIONS; i++)
			if (options[i].section == (enum ilp_opt_section)s && (options[i].cmds & cmds))
				break;
		if (i == NOPTIONS)	/* none of this section's options is cmds' */
			continue;
		r |= fprintf(out, "\n%c%s%s:\n", tolower((unsigned char)title[0]), title + 1,
			     s == ILP_SEC_FINDINGS ? " (how each detector decides: "
			     "docs/detectors.md)" : "") < 0;
		for (i = 0; i < NOPTIONS; i++) {
			const struct ilp_option *opt = &options[i];

			if (opt->section != (enum ilp_opt_section)s || !(opt->cmds & cmds))
				continue;
			if (opt->short_name)
				snprintf(left, sizeof(left), "  -%c, --%s%s%s", opt->short_name,
					 opt->name, opt->arg ? " " : "", opt->arg ? opt->arg : "");
			else
				snprintf(left, sizeof(left), "      --%s%s%s", opt->name,
					 opt->arg ? " " : "", opt->arg ? opt->arg : "");
			if (!ilp_option_default(opt, 1, def, sizeof(def))) {
				/* "(default 100 ms)" stays on one line */
				for (char *c = def; *c; c++)
					if (*c == ' ')
						*c = HELP_NBSP;
				snprintf(text, sizeof(text), "%s (default%c%s)", opt->help,
					 HELP_NBSP, def);
			}
			else
				snprintf(text, sizeof(text), "%s", opt->help);
			r |= ilp_help_item(out, left, HELP_COL, text) < 0;
		}
	}
	return r ? -EIO : 0;
}
