#!/bin/bash
# backend: any (run.sh runs it under ptrace too when tracefs is unusable)
# run exits with the app's status: exitcode 7 -> 7; killed by SIGKILL -> 137.
# The report is printed in both cases.
. "$(dirname "$0")/lib.sh"

ilp run -o "$T/r7" -- "$WL/exitcode" 7 2> "$T/e7"
rc=$?
[ $rc -eq 7 ] || { show "$T/e7"; show "$T/r7"; fail "exitcode 7: iolockprof exited $rc, want 7"; }
grep -q '^duration: ' "$T/r7" || { show "$T/e7"; show "$T/r7"; fail "exitcode 7: no report (no 'duration:' line)"; }
[ -n "$(pids_named "$T/r7" exitcode)" ] || { show "$T/r7"; fail "exitcode 7: no section for exitcode"; }

ilp run -o "$T/r9" -- "$WL/exitcode" -9 2> "$T/e9"
rc=$?
[ $rc -eq 137 ] || { show "$T/e9"; show "$T/r9"; fail "exitcode -9: iolockprof exited $rc, want 137"; }
grep -q '^duration: ' "$T/r9" || { show "$T/e9"; show "$T/r9"; fail "exitcode -9: no report (no 'duration:' line)"; }
[ -n "$(pids_named "$T/r9" exitcode)" ] || { show "$T/r9"; fail "exitcode -9: no section for exitcode"; }

# Report on stderr (no -o) is printed too.
ilp run -- "$WL/exitcode" 7 2> "$T/e7b"
rc=$?
[ $rc -eq 7 ] || { show "$T/e7b"; fail "exitcode 7 (report to stderr): exited $rc, want 7"; }
grep -q '^duration: ' "$T/e7b" || { show "$T/e7b"; fail "exitcode 7: no report on stderr"; }
exit 0
