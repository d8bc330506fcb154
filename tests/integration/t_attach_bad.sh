#!/bin/bash
# tracefs: not needed (runs when instance creation is broken; see run.sh)
# attach to a pid that does not exist: exit 1, one line on stderr.
# attach with no pid: usage error, exit 2.
. "$(dirname "$0")/lib.sh"

bad=999999
while [ -e "/proc/$bad" ]; do bad=$((bad + 1)); done
ilp attach -d 1 "$bad" > "$T/out" 2> "$T/err"
rc=$?
[ $rc -eq 1 ] || { show "$T/err"; fail "attach $bad (no such pid): exit $rc, want 1"; }
expect_one_line "attach $bad: stderr" "$T/err"

ilp attach -d 1 > "$T/out" 2> "$T/err"
rc=$?
[ $rc -eq 2 ] || { show "$T/err"; fail "attach without pid: exit $rc, want 2"; }

ilp attach -d 1 notapid > "$T/out" 2> "$T/err"
rc=$?
[ $rc -eq 2 ] || { show "$T/err"; fail "attach notapid: exit $rc, want 2"; }
exit 0
