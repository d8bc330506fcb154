#!/bin/bash
# A stale instance (owner pid dead) is removed by the next start; an
# instance whose owner pid is alive is not, whatever that process is.
. "$(dirname "$0")/lib.sh"

dead=$(sh -c 'echo $$')
while kill -0 "$dead" 2>/dev/null; do dead=$(sh -c 'echo $$'); done
# The live owner is a plain sleep: any live pid keeps its instance.
sleep 60 &
live=$!
bg_track "$live"
stale="$TRACEFS/instances/iolockprof-$dead"
keep="$TRACEFS/instances/iolockprof-$live"
mkdir "$stale" || fail "cannot create $stale"
on_exit "rmdir '$stale' 2>/dev/null"
mkdir "$keep" || fail "cannot create $keep"
on_exit "rmdir '$keep' 2>/dev/null"

ilp run -o "$T/report" -- "$WL/writes" 10 2> "$T/err"
rc=$?
[ $rc -eq 0 ] || { show "$T/err"; fail "run: exit $rc, want 0"; }
[ -d "$stale" ] && fail "stale instance iolockprof-$dead (pid $dead is dead) was not removed"
[ -d "$keep" ] || fail "instance iolockprof-$live of live pid $live (comm $(cat /proc/$live/comm)) was removed"
rmdir "$keep" || fail "cannot remove $keep"
exit 0
