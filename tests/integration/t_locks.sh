#!/bin/bash
# Locks: mutex_storm (4 threads on one global pthread mutex, hot_lock) shows
# hot_lock by name as the top contended lock, with waiters and wakers among
# its threads, and lock counts that add up to the futex calls counted;
# uncontended locking shows no lock at all.
. "$(dirname "$0")/lib.sh"

ilp run -o "$T/report" -- "$WL/mutex_storm" 4 200000 > "$T/out" 2> "$T/err"
rc=$?
[ $rc -eq 0 ] || { show "$T/err"; show "$T/report"; fail "exit status $rc, want 0"; }
pid=$(pids_named "$T/report" mutex_storm)
[ -n "$pid" ] || { show "$T/report"; fail "no mutex_storm section"; }
expect_eq "lost events" "$(lost_events "$T/report")" 0 "$T/report"
addr=$(awk '{ print $2 }' "$T/out")
futex=$(sc_count "$T/report" "$pid" futex)
[ "$futex" -gt 0 ] || { show "$T/report"; fail "no futex call counted: the lock was not contended"; }
sec=$(awk '/^== Locks \(user\) ==/ { on = 1; next } /^== / { on = 0 } on' "$T/report")
hdr=$(grep "^pid $pid (mutex_storm)" <<< "$sec")
[ -n "$hdr" ] || { show "$T/report" 200; fail "no Locks (user) entry for pid $pid"; }
# every futex call of the process is accounted in the lock table
expect_eq "futex calls in Locks (user)" "$(sed 's/.*futex calls: //' <<< "$hdr")" "$futex" "$T/report"
# the first lock row is hot_lock at the workload's address
top=$(awk '$1 == "lock" && $2 == "kind" { getline; print; exit }' <<< "$sec")
set -- $top
expect_eq "top contended lock" "$1" hot_lock "$T/report"
expect_eq "kind of hot_lock" "$2" mutex "$T/report"
waits=$3 eagain=$4 timeouts=$5 other=$6 wakes=$7
[ "$waits" -gt 0 ] || fail "hot_lock: no wait"
expect_eq "hot_lock timeouts" "$timeouts" 0 "$T/report"
expect_eq "hot_lock address" "$(awk '/address 0x/ { print $2; exit }' <<< "$sec")" "$addr" "$T/report"
# waits + EAGAIN + other + wakes on hot_lock <= futex calls (the main
# thread's pthread_join waits are on other addresses)
[ $((waits + eagain + other + wakes)) -le "$futex" ] || fail "hot_lock counts exceed the futex calls ($futex)"
# waiters and wakers are threads of the process, not the main thread
wl=$(awk '/waiters \(tid x waits\):/ { for (i = 5; i <= NF; i += 2) print $i; exit }' <<< "$sec")
kl=$(awk '/woken by \(sched_waking\):/ { for (i = 4; i <= NF; i += 2) print $i; exit }' <<< "$sec")
[ -n "$wl" ] && [ -n "$kl" ] || { show "$T/report" 200; fail "hot_lock: waiters '$wl' or wakers '$kl' missing"; }
for t in $wl $kl; do
	[ "$t" -gt "$pid" ] && [ "$t" -le $((pid + 64)) ] ||
		{ show "$T/report" 200; fail "thread $t is not one of mutex_storm's workers (pid $pid)"; }
done
# the sum of waits per waiter is the wait count
sum=$(awk '/waiters \(tid x waits\):/ { for (i = 6; i <= NF; i += 2) { v = $i; sub(/^x/, "", v); s += v } print s; exit }' <<< "$sec")
expect_eq "waits by waiter summed" "$sum" "$waits" "$T/report"

# a short run: the process has exited before its locks are named, so the
# file is opened inside the root its maps snapshot saw (its /proc/PID/root
# is gone by then): still hot_lock, and the JSON names it the same
ilp run --format json -o "$T/short.json" -- "$WL/mutex_storm" 4 2000 > "$T/out3" 2> "$T/err3" ||
	{ show "$T/err3"; fail "mutex_storm 4 2000 failed"; }
expect_eq "short run: the lock at hot_lock's address" \
	"$(jq -r --arg a "$(awk '{ print $2 }' "$T/out3")" \
		'[.processes[].locks_user[] | select(.address == $a) | .name] | join(",")' "$T/short.json")" \
	hot_lock "$T/short.json"

# uncontended: no futex call, no lock entry
ilp run -o "$T/report2" -- "$WL/uncontended" 1000000 2> "$T/err2"
rc=$?
[ $rc -eq 0 ] || { show "$T/err2"; fail "uncontended: exit status $rc"; }
pid2=$(pids_named "$T/report2" uncontended)
expect_eq "uncontended futex calls" "$(sc_count "$T/report2" "$pid2" futex)" 0 "$T/report2"
expect_eq "uncontended Locks (user)" \
	"$(awk '/^== Locks \(user\) ==/ { getline; print; exit }' "$T/report2")" \
	"no contended user locks (no futex wait was made)" "$T/report2"
exit 0
