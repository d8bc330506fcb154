#!/bin/bash
# tracefs: not needed (runs when instance creation is broken; see run.sh)
# As an unprivileged user with --backend=ftrace: exit 1 or 125, one line
# mentioning root/sudo or tracefs.  (The default, auto, falls back to the
# ptrace backend instead: t_ptrace.sh.)
. "$(dirname "$0")/lib.sh"

command -v setpriv > /dev/null || skip "setpriv not installed"
asnobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
asnobody "$ILP" --version > /dev/null 2>&1
rc=$?
[ $rc -eq 126 ] || [ $rc -eq 127 ] && skip "$ILP cannot be executed by uid 65534 (directory permissions)"
asnobody test -x "$WL/writes" || skip "$WL/writes cannot be executed by uid 65534"

cd / && asnobody timeout -k 5 30 "$ILP" run --backend=ftrace -- "$WL/writes" 10 > "$T/out" 2> "$T/err"
rc=$?
case $rc in
1 | 125) ;;
*) show "$T/err"; fail "as uid 65534: exit $rc, want 1 or 125" ;;
esac
n=$(wc -l < "$T/err")
[ "$n" -eq 1 ] || { show "$T/err"; fail "as uid 65534: $n lines on stderr, want 1"; }
grep -qiE 'root|sudo|tracefs' "$T/err" || { show "$T/err"; fail "as uid 65534: message mentions neither root/sudo nor tracefs"; }
grep -q '^iolockprof: ' "$T/err" || { show "$T/err"; fail "as uid 65534: message does not start with 'iolockprof: '"; }
exit 0
