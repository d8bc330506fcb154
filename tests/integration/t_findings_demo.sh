#!/bin/bash
# The bundled demo (what `make demo` shows): findings ranked by saving,
# [N+1] over its two pipes first (250 round trips, peer: its worker thread),
# then [hot lock] hot_lock, then the [slow call] on the warm-up pipe, then
# the two [unbuffered] on the log file; nothing else.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_findings.sh"

ilp run -o "$T/report" -- "$WL/demo" > /dev/null 2> "$T/err"
rc=$?
[ $rc -eq 0 ] || { show "$T/err"; show "$T/report"; fail "exit status $rc, want 0"; }
kinds=$(findings "$T/report" | sed -E 's/^\[([^]]*)\].*/\1/' | tr '\n' ',')
expect_eq "findings in order" "$kinds" "N+1,hot lock,slow call,unbuffered,unbuffered," "$T/report"
findings "$T/report" | grep -Eqx '\[N\+1\] 250 request/response round trips: requests written on pipe pipe:\[[0-9]+\], answers read on pipe pipe:\[[0-9]+\] \(peer: another thread of this process\)' ||
	{ show "$T/report"; fail "N+1 line"; }
findings "$T/report" | grep -Eqx '\[hot lock\] lock hot_lock \(mutex, 0x[0-9a-f]+\): [0-9]+ contended waits' ||
	{ show "$T/report"; fail "hot lock line"; }
findings "$T/report" | grep -Eqx '\[slow call\] 1 read call of 100 ms or more on pipe pipe:\[[0-9]+\]' ||
	{ show "$T/report"; fail "slow call line"; }
findings "$T/report" | grep -q '^\[unbuffered\] 4000 writes of ' || { show "$T/report"; fail "unbuffered writes"; }
exit 0
