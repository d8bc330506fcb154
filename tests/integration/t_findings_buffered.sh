#!/bin/bash
# backend: any (run.sh runs it under ptrace too when tracefs is unusable)
# io_buffered 200 FILE (64 KiB writes): no finding at all; the file's row
# in the I/O table shows the 200 writes of 13107200 bytes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_findings.sh"

f="$T/big.dat"
ilp run -o "$T/report" -- "$WL/io_buffered" 200 "$f" 2> "$T/err"
rc=$?
[ $rc -eq 0 ] || { show "$T/err"; show "$T/report"; fail "exit status $rc, want 0"; }
grep -q '^Findings: none (8 detectors ran' "$T/report" || { show "$T/report"; fail "want 'Findings: none'"; }
expect_findings "$T/report" 0
row=$(io_row "$T/report" "$f")
expect_eq "object row writes / written B" "$(printf '%s\n' "$row" | awk '{ print $(NF-8) "/" $(NF-6) }')" "200/13107200" "$T/report"
ilp run --format json -o "$T/report.json" -- "$WL/io_buffered" 200 "$f" 2> "$T/err" ||
	{ show "$T/err"; fail "json run failed"; }
check_sum_rule "$T/report.json"
exit 0
