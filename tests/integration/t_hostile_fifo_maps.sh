#!/bin/bash
# A tracee that lays a trap for lock naming: it maps a copy of its own
# executable, deletes it and creates a FIFO named "<copy> (deleted)", the
# name its /proc/PID/maps shows for the mapping; then 4 threads contend
# hot_lock (a global) and heap_lock (malloc'd: in no ELF file, so naming
# looks at every file mapping).  Opening that name blocks forever in
# open(2) (no writer ever comes) and only SIGKILL ended the profiler,
# leaving its instance.  Now it ends by itself, names both locks, and its
# peak RSS stays bounded.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_hostile.sh"

mkdir "$T/trap" || fail "mkdir"
measured 120 "$T/out" "$T/err" run -o "$T/report" -- "$WL/hostile_fifo_maps" "$T/trap" 4 100000
expect_finished "run on a tracee with a FIFO in its maps" 120 "$T/report"
[ -p "$T/trap/lib.so (deleted)" ] && fail "the workload did not finish (its FIFO is still there)"
pid=$(pids_named "$T/report" hostile_fifo_ma)
[ -n "$pid" ] || { show "$T/report"; fail "no hostile_fifo_maps section"; }
expect_eq "lost events" "$(lost_events "$T/report")" 0 "$T/report"
sec=$(locks_user "$T/report")
hot=$(awk '/^hot_lock / { print $2 }' "$T/out")
heap=$(awk '/^heap_lock / { print $2 }' "$T/out")
# both locks named: hot_lock by its symbol, heap_lock by its mapping
row=$(awk -v a="$hot" '$1 == "address" && $2 == a { print prev } { prev = $1 }' <<< "$sec")
expect_eq "name of the lock at $hot" "$row" hot_lock "$T/report"
row=$(awk -v a="$heap" '$1 == "address" && $2 == a { print prev } { prev = $1 }' <<< "$sec")
printf '%s\n' "$row" | grep -Eqx '\[heap\]\+0x[0-9a-f]+' ||
	{ show "$T/report" 200; fail "lock at $heap: named '$row', want [heap]+0x..."; }
# 4 x 100000 x 2 lock rounds: each lock is contended, every futex call counted
futex=$(sc_count "$T/report" "$pid" futex)
expect_eq "futex calls in Locks (user)" \
	"$(grep "^pid $pid " <<< "$sec" | sed 's/.*futex calls: //')" "$futex" "$T/report"
# measured 32-67 MB peak RSS over 10 runs (most of it the engine's ring
# buffer reads: 150k events in 0.2 s); 128 MB leaves 1.9x headroom
expect_rss_below "hostile_fifo_maps" 131072 "$(wl_rss "$WL/hostile_fifo_maps" "$T/trap" 1 1)"
exit 0
