// SPDX-License-Identifier: MIT
/*
 * Unit tests for src/cli/options.c, the one option table: its rows are
 * well-formed, parsing goes through them (defaults, values, units, errors),
 * and the documentation agrees with them: every option in the table is in
 * the OPTIONS section of docs/iolockprof.1 and every option there is in
 * the table, in the same subsection and order, with the same short name,
 * value and default; every threshold is in docs/detectors.md's flag table
 * with the same value name and default.  Run from the source tree (make
 * unit does).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "analyze.h"
#include "cli.h"
#include "options.h"
#include "report.h"
#include "syscalls.h"

#define MAN_PAGE "docs/iolockprof.1"
#define DETECTORS_MD "docs/detectors.md"
#define MS 1000000ull

/* ---- the table itself ---- */

static void test_rows_well_formed(void **state)
{
	size_t i, j, n = ilp_option_count();
	int last_section = 0;

	(void)state;
	assert_true(n > 0);
	assert_null(ilp_option(n));
	for (i = 0; i < n; i++) {
		const struct ilp_option *o = ilp_option(i);
		unsigned cmds = o->cmds & ILP_CMD_ALL;
		const char *pc;

		assert_non_null(o->name);
		assert_true(o->help && *o->help);
		assert_true(o->cmds != 0);
		/* --help and the man page list sections in table order */
		assert_true((int)o->section >= last_section && o->section < ILP_SEC_COUNT);
		last_section = (int)o->section;
		for (j = 0; j < i; j++) {
			assert_string_not_equal(ilp_option(j)->name, o->name);
			assert_false(o->short_name && ilp_option(j)->short_name == o->short_name);
		}
		/* a command that cannot take it gets its own error, with one %s */
		if (cmds && cmds != ILP_CMD_ALL) {
			assert_non_null(o->not_for);
			pc = strchr(o->not_for, '%');
			assert_true(pc && pc[1] == 's' && !strchr(pc + 1, '%'));
		}
		switch (o->kind) {
		case ILP_OPT_FLAG:
		case ILP_OPT_ACTION:
			assert_null(o->arg);
			break;
		case ILP_OPT_UINT:
			assert_true(o->min <= o->max);
			assert_non_null(o->bad);
			/* the field holds max in the unit's scale */
			assert_true(o->size == 8 || o->max * (o->unit == ILP_UNIT_MS ? MS : 1) <= UINT32_MAX);
			/* fall through */
		case ILP_OPT_CHOICE:
			assert_true(o->size == sizeof(int) || o->size == sizeof(uint64_t));
			assert_non_null(o->arg);
			break;
		case ILP_OPT_SECONDS:
			assert_int_equal(o->size, sizeof(double));
			assert_non_null(o->bad);
			assert_non_null(o->arg);
			break;
		case ILP_OPT_STRING:
			assert_int_equal(o->size, sizeof(char *));
			assert_non_null(o->arg);
			break;
		case ILP_OPT_FN:
			assert_non_null(o->parse);
			assert_non_null(o->arg);
			break;
		}
		if (o->kind == ILP_OPT_CHOICE)
			assert_true(o->choices && o->choices[0].name);
		if (o->kind == ILP_OPT_ACTION)
			assert_true(o->action != ILP_ACT_NONE);
		if (o->threshold)
			assert_int_equal(o->kind, ILP_OPT_UINT);
	}
}

/* a threshold's default comes from ilp_thresholds_default(), whole in its unit */
static void test_threshold_defaults(void **state)
{
	char buf[32];
	size_t i;
	struct ilp_thresholds th;

	(void)state;
	ilp_thresholds_default(&th);
	for (i = 0; i < ilp_option_count(); i++) {
		const struct ilp_option *o = ilp_option(i);
		uint64_t v;

		if (!o->threshold)
			continue;
		assert_null(o->def);	/* declared once: in ilp_thresholds_default() */
		memcpy(&v, (char *)&th + o->off, sizeof(v));
		assert_int_equal(v % (o->unit == ILP_UNIT_MS ? MS : 1), 0);
		assert_int_equal(ilp_option_default(o, 0, buf, sizeof(buf)), 0);
	}
	for (i = 0; i < ilp_option_count() && strcmp(ilp_option(i)->name, "slow"); i++)
		;
	assert_int_equal(ilp_option_default(ilp_option(i), 1, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "100 ms");
	assert_int_equal(th.slow_ns, 100 * MS);
}

/* the JSON report's "thresholds" block: every threshold row, in the table's
 * order, in the unit the model holds it in; and back as it is typed */
static void test_thresholds_block(void **state)
{
	struct ilp_report_threshold t[ILP_REPORT_THRESHOLDS_MAX];
	struct ilp_thresholds th;
	size_t i, n, k = 0;
	char buf[48];

	(void)state;
	ilp_thresholds_default(&th);
	th.slow_ns = 7 * MS;
	n = ilp_options_thresholds(&th, t, ILP_REPORT_THRESHOLDS_MAX);
	assert_true(n <= ILP_REPORT_THRESHOLDS_MAX);
	for (i = 0; i < ilp_option_count(); i++) {
		const struct ilp_option *o = ilp_option(i);
		uint64_t v;

		if (!o->threshold)
			continue;
		assert_true(k < n);
		assert_string_equal(t[k].name, o->name);
		memcpy(&v, (char *)&th + o->off, sizeof(v));
		assert_int_equal(t[k].value, v);
		assert_string_equal(t[k].unit, o->unit == ILP_UNIT_MS ? "ns" :
				    o->unit == ILP_UNIT_BYTES ? "bytes" :
				    o->unit == ILP_UNIT_PCT ? "percent" : "count");
		k++;
	}
	assert_int_equal(k, n);
	assert_int_equal(n, 12);	/* docs/detectors.md's flag table */
	assert_int_equal(ilp_options_thresholds(&th, t, 2), n);	/* counts past max */
	assert_int_equal(ilp_option_threshold_str("slow", "ns", 50 * MS, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "50 ms");
	assert_int_equal(ilp_option_threshold_str("small-bytes", "bytes", 64, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "64 B");
	assert_int_equal(ilp_option_threshold_str("lock-pct", "percent", 5, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "5 %");
	assert_int_equal(ilp_option_threshold_str("min-ops", "count", 10, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "10");
	/* another version's threshold: as the report gives it */
	assert_int_equal(ilp_option_threshold_str("new-one", "ns", 7, buf, sizeof(buf)), -ENOENT);
	assert_string_equal(buf, "7 ns");
	assert_int_equal(ilp_option_threshold_str("slow", "count", 7, buf, sizeof(buf)), -ENOENT);
}

/* ---- parsing through the table ---- */

struct parsed {
	struct ilp_opts o;
	struct ilp_thresholds th;
	int err;
};

/* parses a NULL-terminated argv, stderr (the usage errors) to /dev/null */
static void parse(struct parsed *p, unsigned cmd, char **argv)
{
	int argc = 0, saved = dup(2), null = open("/dev/null", O_WRONLY);

	while (argv[argc])
		argc++;
	memset(p, 0, sizeof(*p));
	ilp_thresholds_default(&p->th);
	p->o.th = &p->th;
	fflush(stderr);
	if (!getenv("ILP_TEST_STDERR")) dup2(null, 2);
	p->err = ilp_options_parse(cmd, argv[0], argc, argv, &p->o);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(null);
}

static void test_parse_defaults(void **state)
{
	char *argv[] = { "run", "--", "./app", "-t", NULL };
	struct parsed p;
	struct ilp_thresholds def;

	(void)state;
	parse(&p, ILP_CMD_RUN, argv);
	assert_int_equal(p.err, 0);
	assert_int_equal(p.o.top_hist, 3);
	assert_int_equal(p.o.format, ILP_FMT_TEXT);
	assert_int_equal(p.o.backend, ILP_BACKEND_AUTO);
	assert_int_equal(p.o.names_exact, 0);
	assert_int_equal(p.o.buffer_kb, 0);	/* the backend chooses (by CPU count) */
	assert_null(p.o.input);			/* report chooses trace.dat */
	assert_int_equal(p.o.threads, 0);	/* the command's -t is its own */
	memset(&def, 0, sizeof(def));	/* no_offcpu and padding, as parse() */
	ilp_thresholds_default(&def);
	assert_memory_equal(&p.th, &def, sizeof(def));
	assert_int_equal(p.o.argc, 2);
	assert_string_equal(p.o.argv[0], "./app");
}

/* diff: its options come from the table too, before or after its files;
 * the rest of the line is the files */
static void test_parse_diff(void **state)
{
	char *after[] = { "diff", "a.json", "b.json", "--fail-above=12.5", NULL };
	char *before[] = { "diff", "--fail-above", "0", "--", "-a.json", "b.json", NULL };
	char *none[] = { "diff", "a.json", "b.json", NULL };
	char *bad[] = { "diff", "--fail-above", "-1", "a.json", "b.json", NULL };
	char *other[] = { "diff", "-t", "a.json", "b.json", NULL };
	char *run[] = { "run", "--fail-above", "1", "true", NULL };
	struct parsed p;

	(void)state;
	parse(&p, ILP_CMD_DIFF, after);
	assert_int_equal(p.err, 0);
	assert_int_equal(p.o.fail_gate, 1);
	assert_true(p.o.fail_above == 12.5);
	assert_int_equal(p.o.argc, 2);
	assert_string_equal(p.o.argv[0], "a.json");
	assert_string_equal(p.o.argv[1], "b.json");
	parse(&p, ILP_CMD_DIFF, before);
	assert_int_equal(p.err, 0);
	assert_int_equal(p.o.fail_gate, 1);
	assert_true(p.o.fail_above == 0);
	assert_int_equal(p.o.argc, 2);
	assert_string_equal(p.o.argv[0], "-a.json");
	parse(&p, ILP_CMD_DIFF, none);
	assert_int_equal(p.err, 0);
	assert_int_equal(p.o.fail_gate, 0);
	parse(&p, ILP_CMD_DIFF, bad);
	assert_int_equal(p.err, -EINVAL);
	parse(&p, ILP_CMD_DIFF, other);
	assert_int_equal(p.err, -EINVAL);	/* -t: not diff's */
	parse(&p, ILP_CMD_RUN, run);
	assert_int_equal(p.err, -EINVAL);	/* --fail-above: only diff's */
}

static void test_parse_values(void **state)
{
	char *argv[] = { "run", "-t", "--hist", "7", "--slow", "20", "--min-saving=0",
			 "--lock-ms", "3", "--small-bytes", "4096", "-b", "128", "--format",
			 "json", "--backend=ptrace", "--names", "exact", "--all", "--stacks",
			 "-e", "read,write", "-o", "out.txt", "--random-pct", "0", "--loop-min",
			 "2", "./app", "x", NULL };
	struct parsed p;

	(void)state;
	parse(&p, ILP_CMD_RUN, argv);
	assert_int_equal(p.err, 0);
	assert_int_equal(p.o.threads, 1);
	assert_int_equal(p.o.top_hist, 7);
	assert_int_equal(p.th.slow_ns, 20 * MS);	/* ms typed, ns stored */
	assert_int_equal(p.th.min_saving_ns, 0);
	assert_int_equal(p.th.lock_ns, 3 * MS);
	assert_int_equal(p.th.small_bytes, 4096);
	assert_int_equal(p.th.random_pct, 0);
	assert_int_equal(p.th.loop_min, 2);
	assert_int_equal(p.o.buffer_kb, 128);
	assert_int_equal(p.o.format, ILP_FMT_JSON);
	assert_int_equal(p.o.backend, ILP_BACKEND_PTRACE);
	assert_int_equal(p.o.names_exact, 1);
	assert_int_equal(p.o.all_findings, 1);
	assert_int_equal(p.o.stacks, 1);
	assert_int_equal(p.o.nsyscalls, 2);
	assert_string_equal(p.o.output, "out.txt");
	assert_int_equal(p.o.argc, 2);	/* stops at the first non-option */
	assert_string_equal(p.o.argv[0], "./app");
	free(p.o.syscalls);
}

static void test_parse_seconds_and_commands(void **state)
{
	char *attach[] = { "attach", "-d", "1.5", "--interval", "2", "123", NULL };
	char *record[] = { "record", "-p", "1,2", "-o", "t.dat", NULL };
	char *report[] = { "report", "-i", "t.dat", "-b", "64", NULL };
	struct parsed p;

	(void)state;
	parse(&p, ILP_CMD_ATTACH, attach);
	assert_int_equal(p.err, 0);
	assert_true(p.o.duration == 1.5 && p.o.interval == 2);
	parse(&p, ILP_CMD_RECORD, record);
	assert_int_equal(p.err, 0);
	assert_int_equal(p.o.npids, 2);
	assert_true(p.o.pids[0] == 1 && p.o.pids[1] == 2);
	free(p.o.pids);
	parse(&p, ILP_CMD_REPORT, report);	/* takes capture options, ignores them */
	assert_int_equal(p.err, 0);
	assert_string_equal(p.o.input, "t.dat");
}

/* -f, --follow-forks: taken where children are followed, and nothing else */
static void test_parse_follow_forks(void **state)
{
	char *run[] = { "run", "-ff", "--follow-forks", "--", "true", NULL };
	char *attach[] = { "attach", "-f", "1", NULL };
	char *record[] = { "record", "-f", "-p", "1", NULL };
	char *report[] = { "report", "-f", NULL };
	struct parsed p, plain;
	char *run_plain[] = { "run", "--", "true", NULL };

	(void)state;
	parse(&p, ILP_CMD_RUN, run);
	assert_int_equal(p.err, 0);
	parse(&plain, ILP_CMD_RUN, run_plain);
	p.o.follow_forks = 0;	/* the one field it sets */
	p.o.argv = plain.o.argv;	/* and the pointers into each parse */
	p.o.th = plain.o.th;
	assert_memory_equal(&p.o, &plain.o, sizeof(p.o));
	parse(&p, ILP_CMD_ATTACH, attach);
	assert_int_equal(p.err, 0);
	assert_int_equal(p.o.follow_forks, 1);
	parse(&p, ILP_CMD_RECORD, record);
	assert_int_equal(p.err, 0);
	free(p.o.pids);
	parse(&p, ILP_CMD_REPORT, report);
	assert_int_equal(p.err, -EINVAL);
}

/* -p as strace and perf take it: lists, again, each pid once, in order */
static void test_parse_pids(void **state)
{
	char *attach[] = { "attach", "-p", "12,34", "-p", "34", "--pid=56,12", "-p", "7", "99",
			   NULL };
	static const char *const bad[] = { "x", "1,x", "1,,2", ",1", "0", "-5", "+5", "1.5",
					   "4194305", "12345678901234567890", "" };
	struct parsed p;
	size_t i;

	(void)state;
	parse(&p, ILP_CMD_ATTACH, attach);
	assert_int_equal(p.err, 0);
	assert_int_equal(p.o.npids, 4);
	assert_true(p.o.pids[0] == 12 && p.o.pids[1] == 34 && p.o.pids[2] == 56 &&
		    p.o.pids[3] == 7);
	assert_int_equal(p.o.argc, 1);	/* main adds the arguments (same parser) */
	assert_int_equal(ilp_options_add_pids(&p.o, p.o.argv[0], "attach"), 0);
	assert_int_equal(ilp_options_add_pids(&p.o, "7,4194304", "attach"), 0);
	assert_int_equal(p.o.npids, 6);
	assert_true(p.o.pids[4] == 99 && p.o.pids[5] == 4194304);
	free(p.o.pids);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *argv[] = { "attach", "-p", (char *)bad[i], NULL };

		parse(&p, ILP_CMD_ATTACH, argv);
		if (p.err != -EINVAL)
			fail_msg("-p '%s': %d, want -EINVAL", bad[i], p.err);
		free(p.o.pids);
	}
}

/* every way a value or an option can be wrong is -EINVAL (one line said) */
static void test_parse_errors(void **state)
{
	static const struct {
		unsigned cmd;
		const char *argv[4];
	} bad[] = {
		{ ILP_CMD_RUN, { "run", "-d", "1" } },		/* not for run */
		{ ILP_CMD_REPORT, { "report", "--interval", "1" } },
		{ ILP_CMD_REPORT, { "report", "--status", "always" } },
		{ ILP_CMD_RUN, { "run", "--status", "sometimes" } },
		{ ILP_CMD_RUN, { "run", "-p", "1" } },
		{ ILP_CMD_REPORT, { "report", "-p", "1" } },
		{ ILP_CMD_RUN, { "run", "-i", "x" } },
		{ ILP_CMD_ATTACH, { "attach", "-u", "root" } },
		{ ILP_CMD_ATTACH, { "attach", "--names", "exact" } },
		{ ILP_CMD_RUN, { "run", "-V" } },		/* first argument only */
		{ ILP_CMD_RUN, { "run", "--version" } },
		{ ILP_CMD_RUN, { "run", "--remove-stale" } },
		{ ILP_CMD_RUN, { "run", "--no-such" } },
		{ ILP_CMD_RUN, { "run", "--min", "1" } },	/* ambiguous */
		{ ILP_CMD_RUN, { "run", "--hist" } },		/* no value */
		{ ILP_CMD_RUN, { "run", "--hist", "1001" } },
		{ ILP_CMD_RUN, { "run", "--slow", "-1" } },
		{ ILP_CMD_RUN, { "run", "--slow", "86400001" } },
		{ ILP_CMD_RUN, { "run", "--nplus1-min", "1" } },
		{ ILP_CMD_RUN, { "run", "--random-pct", "101" } },
		{ ILP_CMD_RUN, { "run", "-b", "63" } },
		{ ILP_CMD_RUN, { "run", "-b", "1k" } },
		{ ILP_CMD_ATTACH, { "attach", "-d", "0" } },
		{ ILP_CMD_ATTACH, { "attach", "-d", "nan" } },
		{ ILP_CMD_RUN, { "run", "--format", "xml" } },
		{ ILP_CMD_RUN, { "run", "--names", "slow" } },
		{ ILP_CMD_RUN, { "run", "-e", "no_such_call" } },
		{ ILP_CMD_RUN, { "run", "-u", "" } },
		{ ILP_CMD_RUN, { "run", "--threads=1" } },
	};
	char *argv[4];
	struct parsed p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(argv, bad[i].argv, sizeof(argv));
		parse(&p, bad[i].cmd, argv);
		if (p.err != -EINVAL)
			fail_msg("%s %s %s: %d, want -EINVAL", argv[0], argv[1],
				 argv[2] ? argv[2] : "", p.err);
		free(p.o.syscalls);
	}
}

/* ---- -e: strace's -e trace= forms ---- */

/* nr is in the set -e gave */
static int has_nr(const struct parsed *p, int nr)
{
	for (size_t i = 0; i < p->o.nsyscalls; i++)
		if (p->o.syscalls[i] == nr)
			return 1;
	return 0;
}

static void parse_e(struct parsed *p, const char *arg)
{
	char *argv[] = { "run", "-e", (char *)arg, "--", "true", NULL };

	parse(p, ILP_CMD_RUN, argv);
	if (p->err)
		fail_msg("-e '%s': %d, want 0", arg, p->err);
	for (size_t i = 1; i < p->o.nsyscalls; i++)	/* ascending, no twice */
		assert_true(p->o.syscalls[i - 1] < p->o.syscalls[i]);
}

static void expect_names(const char *arg, const char *const *names)
{
	struct parsed p;
	size_t n = 0;

	parse_e(&p, arg);
	for (; names[n]; n++)
		if (!has_nr(&p, ilp_syscall_nr(names[n])))
			fail_msg("-e '%s' lacks %s", arg, names[n]);
	if (p.o.nsyscalls != n)
		fail_msg("-e '%s': %zu syscalls, want %zu", arg, p.o.nsyscalls, n);
	free(p.o.syscalls);
}

static void test_parse_syscalls(void **state)
{
	static const char *const rw[] = { "read", "write", NULL };
	static const char *const pread[] = { "pread64", "preadv", "preadv2", NULL };
	static const char *const one_read[] = { "read", NULL };
	static const char *const one_write[] = { "write", NULL };
	struct parsed p;
	char *twice[] = { "run", "-e", "read", "-e", "trace=write", "true", NULL };
	char *all[] = { "run", "-e", "all", "true", NULL };

	(void)state;
	expect_names("read,write", rw);
	expect_names("trace=write,read", rw);
	expect_names("t=read,write,read", rw);
	expect_names("/^pread", pread);
	expect_names("?no_such_call,read", one_read);
	expect_names("?%no_such_class,read", one_read);
	parse(&p, ILP_CMD_RUN, twice);	/* the last -e counts */
	assert_int_equal(p.err, 0);
	free(p.o.syscalls);
	expect_names("write", one_write);
	parse(&p, ILP_CMD_RUN, all);	/* every call: no filter at all */
	assert_int_equal(p.err, 0);
	assert_null(p.o.syscalls);
	assert_int_equal(p.o.nsyscalls, 0);
#ifdef __x86_64__
	{
		static const char *const memory[] = {
			"mmap", "mprotect", "munmap", "brk", "mremap", "msync", "mincore",
			"madvise", "shmat", "shmdt", "mlock", "munlock", "mlockall",
			"munlockall", "io_setup", "io_destroy", "remap_file_pages", "mbind",
			"set_mempolicy", "get_mempolicy", "migrate_pages", "move_pages",
			"mlock2", "pkey_mprotect", "io_uring_register",
			"set_mempolicy_home_node", NULL };
		static const char *const stat_any[] = {
			"stat", "fstat", "lstat", "newfstatat", "statx", NULL };

		expect_names("%memory", memory);
		parse_e(&p, "trace=%memory,read,mmap");	/* the class and read, once each */
		assert_int_equal(p.o.nsyscalls, 27);
		assert_true(has_nr(&p, 0));
		for (const char *const *m = memory; *m; m++)
			assert_true(has_nr(&p, ilp_syscall_nr(*m)));
		free(p.o.syscalls);
		expect_names("%%stat", stat_any);
		parse_e(&p, "%desc");
		assert_int_equal(p.o.nsyscalls, 123);
		assert_true(has_nr(&p, 0) && has_nr(&p, 1) && has_nr(&p, 3));	/* read write close */
		assert_true(has_nr(&p, ilp_syscall_nr("fsync")));
		assert_false(has_nr(&p, ilp_syscall_nr("socket")));
		assert_false(has_nr(&p, ilp_syscall_nr("stat")));
		free(p.o.syscalls);
		parse_e(&p, "%file");
		assert_int_equal(p.o.nsyscalls, 67);
		assert_true(has_nr(&p, ilp_syscall_nr("openat")) && has_nr(&p, ilp_syscall_nr("unlinkat")));
		assert_true(has_nr(&p, ilp_syscall_nr("stat")) && has_nr(&p, ilp_syscall_nr("lstat")));
		assert_true(has_nr(&p, ilp_syscall_nr("newfstatat")) && has_nr(&p, ilp_syscall_nr("statx")));
		assert_false(has_nr(&p, ilp_syscall_nr("read")) || has_nr(&p, ilp_syscall_nr("fstat")));
		free(p.o.syscalls);
		/* !: every other number, those no syscall has yet too */
		parse_e(&p, "trace=!%memory");
		assert_int_equal(p.o.nsyscalls, ILP_SC_MAX - 26);
		assert_false(has_nr(&p, ilp_syscall_nr("mmap")) || has_nr(&p, ilp_syscall_nr("brk")));
		assert_true(has_nr(&p, 0) && has_nr(&p, ILP_SC_MAX - 1) && has_nr(&p, 400));
		free(p.o.syscalls);
		parse_e(&p, "!write,%desc");
		assert_int_equal(p.o.nsyscalls, ILP_SC_MAX - 123);
		assert_false(has_nr(&p, 1) || has_nr(&p, 0));
		assert_true(has_nr(&p, ilp_syscall_nr("socket")));
		free(p.o.syscalls);
	}
#endif
}

/* each -e that is wrong: a usage error, and no list left behind */
static void test_parse_syscalls_errors(void **state)
{
	static const char *const bad[] = {
		"no_such_call", "%no_such_class", "%", "file", "read,!write", "!", "!all",
		"none", "?no_such_call", "write=1", "/(", "/^no_such_", "", "trace=",
		"read,", /* trailing comma is fine: next */
	};
	struct parsed p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *argv[] = { "run", "-e", (char *)bad[i], "true", NULL };

		parse(&p, ILP_CMD_RUN, argv);
		if (!strcmp(bad[i], "read,")) {
			assert_int_equal(p.err, 0);
			assert_int_equal(p.o.nsyscalls, 1);
		} else if (p.err != -EINVAL) {
			fail_msg("-e '%s': %d, want -EINVAL", bad[i], p.err);
		}
		free(p.o.syscalls);
	}
}

static void test_help_and_top(void **state)
{
	char *argv[] = { "run", "-t", "-h", "--no-such", NULL };
	struct parsed p;

	(void)state;
	parse(&p, ILP_CMD_RUN, argv);
	assert_int_equal(p.err, ILP_ACT_HELP);	/* nothing after it is parsed */
	assert_int_equal(ilp_option_top("--help")->action, ILP_ACT_HELP);
	assert_int_equal(ilp_option_top("-h")->action, ILP_ACT_HELP);
	assert_int_equal(ilp_option_top("--version")->action, ILP_ACT_VERSION);
	assert_int_equal(ilp_option_top("-V")->action, ILP_ACT_VERSION);
	assert_int_equal(ilp_option_top("--remove-stale")->action, ILP_ACT_REMOVE_STALE);
	assert_null(ilp_option_top("--remove-stale=1"));
	assert_null(ilp_option_top("-t"));
	assert_null(ilp_option_top("--threads"));
	assert_null(ilp_option_top("run"));
}

/* every row is in --help, with its default */
static void test_help_lists_every_option(void **state)
{
	char *buf = NULL, want[96], def[48];
	size_t size = 0, i;
	FILE *f = open_memstream(&buf, &size);

	(void)state;
	assert_non_null(f);
	assert_int_equal(ilp_options_help(f), 0);
	fclose(f);
	for (i = 0; i < ilp_option_count(); i++) {
		const struct ilp_option *o = ilp_option(i);

		snprintf(want, sizeof(want), "--%s%s%s ", o->name, o->arg ? " " : "",
			 o->arg ? o->arg : "");
		if (!strstr(buf, want))
			fail_msg("--help lacks \"%s\"", want);
		if (!ilp_option_default(o, 1, def, sizeof(def))) {
			snprintf(want, sizeof(want), "(default %s)", def);
			if (!strstr(buf, want))
				fail_msg("--help: --%s lacks \"%s\"", o->name, want);
		}
	}
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		if (strlen(line) > 78)
			fail_msg("--help: a line of %zu columns: %s", strlen(line), line);
	free(buf);
}

/* CMD --help: exactly the options whose .cmds has CMD's bit, each once */
static void test_help_per_command(void **state)
{
	static const unsigned bits[] = { ILP_CMD_RUN, ILP_CMD_ATTACH, ILP_CMD_RECORD,
					 ILP_CMD_REPORT };
	char item[96];
	size_t b, i;

	(void)state;
	for (b = 0; b < sizeof(bits) / sizeof(bits[0]); b++) {
		char *buf = NULL;
		size_t size = 0, listed = 0, want = 0;
		FILE *f = open_memstream(&buf, &size);

		assert_non_null(f);
		assert_int_equal(ilp_options_help_for(f, bits[b]), 0);
		fclose(f);
		for (i = 0; i < ilp_option_count(); i++) {
			const struct ilp_option *o = ilp_option(i);
			const char *at;
			int n = 0;

			/* the item's left column, as --help starts a line with it */
			if (o->short_name)
				snprintf(item, sizeof(item), "\n  -%c, --%s%s%s", o->short_name,
					 o->name, o->arg ? " " : "", o->arg ? o->arg : "");
			else
				snprintf(item, sizeof(item), "\n      --%s%s%s", o->name,
					 o->arg ? " " : "", o->arg ? o->arg : "");
			for (at = buf; (at = strstr(at, item)); at++)
				n++;
			if (n != !!(o->cmds & bits[b]))
				fail_msg("help for command bit %#x: --%s listed %d times, its "
					 ".cmds %#x", bits[b], o->name, n, o->cmds);
			want += !!(o->cmds & bits[b]);
		}
		/* and nothing else: one item line per option (col 2, a '-') */
		for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
			listed += (!strncmp(line, "  -", 3) || !strncmp(line, "      --", 8));
		assert_int_equal(listed, want);
		free(buf);
	}
}

/* ---- the documentation agrees with the table ---- */

struct doc_opt {
	char name[48];		/* long, without "--" */
	char short_name;
	int has_arg;
	char arg[32];		/* detectors.md: the value's name */
	char section[48];
	char *body;		/* man: the paragraph, plain text */
	int line;
};

struct doc {
	struct doc_opt v[128];
	size_t n;
};

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long len;

	if (!f) {
		print_error("%s: cannot open (run the tests from the source tree)\n", path);
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = malloc((size_t)len + 1);
	if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[len] = 0;
	fclose(f);
	return buf;
}

/* troff to plain text: fonts dropped, \- and \(lq... to ASCII, quotes and
 * \& gone, runs of spaces as one */
static void plain(const char *in, char *out, size_t size)
{
	size_t n = 0;

	for (; *in && n + 1 < size; in++) {
		if (in[0] == '\\' && in[1] == 'f' && in[2]) {
			in += 2;
		} else if (in[0] == '\\' && in[1] == '-') {
			out[n++] = '-';
			in++;
		} else if (in[0] == '\\' && in[1] == '&') {
			in++;
		} else if (in[0] == '\\' && in[1] == '(' && in[2] && in[3]) {
			out[n++] = '"';
			in += 3;
		} else if (*in == '"') {
			continue;
		} else if (isspace((unsigned char)*in)) {
			if (n && out[n - 1] != ' ')
				out[n++] = ' ';
		} else {
			out[n++] = *in;
		}
	}
	out[n] = 0;
}

/* the .TP items of the OPTIONS section; 0, or -1 if the page is unreadable */
static int read_man(struct doc *d)
{
	char *text = read_file(MAN_PAGE), *line, *next, section[48] = "";
	char item[256], body[4096];
	int in = 0, lineno = 0, want_item = 0;
	struct doc_opt *cur = NULL;
	size_t blen = 0;

	if (!text)
		return -1;
	d->n = 0;
	for (line = text; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		lineno++;
		if (!strncmp(line, ".SH", 3)) {
			if (cur)
				cur->body = strdup(body);
			cur = NULL;
			in = !strcmp(line, ".SH OPTIONS");
			want_item = 0;
		}
		if (!in)
			continue;
		if (!strncmp(line, ".SS ", 4) || !strncmp(line, ".TP", 3) || !strncmp(line, ".SH", 3)) {
			if (cur)
				cur->body = strdup(body);
			cur = NULL;
			if (!strncmp(line, ".SS ", 4))
				snprintf(section, sizeof(section), "%s", line + 4);
			want_item = !strncmp(line, ".TP", 3);
			continue;
		}
		if (want_item) {
			char *tok, *save = NULL;
			struct doc_opt o = { .line = lineno };

			want_item = 0;
			plain(line, item, sizeof(item));
			snprintf(o.section, sizeof(o.section), "%s", section);
			tok = strtok_r(item, " ", &save);	/* .B, .BR, .BI */
			while ((tok = strtok_r(NULL, " ", &save))) {
				if (!strncmp(tok, "--", 2))
					snprintf(o.name, sizeof(o.name), "%s", tok + 2);
				else if (tok[0] == '-' && tok[1] && !tok[2])
					o.short_name = tok[1];
				else if (strcmp(tok, ","))
					o.has_arg = 1;
			}
			if (!o.name[0] || d->n == sizeof(d->v) / sizeof(d->v[0]))
				continue;	/* not an option's item */
			d->v[d->n] = o;
			cur = &d->v[d->n++];
			body[0] = 0;
			blen = 0;
			continue;
		}
		if (cur && blen + 2 < sizeof(body)) {
			plain(line, body + blen, sizeof(body) - blen - 1);
			blen = strlen(body);
			body[blen++] = ' ';
			body[blen] = 0;
		}
	}
	if (cur)
		cur->body = strdup(body);
	free(text);
	return 0;
}

/* "| `--loop-min N` | 20 | loop |" rows of detectors.md */
static int read_detectors_md(struct doc *d)
{
	char *text = read_file(DETECTORS_MD), *line, *next;
	int lineno = 0;

	if (!text)
		return -1;
	d->n = 0;
	for (line = text; line; line = next) {
		struct doc_opt o = { 0 };
		char def[64];

		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		lineno++;
		if (strncmp(line, "| `--", 5) || d->n == sizeof(d->v) / sizeof(d->v[0]))
			continue;
		o.line = lineno;
		if (sscanf(line, "| `--%47[^ `]%*[ ]%31[^`]` | %63[^|]|", o.name, o.arg, def) != 3)
			continue;
		for (size_t k = strlen(def); k && def[k - 1] == ' '; k--)
			def[k - 1] = 0;
		o.body = strdup(def);
		d->v[d->n++] = o;
	}
	free(text);
	return 0;
}

static void doc_release(struct doc *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].body);
}

static const struct doc_opt *doc_find(const struct doc *d, const char *name, int *count)
{
	const struct doc_opt *found = NULL;

	*count = 0;
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->v[i].name, name)) {
			if (!found)
				found = &d->v[i];
			(*count)++;
		}
	return found;
}

static const struct ilp_option *table_find(const char *name)
{
	for (size_t i = 0; i < ilp_option_count(); i++)
		if (!strcmp(ilp_option(i)->name, name))
			return ilp_option(i);
	return NULL;
}

/* the man page states def: "default D", "D (default" or "D (the default" */
static int states_default(const char *body, const char *def)
{
	char a[96], b[96], c[96];

	snprintf(a, sizeof(a), "default %s", def);
	snprintf(b, sizeof(b), "%s (default", def);
	snprintf(c, sizeof(c), "%s (the default", def);
	return strstr(body, a) || strstr(body, b) || strstr(body, c);
}

#define MISMATCH(...) (print_error(__VA_ARGS__), bad++)

static void test_man_page_matches_table(void **state)
{
	static struct doc man;
	size_t i, k = 0;
	int bad = 0, count;
	char def[48];

	(void)state;
	assert_int_equal(read_man(&man), 0);
	for (i = 0; i < ilp_option_count(); i++) {
		const struct ilp_option *o = ilp_option(i);
		const struct doc_opt *m = doc_find(&man, o->name, &count);
		const char *sec = ilp_option_section_name(o->section);

		if (!m) {
			MISMATCH(MAN_PAGE ": --%s is in the option table (src/cli/options.c) but "
				 "not under OPTIONS\n", o->name);
			continue;
		}
		if (count > 1)
			MISMATCH(MAN_PAGE ":%d: --%s is listed %d times under OPTIONS; once is "
				 "enough\n", m->line, o->name, count);
		if (m->short_name != o->short_name)
			MISMATCH(MAN_PAGE ":%d: --%s: short name '%c', the option table says "
				 "'%c'\n", m->line, o->name, m->short_name ? m->short_name : ' ',
				 o->short_name ? o->short_name : ' ');
		if (m->has_arg != !!o->arg)
			MISMATCH(MAN_PAGE ":%d: --%s %s a value, the option table says it %s\n",
				 m->line, o->name, m->has_arg ? "takes" : "takes no",
				 o->arg ? "takes one" : "takes none");
		if (strcmp(m->section, sec))
			MISMATCH(MAN_PAGE ":%d: --%s is under \"%s\", the option table says "
				 "\"%s\"\n", m->line, o->name, m->section, sec);
		if (!ilp_option_default(o, 0, def, sizeof(def)) && !states_default(m->body, def))
			MISMATCH(MAN_PAGE ":%d: --%s: the default is %s (option table), the "
				 "man page does not say \"default %s\"\n", m->line, o->name, def, def);
	}
	for (i = 0; i < man.n; i++) {
		if (!table_find(man.v[i].name)) {
			MISMATCH(MAN_PAGE ":%d: --%s is under OPTIONS but not in the option "
				 "table (src/cli/options.c)\n", man.v[i].line, man.v[i].name);
			continue;
		}
		/* same order as the table (and --help): the k-th known option */
		while (k < ilp_option_count() && !doc_find(&man, ilp_option(k)->name, &count))
			k++;
		if (k < ilp_option_count() && strcmp(ilp_option(k)->name, man.v[i].name)) {
			MISMATCH(MAN_PAGE ":%d: --%s comes where the option table has --%s: "
				 "list them in the table's order\n", man.v[i].line, man.v[i].name,
				 ilp_option(k)->name);
			break;	/* one is enough: the rest is shifted */
		}
		k++;
	}
	doc_release(&man);
	if (bad)
		fail_msg("%d mismatch%s between " MAN_PAGE " and the option table", bad,
			 bad == 1 ? "" : "es");
}

static void test_detectors_md_matches_table(void **state)
{
	static struct doc md;
	size_t i;
	int bad = 0, count;
	char def[48];

	(void)state;
	assert_int_equal(read_detectors_md(&md), 0);
	for (i = 0; i < ilp_option_count(); i++) {
		const struct ilp_option *o = ilp_option(i);
		const struct doc_opt *m;

		if (!o->threshold)
			continue;
		m = doc_find(&md, o->name, &count);
		if (!m) {
			MISMATCH(DETECTORS_MD ": threshold --%s is not in the flag table\n", o->name);
			continue;
		}
		if (strcmp(m->arg, o->arg))
			MISMATCH(DETECTORS_MD ":%d: --%s %s, the option table says --%s %s\n",
				 m->line, o->name, m->arg, o->name, o->arg);
		assert_int_equal(ilp_option_default(o, 0, def, sizeof(def)), 0);
		if (strcmp(m->body, def))
			MISMATCH(DETECTORS_MD ":%d: --%s: default %s, the option table says %s\n",
				 m->line, o->name, m->body, def);
	}
	for (i = 0; i < md.n; i++) {
		const struct ilp_option *o = table_find(md.v[i].name);

		if (!o || !o->threshold)
			MISMATCH(DETECTORS_MD ":%d: --%s is not a threshold of the option table "
				 "(src/cli/options.c)\n", md.v[i].line, md.v[i].name);
	}
	doc_release(&md);
	if (bad)
		fail_msg("%d mismatch%s between " DETECTORS_MD " and the option table", bad,
			 bad == 1 ? "" : "es");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_well_formed),
		cmocka_unit_test(test_threshold_defaults),
		cmocka_unit_test(test_thresholds_block),
		cmocka_unit_test(test_parse_defaults),
		cmocka_unit_test(test_parse_values),
		cmocka_unit_test(test_parse_diff),
		cmocka_unit_test(test_parse_seconds_and_commands),
		cmocka_unit_test(test_parse_pids),
		cmocka_unit_test(test_parse_follow_forks),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_parse_syscalls),
		cmocka_unit_test(test_parse_syscalls_errors),
		cmocka_unit_test(test_help_and_top),
		cmocka_unit_test(test_help_lists_every_option),
		cmocka_unit_test(test_help_per_command),
		cmocka_unit_test(test_man_page_matches_table),
		cmocka_unit_test(test_detectors_md_matches_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
