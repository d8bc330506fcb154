#!/bin/bash
# run -u USER (issue 13.4): the command runs as USER (uid, gid and
# supplementary groups, set in the child before exec, as strace -u does),
# under both backends, and is profiled as usual; an unknown user, or -u
# with attach, is a usage error (one line, exit 2).
# backend: any
. "$(dirname "$0")/lib.sh"
id nobody > /dev/null 2>&1 || skip "no user 'nobody' on this machine"
uid=$(id -u nobody) gid=$(id -g nobody) groups=$(id -G nobody)
writes=$(public_copy "$WL/writes")
for be in $(backends); do
	"$ILP" run --backend="$be" -u nobody -o "$T/r.$be" -- \
		sh -c 'id -u; id -g; id -G; exec "$0" 10' "$writes" > "$T/out.$be" 2> "$T/err.$be"
	rc=$?
	[ $rc -eq 0 ] || { show "$T/err.$be"; fail "$be: run -u nobody exited $rc"; }
	expect_eq "$be: uid of the command" "$(sed -n 1p "$T/out.$be")" "$uid" "$T/out.$be"
	expect_eq "$be: gid of the command" "$(sed -n 2p "$T/out.$be")" "$gid" "$T/out.$be"
	expect_eq "$be: groups of the command" "$(sed -n 3p "$T/out.$be")" "$groups" "$T/out.$be"
	pid=$(pids_named "$T/r.$be" writes)
	expect_eq "$be: writes of the command run as nobody" "$(sc_count "$T/r.$be" "$pid" write)" 10 "$T/r.$be"
done
"$ILP" run -u no-such-user-ilp -- true 2> "$T/nu.err"
expect_eq "unknown user: exit" "$?" 2
expect_one_line "unknown user" "$T/nu.err"
"$ILP" attach -u nobody 1 2> "$T/au.err"
expect_eq "attach -u: exit" "$?" 2
expect_one_line "attach -u" "$T/au.err"
exit 0
