#!/bin/bash
# Blocking calls: pipe_block's parent reads a pipe that its child writes
# after 400 ms: the read is off-CPU in S state for ~400 ms on that fd, listed
# as the top blocking call and as a slow call (--slow 200).
. "$(dirname "$0")/lib.sh"

ilp run --slow 200 -o "$T/report" -- "$WL/pipe_block" 400 > "$T/out" 2> "$T/err"
rc=$?
[ $rc -eq 0 ] || { show "$T/err"; show "$T/report"; fail "exit status $rc, want 0"; }
fd=$(awk '{ print $2 }' "$T/out")
pids=$(pids_named "$T/report" pipe_block)
pid=$(printf '%s\n' $pids | head -n 1)	# the parent: the lower pid
sec=$(awk '/^== Blocking calls ==/ { on = 1; next } /^== / { on = 0 } on' "$T/report")
blk=$(awk -v pid="$pid" '/^pid / { on = ($2 == pid) } on' <<< "$sec")
[ -n "$blk" ] || { show "$T/report" 200; fail "no Blocking calls entry for pid $pid"; }
# "  PID  read  1  TOTAL  OFF-S  OFF-D  OFF-R  MAX  fd:N (pipe ...)"
row=$(awk -v pid="$pid" '$1 == pid && $2 == "read" { print; exit }' <<< "$blk")
[ -n "$row" ] || { show "$T/report" 200; fail "no blocking read of tid $pid"; }
read -r _ _ calls tot tu offs ou offd du _ <<< "$row"
expect_eq "blocking read calls" "$calls" 1 "$T/report"
# off-S in ms between 390 and 1000; off-D zero
case "$ou" in
ms) v=${offs%.*} ;;
s) v=$(awk -v x="$offs" 'BEGIN { printf "%d", x * 1000 }') ;;
*) v=0 ;;
esac
expect_range "read off-CPU S time (ms)" "$v" 390 1000 "$T/report"
expect_eq "read off-CPU D time" "$offd $du" "0 ns" "$T/report"
grep -q "fd:$fd (pipe" <<< "$row" || { show "$T/report" 200; fail "read object is not 'fd:$fd (pipe ...)': $row"; }
# listed as a slow call with its start time
slow=$(awk '/slow calls \(>= 200 ms\)/ { on = 1; next } on && $4 == "read" { print; exit }' <<< "$blk")
[ -n "$slow" ] || { show "$T/report" 200; fail "the read is not listed as a slow call"; }
grep -q "^  +[0-9.]* [mun]*s " <<< "$slow" || fail "slow call has no start time: $slow"
# the child's nanosleep: S on a timer
child=$(printf '%s\n' $pids | tail -n 1)
grep -Eq "^  $child +clock_nanosleep +1 .* timer$" <<< "$sec" ||
	{ show "$T/report" 200; fail "child's nanosleep not a blocking call on a timer"; }
exit 0
