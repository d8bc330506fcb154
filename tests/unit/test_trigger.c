// SPDX-License-Identifier: MIT
/*
 * Unit tests for src/detect/trigger.c: the expression parser (exact
 * triggers, exact errors, canonical form) and the set (a call trigger
 * fires on its exit, aggregates per window, thread exit forgets).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>

#include "syscalls.h"
#include "trigger.h"

#define MS 1000000ull

static void parse_ok(const char *expr, int kind, const char *sc, int pct, uint64_t limit,
		     const char *canon)
{
	struct ilp_trigger t;
	char why[128], buf[64];

	if (ilp_trigger_parse(expr, &t, why, sizeof(why)))
		fail_msg("'%s': %s", expr, why);
	assert_int_equal(t.kind, kind);
	assert_int_equal(t.nr, sc ? ilp_syscall_nr(sc) : ILP_TRIG_ANY);
	assert_int_equal(t.pct, pct);
	assert_int_equal(t.limit, limit);
	assert_true(ilp_trigger_format(&t, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, canon);
	/* the canonical form parses to the same trigger */
	{
		struct ilp_trigger t2;

		assert_int_equal(ilp_trigger_parse(buf, &t2, why, sizeof(why)), 0);
		assert_memory_equal(&t, &t2, sizeof(t));
	}
}

static void test_parse(void **state)
{
	(void)state;
	parse_ok("call > 200ms", ILP_TRIG_CALL, NULL, 0, 200 * MS, "call > 200 ms");
	parse_ok("  call>200 ms ", ILP_TRIG_CALL, NULL, 0, 200 * MS, "call > 200 ms");
	parse_ok("call(read) > 1.5s", ILP_TRIG_CALL, "read", 0, 1500 * MS, "call(read) > 1500 ms");
	parse_ok("p99(read) > 50ms", ILP_TRIG_PCT, "read", 99, 50 * MS, "p99(read) > 50 ms");
	parse_ok("p50( write )>10us", ILP_TRIG_PCT, "write", 50, 10000, "p50(write) > 10 us");
	parse_ok("p90(*) > 7ns", ILP_TRIG_PCT, NULL, 90, 7, "p90(*) > 7 ns");
	parse_ok("max(fsync) > 2s", ILP_TRIG_PCT, "fsync", 100, 2000 * MS, "max(fsync) > 2 s");
	parse_ok("calls(write) > 1000", ILP_TRIG_CALLS, "write", 0, 1000, "calls(write) > 1000");
	parse_ok("calls(*) > 0", ILP_TRIG_CALLS, NULL, 0, 0, "calls(*) > 0");
	parse_ok("lost > 0", ILP_TRIG_LOST, NULL, 0, 0, "lost > 0");
	parse_ok("call > 0.0005s", ILP_TRIG_CALL, NULL, 0, 500000, "call > 500 us");
}

static void parse_bad(const char *expr, const char *want)
{
	struct ilp_trigger t;
	char why[128];

	memset(&t, 0x55, sizeof(t));
	assert_int_equal(ilp_trigger_parse(expr, &t, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, want);
	assert_int_equal(t.kind, 0);	/* cleared */
	assert_null(strchr(why, '\n'));
}

static void test_parse_errors(void **state)
{
	(void)state;
	parse_bad("", "expected call, p50, p90, p99, max, calls or lost at 'the end'");
	parse_bad("> 1s", "expected call, p50, p90, p99, max, calls or lost at '> 1s'");
	parse_bad("p95(read) > 1ms",
		  "unknown trigger 'p95' (call, p50, p90, p99, max, calls or lost)");
	parse_bad("p99(read) > 50", "a time needs a unit (ns, us, ms or s)");
	parse_bad("p99(read) > 50 min", "unknown time unit 'min' (ns, us, ms or s)");
	parse_bad("p99(nosuchcall) > 5ms", "unknown syscall 'nosuchcall'");
	parse_bad("p99 > 5ms", "expected '(' at '> 5ms'");
	parse_bad("p99(read > 5ms", "expected ')' at '> 5ms'");
	parse_bad("p99() > 5ms", "expected a syscall name or '*' at ') > 5ms'");
	parse_bad("call >= 5ms", "only '>' compares (not '>=')");
	parse_bad("call < 5ms", "expected '>' at '< 5ms'");
	parse_bad("call > 5ms and more", "unexpected 'and more' after the expression");
	parse_bad("call > -5ms", "expected a number at '-5ms'");
	parse_bad("call > 1e3ms", "not a plain decimal number: '1e3ms'");
	parse_bad("call > 0x10ms", "not a plain decimal number: '0x10ms'");
	parse_bad("call > 2days", "unknown time unit 'days' (ns, us, ms or s)");
	parse_bad("call > 90000s", "a time of a day at most, not '90000s'");
	parse_bad("calls(write) > 1.5", "unexpected '.5' after the expression");
	parse_bad("calls(write) > 99999999999999999999", "number out of range: '99999999999999999999'");
	parse_bad("lost > ", "expected a number at 'the end'");
	parse_bad("lost", "expected '>' at the end");
}

static struct ilp_event sc(int kind, int tid, const char *name, uint64_t ts)
{
	struct ilp_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = (uint16_t)kind;
	ev.pid = 100;
	ev.tid = tid;
	ev.nr = ilp_syscall_nr(name);
	ev.ts = ts;
	return ev;
}

static int feed(struct ilp_trigger_set *set, int tid, const char *name, uint64_t t0,
		uint64_t t1, struct ilp_trigger_hit *hit)
{
	struct ilp_event a = sc(ILP_EV_SYS_ENTER, tid, name, t0), b = sc(ILP_EV_SYS_EXIT, tid, name, t1);

	assert_int_equal(ilp_trigger_feed(set, &a, hit), 0);
	return ilp_trigger_feed(set, &b, hit);
}

static struct ilp_trigger_set *make(const char *const *exprs, size_t n)
{
	struct ilp_trigger t[8];
	struct ilp_trigger_set *set;
	char why[128];

	for (size_t i = 0; i < n; i++)
		assert_int_equal(ilp_trigger_parse(exprs[i], &t[i], why, sizeof(why)), 0);
	assert_int_equal(ilp_trigger_set_new(t, n, &set), 0);
	return set;
}

static void test_call_trigger(void **state)
{
	static const char *const e[] = { "call(write) > 50ms", "call > 200ms" };
	struct ilp_trigger_set *set = make(e, 2);
	struct ilp_trigger_hit hit;
	struct ilp_event ex;

	(void)state;
	memset(&hit, 0, sizeof(hit));
	assert_int_equal(feed(set, 7, "read", 1000 * MS, 1200 * MS, &hit), 0);	/* = 200 ms: not above */
	assert_int_equal(feed(set, 7, "read", 2000 * MS, 2300 * MS, &hit), 1);
	assert_int_equal(hit.trigger, 1);
	assert_int_equal(hit.ts, 2300 * MS);
	assert_int_equal(hit.value, 300 * MS);
	assert_int_equal(hit.pid, 100);
	assert_int_equal(hit.tid, 7);
	assert_int_equal(hit.nr, ilp_syscall_nr("read"));
	/* both fire: the first in the set's order is the hit */
	assert_int_equal(feed(set, 8, "write", 3000 * MS, 3300 * MS, &hit), 1);
	assert_int_equal(hit.trigger, 0);
	/* an exit whose enter was not seen, or of another syscall, is no call */
	ex = sc(ILP_EV_SYS_EXIT, 9, "read", 9000 * MS);
	assert_int_equal(ilp_trigger_feed(set, &ex, &hit), 0);
	ex = sc(ILP_EV_SYS_ENTER, 9, "read", 100 * MS);
	assert_int_equal(ilp_trigger_feed(set, &ex, &hit), 0);
	ex = sc(ILP_EV_SYS_EXIT, 9, "write", 9000 * MS);
	assert_int_equal(ilp_trigger_feed(set, &ex, &hit), 0);
	/* a thread that exits is forgotten: its enter does not pair later */
	ex = sc(ILP_EV_SYS_ENTER, 10, "read", 100 * MS);
	assert_int_equal(ilp_trigger_feed(set, &ex, &hit), 0);
	ex = sc(ILP_EV_TASK_EXIT, 10, "read", 200 * MS);
	assert_int_equal(ilp_trigger_feed(set, &ex, &hit), 0);
	ex = sc(ILP_EV_SYS_EXIT, 10, "read", 9000 * MS);
	assert_int_equal(ilp_trigger_feed(set, &ex, &hit), 0);
	/* no aggregate trigger: a window never fires */
	assert_int_equal(ilp_trigger_window(set, 10000 * MS, 5, &hit), 0);
	ilp_trigger_set_free(set);
}

static void test_window_triggers(void **state)
{
	static const char *const e[] = { "p99(read) > 50ms", "calls(write) > 3", "lost > 0",
					 "max(*) > 1s" };
	struct ilp_trigger_set *set = make(e, 4);
	struct ilp_trigger_hit hit;
	uint64_t t = 0;
	int i;

	(void)state;
	/* 100 reads of 1 ms and 3 writes: nothing above */
	for (i = 0; i < 100; i++, t += 10 * MS)
		assert_int_equal(feed(set, 1, "read", t, t + MS, &hit), 0);
	for (i = 0; i < 3; i++, t += 10 * MS)
		assert_int_equal(feed(set, 2, "write", t, t + MS, &hit), 0);
	assert_int_equal(ilp_trigger_window(set, t, 0, &hit), 0);
	/* 98 fast reads, 2 of 80 ms: p99 is 80 ms */
	for (i = 0; i < 98; i++, t += 10 * MS)
		assert_int_equal(feed(set, 1, "read", t, t + MS, &hit), 0);
	for (i = 0; i < 2; i++, t += 100 * MS)
		assert_int_equal(feed(set, 1, "read", t, t + 80 * MS, &hit), 0);
	assert_int_equal(ilp_trigger_window(set, 77 * MS, 0, &hit), 1);
	assert_int_equal(hit.trigger, 0);
	assert_int_equal(hit.ts, 77 * MS);
	assert_true(hit.value >= 78 * MS && hit.value <= 80 * MS);	/* the hist's bucket */
	assert_int_equal(hit.nr, ilp_syscall_nr("read"));
	/* reset: the next window starts from zero */
	assert_int_equal(ilp_trigger_window(set, t, 0, &hit), 0);
	/* 4 writes: calls(write) > 3 */
	for (i = 0; i < 4; i++, t += 10 * MS)
		assert_int_equal(feed(set, 2, "write", t, t + MS, &hit), 0);
	assert_int_equal(ilp_trigger_window(set, t, 0, &hit), 1);
	assert_int_equal(hit.trigger, 1);
	assert_int_equal(hit.value, 4);
	/* a lost event */
	assert_int_equal(ilp_trigger_window(set, t, 1, &hit), 1);
	assert_int_equal(hit.trigger, 2);
	assert_int_equal(hit.value, 1);
	/* one 2 s call of anything: max(*) */
	assert_int_equal(feed(set, 3, "nanosleep", t, t + 2000 * MS, &hit), 0);
	assert_int_equal(ilp_trigger_window(set, t, 0, &hit), 1);
	assert_int_equal(hit.trigger, 3);
	assert_int_equal(hit.value, 2000 * MS);
	assert_int_equal(hit.nr, ILP_TRIG_ANY);
	ilp_trigger_set_free(set);
}

static void test_set_invalid(void **state)
{
	struct ilp_trigger t = { .kind = ILP_TRIG_PCT, .nr = ILP_TRIG_ANY, .pct = 95 };
	struct ilp_trigger_set *set = (void *)1;

	(void)state;
	assert_int_equal(ilp_trigger_set_new(&t, 0, &set), -EINVAL);
	assert_null(set);
	assert_int_equal(ilp_trigger_set_new(&t, 1, &set), -EINVAL);
	ilp_trigger_set_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_call_trigger),
		cmocka_unit_test(test_window_triggers),
		cmocka_unit_test(test_set_invalid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
