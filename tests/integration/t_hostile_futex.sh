#!/bin/bash
# Distinct futex addresses: hostile_futex makes an EAGAIN wait and a wake
# on each of N = 200000 ints (2N futex calls that never sleep), then 4
# threads contend hot_lock.  A record per address was kept for the whole
# run, wakes included: 320-336 MB peak RSS before the caps (184 MB at
# N = 100000).  Now 4096 addresses per process are kept apart, those that never
# slept let go first into one "more" record: hot_lock, contended after the
# N addresses, is still kept, named and listed first, and the counts of all
# records add up to every futex call.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_hostile.sh"

N=200000
# 0.4M futex calls in about 0.2 s: a 128 MiB ring buffer per CPU so that no
# event is lost even on a loaded machine (kernel memory, not in the RSS)
measured 300 "$T/out" "$T/err" run -b 131072 --format json -o "$T/r.json" -- "$WL/hostile_futex" $N 4 100000
expect_finished "run hostile_futex $N 4 100000" 300 "$T/err"
validate_json "$T/r.json"
pid=$(json_eval "$T/r.json" 0 'r.processes.find(x => x.comm == "hostile_futex").pid')
expect_eq "lost events" "$(json_eval "$T/r.json" "$pid" 'r.capture.lost_events')" 0
futex=$(json_eval "$T/r.json" "$pid" 'p.syscalls.find(s => s.name == "futex").calls')
[ "$futex" -gt $((2 * N)) ] || fail "futex calls: $futex, want more than $((2 * N)) (hot_lock contended)"
expect_eq "futex calls in the lock table" "$(json_eval "$T/r.json" "$pid" 'p.futex_calls')" "$futex"
# every call is a wait attempt or a wake, on a kept record or on the more one
all='p.locks_user.concat([p.locks_user_more])'
expect_eq "wait attempts and wakes over all records" \
	"$(json_eval "$T/r.json" "$pid" "sum($all, l => l.waits + l.eagain + l.timeouts + l.other + l.wake_calls)")" "$futex"
# the N array addresses: an EAGAIN and a wake each, wherever they are counted
array=$(awk '/^array / { print $2 }' "$T/out")
expect_eq "array addresses in the more record" \
	"$(json_eval "$T/r.json" "$pid" "p.locks_user_more.addresses + p.locks_user.filter(l => { const a = BigInt(l.address) - BigInt(\"$array\"); return a >= 0n && a < BigInt(4 * $N); }).length")" $N
expect_range "futex addresses kept" "$(json_eval "$T/r.json" "$pid" 'p.locks_user.length')" 1 4096
expect_eq "more: exact count" "$(json_eval "$T/r.json" "$pid" 'p.locks_user_more.addresses_exact')" true
# hot_lock: kept, named, first
expect_eq "first lock" "$(json_eval "$T/r.json" "$pid" 'p.locks_user[0].name + " " + p.locks_user[0].address')" \
	"hot_lock $(awk '/^hot_lock / { print $2 }' "$T/out")"
# measured 80-140 MB peak RSS (3 runs; most of it the engine's reads of
# 0.6-1M events, which varies with the load; 320-336 MB before the caps);
# 256 MB leaves 1.8x headroom and fails the old code
expect_rss_below "hostile_futex $N" 262144 "$(wl_rss "$WL/hostile_futex" $N 4 1000)"
exit 0
