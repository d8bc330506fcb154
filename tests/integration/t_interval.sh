#!/bin/bash
# attach --interval 1 -d 3: at least 2 interim reports, then the final one.
. "$(dirname "$0")/lib.sh"

start_sleeper s 30
ilp attach --interval 1 -d 3 "$s" > "$T/out" 2> "$T/err"
rc=$?
[ $rc -eq 0 ] || { show "$T/err"; fail "exit status $rc, want 0"; }
n=$(cat "$T/out" "$T/err" | grep -c 'interim report')
[ "$n" -ge 2 ] || { show "$T/err" 100; fail "$n 'interim report' lines in the output, want >= 2"; }
[ -n "$(pid_section "$T/err" "$s")" ] || { show "$T/err" 100; fail "no section for sleeper $s"; }
kill "$s"
exit 0
