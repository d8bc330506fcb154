#!/bin/bash
# Stale instances are judged by their lock (include/owner.h), never by a
# number in a name.  The next session removes a dead session's instances
# (its lock file is there and free) and its lock file, and keeps: a live
# session's (lock held), one without a lock file, an older iolockprof's
# iolockprof-PID even when PID is dead (it cannot be proved dead: the old
# versions took no lock), iolockprof-0, and names that are not ours.
. "$(dirname "$0")/lib.sh"

I=$TRACEFS/instances
mkdir -p "$ILP_LOCKDIR" && chmod 700 "$ILP_LOCKDIR"
dead=iolockprof-$(new_token)
live=iolockprof-$(new_token)
nolock=iolockprof-$(new_token)
deadpid=$(sh -c 'echo $$')
while kill -0 "$deadpid" 2>/dev/null; do deadpid=$(sh -c 'echo $$'); done
old=iolockprof-$deadpid
made="$dead $dead-sys $live $live-sys $nolock $old $old-sys iolockprof-0 iolockprof-Test"
for n in $made; do
	on_exit "rmdir '$I/$n' 2>/dev/null"
	[ -e "$I/$n" ] && fail "$I/$n exists already"
	mkdir "$I/$n" || fail "cannot create $I/$n"
done
on_exit "rm -f '$ILP_LOCKDIR/$dead.lock' '$ILP_LOCKDIR/$live.lock'"
: > "$ILP_LOCKDIR/$dead.lock"
# the live owner: a process holding the lock (a sleep that inherited it)
( exec 8<> "$ILP_LOCKDIR/$live.lock" && flock 8 && exec sleep 60 ) &
holder=$!
bg_track "$holder"
for _ in $(seq 100); do lock_free "$live" || break; sleep 0.05; done
lock_free "$live" && fail "the holder did not take $live's lock"

ilp run -o "$T/report" -- "$WL/writes" 10 2> "$T/err"
rc=$?
[ $rc -eq 0 ] || { show "$T/err"; fail "run: exit $rc, want 0"; }
pid=$(pids_named "$T/report" writes)
expect_eq "write calls" "$(sc_count "$T/report" "$pid" write)" 10 "$T/report"
expect_gone "a dead session (lock file free)" "$dead"
for n in "$live" "$live-sys" "$nolock" "$old" "$old-sys" iolockprof-0 iolockprof-Test; do
	[ -d "$I/$n" ] || fail "instance $n was removed (its owner is not provably dead)"
done
[ -e "$ILP_LOCKDIR/$live.lock" ] || fail "the live session's lock file was removed"

# the live owner dies: now its instances go too (and --remove-stale says so)
kill -KILL "$holder"
wait "$holder" 2>/dev/null
"$ILP" --remove-stale > "$T/stale" 2>&1 || { show "$T/stale"; fail "--remove-stale failed"; }
grep -qx "$live: removed (its session is dead)" "$T/stale" || { show "$T/stale"; fail "--remove-stale: $live not removed"; }
grep -q "^$old: kept (no lock file" "$T/stale" || { show "$T/stale"; fail "--remove-stale: $old not listed as kept"; }
expect_gone "$live, after its owner died" "$live"
for n in "$nolock" "$old" "$old-sys" iolockprof-0 iolockprof-Test; do
	[ -d "$I/$n" ] || fail "instance $n was removed by --remove-stale"
	rmdir "$I/$n" || fail "cannot remove $I/$n"
done
exit 0
