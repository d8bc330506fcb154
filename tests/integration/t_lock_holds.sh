#!/bin/bash
# --lock-holds: mutex hold times from uprobes on libc.
#   - mutex_storm 4 x 20000 holds hot_lock (named by its symbol) exactly
#     80000 times, from worker at the lock call's line, and holds of one
#     mutex never overlap: their sum is at most the capture's duration;
#   - cond_hold: a pthread_cond_wait releases the mutex, so the 500 ms
#     asleep in it is no hold: exactly 3 holds, all far shorter;
#   - attach: holds of a running mutex_storm;
#   - the session's uprobe group (iolockprof_<token>) is gone after a normal
#     exit, after SIGINT, after the command is killed; a dead session's
#     group is removed by the next session, a live one's is left alone.
. "$(dirname "$0")/lib.sh"
set -m

UP=$TRACEFS/uprobe_events
[ -w "$UP" ] || skip "no $UP (a kernel without CONFIG_UPROBE_EVENTS)"
[ "$(uname -m)" = x86_64 ] || skip "--lock-holds knows x86-64's fetch arguments only"
root=$(cd "$(dirname "$0")/../.." && pwd)

has_group() { grep -q "^[pr]:$1/" "$UP"; }
# session NAME's group gone, and its instances and lock file
expect_clean() {
	has_group "iolockprof_$2" && { grep "iolockprof_$2/" "$UP" | head -3 >&2; fail "$1: uprobe group iolockprof_$2 left"; }
	expect_gone "$1" "iolockprof-$2"
}
# hold JSON FIELD ADDR: FIELD of the lock_holds entry at ADDR
hold() { jq -r --arg a "$3" "[.processes[].lock_holds[]? | select(.address == \$a) | .$2] | first" "$1"; }

# ---- mutex_storm: exact counts, names, sites ----
tok=$(new_token)
ILP_TEST_INSTANCE_TOKENS=$tok ilp run --lock-holds --format json -o "$T/storm.json" -- \
	"$WL/mutex_storm" 4 20000 > "$T/out" 2> "$T/err"
rc=$?
[ $rc -eq 0 ] || { show "$T/err"; fail "run --lock-holds mutex_storm: exit $rc, want 0"; }
expect_clean "after a normal exit" "$tok"
J=$T/storm.json
expect_eq "lost events" "$(jq '.capture.lost_events' "$J")" 0 "$J"
addr=$(awk '{ print $2 }' "$T/out")
expect_eq "hot_lock's name" "$(hold "$J" name "$addr")" hot_lock "$J"
expect_eq "holds of hot_lock (4 threads x 20000)" "$(hold "$J" holds "$addr")" 80000 "$J"
expect_eq "hot_lock hold histogram count" "$(hold "$J" hold.count "$addr")" 80000 "$J"
for f in partial lost open recursive failed cond_waits exit_held; do
	expect_eq "hot_lock $f" "$(hold "$J" "$f" "$addr")" 0 "$J"
done
line=$(grep -n 'pthread_mutex_lock(lock);' "$root/tests/workloads/wl_mutex.h" | cut -d: -f1)
expect_eq "hot_lock's call sites" "$(hold "$J" '"sites"|length' "$addr")" 1 "$J"
expect_eq "hot_lock's call site" "$(hold "$J" 'sites[0].site' "$addr")" "worker (wl_mutex.h:$line)" "$J"
expect_eq "holds from that site" "$(hold "$J" 'sites[0].holds' "$addr")" 80000 "$J"
# one mutex is held by one thread at a time: its holds add up to at most
# the capture; all mutexes' holds, at most the capture times the threads
total=$(hold "$J" total_ns "$addr")
dur=$(jq '.capture.duration_ns' "$J")
[ "$total" -gt 0 ] && [ "$total" -le "$dur" ] || fail "hot_lock held $total ns in all, the capture lasted $dur ns"
[ "$(hold "$J" max_ns "$addr")" -le "$total" ] || fail "hot_lock's longest hold exceeds its total"
all=$(jq '[.processes[].lock_holds[]?.total_ns] | add' "$J")
[ "$all" -le $((dur * 5)) ] || fail "mutexes held $all ns in all, more than 5 threads x $dur ns"
# the contended lock's waits are the futex table's
expect_eq "hot_lock waits (lock_holds = locks_user)" "$(hold "$J" waits "$addr")" \
	"$(jq -r --arg a "$addr" '[.processes[].locks_user[] | select(.address == $a) | .waits] | first' "$J")" "$J"

# ---- cond_hold: no hold across a condition wait (text report) ----
tok=$(new_token)
ILP_TEST_INSTANCE_TOKENS=$tok ilp run --lock-holds -o "$T/cond" -- "$WL/cond_hold" 500 \
	> "$T/out2" 2> "$T/err2" || { show "$T/err2"; fail "run --lock-holds cond_hold failed"; }
expect_clean "cond_hold" "$tok"
read -r _ caddr wline < "$T/out2"
sec=$(awk '/^== Lock holds ==/ { on = 1; next } /^== / { on = 0 } on' "$T/cond")
row=$(awk '$1 == "cond_lock" { print; exit }' <<< "$sec")
[ -n "$row" ] || { show "$T/cond" 200; fail "no cond_lock row under Lock holds"; }
set -- $row
expect_eq "cond_lock holds (main before and after its wait, the signaller)" "$2" 3 "$T/cond"
grep -q "address $caddr " <<< "$sec" || fail "cond_lock's address $caddr is not in the Lock holds section"
# the wait's own unlock and relock inside glibc are internal calls, not
# the probed entry points: nothing seen twice, nothing left over
blk=$(awk '/^  cond_lock / { on = 1; print; next } on && /^  [^ ]/ { exit } on' <<< "$sec")
grep -q "not counted" <<< "$blk" && { show "$T/cond" 200; fail "cond_lock: unlocks or holds not counted"; }
grep -q "released by cond waits 1," <<< "$blk" || { show "$T/cond" 200; fail "cond_lock: not released by exactly one cond wait"; }
grep -Eq "^    from main \(cond_hold.c:$wline\) +1 holds" <<< "$sec" ||
	{ show "$T/cond" 200; fail "no hold from main at the cond wait's line $wline"; }
# counted across the 500 ms wait, a hold would be 500 ms or more: the
# total (columns 3-4: "157 us") is under that
tot=$(awk '{ v = $3; u = $4; m = u == "ns" ? 1 : u == "us" ? 1e3 : u == "ms" ? 1e6 : 1e9; printf "%d", v * m }' <<< "$row")
[ "$tot" -lt 500000000 ] || { show "$T/cond" 200; fail "cond_lock held $3 $4 in all: the wait was counted"; }
grep -q "^    held 3 times, total .*, longest at main (cond_hold.c:" <<< "$sec" ||
	{ show "$T/cond" 200; fail "no 'held 3 times ... longest at main' line"; }

# ---- attach: holds of a running mutex_storm ----
"$WL/mutex_storm" 2 1000000000 > /dev/null &
spid=$!
bg_track "$spid"
sleep 0.2
tok=$(new_token)
ILP_TEST_INSTANCE_TOKENS=$tok ilp attach --lock-holds -d 1 --format json -o "$T/att.json" "$spid" \
	2> "$T/err3" || { show "$T/err3"; fail "attach --lock-holds failed"; }
expect_clean "attach" "$tok"
n=$(jq --argjson p "$spid" '[.processes[] | select(.pid == $p) | .lock_holds[] | select(.name == "hot_lock") | .holds] | first' "$T/att.json")
[ "$n" -gt 0 ] || fail "attach: no hold of hot_lock counted"
p=$(jq --argjson p "$spid" '[.processes[] | select(.pid == $p) | .lock_holds[] | select(.name == "hot_lock") | .partial] | first' "$T/att.json")
[ "$p" -le 2 ] || fail "attach: $p unlocks without their hold (at most one per thread holding it at the start)"
kill -KILL "$spid"
wait "$spid" 2>/dev/null

# ---- SIGINT to iolockprof, and the command killed: the group goes ----
for how in INT KILL-target; do
	tok=$(new_token)
	ILP_TEST_INSTANCE_TOKENS=$tok "$ILP" run --lock-holds -o "$T/r.$how" -- "$WL/sleeper" 30 \
		> "$T/o.$how" 2> "$T/e.$how" &
	ipid=$!
	bg_track "$ipid"
	for _ in $(seq 100); do has_group "iolockprof_$tok" && [ -s "$T/o.$how" ] && break; sleep 0.05; done
	has_group "iolockprof_$tok" || { show "$T/e.$how"; fail "$how: no uprobe group iolockprof_$tok while running"; }
	spid=$(cat "$T/o.$how")
	bg_track "$spid"
	if [ "$how" = INT ]; then kill -INT "$ipid"; want=130; else kill -KILL "$spid"; want=137; fi
	wait_gone "$ipid" 10 || fail "$how: iolockprof still running 10 s later"
	wait "$ipid"
	rc=$?
	[ $rc -eq $want ] || { show "$T/e.$how"; fail "$how: iolockprof exited $rc, want $want"; }
	expect_clean "after $how" "$tok"
done

# ---- a dead session's group goes, a live one's stays ----
libc=$(awk '$NF ~ /\/libc\.so\.6$/ { print $NF; exit }' /proc/self/maps)
[ -n "$libc" ] || fail "no libc.so.6 in our own maps"
mkdir -p "$ILP_LOCKDIR" && chmod 700 "$ILP_LOCKDIR"
dead=$(new_token)
live=$(new_token)
for t in "$dead" "$live"; do
	on_exit "echo '-:iolockprof_$t/probe0' >> '$UP' 2>/dev/null; rm -f '$ILP_LOCKDIR/iolockprof-$t.lock'"
	echo "p:iolockprof_$t/probe0 $libc:0x1000" >> "$UP" || fail "cannot define a uprobe in group iolockprof_$t"
done
: > "$ILP_LOCKDIR/iolockprof-$dead.lock"
( exec 8<> "$ILP_LOCKDIR/iolockprof-$live.lock" && flock 8 && exec sleep 60 ) &
holder=$!
bg_track "$holder"
for _ in $(seq 100); do lock_free "iolockprof-$live" || break; sleep 0.05; done
lock_free "iolockprof-$live" && fail "the holder did not take the live session's lock"
ilp run -o "$T/rw" -- "$WL/writes" 10 2> "$T/ew" || { show "$T/ew"; fail "run writes 10 failed"; }
expect_clean "a dead session's group, after the next run" "$dead"
has_group "iolockprof_$live" || fail "the live session's uprobe group was removed"
[ -e "$ILP_LOCKDIR/iolockprof-$live.lock" ] || fail "the live session's lock file was removed"
kill -KILL "$holder"
wait "$holder" 2>/dev/null
"$ILP" --remove-stale > "$T/stale" 2>&1 || { show "$T/stale"; fail "--remove-stale failed"; }
grep -qx "iolockprof-$live: removed (its session is dead)" "$T/stale" || { show "$T/stale"; fail "--remove-stale: iolockprof-$live not removed"; }
expect_clean "the live session's group, once its owner died" "$live"
exit 0
