#!/bin/bash
# mutex_storm 4 200000 (4 threads fighting over the global hot_lock): exactly
# one [hot lock] finding, naming hot_lock (mutex) by its symbol, with its
# waiters and holders among the 4 workers; uncontended locking: no finding
# of the lock detectors at all.
# (200000 rounds, as t_locks: long enough for the lock to be named from
# /proc/PID/maps while the process lives; a process gone within one
# drain period can keep only the address.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_findings.sh"

ilp run -o "$T/report" -- "$WL/mutex_storm" 4 200000 > "$T/out" 2> "$T/err"
rc=$?
[ $rc -eq 0 ] || { show "$T/err"; show "$T/report"; fail "exit status $rc, want 0"; }
n=$(findings "$T/report" | grep -c '^\[hot lock\]')
expect_eq "hot lock findings" "$n" 1 "$T/report"
line=$(findings "$T/report" | grep '^\[hot lock\]')
printf '%s\n' "$line" | grep -Eqx '\[hot lock\] lock hot_lock \(mutex, 0x[0-9a-f]+\): [0-9]+ contended waits' ||
	{ show "$T/report"; fail "finding line: '$line'"; }
addr=$(awk '{ print $2 }' "$T/out")
printf '%s\n' "$line" | grep -q "(mutex, $addr)" || { show "$T/report"; fail "address is not $addr: '$line'"; }
blk=$(finding_block "$T/report" "hot lock")
printf '%s\n' "$blk" | grep -Eq 'waiters \(tid x waits\): [0-9]+ x[0-9]+' || { show "$T/report"; fail "waiters"; }
printf '%s\n' "$blk" | grep -Eq 'woken by \(the holders\): [0-9]+ x[0-9]+' || { show "$T/report"; fail "holders"; }
printf '%s\n' "$blk" | grep -q 'why: [0-9]* waits >= 10 (--lock-min) and ' || { show "$T/report"; fail "why line"; }
printf '%s\n' "$blk" | grep -q 'fix: shorten the critical section' || { show "$T/report"; fail "fix line"; }
# the finding's wait count is the Locks (user) table's waits + timeouts
waits=$(printf '%s\n' "$line" | sed -E 's/.*: ([0-9]+) contended waits/\1/')
row=$(awk '/^== Locks \(user\) ==/ { on = 1; next } /^== / { on = 0 } on && $1 == "hot_lock"' "$T/report")
read -r _ _ tw _ tt _ <<< "$row"
expect_eq "waits in finding vs table" "$waits" "$((tw + tt))" "$T/report"

ilp run -o "$T/report2" -- "$WL/uncontended" 1000000 > /dev/null 2> "$T/err2"
rc=$?
[ $rc -eq 0 ] || { show "$T/err2"; show "$T/report2"; fail "uncontended: exit status $rc"; }
n=$(findings "$T/report2" | grep -c '^\[hot lock\]\|^\[kernel lock\]')
expect_eq "uncontended: lock findings" "$n" 0 "$T/report2"
ilp run --format json -o "$T/report.json" -- "$WL/mutex_storm" 4 200000 > /dev/null 2> "$T/err" ||
	{ show "$T/err"; fail "json run failed"; }
check_sum_rule "$T/report.json"
exit 0
