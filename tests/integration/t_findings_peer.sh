#!/bin/bash
# The peer behind a wait.  pipe_wait 300: the parent's read of its pipe
# waits for its child, sh -c "sleep 0.3; echo x" (sh writes, its sleep
# holds the write end too): one [slow call], naming the child's pid and
# comm, sh, which holds the write end.  fifo_writer, not traced, holds a
# FIFO's write end while a traced cat waits on it: named from /proc while
# the read blocks, "(not traced)".  The savings add up (sum rule, JSON).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_findings.sh"

ilp run -o "$T/report" -- "$WL/pipe_wait" 300 > "$T/out" 2> "$T/err"
rc=$?
[ $rc -eq 0 ] || { show "$T/err"; show "$T/report"; fail "exit status $rc, want 0"; }
child=$(awk '$1 == "child" { print $2 }' "$T/out")
[ -n "$child" ] || { show "$T/out"; fail "no child pid printed"; }
expect_findings "$T/report" 1
findings "$T/report" | grep -Eqx '\[slow call\] 1 read call of 100 ms or more on pipe pipe:\[[0-9]+\]' ||
	{ show "$T/report"; fail "finding line"; }
blk=$(finding_block "$T/report" "slow call")
printf '%s\n' "$blk" | grep -q "; waiting for pid $child (sh), which holds the write end (and 1 more process)\$" ||
	{ show "$T/report"; fail "the peer: want pid $child (sh)"; }

# the same, as JSON: the sum rule
ilp run --format json -o "$T/report.json" -- "$WL/pipe_wait" 300 > /dev/null 2> "$T/err" ||
	{ show "$T/err"; fail "json run failed"; }
check_sum_rule "$T/report.json"

# a writer outside the trace: /proc names it while the reader waits
mkfifo "$T/fifo" || fail "mkfifo"
"$WL/fifo_writer" "$T/fifo" 400 > "$T/wout" &
writer=$!
bg_track "$writer"
ilp run -o "$T/report2" -- cat "$T/fifo" > "$T/cout" 2> "$T/err2"
rc=$?
[ $rc -eq 0 ] || { show "$T/err2"; show "$T/report2"; fail "cat: exit status $rc, want 0"; }
expect_eq "cat's output" "$(cat "$T/cout")" x
expect_findings "$T/report2" 1
blk=$(finding_block "$T/report2" "slow call")
printf '%s\n' "$blk" | grep -q "; waiting for pid $writer (fifo_writer), which holds the write end (not traced)\$" ||
	{ show "$T/report2"; fail "the untraced peer: want pid $writer (fifo_writer)"; }
exit 0
