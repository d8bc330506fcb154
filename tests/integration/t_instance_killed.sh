#!/bin/bash
# A session killed by SIGKILL (no cleanup of its own) leaves its instances;
# the next session removes them, -sys and lock file included, because the
# kernel dropped the dead session's lock.  A live session started before
# keeps its instances through both and reports exactly.
. "$(dirname "$0")/lib.sh"

I=$TRACEFS/instances
"$ILP" run -o "$T/live" -- "$WL/sleeper" 4 > /dev/null 2> "$T/live.err" &
live=$!
bg_track "$live"
"$ILP" run -o "$T/killed" -- "$WL/sleeper" 10 > /dev/null 2> "$T/killed.err" &
victim=$!
bg_track "$victim"
wait_instance_of lname "$live" 10 || { show "$T/live.err"; fail "the live session made no instance"; }
wait_instance_of vname "$victim" 10 || { show "$T/killed.err"; fail "the victim made no instance"; }
# its app, the sleeper, goes with the test (killed at exit)
app=$(pgrep -P "$victim" sleeper)
[ -n "$app" ] && bg_track "$app"
kill -KILL "$victim"
wait "$victim" 2>/dev/null
[ -d "$I/$vname" ] || fail "the killed session's instance $vname vanished by itself"
[ -e "$ILP_LOCKDIR/$vname.lock" ] || fail "the killed session's lock file vanished by itself"

ilp run -o "$T/next" -- "$WL/writes" 100 2> "$T/next.err" || { show "$T/next.err"; fail "next session failed"; }
p=$(pids_named "$T/next" writes)
expect_eq "next session: write calls" "$(sc_count "$T/next" "$p" write)" 100 "$T/next"
expect_gone "the killed session" "$vname"
[ -d "$I/$lname" ] && [ -d "$I/$lname-sys" ] || fail "the live session's instance $lname was removed"

wait "$live"
rc=$?
expect_eq "live session: exit" "$rc" 0 "$T/live.err"
p=$(pids_named "$T/live" sleeper)
n=$(sc_count "$T/live" "$p" write)
# sleeper 4: one write of its pid, then just under 400 loops of one write
expect_range "live session: write calls" "$n" 300 401 "$T/live"
expect_gone "the live session, at its end" "$lname"
exit 0
