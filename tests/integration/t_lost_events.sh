#!/bin/bash
# A buffer far too small for a storm: the kernel drops events, and the report
# says so loudly (header count from per_cpu/cpuN/stats, WARNING line), while
# decoded + lost still accounts for every event the workload caused.
. "$(dirname "$0")/lib.sh"

n=300000
ilp run -b 64 -o "$T/report" -- "$WL/writes" $n 2> "$T/err"
rc=$?
[ $rc -eq 0 ] || { show "$T/err"; show "$T/report"; fail "exit status $rc, want 0"; }
lost=$(lost_events "$T/report")
[ -n "$lost" ] && [ "$lost" -gt 0 ] || { show "$T/report" 12; fail "lost events '$lost', want > 0 with -b 64"; }
grep -q "^WARNING: $lost events LOST by the kernel ring buffer: counts below are lower bounds" "$T/report" ||
	{ show "$T/report" 12; fail "no WARNING line for $lost lost events"; }
events=$(awk '/^duration:/ { for (i = 2; i < NF; i++) if ($i == "events:" && $(i - 1) != "lost") print $(i + 1) }' "$T/report")
# 2 events per write, plus start-up, exit and scheduler events (under 1 %)
total=$((events + lost))
[ $total -ge $((2 * n)) ] && [ $total -le $((2 * n + 2 * n / 100)) ] ||
	{ show "$T/report" 12; fail "decoded $events + lost $lost = $total, want 2*$n plus under 1 % (start-up, exit, scheduler)"; }
pid=$(pids_named "$T/report" writes)
w=$(sc_count "$T/report" "$pid" write)
[ "$w" -lt $n ] || fail "write count $w with $lost lost events, want < $n"
exit 0
