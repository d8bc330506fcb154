#!/bin/bash
# Huge fd numbers and forks: hostile_fds 64 reads from fd 1048575 and
# 2147483647 (EBADF), dup2s /dev/null onto the highest fd its hard limit
# allows and forks 64 children that write there once and read fd 1048575
# once each.  The fd table was dense up to the highest fd number seen,
# copied per fork: 1.09 GB peak RSS (measured before the fix).  Now EBADF
# on a never-opened fd creates no fd state and fds >= 1024 live in a hash:
# bounded RSS, and every count exact.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_hostile.sh"

measured 120 "$T/out" "$T/err" run -o "$T/report" -- "$WL/hostile_fds" 64
expect_finished "run hostile_fds 64" 120 "$T/report"
high=$(awk '/^high / { print $2 }' "$T/out")
[ -n "$high" ] || { show "$T/out"; fail "the workload printed no 'high N'"; }
expect_eq "lost events" "$(lost_events "$T/report")" 0 "$T/report"
pids=$(pids_named "$T/report" hostile_fds)
expect_eq "hostile_fds processes" "$(printf '%s\n' "$pids" | grep -c .)" 65 "$T/report"
parent=$(printf '%s\n' "$pids" | head -n 1)
# errors column of SYSCALL's row in PID's table
errors() { pid_section "$T/report" "$1" | awk -v n="$2" '$1 == n { print $3; exit }'; }
# the parent: 2 writes (the high fd, stdout), 1 dup2, 2 failed reads (EBADF)
expect_eq "parent writes" "$(sc_count "$T/report" "$parent" write)" 2 "$T/report"
expect_eq "parent dup2" "$(sc_count "$T/report" "$parent" dup2)" 1 "$T/report"
expect_eq "parent failed reads" "$(errors "$parent" read)" 2 "$T/report"
expect_eq "parent clone" "$(sc_count "$T/report" "$parent" clone)" 64 "$T/report"
# the high fd is /dev/null, found through the hash; no object for a bad fd
io=$(pid_section "$T/report" "$parent" | awk '/I\/O by object/ { on = 1; next } on && /^$/ { exit } on')
printf '%s\n' "$io" | grep -q 'unresolved' && { show "$T/report" 80; fail "an object for a never-opened fd"; }
expect_eq "parent writes on /dev/null" \
	"$(printf '%s\n' "$io" | awk '$1 == "dev" && $2 == "/dev/null" { print $5 }')" 1 "$T/report"
# each child: 1 write on the inherited high fd (/dev/null), 1 failed read
for p in $(printf '%s\n' "$pids" | tail -n +2); do
	expect_eq "child $p writes" "$(sc_count "$T/report" "$p" write)" 1 "$T/report"
	expect_eq "child $p failed reads" "$(errors "$p" read)" 1 "$T/report"
	expect_eq "child $p objects" "$(pid_section "$T/report" "$p" |
		awk '/I\/O by object/ { on = 1; getline; next } on && /^$/ { exit } on { print $1, $2, $5 }')" \
		"dev /dev/null 1" "$T/report"
done
# measured 26 MB peak RSS (3 runs: 25.8-26.3 MB; 1.09 GB before the fix);
# 64 MB leaves 2.4x headroom and is 17 times below the old peak
expect_rss_below "hostile_fds 64" 65536 "$(wl_rss "$WL/hostile_fds" 64)"
exit 0
