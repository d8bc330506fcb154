// SPDX-License-Identifier: MIT
/*
 * The ftrace backend's --stacks filter (src/cli/ustack_feed.c): a user
 * stack is the call's the thread is in (the first one there), interned
 * with the entry's syscall and timed at the call's exit; calls without one are counted; the user_stack events stop there,
 * every other event goes on.  The process does not exist: no frame is
 * named, the pcs are the record's (callers' return addresses - 1).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "event.h"
#include "stacks.h"
#include "symbolize.h"
#include "ustack_feed.h"

#define PID (1 << 30)	/* above any pid_max: no /proc entry */

struct sink {
	int n[ILP_EV_KIND_MAX];
};

static int count(const struct ilp_event *ev, void *ctx)
{
	struct sink *k = ctx;

	k->n[ev->kind]++;
	return 0;
}

static void feed(struct ilp_ustack_feed *u, int kind, int tid, int nr, uint64_t ts, uint64_t pc1)
{
	struct ilp_event ev;
	uint64_t pc[ILP_USTACK_PCS] = { 0 };

	memset(&ev, 0, sizeof(ev));
	ev.kind = (uint16_t)kind;
	ev.pid = PID;
	ev.tid = tid;
	ev.nr = nr;
	ev.ts = ts;
	if (kind == ILP_EV_USTACK) {
		pc[0] = 0x7f0000001000ull;
		pc[1] = pc1;
		pc[2] = 0x401801;
		ev.ustack.pc = pc;
	}
	assert_int_equal(ilp_ustack_feed(&ev, u), 0);
}

static void test_feed(void **state)
{
	struct ilp_symbolizer *sym;
	struct ilp_ustack_feed *u;
	struct sink k = { { 0 } };
	const struct ilp_stack *st;
	struct ilp_stacks *s;
	uint64_t with, without;

	(void)state;
	assert_int_equal(ilp_symbolizer_new(&sym), 0);
	assert_int_equal(ilp_ustack_feed_new(sym, count, &k, &u), 0);
	/* tid 2 and 3 interleaved: each stack is its own thread's */
	feed(u, ILP_EV_SYS_ENTER, 2, 1, 100, 0);
	feed(u, ILP_EV_USTACK, 2, -1, 101, 0x401101);
	feed(u, ILP_EV_SYS_ENTER, 3, 1, 150, 0);
	feed(u, ILP_EV_USTACK, 3, -1, 151, 0x401201);
	feed(u, ILP_EV_SYS_EXIT, 3, 1, 250, 0);		/* 100 ns */
	feed(u, ILP_EV_SYS_EXIT, 2, 1, 400, 0);		/* 300 ns */
	/* the same stack again on tid 2: one stack, 2 calls */
	feed(u, ILP_EV_SYS_ENTER, 2, 1, 500, 0);
	feed(u, ILP_EV_USTACK, 2, -1, 501, 0x401101);
	feed(u, ILP_EV_SYS_EXIT, 2, 1, 600, 0);		/* 100 ns */
	/* a stack outside a call (after an exit: the exit's own), and a
	 * second stack inside one (a sched_switch's, or an interrupt's
	 * event): not taken, the first is the call's */
	feed(u, ILP_EV_SYS_ENTER, 2, 1, 700, 0);
	feed(u, ILP_EV_SYS_EXIT, 2, 1, 800, 0);
	feed(u, ILP_EV_USTACK, 2, -1, 801, 0x401301);
	feed(u, ILP_EV_SYS_ENTER, 3, 1, 900, 0);
	feed(u, ILP_EV_USTACK, 3, -1, 901, 0x401201);
	feed(u, ILP_EV_USTACK, 3, -1, 902, 0x401401);
	feed(u, ILP_EV_SYS_EXIT, 3, 1, 1000, 0);	/* 100 ns, the first stack */
	/* a stack with no entry seen (lost): nothing; an exit of another
	 * call than the entry's: not counted */
	feed(u, ILP_EV_USTACK, 4, -1, 1100, 0x401501);
	feed(u, ILP_EV_SYS_ENTER, 4, 1, 1200, 0);
	feed(u, ILP_EV_SYS_EXIT, 4, 0, 1300, 0);
	feed(u, ILP_EV_TASK_EXIT, 4, -1, 1400, 0);

	assert_int_equal(k.n[ILP_EV_USTACK], 0);
	assert_int_equal(k.n[ILP_EV_SYS_ENTER], 6);
	assert_int_equal(k.n[ILP_EV_SYS_EXIT], 6);
	assert_int_equal(k.n[ILP_EV_TASK_EXIT], 1);
	ilp_ustack_feed_counts(u, &with, &without);
	assert_int_equal(with, 4);
	assert_int_equal(without, 1);

	s = ilp_ustack_feed_stacks(u);
	assert_int_equal(ilp_stacks_index(s), 0);
	assert_int_equal(ilp_stacks_count(s), 2);
	st = ilp_stacks_get(s, 0);	/* tid 2's: 400 ns in 2 calls */
	assert_int_equal(st->pid, PID);
	assert_int_equal(st->nr, 1);
	assert_int_equal(st->calls, 2);
	assert_int_equal(st->total_ns, 400);
	assert_int_equal(st->max_ns, 300);
	assert_int_equal(st->nframes, 3);
	assert_true(st->frames[0].pc == 0x7f0000001000ull);	/* the ip itself */
	assert_true(st->frames[1].pc == 0x401100);		/* return address - 1 */
	assert_true(st->frames[2].pc == 0x401800);
	assert_null(st->frames[1].func);
	st = ilp_stacks_get(s, 1);
	assert_int_equal(st->calls, 2);
	assert_int_equal(st->total_ns, 200);
	assert_true(st->frames[1].pc == 0x401200);
	ilp_ustack_feed_free(u);
	ilp_symbolizer_free(sym);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_feed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
