// SPDX-License-Identifier: MIT
/*
 * Where blocked calls slept (--sleep-stacks): the sleeping-function rule
 * (ilp_ksleep_pick) on real kernel stacks captured on Linux 6.18
 * (tests/fixtures/ksleep_stacks.txt), the stack pool (util/ipool.c), and
 * the model (model/ksleep.c) on synthetic streams: exact counts and times.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analyze.h"
#include "fdmodel.h"
#include "ipool.h"
#include "ksleep.h"
#include "vocab.h"
#include "wait_helpers.h"

#define S_STATE 1
#define D_STATE 2

/* ---- the rule, on real stacks ---- */

static const char *fixture(void)
{
	const char *dir = getenv("ILP_FIXTURES");

	return dir && *dir ? dir : "tests/fixtures";
}

static void test_pick_real_stacks(void **state)
{
	char path[512], line[256], want_func[256], want_reason[256], what[256] = "";
	char *names[64];
	size_t n = 0, checked = 0, at;
	const char *reason;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/ksleep_stacks.txt", fixture());
	f = fopen(path, "re");
	assert_non_null(f);
	want_func[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#') {
			snprintf(what, sizeof(what), "%s", line);
			continue;
		}
		if (!strncmp(line, "expect ", 7)) {
			char *bar = strchr(line + 7, '|');

			assert_non_null(bar);
			*bar = '\0';
			snprintf(want_func, sizeof(want_func), "%s", line + 7);
			snprintf(want_reason, sizeof(want_reason), "%s", bar + 1);
			continue;
		}
		if (line[0]) {
			assert_true(n < 64);
			names[n++] = strdup(line);
			continue;
		}
		if (!n)
			continue;
		/* a blank line: the stack is whole */
		at = ilp_ksleep_pick((const char *const *)names, n, &reason);
		if (at >= n || strncmp(names[at], want_func, strlen(want_func)) ||
		    ilp_ksleep_basename(names[at]) != strlen(want_func))
			fail_msg("%s: picked %s, want %s", what, at < n ? names[at] : "none", want_func);
		if (strcmp(reason ? reason : "-", want_reason))
			fail_msg("%s: reason %s, want %s", what, reason ? reason : "-", want_reason);
		checked++;
		while (n)
			free(names[--n]);
	}
	while (n)
		free(names[--n]);
	fclose(f);
	assert_int_equal(checked, 19);
}

static void test_pick_edges(void **state)
{
	const char *mutex[] = { "__schedule", "schedule", "schedule_preempt_disabled",
				"__mutex_lock.constprop.0", "anon_pipe_write", "vfs_write" };
	const char *unnamed[] = { "__schedule", "schedule", NULL, "anon_pipe_read" };
	const char *all_sched[] = { "__schedule", "schedule", "io_schedule" };
	const char *suffix[] = { "schedule", "ext4_fsync_nojournal.constprop.0", "do_fsync" };
	const char *reason = "x";

	(void)state;
	/* a kernel mutex's reason beats the caller's own (pipe full) */
	assert_int_equal(ilp_ksleep_pick(mutex, 6, &reason), 4);
	assert_string_equal(reason, "kernel mutex");
	/* an unnamed frame stops the walk: unknown, not a guess further up */
	assert_int_equal(ilp_ksleep_pick(unnamed, 4, &reason), 4);
	assert_null(reason);
	assert_int_equal(ilp_ksleep_pick(all_sched, 3, &reason), 3);
	assert_null(reason);
	assert_int_equal(ilp_ksleep_pick(all_sched, 0, NULL), 0);
	/* not in the table: picked, no reason */
	assert_int_equal(ilp_ksleep_pick(suffix, 3, &reason), 1);
	assert_null(reason);
	assert_int_equal(ilp_ksleep_basename(suffix[1]), strlen("ext4_fsync_nojournal"));
	assert_int_equal(ilp_ksleep_basename("schedule"), 8);
}

/* ---- the pool ---- */

static void test_ipool(void **state)
{
	unsigned char raw[8 * 3 + 1];
	uint64_t a[3] = { 1, 2, 3 }, b[3] = { 1, 2, 4 };
	const uint64_t *pa, *pb, *pc;
	struct ilp_ipool *p = ilp_ipool_new(2);
	uint32_t ia, ib, ic;
	size_t n;

	(void)state;
	assert_non_null(p);
	pa = ilp_ipool_intern(p, a, 3, &ia);
	pb = ilp_ipool_intern(p, b, 3, &ib);
	assert_non_null(pa);
	assert_non_null(pb);
	assert_int_equal(ia, 0);
	assert_int_equal(ib, 1);
	/* the same values from an odd address: found, not copied */
	memcpy(raw + 1, a, sizeof(a));
	pc = ilp_ipool_intern(p, raw + 1, 3, &ic);
	assert_ptr_equal(pc, pa);
	assert_int_equal(ic, 0);
	/* a prefix is another array; the pool is full: refused, counted */
	assert_null(ilp_ipool_intern(p, a, 2, NULL));
	assert_int_equal(ilp_ipool_refused(p), 1);
	assert_int_equal(ilp_ipool_count(p), 2);
	assert_ptr_equal(ilp_ipool_get(p, 1, &n), pb);
	assert_int_equal(n, 3);
	assert_int_equal(pb[2], 4);
	assert_null(ilp_ipool_get(p, 2, &n));
	assert_int_equal(n, 0);
	ilp_ipool_free(p);
	ilp_ipool_free(NULL);
}

/* ---- the model ---- */

/* kernel "addresses" of the test, and their names */
#define A_TRACE 0x1000
#define A_SCHED 0x2000
#define A_PIPE 0x3000
#define A_VFS 0x4000
#define A_FOLIO 0x5000
#define A_FILEMAP 0x6000

static const uint64_t pipe_stack[] = { A_TRACE, A_SCHED, A_PIPE, A_VFS };
static const uint64_t disk_stack[] = { A_TRACE, A_SCHED, A_FOLIO, A_FILEMAP, A_VFS };

struct namer_ctx {
	int asked, again;
};

static int namer(void *ctx, int kind, int pid, uint64_t key, char *buf, size_t size)
{
	struct namer_ctx *c = ctx;
	const char *name = NULL;

	assert_int_equal(kind, ILP_NAME_KFUNC);
	assert_int_equal(pid, 0);
	if (c->again)
		return -EAGAIN;
	c->asked++;
	switch (key) {
	case A_TRACE: name = "trace_event_raw_event_sched_switch"; break;
	case A_SCHED: name = "schedule"; break;
	case A_PIPE: name = "anon_pipe_read"; break;
	case A_VFS: name = "vfs_read"; break;
	case A_FOLIO: name = "folio_wait_bit_common"; break;
	case A_FILEMAP: name = "filemap_get_pages"; break;
	default: return -ENOENT;
	}
	snprintf(buf, size, "%s", name);
	return 0;
}

static void feed(struct ilp_model *m, struct ilp_event e)
{
	assert_int_equal(ilp_model_feed(m, &e), 0);
}

static struct ilp_event ev_kstack(uint64_t ts, int tid, const uint64_t *ip, size_t n)
{
	struct ilp_event e = { .ts = ts, .tid = tid, .kind = ILP_EV_KSTACK };

	e.kstack.ip = ip;
	e.kstack.n = (uint32_t)n;
	return e;
}

/* one read that sleeps 3 times in the pipe (10, 20, 30 ms asleep, each
 * woken then 1 ms runnable), one that sleeps in D on a page cache miss
 * (5 ms), one preempted (R: no stack, no sleep) */
static void read_sleeps(struct ilp_model *m, int rd)
{
	uint64_t t = 1 * MS;
	int i;

	feed(m, ev_info(1, 100, 100, "app"));
	feed(m, ev_enter(t, 100, 100, rd, 3, 0));
	for (i = 1; i <= 3; i++) {
		feed(m, ev_switch(t, 100, S_STATE, 0));
		feed(m, ev_kstack(t + 2 * US, 100, pipe_stack, 4));
		feed(m, ev_waking(t + (uint64_t)i * 10 * MS, 200, 100));
		feed(m, ev_switch(t + (uint64_t)i * 10 * MS + 1 * MS, 0, 0, 100));
		t += (uint64_t)i * 10 * MS + 1 * MS;
	}
	feed(m, ev_exit(t, 100, 100, rd, 1));
	t += 1 * MS;
	feed(m, ev_enter(t, 100, 100, rd, 4, 0));
	feed(m, ev_switch(t, 100, D_STATE, 0));
	feed(m, ev_kstack(t + 1 * US, 100, disk_stack, 5));
	feed(m, ev_waking(t + 5 * MS, 0, 100));
	feed(m, ev_switch(t + 6 * MS, 0, 0, 100));
	feed(m, ev_switch(t + 7 * MS, 100, 0, 0));	/* preempted */
	feed(m, ev_switch(t + 8 * MS, 0, 0, 100));
	feed(m, ev_exit(t + 9 * MS, 100, 100, rd, 1));
}

static void test_model_rows(void **state)
{
	struct ilp_model *m = ilp_model_new();
	struct namer_ctx c = { 0, 1 };
	int rd = ilp_syscall_nr("read");
	const struct ilp_ksleep *k;
	const struct ilp_wproc *w;
	const struct ilp_blocking *b;
	size_t i;

	(void)state;
	read_sleeps(m, rd);
	/* not named yet (the namer says later): the function is unknown, one
	 * row for both stacks */
	assert_int_equal(ilp_wait_name_objects(m, namer, &c), 0);
	assert_int_equal(ilp_model_index(m, ilp_model_last_ts(m)), 0);
	w = ilp_proc_wait(ilp_model_find_proc(m, 100));
	assert_int_equal(ilp_wproc_nksleeps(w), 1);
	assert_null(ilp_wproc_ksleep(w, 0)->func);
	assert_int_equal(ilp_wproc_ksleep(w, 0)->sleeps, 4);
	assert_int_equal(ilp_wproc_ksleep(w, 0)->ns, 65 * MS);
	/* named: 6 distinct addresses, each asked once */
	c.again = 0;
	assert_int_equal(ilp_wait_name_objects(m, namer, &c), 0);
	assert_int_equal(c.asked, 6);
	assert_int_equal(ilp_wait_name_objects(m, namer, &c), 0);
	assert_int_equal(c.asked, 6);
	assert_int_equal(ilp_model_index(m, ilp_model_last_ts(m)), 0);
	w = ilp_proc_wait(ilp_model_find_proc(m, 100));
	assert_int_equal(ilp_wproc_nksleeps(w), 2);
	k = ilp_wproc_ksleep(w, 0);
	assert_int_equal(k->nr, rd);
	assert_string_equal(k->func, "anon_pipe_read");
	assert_string_equal(k->reason, "pipe empty");
	assert_int_equal(k->sleeps, 3);
	assert_int_equal(k->ns, 60 * MS);	/* asleep until woken, not the R after */
	assert_int_equal(k->d_ns, 0);
	k = ilp_wproc_ksleep(w, 1);
	assert_string_equal(k->func, "filemap_get_pages");
	assert_string_equal(k->reason, "page cache miss: read from disk");
	assert_int_equal(k->sleeps, 1);
	assert_int_equal(k->ns, 5 * MS);
	assert_int_equal(k->d_ns, 5 * MS);
	assert_ptr_equal(ilp_wproc_ksleep_top(w, rd), ilp_wproc_ksleep(w, 0));
	assert_null(ilp_wproc_ksleep_top(w, ilp_syscall_nr("write")));
	assert_null(ilp_wproc_ksleep(w, 2));
	/* each blocking row says where its calls slept */
	assert_int_equal(ilp_wproc_nblocking(w), 2);
	for (i = 0; i < 2; i++) {
		b = ilp_wproc_blocking(w, i);
		assert_string_equal(b->wfunc, b->obj == 3 ? "anon_pipe_read" : "filemap_get_pages");
	}
	ilp_model_free(m);
}

/* a stack that comes with no sleep of its own is ignored: a thread not
 * in a call, a preempted one, a second stack for one sleep, an untraced
 * task's */
static void test_model_stray_stacks(void **state)
{
	struct ilp_model *m = ilp_model_new();
	struct namer_ctx c = { 0, 0 };
	int rd = ilp_syscall_nr("read");
	const struct ilp_ksleep *k;
	const struct ilp_wproc *w;

	(void)state;
	feed(m, ev_info(1, 100, 100, "app"));
	feed(m, ev_switch(1 * MS, 100, S_STATE, 0));		/* outside a call */
	feed(m, ev_kstack(1 * MS, 100, pipe_stack, 4));
	feed(m, ev_switch(2 * MS, 0, 0, 100));
	feed(m, ev_kstack(2 * MS, 300, pipe_stack, 4));		/* untraced */
	feed(m, ev_enter(3 * MS, 100, 100, rd, 3, 0));
	feed(m, ev_switch(4 * MS, 100, 0, 0));			/* preempted */
	feed(m, ev_kstack(4 * MS, 100, disk_stack, 5));
	feed(m, ev_switch(5 * MS, 0, 0, 100));
	feed(m, ev_switch(6 * MS, 100, S_STATE, 0));
	feed(m, ev_kstack(6 * MS, 100, pipe_stack, 4));
	feed(m, ev_kstack(6 * MS, 100, disk_stack, 5));		/* a second one */
	/* no wakeup seen, the switch-in dropped: the exit ends the sleep */
	feed(m, ev_exit(9 * MS, 100, 100, rd, 1));
	assert_int_equal(ilp_wait_name_objects(m, namer, &c), 0);
	assert_int_equal(ilp_model_index(m, ilp_model_last_ts(m)), 0);
	w = ilp_proc_wait(ilp_model_find_proc(m, 100));
	assert_int_equal(ilp_wproc_nksleeps(w), 1);
	k = ilp_wproc_ksleep(w, 0);
	assert_string_equal(k->func, "anon_pipe_read");
	assert_int_equal(k->sleeps, 1);
	assert_int_equal(k->ns, 3 * MS);
	assert_null(ilp_model_find_proc(m, 300));
	ilp_model_free(m);
}

/* a new window (--interval) counts from 0; the stacks and names stay */
static void test_model_reset(void **state)
{
	struct ilp_model *m = ilp_model_new();
	struct namer_ctx c = { 0, 0 };
	int rd = ilp_syscall_nr("read");
	const struct ilp_wproc *w;

	(void)state;
	read_sleeps(m, rd);
	assert_int_equal(ilp_wait_name_objects(m, namer, &c), 0);
	ilp_model_reset_stats(m);
	assert_int_equal(ilp_model_index(m, ilp_model_last_ts(m)), 0);
	w = ilp_proc_wait(ilp_model_find_proc(m, 100));
	assert_int_equal(ilp_wproc_nksleeps(w), 0);
	feed(m, ev_enter(200 * MS, 100, 100, rd, 3, 0));
	feed(m, ev_switch(200 * MS, 100, S_STATE, 0));
	feed(m, ev_kstack(200 * MS, 100, pipe_stack, 4));
	feed(m, ev_switch(202 * MS, 0, 0, 100));
	feed(m, ev_exit(203 * MS, 100, 100, rd, 1));
	assert_int_equal(ilp_wait_name_objects(m, namer, &c), 0);
	assert_int_equal(c.asked, 6);	/* nothing asked twice */
	assert_int_equal(ilp_model_index(m, ilp_model_last_ts(m)), 0);
	w = ilp_proc_wait(ilp_model_find_proc(m, 100));
	assert_int_equal(ilp_wproc_nksleeps(w), 1);
	assert_string_equal(ilp_wproc_ksleep(w, 0)->func, "anon_pipe_read");
	assert_int_equal(ilp_wproc_ksleep(w, 0)->sleeps, 1);
	assert_int_equal(ilp_wproc_ksleep(w, 0)->ns, 2 * MS);
	ilp_model_free(m);
}

/* a connect whose socket is named after its exit moves to the new name's
 * blocking row: its sleep's function goes along */
static void test_model_renamed(void **state)
{
	struct ilp_model *m = ilp_model_new();
	struct namer_ctx c = { 0, 0 };
	int so = ilp_syscall_nr("socket"), co = ilp_syscall_nr("connect");
	struct ilp_event e = { .pid = 100, .tid = 100, .kind = ILP_EV_FD_INFO, .nr = -1 };
	const struct ilp_blocking *b;
	const struct ilp_wproc *w;

	(void)state;
	feed(m, ev_info(1, 100, 100, "app"));
	feed(m, ev_enter(1 * MS, 100, 100, so, 2, 1));
	feed(m, ev_exit(1 * MS + 1, 100, 100, so, 3));
	e.ts = 1 * MS + 1;
	e.fd.fd = 3;
	e.fd.type = ILP_OBJ_TCP;
	e.fd.str = "(unconnected, fd 3)";
	feed(m, e);
	feed(m, ev_enter(2 * MS, 100, 100, co, 3, 0));
	feed(m, ev_switch(2 * MS + 1, 100, S_STATE, 0));
	feed(m, ev_kstack(2 * MS + 2, 100, pipe_stack, 4));
	feed(m, ev_switch(22 * MS, 0, 0, 100));
	feed(m, ev_exit(22 * MS + 1, 100, 100, co, 0));
	e.ts = 22 * MS + 1;
	e.fd.type = ILP_OBJ_SOCKET;
	e.fd.str = "127.0.0.1:1 -> 10.0.0.5:5432";
	feed(m, e);
	assert_int_equal(ilp_wait_name_objects(m, namer, &c), 0);
	assert_int_equal(ilp_model_index(m, ilp_model_last_ts(m)), 0);
	w = ilp_proc_wait(ilp_model_find_proc(m, 100));
	assert_int_equal(ilp_wproc_nblocking(w), 1);
	b = ilp_wproc_blocking(w, 0);
	assert_string_equal(ilp_fdobj_desc(b->fobj), "127.0.0.1:1 -> 10.0.0.5:5432");
	assert_non_null(b->wfunc);
	assert_string_equal(b->wfunc, "anon_pipe_read");
	ilp_model_free(m);
}

/* a finding says where its calls slept: its syscall's, its thread's */
static void test_findings_waited(void **state)
{
	struct ilp_model *m = ilp_model_new();
	struct namer_ctx c = { 0, 0 };
	struct ilp_finding v[3];
	struct ilp_findings fs = { v, 3, 3 };
	int rd = ilp_syscall_nr("read");

	(void)state;
	read_sleeps(m, rd);
	assert_int_equal(ilp_wait_name_objects(m, namer, &c), 0);
	assert_int_equal(ilp_model_index(m, ilp_model_last_ts(m)), 0);
	memset(v, 0, sizeof(v));
	v[0].pid = 100;
	v[0].nr = rd;
	v[1].pid = 100;
	v[1].nr = ilp_syscall_nr("write");	/* no blocked write */
	v[2].pid = 100;
	v[2].nr = -1;
	v[2].tid = 100;
	ilp_findings_set_waited(&fs, m);
	assert_string_equal(v[0].waited, "read waited in anon_pipe_read (pipe empty)");
	assert_string_equal(v[1].waited, "");
	assert_string_equal(v[2].waited, "read waited in anon_pipe_read (pipe empty)");
	ilp_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pick_real_stacks),
		cmocka_unit_test(test_pick_edges),
		cmocka_unit_test(test_ipool),
		cmocka_unit_test(test_model_rows),
		cmocka_unit_test(test_model_stray_stacks),
		cmocka_unit_test(test_model_reset),
		cmocka_unit_test(test_model_renamed),
		cmocka_unit_test(test_findings_waited),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
