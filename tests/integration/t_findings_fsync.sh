#!/bin/bash
# backend: any (run.sh runs it under ptrace too when tracefs is unusable)
# io_fsync 200 FILE (write + fsync per record): exactly one finding,
# [fsync storm], naming FILE, 200 syncs, 200 - K saved by grouping them
# into K (one per 100 ms of the span).
# --min-saving 0 --all: on a tmpfs TMPDIR the syncs cost almost nothing
# (under 1% of the wall time: folded into the minor line without --all).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_findings.sh"

f="$T/journal"
ilp run --min-saving 0 --all -o "$T/report" -- "$WL/io_fsync" 200 "$f" 2> "$T/err"
rc=$?
[ $rc -eq 0 ] || { show "$T/err"; show "$T/report"; fail "exit status $rc, want 0"; }
expect_findings "$T/report" 1
line=$(findings "$T/report")
printf '%s\n' "$line" | grep -Eqx "\[fsync storm\] 200 syncs on $(file_obj "$f")" ||
	{ show "$T/report"; fail "finding line: '$line'"; }
blk=$(finding_block "$T/report" "fsync storm")
printf '%s\n' "$blk" | grep -q ', 200 writes between them$' || { show "$T/report"; fail "evidence line"; }
# grouping leaves one sync per 100 ms of the span (timing-dependent): K
k=$(printf '%s\n' "$blk" | sed -n 's/.*one per 100 ms: 200 -> \([0-9]*\) syncs).*/\1/p')
expect_range "syncs left after grouping" "$k" 1 20 "$T/report"
printf '%s\n' "$blk" | grep -q "and $((200 - k)) syscalls (severity: " || { show "$T/report"; fail "fix line: want $((200 - k)) saved"; }
pid=$(pids_named "$T/report" io_fsync)
expect_eq "fsync calls" "$(sc_count "$T/report" "$pid" fsync)" 200 "$T/report"
ilp run --format json -o "$T/report.json" -- "$WL/io_fsync" 200 "$f" 2> "$T/err" ||
	{ show "$T/err"; fail "json run failed"; }
check_sum_rule "$T/report.json"
exit 0
