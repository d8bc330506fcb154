#!/bin/bash
# backend: any (run.sh runs it under ptrace too when tracefs is unusable)
# run -o FILE -- writes 100000: exactly 100000 writes, no lost events, exit 0.
. "$(dirname "$0")/lib.sh"

ilp run -o "$T/report" -- "$WL/writes" 100000 2> "$T/err"
rc=$?
[ $rc -eq 0 ] || { show "$T/err"; show "$T/report"; fail "exit status $rc, want 0"; }
[ -s "$T/report" ] || { show "$T/err"; fail "report file is empty"; }
pids=$(pids_named "$T/report" writes)
expect_eq "number of 'writes' process sections" "$(printf '%s\n' $pids | grep -c .)" 1 "$T/report"
expect_eq "write calls of writes (pid $pids)" "$(sc_count "$T/report" "$pids" write)" 100000 "$T/report"
expect_eq "lost events" "$(lost_events "$T/report")" 0 "$T/report"
exit 0
