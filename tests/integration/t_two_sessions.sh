#!/bin/bash
# Two concurrent runs of writes 50000: each reports exactly its own 50000.
. "$(dirname "$0")/lib.sh"

"$ILP" run -o "$T/r1" -- "$WL/writes" 50000 2> "$T/e1" &
p1=$!
"$ILP" run -o "$T/r2" -- "$WL/writes" 50000 2> "$T/e2" &
p2=$!
bg_track "$p1"
bg_track "$p2"
wait_gone "$p1" 60 && wait_gone "$p2" 60 || fail "a session did not finish in 60 s"
wait "$p1"; rcs[1]=$?
wait "$p2"; rcs[2]=$?
for i in 1 2; do
	rc=${rcs[$i]}
	[ "$rc" -eq 0 ] || { show "$T/e$i"; show "$T/r$i"; fail "session $i: exit $rc, want 0"; }
	pids=$(all_pids "$T/r$i")
	expect_eq "session $i: process sections" "$(printf '%s\n' $pids | grep -c .)" 1 "$T/r$i"
	expect_eq "session $i: write calls" "$(sc_count "$T/r$i" "$pids" write)" 50000 "$T/r$i"
	expect_eq "session $i: lost events" "$(lost_events "$T/r$i")" 0 "$T/r$i"
done
[ "$(all_pids "$T/r1")" != "$(all_pids "$T/r2")" ] || fail "both sessions report the same pid $(all_pids "$T/r1")"
exit 0
