#!/bin/bash
# attach -d 2 to a running sleeper (10 ms nanosleep + 1 write per loop):
# 100..250 nanosleeps and writes, and the sleeper keeps running afterwards.
# Two pids at once (-p PID,PID, -p again and an argument, with repeats): both
# sections, each pid once in the command line.  'sleeper threads': threads: 3.
. "$(dirname "$0")/lib.sh"

start_sleeper s1 30
ilp attach -o "$T/r1" -d 2 "$s1" 2> "$T/e1"
rc=$?
[ $rc -eq 0 ] || { show "$T/e1"; show "$T/r1"; fail "attach -d 2 $s1: exit $rc, want 0"; }
[ -n "$(pid_section "$T/r1" "$s1")" ] || { show "$T/e1"; show "$T/r1"; fail "no section for sleeper pid $s1"; }
expect_range "nanosleep calls of sleeper $s1 in 2 s" "$(sc_count "$T/r1" "$s1" nanosleep)" 100 250 "$T/r1"
expect_range "write calls of sleeper $s1 in 2 s" "$(sc_count "$T/r1" "$s1" write)" 100 250 "$T/r1"
expect_eq "lost events" "$(lost_events "$T/r1")" 0 "$T/r1"
sleep 0.3
proc_running "$s1" || fail "sleeper $s1 is not running after detach (state: $(sed 's/^.*) //' /proc/$s1/stat 2>/dev/null | cut -d' ' -f1))"

start_sleeper s2 30
# strace's and perf's -p, a list and again, beside an argument: each once
ilp attach -o "$T/r2" -d 2 -p "$s1" -p "$s2,$s1" "$s2" 2> "$T/e2"
rc=$?
[ $rc -eq 0 ] || { show "$T/e2"; show "$T/r2"; fail "attach -d 2 -p $s1 -p $s2,$s1 $s2: exit $rc, want 0"; }
expect_eq "two pids: the command line" "$(sed -n 's/^command: *//p' "$T/r2")" \
	"attach $s1 (sleeper) $s2 (sleeper)" "$T/r2"
for p in "$s1" "$s2"; do
	[ -n "$(pid_section "$T/r2" "$p")" ] || { show "$T/r2"; fail "two pids: no section for sleeper $p"; }
	expect_range "two pids: write calls of sleeper $p" "$(sc_count "$T/r2" "$p" write)" 100 250 "$T/r2"
done
proc_running "$s1" && proc_running "$s2" || fail "a sleeper is not running after detach"

start_sleeper s3 30 threads
ilp attach -o "$T/r3" -d 2 "$s3" 2> "$T/e3"
rc=$?
[ $rc -eq 0 ] || { show "$T/e3"; show "$T/r3"; fail "attach -d 2 (threads) $s3: exit $rc, want 0"; }
expect_eq "threads: of 3-thread sleeper $s3" "$(hdr_field "$T/r3" "$s3" threads)" 3 "$T/r3"
expect_range "write calls of 3-thread sleeper $s3" "$(sc_count "$T/r3" "$s3" write)" 300 750 "$T/r3"
proc_running "$s3" || fail "3-thread sleeper $s3 is not running after detach"

kill "$s1" "$s2" "$s3"
exit 0
