#!/bin/bash
# A live session run under another name (a copy called ilpcopy) keeps its
# instance when another iolockprof starts meanwhile: a held lock is a live
# session, whatever its comm or pid.  (Removing a live session's instance
# under it lost its events, and crashed the kernel in
# ring_buffer_change_overwrite when it happened during setup.)
. "$(dirname "$0")/lib.sh"

cp "$ILP" "$T/ilpcopy" || fail "cannot copy $ILP"
"$T/ilpcopy" run -o "$T/copy" -- "$WL/sleeper" 2 > /dev/null 2> "$T/copy.err" &
copy=$!
bg_track "$copy"
wait_instance_of name "$copy" 5 || { show "$T/copy.err"; fail "the copy made no instance"; }
ilp run -o "$T/other" -- "$WL/writes" 10 2> "$T/other.err" || { show "$T/other.err"; fail "second session failed"; }
[ -d "$TRACEFS/instances/$name" ] || fail "the live copy's instance $name (comm ilpcopy) was removed"
[ -d "$TRACEFS/instances/$name-sys" ] || fail "the live copy's instance $name-sys was removed"
wait "$copy"
rc=$?
[ $rc -eq 0 ] || { show "$T/copy.err"; fail "the copy: exit $rc, want 0"; }
grep -q '^duration: ' "$T/copy" || { show "$T/copy"; fail "the copy: no report"; }
# and it removed its own, lock file included
expect_gone "the copy, at its end" "$name"
exit 0
