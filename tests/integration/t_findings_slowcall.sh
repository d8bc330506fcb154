#!/bin/bash
# pipe_block 300: the parent's one read(2) of its pipe waits ~300 ms for the
# child: exactly one finding, a [slow call] on that pipe, off-CPU in S state,
# with the "waiting for the peer" fix; the child's nanosleep is not one.
# With --slow 1000 the same read is not slow: no finding.
# backend: any
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_findings.sh"

ilp run -o "$T/report" -- "$WL/pipe_block" 300 > "$T/out" 2> "$T/err"
rc=$?
[ $rc -eq 0 ] || { show "$T/err"; show "$T/report"; fail "exit status $rc, want 0"; }
expect_findings "$T/report" 1
line=$(findings "$T/report")
printf '%s\n' "$line" | grep -Eqx '\[slow call\] 1 read call of 100 ms or more on pipe pipe:\[[0-9]+\]' ||
	{ show "$T/report"; fail "finding line: '$line'"; }
pid=$(printf '%s\n' $(pids_named "$T/report" pipe_block) | head -n 1)
blk=$(finding_block "$T/report" "slow call")
if [ "${ILP_BACKEND:-}" = ptrace ]; then
	# no scheduler events: the split is not claimed
	want="pid $pid \(pipe_block\) tid $pid: [0-9.]+ ms in it .*\(on/off-CPU split not available with the ptrace backend\)"
else
	want="pid $pid \(pipe_block\) tid $pid: [0-9.]+ ms in it .* waiting for an event \(S\), 0 ns uninterruptible \(D\)"
fi
printf '%s\n' "$blk" | grep -Eq "$want" || { show "$T/report"; fail "evidence line"; }
printf '%s\n' "$blk" | grep -q 'why: 1 call >= 100 ms (--slow), the longest ' || { show "$T/report"; fail "why line"; }
printf '%s\n' "$blk" | grep -q 'fix: waiting for the peer' || { show "$T/report"; fail "fix line"; }

ilp run --slow 1000 -o "$T/report2" -- "$WL/pipe_block" 300 > /dev/null 2> "$T/err2"
[ $? -eq 0 ] || { show "$T/err2"; fail "--slow 1000: exit status"; }
expect_findings "$T/report2" 0
ilp run --format json -o "$T/report.json" -- "$WL/pipe_block" 300 > /dev/null 2> "$T/err" ||
	{ show "$T/err"; fail "json run failed"; }
check_sum_rule "$T/report.json"
exit 0
