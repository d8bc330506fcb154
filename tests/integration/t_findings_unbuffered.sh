#!/bin/bash
# backend: any (run.sh runs it under ptrace too when tracefs is unusable)
# io_unbuffered 20000 FILE: exactly one finding, [unbuffered], naming FILE,
# 20000 writes of 1 B, 1 write call with a 64 KiB buffer, 19999 saved.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_findings.sh"

f="$T/out.dat"
ilp run -o "$T/report" -- "$WL/io_unbuffered" 20000 "$f" 2> "$T/err"
rc=$?
[ $rc -eq 0 ] || { show "$T/err"; show "$T/report"; fail "exit status $rc, want 0"; }
expect_findings "$T/report" 1
line=$(findings "$T/report")
printf '%s\n' "$line" | grep -Eqx "\[unbuffered\] 20000 writes of 1 B \(median\) on $(file_obj "$f")" ||
	{ show "$T/report"; fail "finding line: '$line'"; }
blk=$(finding_block "$T/report" unbuffered)
printf '%s\n' "$blk" | grep -q 'why: 20000 writes >= 1000 (--min-ops) and median size 1 B < 512 B (--small-bytes)$' ||
	{ show "$T/report"; fail "why line"; }
printf '%s\n' "$blk" | grep -q 'fix: buffer the writes (a 64 KiB buffer: 20000 -> 1 write calls); saves up to ~.* and 19999 syscalls' ||
	{ show "$T/report"; fail "fix line"; }
pid=$(pids_named "$T/report" io_unbuffered)
expect_eq "write calls" "$(sc_count "$T/report" "$pid" write)" 20000 "$T/report"
# the per-object table: the file row has the 20000 writes and 20000 bytes
row=$(io_row "$T/report" "$f")
expect_eq "object row writes / written B" "$(printf '%s\n' "$row" | awk '{ print $(NF-8) "/" $(NF-6) }')" "20000/20000" "$T/report"
ilp run --format json -o "$T/report.json" -- "$WL/io_unbuffered" 20000 "$f" 2> "$T/err" ||
	{ show "$T/err"; fail "json run failed"; }
check_sum_rule "$T/report.json"
exit 0
