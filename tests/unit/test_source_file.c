// SPDX-License-Identifier: MIT
/*
 * The trace-file source on committed trace-cmd fixtures (see
 * tests/fixtures/README.tracefiles), through the sandboxed reader report -i
 * uses and in process: exact counts, the one-line "lacks" note, truncated,
 * foreign, crashing files and a FIFO as errors; iolockprof's trace_marker
 * facts formatted and parsed back.
 *
 *   ILP_FIXTURES=dir   reads the fixtures elsewhere
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "model.h"
#include "source.h"
#include "syscalls.h"
#include "tracemeta.h"
#include "waitmodel.h"

static void fixture(char *buf, size_t size, const char *name)
{
	const char *dir = getenv("ILP_FIXTURES");

	snprintf(buf, size, "%s/%s", dir && *dir ? dir : "tests/fixtures", name);
}

static int feed(const struct ilp_event *ev, void *ctx)
{
	return ilp_model_feed(ctx, ev);
}

/* path through the sandboxed reader (what report -i does), into m: the
 * pump's last result (1: all read; -EINVAL: *why says why) */
static int read_all(const char *path, struct ilp_model *m, struct ilp_tracereader **rp,
		    const char **why)
{
	struct pollfd pfd;
	int ret;

	*why = NULL;
	ret = ilp_tracereader_open(path, rp);
	if (ret)
		return ret;
	while ((ret = ilp_tracereader_pump(*rp, feed, m, why)) == 0) {
		pfd.fd = ilp_tracereader_fd(*rp);
		pfd.events = POLLIN;
		assert_true(poll(&pfd, 1, 20000) > 0);
	}
	return ret;
}

static struct ilp_model *load(const char *name, const struct ilp_tracefile_info **info,
			      struct ilp_tracereader **rp)
{
	struct ilp_model *m;
	const char *why;
	char path[512];

	fixture(path, sizeof(path), name);
	m = ilp_model_new();
	assert_non_null(m);
	assert_int_equal(read_all(path, m, rp, &why), 1);
	assert_true(ilp_tracereader_has_info(*rp));
	*info = ilp_tracereader_info(*rp);
	ilp_model_finish(m, (*info)->end_ts);
	assert_int_equal(ilp_model_index(m, (*info)->end_ts), 0);
	return m;
}

static uint64_t calls(const struct ilp_proc *p, const char *sc)
{
	const struct ilp_sc_stats *s = ilp_proc_find_syscall(p, ilp_syscall_nr(sc));

	return s ? s->calls : 0;
}

/* trace-cmd, syscalls:sys_enter_X/sys_exit_X form: `writes 50` */
static void test_syscalls_form(void **state)
{
	const struct ilp_tracefile_info *info;
	struct ilp_tracereader *f;
	struct ilp_model *m = load("tracecmd_syscalls_writes50.dat", &info, &f);
	const struct ilp_proc *p;

	(void)state;
	assert_int_equal(info->recorded, 0);
	assert_string_equal(info->command, "");
	assert_non_null(info->lacks);
	assert_string_equal(info->lacks, "not recorded by iolockprof: no fd names "
			    "(objects show as \"fd N (unresolved)\"); trace lacks task_newtask/"
			    "sched_process_exec/sched_process_exit: threads are shown as separate "
			    "processes; no sched_switch: no off-CPU time; no block_rq_complete: "
			    "no Disk I/O");
	assert_int_equal(info->exit_status, -1);
	assert_int_equal(info->lost, 0);
	assert_int_equal(ilp_model_nprocs(m), 1);
	p = ilp_model_proc(m, 0);
	assert_string_equal(ilp_proc_comm(p), "writes");
	assert_int_equal(calls(p, "write"), 50);
	assert_int_equal(calls(p, "openat"), 3);
	assert_int_equal(calls(p, "close"), 3);
	assert_int_equal(ilp_tracereader_counters(f)->records, 113);
	ilp_model_free(m);
	ilp_tracereader_close(f);
}

/* the same file parsed in this process, from an fd (the fuzzer's way) */
static void test_in_process(void **state)
{
	const struct ilp_tracefile_info *info;
	struct ilp_tracefile *f = NULL;
	struct ilp_model *m;
	const char *why = NULL;
	char path[512];
	int fd;

	(void)state;
	fixture(path, sizeof(path), "tracecmd_syscalls_writes50.dat");
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(ilp_tracefile_open_fd(fd, ILP_TRACEFILE_PROBE, &f, &why), 0);
	m = ilp_model_new();
	assert_non_null(m);
	assert_int_equal(ilp_tracefile_deliver(f, feed, m), 0);
	info = ilp_tracefile_info(f);
	ilp_model_finish(m, info->end_ts);
	assert_int_equal(ilp_model_index(m, info->end_ts), 0);
	assert_int_equal(calls(ilp_model_proc(m, 0), "write"), 50);
	assert_int_equal(ilp_tracefile_counters(f)->records, 113);
	ilp_model_free(m);
	ilp_tracefile_close(f);
	close(fd);
}

/* trace-cmd, raw_syscalls only: `threads 2 20`, threads become processes */
static void test_raw_threads(void **state)
{
	const struct ilp_tracefile_info *info;
	struct ilp_tracereader *f;
	struct ilp_model *m = load("tracecmd_raw_threads.dat", &info, &f);
	size_t i, twenty = 0;

	(void)state;
	assert_non_null(info->lacks);
	assert_int_equal(ilp_model_nprocs(m), 3);
	for (i = 0; i < 3; i++) {
		const struct ilp_proc *p = ilp_model_proc(m, i);

		assert_string_equal(ilp_proc_comm(p), "threads");
		assert_int_equal(ilp_proc_nthreads_seen(p), 1);
		if (calls(p, "write") == 20)
			twenty++;
		else
			assert_int_equal(calls(p, "write"), 0);
	}
	assert_int_equal(twenty, 2);
	ilp_model_free(m);
	ilp_tracereader_close(f);
}

/* a file of these bytes through the sandboxed reader: its error, the reason in why */
static int open_bytes(const void *data, size_t n, char *why, size_t size)
{
	char path[] = "/tmp/ilp-test-trace.XXXXXX";
	struct ilp_tracereader *r = NULL;
	struct ilp_model *m = ilp_model_new();
	int fd = mkstemp(path), err;
	const char *w;

	assert_non_null(m);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, n), (ssize_t)n);
	close(fd);
	err = read_all(path, m, &r, &w);
	snprintf(why, size, "%s", w ? w : "");
	unlink(path);
	ilp_tracereader_close(r);
	ilp_model_free(m);
	return err;
}

static void test_truncated_and_foreign(void **state)
{
	char path[512], why[256], *buf;
	FILE *fp;
	size_t n, cut;

	(void)state;
	fixture(path, sizeof(path), "tracecmd_syscalls_writes50.dat");
	fp = fopen(path, "rb");
	assert_non_null(fp);
	buf = malloc(1 << 20);
	assert_non_null(buf);
	n = fread(buf, 1, 1 << 20, fp);
	fclose(fp);
	assert_true(n > 4096);
	for (cut = 16; cut < n; cut += n / 7) {
		assert_int_equal(open_bytes(buf, cut, why, sizeof(why)), -EINVAL);
		assert_true(why[0] != '\0');
	}
	assert_int_equal(open_bytes("hello, not a trace\n", 19, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, ILP_TRACEFILE_WHY_MAGIC);
	assert_int_equal(open_bytes("", 0, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "the file is empty");
	free(buf);
	assert_int_equal(ilp_tracereader_open("/nonexistent/trace.dat",
					      &(struct ilp_tracereader *){ NULL }), -ENOENT);
}

/* a FIFO planted at the path: refused at once, never waited on */
static void test_fifo(void **state)
{
	char dir[] = "/tmp/ilp-test-fifo.XXXXXX", path[64];
	struct ilp_tracereader *r = NULL;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/trace.dat", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	alarm(10);	/* a hang fails the test */
	assert_int_equal(ilp_tracereader_open(path, &r), -EBADFD);
	alarm(0);
	assert_null(r);
	unlink(path);
	rmdir(dir);
	assert_int_equal(ilp_tracereader_open("/tmp", &r), -EISDIR);
}

static void test_meta_roundtrip(void **state)
{
	struct ilp_event ev = { 0 };
	struct ilp_meta m;
	char line[ILP_META_MAX];
	int n;

	(void)state;
	ev.kind = ILP_EV_TASK_INFO;
	ev.ts = 123456789012ull;
	ev.pid = 42;
	ev.tid = 43;
	strcpy(ev.task.comm, "my app\n");
	n = ilp_meta_format_event(line, sizeof(line), &ev);
	/* a control character: the value escaped, under commx=, exact on return */
	assert_string_equal(line, "iolockprof: task ts=123456789012 pid=42 tid=43 commx=my app\\x0a");
	assert_int_equal(ilp_meta_parse(line, (size_t)n, &m), 1);
	assert_int_equal(m.kind, ILP_META_TASK);
	assert_int_equal(m.ev.kind, ILP_EV_TASK_INFO);
	assert_int_equal(m.ev.ts, 123456789012ull);
	assert_int_equal(m.ev.pid, 42);
	assert_int_equal(m.ev.tid, 43);
	assert_string_equal(m.ev.task.comm, "my app\n");

	memset(&ev, 0, sizeof(ev));
	ev.kind = ILP_EV_FD_INFO;
	ev.ts = 7;
	ev.pid = 9;
	ev.tid = 11;
	ev.fd.fd = 3;
	ev.fd.type = 2;
	ev.fd.str = "/tmp/a file";
	n = ilp_meta_format_event(line, sizeof(line), &ev);
	assert_string_equal(line, "iolockprof: fd ts=7 pid=9 tid=11 fd=3 type=2 str=/tmp/a file");
	assert_int_equal(ilp_meta_parse(line, (size_t)n, &m), 1);
	assert_int_equal(m.ev.pid, 9);
	assert_int_equal(m.ev.tid, 11);
	assert_int_equal(m.ev.fd.fd, 3);
	assert_int_equal(m.ev.fd.type, 2);
	assert_string_equal(m.ev.fd.str, "/tmp/a file");

	/* a name with a newline, a backslash and a byte that is not UTF-8 */
	ev.fd.str = "/tmp/a b\nc\\d\xff";
	n = ilp_meta_format_event(line, sizeof(line), &ev);
	assert_string_equal(line, "iolockprof: fd ts=7 pid=9 tid=11 fd=3 type=2 "
			    "strx=/tmp/a b\\x0ac\\\\d\xff");
	assert_int_equal(ilp_meta_parse(line, (size_t)n, &m), 1);
	assert_string_equal(m.ev.fd.str, "/tmp/a b\nc\\d\xff");
	assert_int_equal(ilp_meta_parse("iolockprof: fd ts=7 pid=9 fd=3 type=2 strx=/a\\q", 48, &m),
			 -EINVAL);	/* not an escape */
	n = ilp_meta_format_begin(line, sizeof(line), 5, "./app -x 'y z'");
	assert_int_equal(ilp_meta_parse(line, (size_t)n, &m), 1);
	assert_int_equal(m.kind, ILP_META_BEGIN);
	assert_string_equal(m.text, "./app -x 'y z'");
	n = ilp_meta_format_end(line, sizeof(line), 99, 17, 130);
	assert_int_equal(ilp_meta_parse(line, (size_t)n, &m), 1);
	assert_int_equal(m.lost, 17);
	assert_int_equal(m.exit_status, 130);

	/* the resolver's facts: pid not known yet (0), a path argument (AT_FDCWD) */
	assert_int_equal(ilp_meta_parse("iolockprof: fd ts=5 pid=0 tid=77 fd=-100 type=1 str=/etc/x",
					58, &m), 1);
	assert_int_equal(m.ev.pid, 0);
	assert_int_equal(m.ev.tid, 77);
	assert_int_equal(m.ev.fd.fd, -100);
	assert_string_equal(m.ev.fd.str, "/etc/x");
	/* files written before tid=: tid is the pid */
	assert_int_equal(ilp_meta_parse("iolockprof: fd ts=5 pid=8 fd=4 type=1 str=/a", 44, &m), 1);
	assert_int_equal(m.ev.tid, 8);
	assert_int_equal(ilp_meta_parse("iolockprof: fd ts=5 pid=0 fd=4 type=1 str=/a", 44, &m), -EINVAL);

	/* device and lock names */
	n = ilp_meta_format_name(line, sizeof(line), 12, ILP_NAME_ULOCK, 321, 0x7f00001234ull, "hot_lock");
	assert_string_equal(line, "iolockprof: name ts=12 kind=ulock pid=321 key=545460851252 str=hot_lock");
	assert_int_equal(ilp_meta_parse(line, (size_t)n, &m), 1);
	assert_int_equal(m.kind, ILP_META_NAME);
	assert_int_equal(m.name_kind, ILP_NAME_ULOCK);
	assert_int_equal(m.name_pid, 321);
	assert_int_equal(m.name_key, 0x7f00001234ull);
	assert_string_equal(m.text, "hot_lock");
	n = ilp_meta_format_name(line, sizeof(line), 1, ILP_NAME_DEV, 0, (254u << 20) | 0, "vda");
	assert_int_equal(ilp_meta_parse(line, (size_t)n, &m), 1);
	assert_int_equal(m.name_kind, ILP_NAME_DEV);
	assert_string_equal(m.text, "vda");
	assert_int_equal(ilp_meta_format_name(line, sizeof(line), 1, 99, 0, 1, "x"), -EINVAL);
	assert_int_equal(ilp_meta_parse("iolockprof: name ts=1 kind=bogus pid=0 key=1 str=x", 50, &m),
			 -EINVAL);
	assert_int_equal(ilp_meta_parse("iolockprof: name ts=1 kind=dev pid=0 key=1 str=", 47, &m),
			 -EINVAL);

	assert_int_equal(ilp_meta_parse("hello", 5, &m), 0);
	assert_int_equal(ilp_meta_parse("iolockprof: task ts=x", 21, &m), -EINVAL);
	/* run's command at the gate: gated=1 there and back; 0 or none: not */
	ev.kind = ILP_EV_TASK_INFO;
	ev.task.flags = ILP_TASK_GATED;
	strcpy(ev.task.comm, "app");
	n = ilp_meta_format_event(line, sizeof(line), &ev);
	assert_string_equal(line, "iolockprof: task ts=7 pid=9 tid=11 gated=1 comm=app");
	assert_int_equal(ilp_meta_parse(line, (size_t)n, &m), 1);
	assert_int_equal(m.ev.task.flags, ILP_TASK_GATED);
	assert_string_equal(m.ev.task.comm, "app");
	assert_int_equal(ilp_meta_parse("iolockprof: task ts=1 pid=2 tid=2 gated=0 comm=a", 48, &m), 1);
	assert_int_equal(m.ev.task.flags, 0);
	assert_int_equal(ilp_meta_parse("iolockprof: task ts=1 pid=2 tid=2 comm=a", 40, &m), 1);
	assert_int_equal(m.ev.task.flags, 0);
	assert_int_equal(ilp_meta_parse("iolockprof: task ts=1 pid=2 tid=2 gated=2 comm=a", 48, &m),
			 -EINVAL);
	assert_int_equal(ilp_meta_parse("iolockprof: what", 16, &m), -EINVAL);
	ev.kind = ILP_EV_SYS_ENTER;
	assert_int_equal(ilp_meta_format_event(line, sizeof(line), &ev), -EINVAL);
}

/* inputs that crash libtracecmd itself: -EINVAL and a reason, no crash;
 * in the sandbox (report -i) and probed in process (the fuzzer) */
static void test_known_crashers(void **state)
{
	static const char *const known[] = {
		"tests/fuzz/known/libtracecmd-buffer-instance-close.dat",
		"tests/fuzz/known/libtracecmd-huge-alloc-1.dat",
		"tests/fuzz/known/libtracecmd-huge-alloc-2.dat",
	};
	struct ilp_tracereader *r;
	struct ilp_tracefile *f;
	struct ilp_model *m;
	const char *why, *w;
	size_t i;
	int fd, ret;

	(void)state;
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		f = NULL;
		why = NULL;
		fd = open(known[i], O_RDONLY);
		assert_true(fd >= 0);
		assert_int_equal(ilp_tracefile_open_fd(fd, ILP_TRACEFILE_PROBE, &f, &why), -EINVAL);
		close(fd);
		assert_null(f);
		assert_non_null(why);
		assert_string_equal(why, ILP_TRACEFILE_WHY_CRASH);

		/* the reader: its stream ends in the reason */
		m = ilp_model_new();
		assert_non_null(m);
		r = NULL;
		ret = read_all(known[i], m, &r, &w);
		assert_int_equal(ret, -EINVAL);
		assert_non_null(w);
		assert_string_equal(w, ILP_TRACEFILE_WHY_CRASH);
		ilp_model_free(m);
		ilp_tracereader_close(r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syscalls_form),
		cmocka_unit_test(test_in_process),
		cmocka_unit_test(test_raw_threads),
		cmocka_unit_test(test_truncated_and_foreign),
		cmocka_unit_test(test_fifo),
		cmocka_unit_test(test_meta_roundtrip),
		cmocka_unit_test(test_known_crashers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
