// SPDX-License-Identifier: MIT
/* Model unit tests: synthetic ilp_event streams, exact expected numbers. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "callsmodel.h"
#include "fdmodel.h"
#include "model.h"
#include "syscalls.h"
#include "waitmodel.h"

#define CLONE_VM_F	0x00000100ull
#define CLONE_THREAD_F	0x00010000ull
#define SIGCHLD_F	17ull

static struct ilp_event enter(uint64_t ts, int pid, int tid, int nr)
{
	struct ilp_event e = { .ts = ts, .pid = pid, .tid = tid,
			       .kind = ILP_EV_SYS_ENTER, .nr = nr };
	return e;
}

static struct ilp_event sysexit(uint64_t ts, int pid, int tid, int nr, int64_t ret)
{
	struct ilp_event e = { .ts = ts, .pid = pid, .tid = tid,
			       .kind = ILP_EV_SYS_EXIT, .nr = nr };
	e.ret = ret;
	return e;
}

static struct ilp_event task(uint64_t ts, int pid, int tid, int kind, const char *comm)
{
	struct ilp_event e = { .ts = ts, .pid = pid, .tid = tid, .kind = kind };
	size_t n = strlen(comm);

	/* like the kernel's comm: NUL-padded, not terminated when 16 long */
	memcpy(e.task.comm, comm, n < ILP_COMM_LEN ? n : ILP_COMM_LEN);
	return e;
}

static struct ilp_event task_new(uint64_t ts, int pid, int tid, int child,
				 uint64_t flags, const char *comm)
{
	struct ilp_event e = task(ts, pid, tid, ILP_EV_TASK_NEW, comm);
	e.task.child = child;
	e.task.clone_flags = flags;
	return e;
}

static struct ilp_event task_exit(uint64_t ts, int pid, int tid, int group_dead)
{
	struct ilp_event e = { .ts = ts, .pid = pid, .tid = tid, .kind = ILP_EV_TASK_EXIT };
	e.task.group_dead = group_dead;
	return e;
}

static void feed(struct ilp_model *m, struct ilp_event e)
{
	assert_int_equal(ilp_model_feed(m, &e), 0);
}

static int NR(const char *name)
{
	int nr = ilp_syscall_nr(name);

	assert_true(nr >= 0);
	return nr;
}

static const struct ilp_thread *thread_by_tid(const struct ilp_proc *p, int tid)
{
	size_t i;

	for (i = 0; i < ilp_proc_nthreads_seen(p); i++)
		if (ilp_thread_tid(ilp_proc_thread(p, i)) == tid)
			return ilp_proc_thread(p, i);
	return NULL;
}

static void test_new_free(void **state)
{
	struct ilp_model *m = ilp_model_new();

	(void)state;
	assert_non_null(m);
	assert_int_equal(ilp_model_index(m, 0), 0);
	assert_int_equal(ilp_model_nprocs(m), 0);
	assert_int_equal(ilp_model_first_ts(m), 0);
	assert_int_equal(ilp_model_last_ts(m), 0);
	assert_null(ilp_model_find_proc(m, 1));
	ilp_model_free(m);
	ilp_model_free(NULL);
}

static void test_simple_pairing(void **state)
{
	struct ilp_model *m = ilp_model_new();
	int w = NR("write");
	const struct ilp_proc *p;
	const struct ilp_thread *t;
	const struct ilp_sc_stats *s;
	uint64_t ts = 1000;
	int i;

	(void)state;
	feed(m, task(ts, 100, 100, ILP_EV_TASK_INFO, "app"));
	for (i = 1; i <= 10; i++) {
		feed(m, enter(ts, 100, 100, w));
		feed(m, sysexit(ts + 100 * i, 100, 100, w, 4096));
		ts += 10000;
	}
	assert_int_equal(ilp_model_index(m, ts), 0);
	assert_int_equal(ilp_model_nprocs(m), 1);
	p = ilp_model_proc(m, 0);
	assert_ptr_equal(p, ilp_model_find_proc(m, 100));
	assert_int_equal(ilp_proc_pid(p), 100);
	assert_string_equal(ilp_proc_comm(p), "app");
	assert_int_equal(ilp_proc_calls(p), 10);
	assert_int_equal(ilp_proc_total_ns(p), 5500);
	assert_int_equal(ilp_proc_nsyscalls(p), 1);
	s = ilp_proc_syscall(p, 0);
	assert_ptr_equal(s, ilp_proc_find_syscall(p, w));
	assert_int_equal(s->nr, w);
	assert_int_equal(s->calls, 10);
	assert_int_equal(s->errors, 0);
	assert_int_equal(s->total_ns, 5500);
	assert_int_equal(s->max_ns, 1000);
	assert_int_equal(s->unfinished, 0);
	assert_non_null(s->hist);
	assert_int_equal(ilp_hist_count(s->hist), 10);
	assert_int_equal(ilp_hist_sum(s->hist), 5500);
	assert_int_equal(ilp_hist_min(s->hist), 100);
	assert_int_equal(ilp_hist_max(s->hist), 1000);
	assert_null(ilp_proc_syscall(p, 1));

	assert_int_equal(ilp_proc_nthreads_seen(p), 1);
	t = ilp_proc_thread(p, 0);
	assert_int_equal(ilp_thread_tid(t), 100);
	assert_string_equal(ilp_thread_comm(t), "app");
	assert_int_equal(ilp_thread_total_ns(t), 5500);
	assert_int_equal(ilp_thread_calls(t), 10);
	assert_int_equal(ilp_thread_nsyscalls(t), 1);
	s = ilp_thread_syscall(t, 0);
	assert_int_equal(s->calls, 10);
	assert_int_equal(s->total_ns, 5500);
	assert_int_equal(s->max_ns, 1000);
	assert_null(s->hist);
	assert_null(ilp_proc_thread(p, 1));

	assert_int_equal(ilp_model_counters(m)->events, 21);
	assert_int_equal(ilp_model_counters(m)->unpaired_exits, 0);
	assert_int_equal(ilp_model_counters(m)->lost_enters, 0);
	assert_int_equal(ilp_model_counters(m)->out_of_order, 0);
	assert_int_equal(ilp_model_first_ts(m), 1000);
	assert_int_equal(ilp_model_last_ts(m), 1000 + 90000 + 1000);
	ilp_model_free(m);
}

static void test_errors(void **state)
{
	static const int64_t rets[] = { -2, -4095, -4096, -1, 0, 1, 1ll << 40,
					INT64_MIN, -4094 };
	struct ilp_model *m = ilp_model_new();
	int r = NR("read");
	const struct ilp_sc_stats *s;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rets) / sizeof(rets[0]); i++) {
		feed(m, enter(10 * i, 1, 1, r));
		feed(m, sysexit(10 * i + 5, 1, 1, r, rets[i]));
	}
	assert_int_equal(ilp_model_index(m, 1000), 0);
	s = ilp_proc_find_syscall(ilp_model_find_proc(m, 1), r);
	assert_int_equal(s->calls, 9);
	assert_int_equal(s->errors, 4);	/* -2, -4095, -1, -4094 */
	assert_int_equal(s->total_ns, 45);
	s = ilp_thread_syscall(ilp_proc_thread(ilp_model_find_proc(m, 1), 0), 0);
	assert_int_equal(s->errors, 4);
	ilp_model_free(m);
}

static void test_interleaved_threads(void **state)
{
	struct ilp_model *m = ilp_model_new();
	int r = NR("read"), w = NR("write");
	const struct ilp_proc *p;
	const struct ilp_thread *a, *b;
	const struct ilp_sc_stats *s;

	(void)state;
	feed(m, task(0, 100, 100, ILP_EV_TASK_INFO, "app"));
	feed(m, task(0, 100, 101, ILP_EV_TASK_INFO, "worker"));
	feed(m, enter(10, 100, 100, r));	/* A */
	feed(m, enter(20, 100, 101, w));	/* B */
	feed(m, sysexit(50, 100, 101, w, 1));	/* B: 30 */
	feed(m, sysexit(110, 100, 100, r, 1));	/* A: 100 */
	assert_int_equal(ilp_model_index(m, 200), 0);
	p = ilp_model_find_proc(m, 100);
	assert_int_equal(ilp_proc_calls(p), 2);
	assert_int_equal(ilp_proc_total_ns(p), 130);
	assert_int_equal(ilp_proc_nsyscalls(p), 2);
	assert_int_equal(ilp_proc_syscall(p, 0)->nr, r);
	assert_int_equal(ilp_proc_syscall(p, 0)->total_ns, 100);
	assert_int_equal(ilp_proc_syscall(p, 1)->nr, w);
	assert_int_equal(ilp_proc_syscall(p, 1)->total_ns, 30);

	assert_int_equal(ilp_proc_nthreads_seen(p), 2);
	a = ilp_proc_thread(p, 0);
	b = ilp_proc_thread(p, 1);
	assert_int_equal(ilp_thread_tid(a), 100);
	assert_int_equal(ilp_thread_tid(b), 101);
	assert_string_equal(ilp_thread_comm(b), "worker");
	assert_string_equal(ilp_proc_comm(p), "app");
	assert_int_equal(ilp_thread_total_ns(a), 100);
	assert_int_equal(ilp_thread_total_ns(b), 30);
	assert_int_equal(ilp_thread_nsyscalls(a), 1);
	assert_int_equal(ilp_thread_nsyscalls(b), 1);
	s = ilp_thread_find_syscall(a, r);
	assert_int_equal(s->calls, 1);
	assert_int_equal(s->max_ns, 100);
	assert_null(ilp_thread_find_syscall(a, w));
	s = ilp_thread_find_syscall(b, w);
	assert_int_equal(s->calls, 1);
	assert_int_equal(s->max_ns, 30);
	assert_null(ilp_thread_find_syscall(b, r));
	assert_int_equal(ilp_model_counters(m)->unpaired_exits, 0);
	ilp_model_free(m);
}

static void test_lost_enters(void **state)
{
	struct ilp_model *m = ilp_model_new();
	int w = NR("write"), r = NR("read");
	const struct ilp_proc *p;

	(void)state;
	feed(m, enter(0, 1, 1, w));
	feed(m, enter(50, 1, 1, w));		/* replaces the first */
	feed(m, sysexit(80, 1, 1, w, 0));
	feed(m, enter(100, 1, 1, r));
	feed(m, enter(110, 1, 1, w));		/* different nr, replaces too */
	feed(m, sysexit(130, 1, 1, w, 0));
	assert_int_equal(ilp_model_index(m, 200), 0);
	assert_int_equal(ilp_model_counters(m)->lost_enters, 2);
	assert_int_equal(ilp_model_counters(m)->unpaired_exits, 0);
	p = ilp_model_find_proc(m, 1);
	assert_int_equal(ilp_proc_calls(p), 2);
	assert_int_equal(ilp_proc_total_ns(p), 50);
	assert_int_equal(ilp_proc_find_syscall(p, w)->max_ns, 30);
	assert_null(ilp_proc_find_syscall(p, r));
	assert_int_equal(ilp_proc_nsyscalls(p), 1);
	ilp_model_free(m);
}

static void test_unpaired_exits(void **state)
{
	struct ilp_model *m = ilp_model_new();
	int w = NR("write"), r = NR("read");
	const struct ilp_proc *p;

	(void)state;
	feed(m, sysexit(10, 1, 1, w, 5));	/* entered before attach */
	feed(m, enter(20, 1, 1, r));
	feed(m, sysexit(30, 1, 1, w, 5));	/* wrong nr: clears */
	feed(m, sysexit(40, 1, 1, r, 5));	/* nothing pending now */
	assert_int_equal(ilp_model_index(m, 100), 0);
	assert_int_equal(ilp_model_counters(m)->unpaired_exits, 3);
	p = ilp_model_find_proc(m, 1);
	assert_int_equal(ilp_proc_calls(p), 0);
	assert_int_equal(ilp_proc_total_ns(p), 0);
	assert_int_equal(ilp_proc_nsyscalls(p), 0);
	assert_null(ilp_proc_find_syscall(p, w));
	assert_null(ilp_proc_find_syscall(p, r));
	assert_int_equal(ilp_thread_nsyscalls(ilp_proc_thread(p, 0)), 0);
	ilp_model_finish(m, 100);
	assert_int_equal(ilp_model_index(m, 100), 0);
	assert_int_equal(ilp_proc_nsyscalls(p), 0);	/* nothing was in flight */
	ilp_model_free(m);
}

/* run's command at iolockprof's gate: the gate read's exit (entered
 * before tracing), the signal mask restored, execvp's try along PATH that
 * fails: none counted; the exec that succeeds is the first call, and
 * after it everything counts (a failed execve of the app's own too) */
static void test_gated_child(void **state)
{
	struct ilp_model *m = ilp_model_new();
	int r = NR("read"), mask = NR("rt_sigprocmask"), ex = NR("execve"), w = NR("write");
	struct ilp_event info = task(5, 7, 7, ILP_EV_TASK_INFO, "app");
	const struct ilp_sc_stats *st;
	const struct ilp_proc *p;

	(void)state;
	info.task.flags = ILP_TASK_GATED;
	feed(m, info);
	feed(m, sysexit(10, 7, 7, r, 1));
	feed(m, enter(20, 7, 7, mask));
	feed(m, sysexit(21, 7, 7, mask, 0));
	feed(m, enter(30, 7, 7, ex));
	feed(m, sysexit(35, 7, 7, ex, -2));	/* ENOENT: /usr/local/sbin/app */
	feed(m, enter(40, 7, 7, ex));
	feed(m, task(50, 7, 7, ILP_EV_EXEC, "app"));
	feed(m, sysexit(60, 7, 7, ex, 0));
	feed(m, enter(70, 7, 7, w));
	feed(m, sysexit(75, 7, 7, w, 3));
	feed(m, enter(80, 7, 7, ex));
	feed(m, sysexit(90, 7, 7, ex, -13));	/* the app's own: counted */
	assert_int_equal(ilp_model_index(m, 100), 0);
	assert_int_equal(ilp_model_counters(m)->gated, 2);
	assert_int_equal(ilp_model_counters(m)->unpaired_exits, 0);
	p = ilp_model_find_proc(m, 7);
	assert_int_equal(ilp_proc_calls(p), 3);
	assert_null(ilp_proc_find_syscall(p, r));
	assert_null(ilp_proc_find_syscall(p, mask));
	st = ilp_proc_find_syscall(p, ex);
	assert_non_null(st);
	assert_int_equal(st->calls, 2);
	assert_int_equal(st->errors, 1);
	assert_int_equal(st->total_ns, 20 + 10);
	assert_int_equal(ilp_proc_find_syscall(p, w)->calls, 1);
	ilp_model_free(m);
}

static void test_unfinished_at_finish(void **state)
{
	struct ilp_model *m = ilp_model_new();
	int r = NR("read"), w = NR("write");
	const struct ilp_proc *p;
	const struct ilp_thread *t;
	const struct ilp_sc_stats *s;
	struct ilp_event e = enter(1, 1, 1, w);

	(void)state;
	feed(m, enter(10, 1, 1, w));
	feed(m, sysexit(30, 1, 1, w, 1));
	feed(m, enter(100, 1, 1, r));
	feed(m, enter(300, 1, 2, r));
	ilp_model_finish(m, 1000);
	assert_int_equal(ilp_model_feed(m, &e), -EINVAL);
	assert_int_equal(ilp_model_counters(m)->events, 4);
	assert_int_equal(ilp_model_index(m, 1000), 0);
	p = ilp_model_find_proc(m, 1);
	assert_int_equal(ilp_proc_calls(p), 1);
	assert_int_equal(ilp_proc_total_ns(p), 20);
	s = ilp_proc_find_syscall(p, r);
	assert_int_equal(s->calls, 0);
	assert_int_equal(s->total_ns, 0);
	assert_int_equal(s->unfinished, 2);
	assert_int_equal(s->unfinished_ns, 900 + 700);
	assert_int_equal(ilp_hist_count(s->hist), 0);
	/* read (0 ns completed) sorts after write (20 ns) */
	assert_int_equal(ilp_proc_nsyscalls(p), 2);
	assert_int_equal(ilp_proc_syscall(p, 0)->nr, w);
	assert_int_equal(ilp_proc_syscall(p, 1)->nr, r);
	t = thread_by_tid(p, 1);
	s = ilp_thread_find_syscall(t, r);
	assert_int_equal(s->unfinished, 1);
	assert_int_equal(s->unfinished_ns, 900);
	assert_int_equal(ilp_thread_find_syscall(t, w)->unfinished, 0);
	s = ilp_thread_find_syscall(thread_by_tid(p, 2), r);
	assert_int_equal(s->unfinished, 1);
	assert_int_equal(s->unfinished_ns, 700);
	assert_int_equal(ilp_thread_current_call(t, NULL, NULL, NULL), 0);

	/* finish and index again: nothing counted twice */
	ilp_model_finish(m, 5000);
	assert_int_equal(ilp_model_index(m, 9000), 0);
	s = ilp_proc_find_syscall(p, r);
	assert_int_equal(s->unfinished, 2);
	assert_int_equal(s->unfinished_ns, 1600);
	ilp_model_free(m);
}

static void test_interim_then_finish(void **state)
{
	struct ilp_model *m = ilp_model_new();
	int r = NR("read");
	const struct ilp_proc *p;
	const struct ilp_thread *t;
	const struct ilp_sc_stats *s;

	(void)state;
	feed(m, enter(100, 1, 1, r));
	assert_int_equal(ilp_model_index(m, 500), 0);
	p = ilp_model_find_proc(m, 1);
	t = ilp_proc_thread(p, 0);
	assert_int_equal(ilp_proc_nsyscalls(p), 1);
	s = ilp_proc_syscall(p, 0);
	assert_int_equal(s->calls, 0);
	assert_int_equal(s->unfinished, 1);
	assert_int_equal(s->unfinished_ns, 400);
	assert_int_equal(ilp_thread_syscall(t, 0)->unfinished_ns, 400);
	assert_int_equal(ilp_proc_total_ns(p), 0);
	/* a second interim report: same call, longer, still once */
	assert_int_equal(ilp_model_index(m, 700), 0);
	assert_int_equal(s->unfinished, 1);
	assert_int_equal(s->unfinished_ns, 600);
	/* the call completes: no longer unfinished */
	feed(m, sysexit(800, 1, 1, r, 0));
	assert_int_equal(ilp_model_index(m, 900), 0);
	assert_int_equal(s->calls, 1);
	assert_int_equal(s->total_ns, 700);
	assert_int_equal(s->unfinished, 0);
	assert_int_equal(s->unfinished_ns, 0);
	assert_int_equal(ilp_thread_syscall(t, 0)->unfinished, 0);
	/* another in flight: interim, then finish closes it once */
	feed(m, enter(1000, 1, 1, r));
	assert_int_equal(ilp_model_index(m, 1500), 0);
	assert_int_equal(s->unfinished, 1);
	assert_int_equal(s->unfinished_ns, 500);
	ilp_model_finish(m, 2000);
	assert_int_equal(ilp_model_index(m, 2000), 0);
	assert_int_equal(s->unfinished, 1);
	assert_int_equal(s->unfinished_ns, 1000);
	assert_int_equal(ilp_model_index(m, 5000), 0);
	assert_int_equal(s->unfinished, 1);
	assert_int_equal(s->unfinished_ns, 1000);
	assert_int_equal(ilp_thread_syscall(t, 0)->unfinished, 1);
	assert_int_equal(ilp_thread_syscall(t, 0)->unfinished_ns, 1000);
	assert_int_equal(s->calls, 1);
	assert_int_equal(ilp_proc_calls(p), 1);
	assert_int_equal(ilp_proc_total_ns(p), 700);
	ilp_model_free(m);
}

static void test_clone_thread_and_fork(void **state)
{
	struct ilp_model *m = ilp_model_new();
	int w = NR("write");
	const struct ilp_proc *p, *c;
	const struct ilp_thread *t;

	(void)state;
	feed(m, task(0, 100, 100, ILP_EV_TASK_INFO, "app"));
	feed(m, task_new(10, 100, 100, 101, CLONE_VM_F | CLONE_THREAD_F, "app"));
	feed(m, task_new(20, 100, 100, 200, SIGCHLD_F, "app"));
	/* a source that does not know tgids: pid 0 */
	feed(m, enter(30, 0, 101, w));
	feed(m, sysexit(40, 0, 101, w, 1));
	feed(m, enter(50, 0, 200, w));
	feed(m, sysexit(75, 0, 200, w, 1));
	/* a thread of the child, created by the child */
	feed(m, task_new(80, 0, 200, 201, CLONE_VM_F | CLONE_THREAD_F, "app"));
	feed(m, enter(90, 0, 201, w));
	feed(m, sysexit(95, 0, 201, w, 1));
	assert_int_equal(ilp_model_index(m, 100), 0);
	assert_int_equal(ilp_model_nprocs(m), 2);
	p = ilp_model_find_proc(m, 100);
	c = ilp_model_find_proc(m, 200);
	assert_non_null(p);
	assert_non_null(c);
	assert_null(ilp_model_find_proc(m, 101));
	assert_null(ilp_model_find_proc(m, 201));
	assert_int_equal(ilp_proc_nthreads_seen(p), 2);
	assert_int_equal(ilp_proc_calls(p), 1);
	assert_int_equal(ilp_proc_total_ns(p), 10);
	t = ilp_proc_thread(p, 1);
	assert_int_equal(ilp_thread_tid(t), 101);
	assert_string_equal(ilp_thread_comm(t), "app");
	assert_int_equal(ilp_thread_total_ns(t), 10);
	assert_int_equal(ilp_thread_total_ns(ilp_proc_thread(p, 0)), 0);

	assert_string_equal(ilp_proc_comm(c), "app");
	assert_int_equal(ilp_proc_nthreads_seen(c), 2);
	assert_int_equal(ilp_proc_calls(c), 2);
	assert_int_equal(ilp_proc_total_ns(c), 30);
	assert_int_equal(ilp_thread_tid(ilp_proc_thread(c, 0)), 200);
	assert_int_equal(ilp_thread_tid(ilp_proc_thread(c, 1)), 201);
	/* sorted by total: child (30) before parent (10) */
	assert_ptr_equal(ilp_model_proc(m, 0), c);
	assert_ptr_equal(ilp_model_proc(m, 1), p);
	ilp_model_free(m);
}

static void test_exec_renames(void **state)
{
	struct ilp_model *m = ilp_model_new();
	const struct ilp_proc *p, *c;

	(void)state;
	feed(m, task(0, 100, 100, ILP_EV_TASK_INFO, "sh"));
	feed(m, task_new(10, 100, 100, 200, SIGCHLD_F, "sh"));
	feed(m, task(20, 200, 200, ILP_EV_EXEC, "ls"));
	assert_int_equal(ilp_model_index(m, 30), 0);
	p = ilp_model_find_proc(m, 100);
	c = ilp_model_find_proc(m, 200);
	assert_string_equal(ilp_proc_comm(p), "sh");
	assert_string_equal(ilp_thread_comm(ilp_proc_thread(p, 0)), "sh");
	assert_string_equal(ilp_proc_comm(c), "ls");
	assert_string_equal(ilp_thread_comm(ilp_proc_thread(c, 0)), "ls");
	/* a comm of 15 chars is kept whole, an unterminated one cut at 15 */
	feed(m, task(40, 200, 200, ILP_EV_EXEC, "abcdefghijklmno"));
	assert_string_equal(ilp_proc_comm(c), "abcdefghijklmno");
	feed(m, task(50, 200, 200, ILP_EV_EXEC, "0123456789abcdefgh"));
	assert_string_equal(ilp_proc_comm(c), "0123456789abcde");
	assert_string_equal(ilp_thread_comm(ilp_proc_thread(c, 0)), "0123456789abcde");
	ilp_model_free(m);
}

static void test_exit_group_completes(void **state)
{
	struct ilp_model *m = ilp_model_new();
	int eg = NR("exit_group"), r = NR("read"), ex = NR("exit");
	const struct ilp_proc *p;
	const struct ilp_thread *t;
	const struct ilp_sc_stats *s;

	(void)state;
	feed(m, task(0, 100, 100, ILP_EV_TASK_INFO, "app"));
	feed(m, task(0, 100, 101, ILP_EV_TASK_INFO, "app"));
	feed(m, task(0, 100, 102, ILP_EV_TASK_INFO, "app"));
	feed(m, enter(100, 100, 101, r));
	feed(m, enter(110, 100, 102, ex));
	feed(m, enter(120, 100, 100, eg));
	feed(m, task_exit(130, 100, 102, 0));	/* exit completes: 20 */
	feed(m, task_exit(140, 100, 101, 0));	/* read unfinished: 40 */
	p = ilp_model_find_proc(m, 100);
	assert_false(ilp_proc_exited(p));
	feed(m, task_exit(170, 100, 100, 1));	/* exit_group completes: 50 */
	assert_true(ilp_proc_exited(p));
	ilp_model_finish(m, 1000);
	assert_int_equal(ilp_model_index(m, 1000), 0);
	assert_int_equal(ilp_proc_calls(p), 2);
	assert_int_equal(ilp_proc_total_ns(p), 70);
	s = ilp_proc_find_syscall(p, eg);
	assert_int_equal(s->calls, 1);
	assert_int_equal(s->errors, 0);
	assert_int_equal(s->total_ns, 50);
	assert_int_equal(s->unfinished, 0);
	s = ilp_proc_find_syscall(p, ex);
	assert_int_equal(s->calls, 1);
	assert_int_equal(s->total_ns, 20);
	s = ilp_proc_find_syscall(p, r);
	assert_int_equal(s->calls, 0);
	assert_int_equal(s->unfinished, 1);
	assert_int_equal(s->unfinished_ns, 40);	/* closed at its exit, not at finish */
	t = thread_by_tid(p, 101);
	assert_true(ilp_thread_exited(t));
	assert_int_equal(ilp_thread_find_syscall(t, r)->unfinished_ns, 40);
	assert_int_equal(ilp_thread_find_syscall(thread_by_tid(p, 100), eg)->total_ns, 50);
	ilp_model_free(m);
}

static void test_task_info_attach(void **state)
{
	struct ilp_model *m = ilp_model_new();
	const struct ilp_proc *p, *q;

	(void)state;
	feed(m, task(0, 100, 100, ILP_EV_TASK_INFO, "srv"));
	feed(m, task(0, 100, 102, ILP_EV_TASK_INFO, "worker"));
	feed(m, task(0, 100, 101, ILP_EV_TASK_INFO, "io"));
	/* a non-leader seen first names the process until the leader is */
	feed(m, task(0, 300, 301, ILP_EV_TASK_INFO, "w"));
	q = ilp_model_find_proc(m, 300);
	assert_string_equal(ilp_proc_comm(q), "w");
	feed(m, task(0, 300, 300, ILP_EV_TASK_INFO, "main"));
	feed(m, task(0, 300, 302, ILP_EV_TASK_INFO, "x"));
	assert_int_equal(ilp_model_index(m, 0), 0);
	assert_int_equal(ilp_model_nprocs(m), 2);
	p = ilp_model_find_proc(m, 100);
	assert_string_equal(ilp_proc_comm(p), "srv");
	assert_int_equal(ilp_proc_nthreads_seen(p), 3);
	assert_int_equal(ilp_thread_tid(ilp_proc_thread(p, 0)), 100);
	assert_int_equal(ilp_thread_tid(ilp_proc_thread(p, 1)), 101);
	assert_int_equal(ilp_thread_tid(ilp_proc_thread(p, 2)), 102);
	assert_string_equal(ilp_thread_comm(ilp_proc_thread(p, 1)), "io");
	assert_string_equal(ilp_thread_comm(ilp_proc_thread(p, 2)), "worker");
	assert_string_equal(ilp_proc_comm(q), "main");
	assert_int_equal(ilp_proc_nthreads_seen(q), 3);
	assert_false(ilp_proc_exited(p));
	ilp_model_free(m);
}

static void test_unregistered_tids(void **state)
{
	struct ilp_model *m = ilp_model_new();
	int w = NR("write");

	(void)state;
	feed(m, enter(0, 0, 500, w));		/* pid unknown: process 500 */
	feed(m, sysexit(5, 0, 500, w, 1));
	feed(m, enter(10, 600, 601, w));	/* pid known: process 600 */
	feed(m, sysexit(17, 600, 601, w, 1));
	assert_int_equal(ilp_model_index(m, 20), 0);
	assert_int_equal(ilp_model_nprocs(m), 2);
	assert_int_equal(ilp_proc_total_ns(ilp_model_find_proc(m, 500)), 5);
	assert_int_equal(ilp_proc_total_ns(ilp_model_find_proc(m, 600)), 7);
	assert_null(ilp_model_find_proc(m, 601));
	assert_int_equal(ilp_thread_tid(ilp_proc_thread(ilp_model_find_proc(m, 600), 0)), 601);
	assert_string_equal(ilp_proc_comm(ilp_model_find_proc(m, 600)), "");
	ilp_model_free(m);
}

static void sc(struct ilp_model *m, uint64_t *ts, int pid, int tid, int nr, uint64_t lat)
{
	feed(m, enter(*ts, pid, tid, nr));
	feed(m, sysexit(*ts + lat, pid, tid, nr, 0));
	*ts += lat + 1;
}

static void test_sort_order(void **state)
{
	struct ilp_model *m = ilp_model_new();
	int r = NR("read"), w = NR("write"), c = NR("close"), fs = NR("fsync");
	const struct ilp_proc *p;
	const struct ilp_thread *t;
	uint64_t ts = 0;

	(void)state;
	assert_true(w < c);
	sc(m, &ts, 300, 300, w, 500);
	sc(m, &ts, 100, 100, w, 1000);
	sc(m, &ts, 200, 200, w, 500);
	feed(m, task(ts, 400, 400, ILP_EV_TASK_INFO, "idle"));
	/* process 100's syscalls */
	sc(m, &ts, 100, 105, r, 100);
	sc(m, &ts, 100, 101, c, 40);
	sc(m, &ts, 100, 101, c, 60);
	sc(m, &ts, 100, 103, fs, 500);
	/* write: 1000 + 50 + 50 in 3 calls; fsync 500 */
	sc(m, &ts, 100, 103, w, 50);
	sc(m, &ts, 100, 103, w, 50);
	assert_int_equal(ilp_model_index(m, ts), 0);
	assert_int_equal(ilp_model_nprocs(m), 4);
	assert_int_equal(ilp_proc_pid(ilp_model_proc(m, 0)), 100);
	assert_int_equal(ilp_proc_pid(ilp_model_proc(m, 1)), 200);
	assert_int_equal(ilp_proc_pid(ilp_model_proc(m, 2)), 300);
	assert_int_equal(ilp_proc_pid(ilp_model_proc(m, 3)), 400);
	assert_null(ilp_model_proc(m, 4));
	p = ilp_model_proc(m, 0);
	assert_int_equal(ilp_proc_total_ns(p), 1800);
	assert_int_equal(ilp_proc_calls(p), 7);
	/* write 1100, fsync 500, then a tie at 100: close (2 calls) before read (1) */
	assert_int_equal(ilp_proc_nsyscalls(p), 4);
	assert_int_equal(ilp_proc_syscall(p, 0)->nr, w);
	assert_int_equal(ilp_proc_syscall(p, 0)->total_ns, 1100);
	assert_int_equal(ilp_proc_syscall(p, 1)->nr, fs);
	assert_int_equal(ilp_proc_syscall(p, 2)->nr, c);
	assert_int_equal(ilp_proc_syscall(p, 3)->nr, r);
	assert_int_equal(ilp_proc_syscall(p, 2)->max_ns, 60);
	/* threads by tid */
	assert_int_equal(ilp_proc_nthreads_seen(p), 4);
	assert_int_equal(ilp_thread_tid(ilp_proc_thread(p, 0)), 100);
	assert_int_equal(ilp_thread_tid(ilp_proc_thread(p, 1)), 101);
	assert_int_equal(ilp_thread_tid(ilp_proc_thread(p, 2)), 103);
	assert_int_equal(ilp_thread_tid(ilp_proc_thread(p, 3)), 105);
	/* per-thread syscall order: fsync 500, write 100 */
	t = ilp_proc_thread(p, 2);
	assert_int_equal(ilp_thread_nsyscalls(t), 2);
	assert_int_equal(ilp_thread_syscall(t, 0)->nr, fs);
	assert_int_equal(ilp_thread_syscall(t, 1)->nr, w);
	assert_null(ilp_thread_syscall(t, 2));

	/* equal totals and calls: nr ascending */
	ilp_model_free(m);
	m = ilp_model_new();
	ts = 0;
	sc(m, &ts, 1, 1, c, 10);
	sc(m, &ts, 1, 1, r, 10);
	sc(m, &ts, 1, 1, w, 10);
	assert_int_equal(ilp_model_index(m, ts), 0);
	p = ilp_model_proc(m, 0);
	assert_int_equal(ilp_proc_syscall(p, 0)->nr, r);
	assert_int_equal(ilp_proc_syscall(p, 1)->nr, w);
	assert_int_equal(ilp_proc_syscall(p, 2)->nr, c);
	t = ilp_proc_thread(p, 0);
	assert_int_equal(ilp_thread_syscall(t, 0)->nr, r);
	assert_int_equal(ilp_thread_syscall(t, 1)->nr, w);
	assert_int_equal(ilp_thread_syscall(t, 2)->nr, c);
	ilp_model_free(m);
}

static void test_tid_reuse(void **state)
{
	struct ilp_model *m = ilp_model_new();
	int w = NR("write");
	const struct ilp_proc *p, *old, *young;
	const struct ilp_thread *t1, *t2;
	uint64_t ts = 10;
	size_t i;

	(void)state;
	feed(m, task(0, 100, 100, ILP_EV_TASK_INFO, "app"));
	feed(m, task_new(1, 100, 100, 101, CLONE_THREAD_F, "app"));
	sc(m, &ts, 100, 101, w, 5);
	feed(m, task_exit(ts++, 100, 101, 0));
	feed(m, task_exit(ts++, 100, 101, 0));	/* repeated: ignored */
	feed(m, task_new(ts++, 100, 100, 101, CLONE_THREAD_F, "app"));
	sc(m, &ts, 100, 101, w, 7);
	sc(m, &ts, 100, 101, w, 7);
	/* pid reuse: a process exits and its pid comes back as a new one */
	feed(m, task_new(ts++, 100, 100, 200, SIGCHLD_F, "app"));
	sc(m, &ts, 200, 200, w, 3);
	feed(m, task_exit(ts++, 200, 200, 1));
	feed(m, task_new(ts++, 100, 100, 200, SIGCHLD_F, "app"));
	feed(m, task(ts++, 200, 200, ILP_EV_EXEC, "new"));
	sc(m, &ts, 200, 200, w, 11);
	assert_int_equal(ilp_model_index(m, ts), 0);

	p = ilp_model_find_proc(m, 100);
	assert_int_equal(ilp_proc_nthreads_seen(p), 3);
	assert_int_equal(ilp_proc_calls(p), 3);
	assert_int_equal(ilp_proc_total_ns(p), 19);
	t1 = ilp_proc_thread(p, 1);
	t2 = ilp_proc_thread(p, 2);
	assert_int_equal(ilp_thread_tid(t1), 101);
	assert_int_equal(ilp_thread_tid(t2), 101);
	assert_true(ilp_thread_exited(t1));
	assert_false(ilp_thread_exited(t2));
	assert_int_equal(ilp_thread_calls(t1), 1);
	assert_int_equal(ilp_thread_total_ns(t1), 5);
	assert_int_equal(ilp_thread_calls(t2), 2);
	assert_int_equal(ilp_thread_total_ns(t2), 14);
	assert_ptr_equal(ilp_model_find_thread(m, 101), t2);

	assert_int_equal(ilp_model_nprocs(m), 3);
	young = ilp_model_find_proc(m, 200);
	assert_string_equal(ilp_proc_comm(young), "new");
	assert_false(ilp_proc_exited(young));
	assert_int_equal(ilp_proc_total_ns(young), 11);
	old = NULL;
	for (i = 0; i < ilp_model_nprocs(m); i++)
		if (ilp_proc_pid(ilp_model_proc(m, i)) == 200 && ilp_model_proc(m, i) != young)
			old = ilp_model_proc(m, i);
	assert_non_null(old);
	assert_true(ilp_proc_exited(old));
	assert_string_equal(ilp_proc_comm(old), "app");
	assert_int_equal(ilp_proc_total_ns(old), 3);
	assert_int_equal(ilp_proc_nthreads_seen(old), 1);
	ilp_model_free(m);
}

static void test_out_of_order(void **state)
{
	struct ilp_model *m = ilp_model_new();
	int w = NR("write");
	const struct ilp_sc_stats *s;

	(void)state;
	feed(m, task(100, 1, 1, ILP_EV_TASK_INFO, "a"));
	feed(m, enter(200, 1, 1, w));
	feed(m, sysexit(150, 1, 1, w, 0));	/* older: counted, applied, latency 0 */
	feed(m, enter(300, 1, 1, w));
	feed(m, sysexit(50, 1, 1, w, 0));	/* older again */
	feed(m, enter(60, 1, 1, w));		/* newer than the previous: in order */
	feed(m, sysexit(90, 1, 1, w, 0));
	assert_int_equal(ilp_model_index(m, 300), 0);
	assert_int_equal(ilp_model_counters(m)->events, 7);
	assert_int_equal(ilp_model_counters(m)->out_of_order, 2);
	assert_int_equal(ilp_model_first_ts(m), 50);
	assert_int_equal(ilp_model_last_ts(m), 300);
	s = ilp_proc_find_syscall(ilp_model_find_proc(m, 1), w);
	assert_int_equal(s->calls, 3);
	assert_int_equal(s->total_ns, 30);
	assert_int_equal(s->max_ns, 30);
	ilp_model_free(m);
}

static void test_overflow_nr_and_args(void **state)
{
	struct ilp_model *m = ilp_model_new();
	struct ilp_event e = enter(0, 1, 1, 5000);
	const struct ilp_thread *t;
	const struct ilp_proc *p;
	const struct ilp_sc_stats *s;
	const uint64_t *args = NULL;
	uint64_t ts = 0;
	int nr = 0;

	(void)state;
	e.args[0] = 3;
	e.args[5] = 0xdeadbeefull;
	feed(m, e);
	t = ilp_model_find_thread(m, 1);
	assert_int_equal(ilp_thread_current_call(t, &nr, &ts, &args), 1);
	assert_int_equal(nr, 5000);
	assert_int_equal(ts, 0);
	assert_int_equal(args[0], 3);
	assert_int_equal(args[5], 0xdeadbeefull);
	feed(m, sysexit(10, 1, 1, 5000, 0));
	assert_int_equal(ilp_thread_current_call(t, NULL, NULL, NULL), 0);
	feed(m, enter(20, 1, 1, -1));
	feed(m, sysexit(25, 1, 1, -1, 0));
	feed(m, enter(30, 1, 1, ILP_SC_MAX));
	feed(m, sysexit(31, 1, 1, ILP_SC_MAX - 1, 0));	/* different nr: unpaired */
	assert_int_equal(ilp_model_index(m, 100), 0);
	p = ilp_model_find_proc(m, 1);
	assert_int_equal(ilp_proc_nsyscalls(p), 1);
	s = ilp_proc_find_syscall(p, ILP_SC_OTHER);
	assert_ptr_equal(s, ilp_proc_find_syscall(p, 5000));
	assert_int_equal(s->nr, ILP_SC_OTHER);
	assert_int_equal(s->calls, 2);
	assert_int_equal(s->total_ns, 15);
	assert_null(ilp_proc_find_syscall(p, ILP_SC_MAX - 1));
	assert_int_equal(ilp_model_counters(m)->unpaired_exits, 1);
	ilp_model_free(m);
}

static void test_million_events(void **state)
{
	struct ilp_model *m = ilp_model_new();
	int r = NR("read"), w = NR("write");
	const struct ilp_proc *p;
	const struct ilp_sc_stats *s;
	struct ilp_event ev[1000];
	uint64_t ts = 0;
	size_t i, j, heap0 = 0, heap1 = 0;

	(void)state;
	for (i = 0; i < 1000; i++) {
		/* 4 threads of process 10, round robin, latency 7 */
		int tid = 10 + (int)((i / 2) % 4);
		int nr = (i / 2) % 2 ? r : w;

		ev[i] = i % 2 ? sysexit(0, 10, tid, nr, 1) : enter(0, 10, tid, nr);
	}
	for (j = 0; j < 1000; j++) {
		for (i = 0; i < 1000; i++) {
			ev[i].ts = ts;
			ts += i % 2 ? 1 : 7;
		}
		assert_int_equal(ilp_model_feed_many(m, ev, 1000), 0);
#ifdef __GLIBC__
		/* every thread and stats record exists after the first batch */
		if (j == 0)
			heap0 = mallinfo2().uordblks;
		else if (j == 999)
			heap1 = mallinfo2().uordblks;
#endif
	}
	assert_int_equal(heap1, heap0);	/* 0 == 0 where mallinfo2 is not kept */
	ilp_model_finish(m, ts);
	assert_int_equal(ilp_model_index(m, ts), 0);
	assert_int_equal(ilp_model_counters(m)->events, 1000000);
	assert_int_equal(ilp_model_counters(m)->out_of_order, 0);
	assert_int_equal(ilp_model_counters(m)->unpaired_exits, 0);
	assert_int_equal(ilp_model_counters(m)->lost_enters, 0);
	assert_int_equal(ilp_model_nprocs(m), 1);
	p = ilp_model_proc(m, 0);
	assert_int_equal(ilp_proc_nthreads_seen(p), 4);
	assert_int_equal(ilp_proc_calls(p), 500000);
	assert_int_equal(ilp_proc_total_ns(p), 3500000);
	assert_int_equal(ilp_proc_nsyscalls(p), 2);
	s = ilp_proc_find_syscall(p, w);
	assert_int_equal(s->calls, 250000);
	assert_int_equal(ilp_hist_count(s->hist), 250000);
	assert_int_equal(s->max_ns, 7);
	assert_int_equal(s->unfinished, 0);
	ilp_model_free(m);
}

/* the live status line's top wait: completed time plus the calls in
 * progress up to now, a first call in progress included, before any index */
static void test_top_wait(void **state)
{
	struct ilp_model *m = ilp_model_new();
	struct ilp_top_wait tw;

	(void)state;
	assert_int_equal(ilp_model_top_wait(m, 1000, &tw), -ENOENT);
	/* pid 10: 3 writes of 100 ns; pid 20: one read of 250 ns */
	for (int i = 0; i < 3; i++) {
		feed(m, enter(1000 + i * 1000, 10, 10, NR("write")));
		feed(m, sysexit(1100 + i * 1000, 10, 10, NR("write"), 1));
	}
	feed(m, enter(5000, 20, 20, NR("read")));
	feed(m, sysexit(5250, 20, 20, NR("read"), 1));
	assert_int_equal(ilp_model_top_wait(m, 6000, &tw), 0);
	assert_int_equal(tw.pid, 10);
	assert_int_equal(tw.nr, NR("write"));
	assert_int_equal(tw.ns, 300);
	assert_int_equal(tw.calls, 3);
	/* a second read in progress since 5990: 250 + 10 at 6000, 250 + 110 at 6100 */
	feed(m, enter(5990, 20, 20, NR("read")));
	assert_int_equal(ilp_model_top_wait(m, 6000, &tw), 0);
	assert_int_equal(tw.pid, 10);
	assert_int_equal(ilp_model_top_wait(m, 6100, &tw), 0);
	assert_int_equal(tw.pid, 20);
	assert_int_equal(tw.nr, NR("read"));
	assert_int_equal(tw.ns, 360);
	assert_int_equal(tw.calls, 1);
	/* a thread's first call, in progress, with no entry of its own yet:
	 * 800 ns against the reads' 360 */
	feed(m, sysexit(6100, 20, 20, NR("read"), 1));
	feed(m, enter(6200, 30, 30, NR("fsync")));
	assert_int_equal(ilp_model_top_wait(m, 7000, &tw), 0);
	assert_int_equal(tw.pid, 30);
	assert_int_equal(tw.nr, NR("fsync"));
	assert_int_equal(tw.ns, 800);
	assert_int_equal(tw.calls, 0);
	/* a second thread in the same first call: their times add up */
	feed(m, enter(6500, 30, 31, NR("fsync")));
	assert_int_equal(ilp_model_top_wait(m, 7000, &tw), 0);
	assert_int_equal(tw.pid, 30);
	assert_int_equal(tw.nr, NR("fsync"));
	assert_int_equal(tw.ns, 800 + 500);
	/* and again: the scratch sums start from 0 each time */
	assert_int_equal(ilp_model_top_wait(m, 7000, &tw), 0);
	assert_int_equal(tw.ns, 1300);
	ilp_model_free(m);
}

/* ---- windows: ilp_model_reset_stats ---- */

static struct ilp_event fdinfo(uint64_t ts, int pid, int tid, int fd, const char *path)
{
	struct ilp_event e = { .ts = ts, .pid = pid, .tid = tid, .kind = ILP_EV_FD_INFO };

	e.fd.fd = fd;
	e.fd.type = ILP_OBJ_FILE | ILP_OBJ_SRC(ILP_NAME_SRC_PROC);
	e.fd.str = path;
	return e;
}

static struct ilp_event call_args(struct ilp_event e, uint64_t a0, uint64_t a1, uint64_t a2)
{
	e.args[0] = a0;
	e.args[1] = a1;
	e.args[2] = a2;
	return e;
}

/* feeds the same event to both models */
static void feed2(struct ilp_model *a, struct ilp_model *b, struct ilp_event e)
{
	feed(a, e);
	feed(b, e);
}

/*
 * Window 1 (0..10 ms): pid 100 opens /tmp/out as fd 3, writes 3 times
 * (100, 200, 300 ns) and fails once (EBADF on fd 9, 50 ns); its thread 101
 * enters a read of fd 3 at 5 ms that returns in window 2; pid 200 writes
 * twice and exits.  Window 2 (10..20 ms): two writes on fd 3 (1000, 2000
 * ns), the read returns (7 ms), thread 102 starts and sleeps unfinished.
 * A second model fed the same events and never reset is the cumulative
 * reference: window 2 must be its difference.
 */
static void test_window_two_intervals(void **state)
{
	struct ilp_model *win = ilp_model_new(), *cum = ilp_model_new();
	int w = NR("write"), r = NR("read"), o = NR("openat"), ns = NR("nanosleep");
	const struct ilp_proc *p, *pc;
	const struct ilp_thread *t;
	const struct ilp_sc_stats *s, *sc;
	const struct ilp_fdobj *obj;
	const struct ilp_io_stats *io;
	uint64_t ts;
	int i;

	(void)state;
	feed2(win, cum, task(1, 100, 100, ILP_EV_TASK_INFO, "app"));
	feed2(win, cum, task_new(2, 100, 100, 101, CLONE_VM_F | CLONE_THREAD_F, "app"));
	feed2(win, cum, task(3, 200, 200, ILP_EV_TASK_INFO, "helper"));
	feed2(win, cum, call_args(enter(1000, 100, 100, o), (uint64_t)-100, 0x1000, 0));
	feed2(win, cum, sysexit(1500, 100, 100, o, 3));
	feed2(win, cum, fdinfo(1500, 100, 100, 3, "/tmp/out"));
	for (i = 1, ts = 2000; i <= 3; i++, ts += 10000) {
		feed2(win, cum, call_args(enter(ts, 100, 100, w), 3, 0, 10));
		feed2(win, cum, sysexit(ts + 100 * (uint64_t)i, 100, 100, w, 10));
	}
	feed2(win, cum, call_args(enter(50000, 100, 100, w), 9, 0, 10));
	feed2(win, cum, sysexit(50050, 100, 100, w, -9));
	feed2(win, cum, call_args(enter(5000000, 100, 101, r), 3, 0, 10));
	for (i = 0; i < 2; i++) {
		feed2(win, cum, call_args(enter(6000000 + 1000 * (uint64_t)i, 200, 200, w), 1, 0, 1));
		feed2(win, cum, sysexit(6000000 + 1000 * (uint64_t)i + 10, 200, 200, w, 1));
	}
	feed2(win, cum, task_exit(7000000, 200, 200, 1));

	/* window 1, as its interim report sees it */
	assert_int_equal(ilp_model_index(win, 10000000), 0);
	assert_int_equal(ilp_model_nprocs(win), 2);
	p = ilp_model_find_proc(win, 100);
	s = ilp_proc_find_syscall(p, w);
	assert_int_equal(s->calls, 4);
	assert_int_equal(s->errors, 1);
	assert_int_equal(s->total_ns, 100 + 200 + 300 + 50);
	assert_int_equal(ilp_hist_count(s->hist), 4);
	s = ilp_proc_find_syscall(p, r);
	assert_int_equal(s->calls, 0);
	assert_int_equal(s->unfinished, 1);
	assert_int_equal(s->unfinished_ns, 5000000);
	assert_int_equal(ilp_proc_calls(ilp_model_find_proc(win, 200)), 2);

	assert_int_equal(ilp_model_reset_stats(win), 0);

	/* window 2 */
	for (i = 1, ts = 11000000; i <= 2; i++, ts += 10000) {
		feed2(win, cum, call_args(enter(ts, 100, 100, w), 3, 0, 100));
		feed2(win, cum, sysexit(ts + 1000 * (uint64_t)i, 100, 100, w, 100));
	}
	feed2(win, cum, sysexit(12000000, 100, 101, r, 10));
	feed2(win, cum, task_new(13000000, 100, 100, 102, CLONE_VM_F | CLONE_THREAD_F, "app"));
	feed2(win, cum, enter(14000000, 100, 102, ns));

	assert_int_equal(ilp_model_index(win, 20000000), 0);
	assert_int_equal(ilp_model_index(cum, 20000000), 0);
	/* pid 200 exited in window 1: not in window 2's report, still in the whole run's */
	assert_int_equal(ilp_model_nprocs(win), 1);
	assert_int_equal(ilp_proc_pid(ilp_model_proc(win, 0)), 100);
	assert_null(ilp_model_proc(win, 1));
	assert_int_equal(ilp_model_nprocs(cum), 2);
	assert_int_equal(ilp_model_counters(win)->events, 7);
	assert_int_equal(ilp_model_first_ts(win), 11000000);
	assert_int_equal(ilp_model_last_ts(win), 14000000);

	p = ilp_model_find_proc(win, 100);
	pc = ilp_model_find_proc(cum, 100);
	assert_int_equal(ilp_proc_calls(p), 3);
	assert_int_equal(ilp_proc_calls(pc), 5 + 3);
	assert_int_equal(ilp_proc_total_ns(p), 1000 + 2000 + 7000000);
	assert_int_equal(ilp_proc_nthreads_seen(p), 3);
	assert_int_equal(ilp_proc_nsyscalls(p), 3);	/* read, write, nanosleep: no openat */
	assert_null(ilp_proc_find_syscall(p, o));
	s = ilp_proc_find_syscall(p, w);
	sc = ilp_proc_find_syscall(pc, w);
	assert_int_equal(s->calls, 2);
	assert_int_equal(sc->calls, 6);
	assert_int_equal(s->errors, 0);
	assert_int_equal(sc->errors, 1);
	assert_int_equal(s->total_ns, 3000);
	assert_int_equal(sc->total_ns - s->total_ns, 650);
	assert_int_equal(s->max_ns, 2000);
	assert_int_equal(ilp_hist_count(s->hist), 2);
	assert_int_equal(ilp_hist_sum(s->hist), 3000);
	assert_int_equal(ilp_hist_min(s->hist), 1000);
	assert_int_equal(ilp_hist_max(s->hist), 2000);
	assert_int_equal(ilp_hist_count(sc->hist) - ilp_hist_count(s->hist), 4);
	/* the read entered in window 1 counts in window 2, with its whole latency */
	s = ilp_proc_find_syscall(p, r);
	assert_int_equal(s->calls, 1);
	assert_int_equal(s->total_ns, 7000000);
	assert_int_equal(s->unfinished, 0);
	assert_int_equal(ilp_hist_max(s->hist), 7000000);
	assert_int_equal(ilp_proc_find_syscall(pc, r)->total_ns, 7000000);
	/* in progress: unfinished up to now, as in any interim report */
	s = ilp_proc_find_syscall(p, ns);
	assert_int_equal(s->calls, 0);
	assert_int_equal(s->unfinished, 1);
	assert_int_equal(s->unfinished_ns, 6000000);
	t = thread_by_tid(p, 101);
	assert_int_equal(ilp_thread_calls(t), 1);
	assert_int_equal(ilp_thread_total_ns(t), 7000000);
	t = thread_by_tid(p, 100);
	assert_int_equal(ilp_thread_calls(t), 2);
	assert_null(ilp_thread_find_syscall(t, o));
	assert_int_equal(ilp_thread_nsyscalls(t), 1);

	/* fd 3, opened and named in window 1, keeps its name in window 2 */
	assert_int_equal(ilp_fdproc_nobjs(ilp_proc_fds(p)), 1);
	obj = ilp_fdproc_obj(ilp_proc_fds(p), 0);
	assert_ptr_equal(obj, ilp_fdproc_fd(ilp_proc_fds(p), 3));
	assert_string_equal(ilp_fdobj_desc(obj), "/tmp/out");
	assert_int_equal(ilp_fdobj_type(obj) & ILP_OBJ_TYPE_MASK, ILP_OBJ_FILE);
	io = ilp_fdobj_stats(obj);
	assert_int_equal(io->ops, 3);
	assert_int_equal(io->writes, 2);
	assert_int_equal(io->wbytes, 200);
	assert_int_equal(io->reads, 1);
	assert_int_equal(io->rbytes, 10);
	assert_int_equal(io->opens, 0);
	assert_int_equal(ilp_hist_count(io->lat), 3);
	assert_int_equal(ilp_fdobj_tid(obj), 0);	/* threads 100 and 101 */
	io = ilp_fdobj_stats(ilp_fdproc_fd(ilp_proc_fds(pc), 3));
	assert_int_equal(io->ops, 1 + 3 + 3);
	assert_int_equal(io->opens, 1);

	/* the longest calls: the window's only */
	assert_int_equal(ilp_calls_count(ilp_proc_top_calls(p)), 3);
	assert_int_equal(ilp_calls_seen(ilp_proc_top_calls(p)), 3);
	assert_int_equal(ilp_calls_get(ilp_proc_top_calls(p), 0)->start_ts, 5000000);

	/* a third window with nothing: every process listed, nothing counted */
	assert_int_equal(ilp_model_reset_stats(win), 0);
	assert_int_equal(ilp_model_index(win, 30000000), 0);
	assert_int_equal(ilp_model_nprocs(win), 1);
	p = ilp_model_find_proc(win, 100);
	assert_int_equal(ilp_proc_calls(p), 0);
	assert_int_equal(ilp_proc_nsyscalls(p), 1);	/* the sleep, still in progress */
	assert_int_equal(ilp_proc_syscall(p, 0)->unfinished_ns, 16000000);
	assert_int_equal(ilp_fdproc_nobjs(ilp_proc_fds(p)), 0);
	assert_int_equal(ilp_calls_count(ilp_proc_top_calls(p)), 0);
	ilp_model_free(win);
	ilp_model_free(cum);
}

/* threads that exited before a window are left out of it; a tid reused
 * in it is a new thread */
static void test_window_exited_threads(void **state)
{
	struct ilp_model *m = ilp_model_new();
	int w = NR("write");
	const struct ilp_proc *p;

	(void)state;
	feed(m, task(1, 100, 100, ILP_EV_TASK_INFO, "app"));
	feed(m, task_new(2, 100, 100, 101, CLONE_VM_F | CLONE_THREAD_F, "worker"));
	feed(m, enter(10, 100, 101, w));
	feed(m, sysexit(20, 100, 101, w, 1));
	feed(m, task_exit(30, 100, 101, 0));
	assert_int_equal(ilp_model_index(m, 100), 0);
	assert_int_equal(ilp_proc_nthreads_seen(ilp_model_find_proc(m, 100)), 2);
	assert_int_equal(ilp_model_reset_stats(m), 0);
	feed(m, task_new(200, 100, 100, 101, CLONE_VM_F | CLONE_THREAD_F, "worker2"));
	feed(m, enter(210, 100, 101, w));
	feed(m, sysexit(260, 100, 101, w, 1));
	assert_int_equal(ilp_model_index(m, 300), 0);
	p = ilp_model_find_proc(m, 100);
	assert_int_equal(ilp_proc_nthreads_seen(p), 2);	/* 100 and the new 101 */
	assert_null(ilp_proc_thread(p, 2));
	assert_string_equal(ilp_thread_comm(thread_by_tid(p, 101)), "worker2");
	assert_int_equal(ilp_thread_total_ns(thread_by_tid(p, 101)), 50);
	assert_int_equal(ilp_proc_calls(p), 1);
	ilp_model_free(m);
}

/* the wait models: a kernel lock wait, a disk request and a slow call of
 * window 1 are not in window 2; a request queued in 1 and completed in 2
 * counts in 2 */
static void test_window_waits(void **state)
{
	struct ilp_model *m = ilp_model_new();
	int pw = NR("pwrite64"), w = NR("write");
	struct ilp_event lb = { .ts = 2000, .tid = 100, .kind = ILP_EV_LOCK_BEGIN };
	struct ilp_event le = { .ts = 5000, .tid = 100, .kind = ILP_EV_LOCK_END };
	struct ilp_event bq = { .ts = 3000000, .tid = 100, .kind = ILP_EV_BLOCK_QUEUE };
	struct ilp_event bc = { .ts = 4000000, .tid = 0, .kind = ILP_EV_BLOCK_COMPLETE };
	const struct ilp_wproc *wp;
	const struct ilp_blk_stats *st;
	const struct ilp_proc *p;

	(void)state;
	ilp_model_set_slow(m, 1000000);
	lb.lock.addr = le.lock.addr = 0xffff888000001000ull;
	feed(m, task(1, 100, 100, ILP_EV_TASK_INFO, "app"));
	feed(m, enter(1000, 100, 100, w));
	feed(m, lb);
	feed(m, le);
	feed(m, sysexit(2000000, 100, 100, w, 1));	/* slow: 2 ms */
	/* request 1: queued and completed in window 1 */
	bq.block.dev = bc.block.dev = 8u << 20;
	bq.block.bytes = bc.block.bytes = 4096;
	strcpy(bq.block.rwbs, "W");
	strcpy(bc.block.rwbs, "W");
	bq.block.sector = bc.block.sector = 8;
	feed(m, enter(2500000, 100, 100, pw));
	feed(m, bq);
	feed(m, bc);
	/* request 2: queued in window 1 */
	bq.ts = 4500000;
	bq.block.sector = bc.block.sector = 16;
	feed(m, bq);
	feed(m, sysexit(4600000, 100, 100, pw, 4096));
	assert_int_equal(ilp_model_index(m, 10000000), 0);
	wp = ilp_proc_wait(ilp_model_find_proc(m, 100));
	assert_int_equal(ilp_wproc_nklocks(wp), 1);
	assert_int_equal(ilp_wproc_nslow(wp), 2);
	assert_int_equal(ilp_wproc_blk(wp)->requests, 1);
	assert_int_equal(ilp_model_nblkdevs(m), 1);

	assert_int_equal(ilp_model_reset_stats(m), 0);
	assert_int_equal(ilp_model_index(m, 11000000), 0);
	p = ilp_model_find_proc(m, 100);
	wp = ilp_proc_wait(p);
	assert_int_equal(ilp_wproc_nklocks(wp), 0);
	assert_null(ilp_wproc_klock(wp, 0));
	assert_int_equal(ilp_wproc_nslow(wp), 0);
	assert_int_equal(ilp_wproc_nblocking(wp), 0);
	assert_null(ilp_wproc_blk(wp));
	assert_int_equal(ilp_model_nblkdevs(m), 0);

	bc.ts = 12000000;
	feed(m, bc);
	assert_int_equal(ilp_model_index(m, 13000000), 0);
	assert_int_equal(ilp_model_nblkdevs(m), 1);
	st = ilp_blkdev_stats(ilp_model_blkdev(m, 0));
	assert_int_equal(st->requests, 1);
	assert_int_equal(ilp_hist_max(st->q2c), 12000000 - 4500000);
	assert_int_equal(ilp_blkdev_nreqs(ilp_model_blkdev(m, 0)), 1);
	assert_int_equal(ilp_blkdev_unmatched(ilp_model_blkdev(m, 0)), 0);
	assert_int_equal(ilp_wproc_blk(wp)->requests, 1);
	assert_int_equal(ilp_wproc_blk(wp)->bytes, 4096);
	ilp_model_free(m);
}

/* ---- continuous capture: ilp_model_gap, ilp_model_prune ---- */

/* a call that straddles a gap is not counted, neither completed nor
 * unfinished; its exit after the gap is an unpaired exit; a call wholly
 * after the gap counts with its own latency */
static void test_gap_drops_calls(void **state)
{
	struct ilp_model *m = ilp_model_new();
	int r = NR("read"), w = NR("write");
	const struct ilp_sc_stats *sc;
	const struct ilp_proc *p;

	(void)state;
	feed(m, task(1, 100, 100, ILP_EV_TASK_INFO, "app"));
	feed(m, task_new(2, 100, 100, 101, CLONE_VM_F | CLONE_THREAD_F, "worker"));
	feed(m, enter(10, 100, 100, w));
	feed(m, sysexit(20, 100, 100, w, 1));
	feed(m, enter(30, 100, 100, r));	/* in progress at the gap */
	feed(m, enter(35, 100, 101, r));	/* and this one */
	ilp_model_gap(m, 40);
	feed(m, sysexit(5000, 100, 100, r, 1));	/* its exit, after the gap */
	feed(m, enter(5100, 100, 101, w));	/* 101's exit was never seen */
	feed(m, sysexit(5150, 100, 101, w, 1));
	assert_int_equal(ilp_model_index(m, 6000), 0);
	p = ilp_model_find_proc(m, 100);
	sc = ilp_proc_find_syscall(p, w);
	assert_int_equal(sc->calls, 2);
	assert_int_equal(sc->total_ns, 10 + 50);
	sc = ilp_proc_find_syscall(p, r);
	assert_true(!sc || (sc->calls == 0 && sc->unfinished == 0));
	assert_int_equal(ilp_model_counters(m)->unpaired_exits, 1);
	assert_int_equal(ilp_model_counters(m)->lost_enters, 0);
	ilp_model_finish(m, 7000);
	assert_int_equal(ilp_model_index(m, 7000), 0);
	sc = ilp_proc_find_syscall(p, r);
	assert_true(!sc || sc->unfinished == 0);
	ilp_model_free(m);
}

/* windows of a churning process tree: whatever exited is freed at the
 * next reset, so the records stay as many as what lives */
static void test_prune_churn(void **state)
{
	struct ilp_model *m = ilp_model_new();
	int w = NR("write");
	size_t np, nt, np1 = 0, nt1 = 0;
	uint64_t ts = 10;
	int win, i, child = 1000;

	(void)state;
	feed(m, task(1, 100, 100, ILP_EV_TASK_INFO, "server"));
	for (win = 0; win < 50; win++) {
		for (i = 0; i < 20; i++, child++) {
			/* a thread and a child process, each a call, then gone */
			feed(m, task_new(ts++, 100, 100, child, CLONE_VM_F | CLONE_THREAD_F, "t"));
			feed(m, enter(ts++, 100, child, w));
			feed(m, sysexit(ts++, 100, child, w, 1));
			feed(m, task_exit(ts++, 100, child, 0));
			child++;
			feed(m, task_new(ts++, 100, 100, child, SIGCHLD_F, "kid"));
			feed(m, enter(ts++, child, child, w));
			feed(m, sysexit(ts++, child, child, w, 1));
			feed(m, task_exit(ts++, child, child, 1));
		}
		feed(m, enter(ts++, 100, 100, w));	/* the server lives on */
		feed(m, sysexit(ts++, 100, 100, w, 1));
		assert_int_equal(ilp_model_index(m, ts), 0);
		/* the window's report: the server and 20 children */
		assert_int_equal(ilp_model_nprocs(m), 21);
		assert_int_equal(ilp_proc_calls(ilp_model_find_proc(m, 100)), 21);
		assert_int_equal(ilp_model_reset_stats(m), 0);
		ilp_model_prune(m);
		ilp_model_size(m, &np, &nt);
		if (win == 0) {
			np1 = np;
			nt1 = nt;
		}
		assert_int_equal(np, np1);
		assert_int_equal(nt, nt1);
	}
	assert_int_equal(np1, 1);	/* the server and its main thread */
	assert_int_equal(nt1, 1);
	/* a pid seen again after its record was freed is a new process */
	feed(m, enter(ts++, 1001, 1001, w));
	feed(m, sysexit(ts++, 1001, 1001, w, 1));
	assert_int_equal(ilp_model_index(m, ts), 0);
	assert_int_equal(ilp_model_nprocs(m), 2);
	assert_int_equal(ilp_proc_calls(ilp_model_find_proc(m, 1001)), 1);
	ilp_model_free(m);
}

/* a disk request of a process pruned while in flight completes as an
 * untraced submitter's, named by its comm */
static void test_prune_request_in_flight(void **state)
{
	struct ilp_model *m = ilp_model_new();
	int pw = NR("pwrite64");
	struct ilp_event bq = { .ts = 3000, .pid = 200, .tid = 200, .kind = ILP_EV_BLOCK_QUEUE };
	struct ilp_event bc = { .ts = 900000, .tid = 0, .kind = ILP_EV_BLOCK_COMPLETE };
	const struct ilp_blkdev *d;

	(void)state;
	feed(m, task(1, 200, 200, ILP_EV_TASK_INFO, "writer"));
	bq.block.dev = bc.block.dev = 8u << 20;
	bq.block.bytes = bc.block.bytes = 4096;
	strcpy(bq.block.rwbs, "W");
	strcpy(bc.block.rwbs, "W");
	bq.block.sector = bc.block.sector = 8;
	feed(m, enter(2000, 200, 200, pw));
	feed(m, bq);
	feed(m, sysexit(4000, 200, 200, pw, 4096));
	feed(m, task_exit(5000, 200, 200, 1));
	assert_int_equal(ilp_model_index(m, 6000), 0);
	assert_int_equal(ilp_model_reset_stats(m), 0);
	ilp_model_prune(m);
	feed(m, bc);
	assert_int_equal(ilp_model_index(m, 1000000), 0);
	assert_int_equal(ilp_model_nprocs(m), 0);
	assert_int_equal(ilp_model_nblkdevs(m), 1);
	d = ilp_model_blkdev(m, 0);
	assert_int_equal(ilp_blkdev_stats(d)->requests, 1);
	assert_int_equal(ilp_blkdev_nsubmitters(d), 1);
	assert_int_equal(ilp_blkdev_submitter(d, 0)->pid, 0);
	assert_string_equal(ilp_blkdev_submitter(d, 0)->comm, "writer");
	ilp_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_free),
		cmocka_unit_test(test_top_wait),
		cmocka_unit_test(test_simple_pairing),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_interleaved_threads),
		cmocka_unit_test(test_lost_enters),
		cmocka_unit_test(test_unpaired_exits),
		cmocka_unit_test(test_gated_child),
		cmocka_unit_test(test_unfinished_at_finish),
		cmocka_unit_test(test_interim_then_finish),
		cmocka_unit_test(test_clone_thread_and_fork),
		cmocka_unit_test(test_exec_renames),
		cmocka_unit_test(test_exit_group_completes),
		cmocka_unit_test(test_task_info_attach),
		cmocka_unit_test(test_unregistered_tids),
		cmocka_unit_test(test_sort_order),
		cmocka_unit_test(test_tid_reuse),
		cmocka_unit_test(test_out_of_order),
		cmocka_unit_test(test_overflow_nr_and_args),
		cmocka_unit_test(test_million_events),
		cmocka_unit_test(test_window_two_intervals),
		cmocka_unit_test(test_window_exited_threads),
		cmocka_unit_test(test_window_waits),
		cmocka_unit_test(test_gap_drops_calls),
		cmocka_unit_test(test_prune_churn),
		cmocka_unit_test(test_prune_request_in_flight),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
