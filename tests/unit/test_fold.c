// SPDX-License-Identifier: MIT
/*
 * fold.h: the stacks of a process's wait time with what each callback
 * gets beside the frames: ns, calls, pid, tid, syscall, lock, and the
 * call-stack frames of --stacks; ILP_FOLD_KLOCKS's kernel-lock stacks.
 * The folded and flame outputs built on it are held byte for byte in
 * test_report_formats.c.
 *
 *   pid 100 "app", tid 100: futex wait on LOCK off-CPU (S) for 20 of its
 *     21 us, a futex wait that does not sleep (1 us, EAGAIN), writes of
 *     1, 2 and 3 us; a kernel mutex waited on for 500 us
 *   tid 101 "w": inside a write at the end, 1 ms so far
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fold.h"
#include "stacks.h"
#include "wait_helpers.h"

#define LOCK 0x1000ull
#define KLOCK 0xffffffff81000000ull
#define END (100 * MS)

static void feed(struct ilp_model *m, struct ilp_event ev)
{
	assert_int_equal(ilp_model_feed(m, &ev), 0);
}

static struct ilp_model *build(void)
{
	struct ilp_model *m = ilp_model_new();
	int fx = ilp_syscall_nr("futex"), wr = ilp_syscall_nr("write");
	struct ilp_event b = { .ts = 50 * MS, .tid = 100, .kind = ILP_EV_LOCK_BEGIN };
	struct ilp_event e = { .ts = 50 * MS + 500 * US, .tid = 100, .kind = ILP_EV_LOCK_END };

	assert_non_null(m);
	feed(m, ev_info(1, 100, 100, "app"));
	feed(m, ev_info(2, 100, 101, "w"));
	feed(m, ev_enter(1 * MS, 100, 100, fx, LOCK, 0 | 128));
	feed(m, ev_switch(1 * MS + 1 * US, 100, 1, 0));
	feed(m, ev_exit(1 * MS + 21 * US, 100, 100, fx, 0));
	feed(m, ev_enter(2 * MS, 100, 100, fx, LOCK, 0 | 128));
	feed(m, ev_exit(2 * MS + 1 * US, 100, 100, fx, -11));
	for (int i = 1; i <= 3; i++) {
		feed(m, ev_enter(i * 3 * MS, 100, 100, wr, 1, 0));
		feed(m, ev_exit(i * 3 * MS + i * US, 100, 100, wr, 1));
	}
	b.lock.addr = e.lock.addr = KLOCK;
	b.lock.flags = 32;	/* MUTEX */
	feed(m, b);
	feed(m, e);
	feed(m, ev_enter(END - 1 * MS, 100, 101, wr, 1, 0));
	ilp_model_finish(m, END);
	assert_int_equal(ilp_model_index(m, END), 0);
	return m;
}

struct got {
	char text[4096];
	size_t len;
	int stop_at;		/* return 1 at this stack (1-based); 0: never */
	int n;
};

/* "frame;frame ns calls pid tid syscall lock" per stack */
static int collect(void *ctx, const struct ilp_fold_stack *s)
{
	struct got *g = ctx;

	for (size_t i = 0; i < s->n; i++)
		g->len += (size_t)snprintf(g->text + g->len, sizeof(g->text) - g->len, "%s%s",
					   i ? ";" : "", s->frames[i].name);
	g->len += (size_t)snprintf(g->text + g->len, sizeof(g->text) - g->len,
				   " %llu %llu %d %d %s %s\n", (unsigned long long)s->ns,
				   (unsigned long long)s->calls, s->pid, s->tid,
				   s->nr >= 0 ? ilp_syscall_name(s->nr) : "-",
				   s->lock ? s->lock : "-");
	assert_null(s->sites);
	return ++g->n == g->stop_at;
}

/* every stack with its calls; the syscall's calls add up over its stacks */
static void test_fold_calls(void **state)
{
	struct ilp_model *m = build();
	const struct ilp_proc *p = ilp_model_find_proc(m, 100);
	struct got g = { 0 };

	(void)state;
	assert_int_equal(ilp_fold_proc(m, p, NULL, ILP_FOLD_THREADS, collect, &g), 0);
	assert_string_equal(g.text,
		"app-100;app-100;futex;futex:0x1000 21000 1 100 100 futex 0x1000\n"
		"app-100;app-100;futex 1000 1 100 100 futex -\n"
		"app-100;app-100;write 6000 3 100 100 write -\n"
		"app-100;w-101;write 1000000 1 100 101 write -\n");
	ilp_model_free(m);
}

/* ILP_FOLD_KLOCKS: the kernel locks after the syscalls; no thread frame
 * without ILP_FOLD_THREADS; the callback's nonzero return stops it */
static void test_fold_klocks(void **state)
{
	struct ilp_model *m = build();
	const struct ilp_proc *p = ilp_model_find_proc(m, 100);
	struct got g = { 0 };

	(void)state;
	assert_int_equal(ilp_fold_proc(m, p, NULL, ILP_FOLD_KLOCKS, collect, &g), 0);
	assert_string_equal(g.text,
		"app-100;futex;futex:0x1000 21000 1 100 100 futex 0x1000\n"
		"app-100;futex 1000 1 100 100 futex -\n"
		"app-100;write 6000 3 100 100 write -\n"
		"app-100;write 1000000 1 100 101 write -\n"
		"app-100;klock:0xffffffff81000000 (mutex) 500000 1 100 0 - 0xffffffff81000000\n");
	memset(&g, 0, sizeof(g));
	g.stop_at = 2;
	assert_int_equal(ilp_fold_proc(m, p, NULL, ILP_FOLD_KLOCKS, collect, &g), 1);
	assert_int_equal(g.n, 2);
	ilp_model_free(m);
}

struct sites_got {
	int n;
};

/* --stacks: each site frame's call-stack frame beside it; the calls */
static int check_sites(void *ctx, const struct ilp_fold_stack *s)
{
	struct sites_got *g = ctx;

	g->n++;
	assert_int_equal(s->n, 4);
	assert_non_null(s->sites);
	assert_null(s->sites[0]);	/* the process */
	assert_string_equal(s->sites[1]->func, "main");	/* outermost first */
	assert_string_equal(s->sites[1]->file, "/src/app.c");
	assert_int_equal(s->sites[1]->line, 42);
	assert_int_equal(s->sites[1]->pc, 0x401233);
	assert_string_equal(s->sites[2]->func, "__write");
	assert_null(s->sites[3]);	/* the syscall */
	assert_string_equal(s->frames[3].name, "write");
	assert_int_equal(s->ns, 3000);
	assert_int_equal(s->calls, 2);
	assert_int_equal(s->tid, 0);
	assert_int_equal(s->pid, 100);
	return 0;
}

static void test_fold_sites(void **state)
{
	struct ilp_model *m = build();
	struct ilp_stacks *st = ilp_stacks_new();
	uint64_t pcs[2] = { 0x7f0000001000ull, 0x401233 };
	struct sites_got g = { 0 };
	int is_new, id;

	(void)state;
	assert_non_null(st);
	id = ilp_stacks_intern(st, 100, ilp_syscall_nr("write"), pcs, 2, &is_new);
	assert_true(id >= 0);
	assert_int_equal(ilp_stacks_name_frame(st, id, 0, "__write", "write.c", 26,
					       "/usr/lib/libc.so.6"), 0);
	assert_int_equal(ilp_stacks_name_frame(st, id, 1, "main", "/src/app.c", 42, "/app"), 0);
	ilp_stacks_add(st, id, 1000);
	ilp_stacks_add(st, id, 2000);
	assert_int_equal(ilp_stacks_index(st), 0);
	assert_int_equal(ilp_fold_proc(m, ilp_model_find_proc(m, 100), st, ILP_FOLD_THREADS,
				       check_sites, &g), 0);
	assert_int_equal(g.n, 1);
	ilp_stacks_free(st);
	ilp_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold_calls),
		cmocka_unit_test(test_fold_klocks),
		cmocka_unit_test(test_fold_sites),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
