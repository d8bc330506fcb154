#!/bin/bash
# tracefs: not needed (runs when instance creation is broken; see run.sh)
# Locks under the ptrace backend (as root, --backend=ptrace): mutex_storm's
# futex calls still make the Locks (user) section - hot_lock's address as
# the top lock, waits, wake calls by its worker threads, every futex call
# accounted - and the section says wakers come from FUTEX_WAKE calls only;
# Disk I/O, Locks (kernel) and the off-CPU part of Blocking calls say they
# are not available with the ptrace backend instead of "none".
. "$(dirname "$0")/lib.sh"
na='not available with the ptrace backend (no block/lock/sched tracepoints)'

ilp run --backend=ptrace -o "$T/report" -- "$WL/mutex_storm" 4 200000 > "$T/out" 2> "$T/err"
rc=$?
[ $rc -eq 0 ] || { show "$T/err"; show "$T/report"; fail "exit status $rc, want 0"; }
grep -qx 'backend:  ptrace' "$T/report" || { show "$T/report"; fail "report does not say backend: ptrace"; }
pid=$(pids_named "$T/report" mutex_storm)
[ -n "$pid" ] || { show "$T/report"; fail "no mutex_storm section"; }
first() { awk -v h="$1" '$0 == h { getline; print; exit }' "$T/report"; }
expect_eq "Disk I/O under ptrace" "$(first '== Disk I/O ==')" "$na" "$T/report"
expect_eq "Locks (kernel) under ptrace" "$(first '== Locks (kernel) ==')" "$na" "$T/report"
expect_eq "Blocking calls under ptrace" "$(first '== Blocking calls ==')" "off-CPU time: $na" "$T/report"
expect_eq "Locks (user) under ptrace" "$(first '== Locks (user) ==')" \
	"from the futex syscalls; wakers from FUTEX_WAKE calls only (the ptrace backend sees no sched_waking)" "$T/report"

addr=$(awk '{ print $2 }' "$T/out")
futex=$(sc_count "$T/report" "$pid" futex)
[ "$futex" -gt 0 ] || { show "$T/report"; fail "no futex call counted: the lock was not contended"; }
sec=$(awk '/^== Locks \(user\) ==/ { on = 1; next } /^== / { on = 0 } on' "$T/report")
hdr=$(grep "^pid $pid (mutex_storm)" <<< "$sec")
[ -n "$hdr" ] || { show "$T/report" 200; fail "no Locks (user) entry for pid $pid"; }
expect_eq "futex calls in Locks (user)" "$(sed 's/.*futex calls: //' <<< "$hdr")" "$futex" "$T/report"
expect_eq "top lock address" "$(awk '/address 0x/ { print $2; exit }' <<< "$sec")" "$addr" "$T/report"
top=$(awk '$1 == "lock" && $2 == "kind" { getline; print; exit }' <<< "$sec")
set -- $top
expect_eq "kind of the top lock" "$2" mutex "$T/report"
waits=$3 wakes=$7
[ "$waits" -gt 0 ] && [ "$wakes" -gt 0 ] || { show "$T/report" 200; fail "top lock: waits $waits, wake calls $wakes"; }
grep -q 'woken by (sched_waking)' <<< "$sec" && { show "$T/report" 200; fail "sched_waking wakers under ptrace"; }
wl=$(awk '/waiters \(tid x waits\):/ { for (i = 5; i <= NF; i += 2) print $i; exit }' <<< "$sec")
kl=$(awk '/wake calls by:/ { for (i = 4; i <= NF; i += 2) print $i; exit }' <<< "$sec")
[ -n "$wl" ] && [ -n "$kl" ] || { show "$T/report" 200; fail "top lock: waiters '$wl' or wake callers '$kl' missing"; }
for t in $wl $kl; do
	[ "$t" -gt "$pid" ] && [ "$t" -le $((pid + 64)) ] ||
		{ show "$T/report" 200; fail "thread $t is not one of mutex_storm's workers (pid $pid)"; }
done
exit 0
