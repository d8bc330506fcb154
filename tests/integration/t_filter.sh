#!/bin/bash
# backend: any (run.sh runs it under ptrace too when tracefs is unusable)
# run -e write -- writes 1000: the table has write 1000 and no other rows.
. "$(dirname "$0")/lib.sh"

ilp run -e write -o "$T/report" -- "$WL/writes" 1000 2> "$T/err"
rc=$?
[ $rc -eq 0 ] || { show "$T/err"; show "$T/report"; fail "exit status $rc, want 0"; }
pid=$(pids_named "$T/report" writes)
expect_eq "process sections named writes" "$(printf '%s\n' $pid | grep -c .)" 1 "$T/report"
expect_eq "write calls" "$(sc_count "$T/report" "$pid" write)" 1000 "$T/report"
for p in $(all_pids "$T/report"); do
	rows=$(sc_rows "$T/report" "$p" | grep -vx write | tr '\n' ' ')
	[ -z "$rows" ] || { show "$T/report"; fail "-e write: pid $p has rows for other syscalls: $rows"; }
done
exit 0
