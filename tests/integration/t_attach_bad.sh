#!/bin/bash
# tracefs: not needed (runs when instance creation is broken; see run.sh)
# attach to a pid that does not exist: exit 1, one line on stderr.
# attach with no pid, a bad one as an argument or in -p (any of a list): usage
# error, exit 2, one line naming it.
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
expect_eq "attach notapid: stderr" "$(cat "$T/err")" \
	"iolockprof: attach: 'notapid' is not a process id (see iolockprof --help)"

# -p as strace and perf take it: a bad id in a list is a usage error, named
for args in "-p 1,x" "-p 1,,2" "-p 0" "-p -5" "-p $$ -p 12345678901"; do
	ilp attach -d 1 $args > "$T/out" 2> "$T/err"
	rc=$?
	[ $rc -eq 2 ] || { show "$T/err"; fail "attach $args: exit $rc, want 2"; }
	expect_one_line "attach $args: stderr" "$T/err"
	grep -q "^iolockprof: -p: '.*' is not a process id" "$T/err" ||
		{ show "$T/err"; fail "attach $args: the error does not name the bad id"; }
done
ilp attach -d 1 -p "$bad" > "$T/out" 2> "$T/err"
rc=$?
[ $rc -eq 1 ] || { show "$T/err"; fail "attach -p $bad (no such pid): exit $rc, want 1"; }
ilp run -p 1 -- true > "$T/out" 2> "$T/err"
rc=$?
[ $rc -eq 2 ] || { show "$T/err"; fail "run -p 1: exit $rc, want 2"; }
exit 0
