#!/bin/bash
# backend: any (run.sh runs it under ptrace too when tracefs is unusable)
# run -- forkexec 3 1000 writes: three 'writes' sections with exactly 1000
# writes each; the forkexec parent has no writes (absent or 0).  The same
# with strace's -ff, accepted and changing nothing (children are always
# followed).
. "$(dirname "$0")/lib.sh"

for f in "" -ff; do
	ilp run $f -o "$T/report" -- "$WL/forkexec" 3 1000 "$WL/writes" 2> "$T/err"
	rc=$?
	[ $rc -eq 0 ] || { show "$T/err"; show "$T/report"; fail "run $f: exit status $rc, want 0"; }
	pids=$(pids_named "$T/report" writes)
	expect_eq "run $f: process sections named writes" "$(printf '%s\n' $pids | grep -c .)" 3 "$T/report"
	for p in $pids; do
		expect_eq "run $f: write calls of writes pid $p" "$(sc_count "$T/report" "$p" write)" 1000 "$T/report"
	done
	for p in $(pids_named "$T/report" forkexec); do
		expect_eq "run $f: write calls of forkexec parent pid $p" "$(sc_count "$T/report" "$p" write)" 0 "$T/report"
	done
	expect_eq "run $f: lost events" "$(lost_events "$T/report")" 0 "$T/report"
done
exit 0
