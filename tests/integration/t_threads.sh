#!/bin/bash
# backend: any (run.sh runs it under ptrace too when tracefs is unusable)
# run -- threads 4 5000: one process, 5 threads, exactly 20000 writes;
# with --threads, 4 thread sections with exactly 5000 writes each (the main
# thread, if listed, has none).
. "$(dirname "$0")/lib.sh"

ilp run -o "$T/report" -- "$WL/threads" 4 5000 2> "$T/err"
rc=$?
[ $rc -eq 0 ] || { show "$T/err"; show "$T/report"; fail "exit status $rc, want 0"; }
pid=$(pids_named "$T/report" threads)
expect_eq "process sections named threads" "$(printf '%s\n' $pid | grep -c .)" 1 "$T/report"
expect_eq "process sections in all" "$(all_pids "$T/report" | grep -c .)" 1 "$T/report"
expect_eq "threads: of pid $pid" "$(hdr_field "$T/report" "$pid" threads)" 5 "$T/report"
expect_eq "write calls of pid $pid" "$(sc_count "$T/report" "$pid" write)" 20000 "$T/report"
expect_eq "lost events" "$(lost_events "$T/report")" 0 "$T/report"

ilp run --threads -o "$T/report2" -- "$WL/threads" 4 5000 2> "$T/err2"
rc=$?
[ $rc -eq 0 ] || { show "$T/err2"; show "$T/report2"; fail "--threads: exit status $rc, want 0"; }
pid=$(pids_named "$T/report2" threads)
expect_eq "--threads: process sections named threads" "$(printf '%s\n' $pid | grep -c .)" 1 "$T/report2"
expect_eq "--threads: write calls of pid $pid" "$(sc_count "$T/report2" "$pid" write)" 20000 "$T/report2"
busy=0
for tid in $(tids "$T/report2" "$pid"); do
	n=$(tid_count "$T/report2" "$pid" "$tid" write)
	case $n in
	5000) busy=$((busy + 1)) ;;
	0) [ "$tid" = "$pid" ] || { show "$T/report2" 80; fail "--threads: tid $tid has 0 writes but is not the main thread"; } ;;
	*) show "$T/report2" 80; fail "--threads: tid $tid has $n writes, want 5000 (or 0 for main thread $pid)" ;;
	esac
done
expect_eq "--threads: tid sections with exactly 5000 writes" "$busy" 4 "$T/report2"
exit 0
