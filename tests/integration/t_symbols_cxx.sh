#!/bin/bash
# C++ names: cache_storm 4 200000 (4 threads on app::Cache::mu_, a
# std::mutex member at offset 8 of the global app::g_cache).  The Locks
# (user) table, the [hot lock] finding and the JSON report name the lock
# app::Cache::mu_ (the member DWARF puts at that offset, not
# _ZN3app7g_cacheE+0x8), at the address the workload prints; under
# --backend=ptrace --stacks the futex calls' call site is
# app::Cache::get(int), demangled, with its line in cache_storm.cc, and
# the futex calls made from it are exactly the futex calls on the lock.
# (--all --min-saving 0 --lock-min 1 --lock-pct 0: the names are checked,
# not whether a fast machine makes the lock hot enough for a finding.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_findings.sh"
src=$(cd "$(dirname "$0")/../workloads" && pwd)/cache_storm.cc
cut=(--all --min-saving 0 --lock-min 1 --lock-pct 0)

# locks_row REPORT PID: the first mutex row of pid's Locks (user) part
# ("name kind waits eagain timeouts other wakes ..."), then its address
locks_row() {
	awk -v pid="$2" '/^== Locks \(user\) ==/ { on = 1; next } /^== / { on = 0 }
		on && $1 == "pid" { mine = ($2 == pid) } on && mine && $2 == "mutex" { print; getline; print $2; exit }' "$1"
}

# --- text: the table and the finding ---
ilp run "${cut[@]}" -o "$T/report" -- "$WL/cache_storm" 4 200000 > "$T/out" 2> "$T/err"
rc=$?
[ $rc -eq 0 ] || { show "$T/err"; show "$T/report"; fail "exit status $rc, want 0"; }
pid=$(pids_named "$T/report" cache_storm)
[ -n "$pid" ] || { show "$T/report"; fail "no cache_storm section"; }
addr=$(awk '$1 == "app::Cache::mu_" { print $2 }' "$T/out")
[ -n "$addr" ] || { show "$T/out"; fail "cache_storm printed no address"; }
row=$(locks_row "$T/report" "$pid")
set -- $row
expect_eq "Locks (user): the mutex" "$1 $2" "app::Cache::mu_ mutex" "$T/report"
expect_eq "Locks (user): its address" "${!#}" "$addr" "$T/report"
line=$(findings "$T/report" | grep '^\[hot lock\]')
printf '%s\n' "$line" | grep -Eqx "\[hot lock\] lock app::Cache::mu_ \(mutex, $addr\): [0-9]+ contended waits" ||
	{ show "$T/report"; fail "finding line: '$line'"; }
grep -q '_ZN' "$T/report" && { show "$T/report"; fail "a mangled name in the report"; }

# --- json: the lock's name and the finding's object ---
ilp run "${cut[@]}" --format json -o "$T/report.json" -- "$WL/cache_storm" 4 200000 > "$T/out" 2> "$T/err" ||
	{ show "$T/err"; fail "json run failed"; }
addr=$(awk '$1 == "app::Cache::mu_" { print $2 }' "$T/out")
expect_eq "json: the lock at $addr" "$(jq -r --arg a "$addr" \
	'[.processes[] | select(.comm == "cache_storm") | .locks_user[] | select(.address == $a) | .name] | join(",")' \
	"$T/report.json")" "app::Cache::mu_" "$T/report.json"
expect_eq "json: the hot lock finding's object" "$(jq -r \
	'[.findings[] | select(.label == "hot lock") | .object] | unique | join(",")' \
	"$T/report.json")" "futex app::Cache::mu_" "$T/report.json"

# --- ptrace --stacks: the call site, demangled; its calls are the lock's ---
ilp run --backend=ptrace --stacks "${cut[@]}" --format json -o "$T/k.json" -- "$WL/cache_storm" 4 200000 \
	> "$T/out" 2> "$T/err" || { show "$T/err"; fail "ptrace --stacks run failed"; }
addr=$(awk '$1 == "app::Cache::mu_" { print $2 }' "$T/out")
q='.processes[] | select(.comm == "cache_storm")'
lock=$(jq -r --arg a "$addr" "$q"' | .locks_user[] | select(.address == $a) |
	"\(.name) \(.waits + .eagain + .timeouts + .other + .wake_calls)"' "$T/k.json")
set -- $lock
expect_eq "ptrace: the lock's name" "$1" "app::Cache::mu_" "$T/k.json"
calls=$2
[ "$calls" -gt 0 ] || fail "ptrace: no futex call on the lock"
lf=$(grep -n 'CALL SITE get' "$src" | cut -d: -f1)
# the sites of futex calls in app::Cache::get(int): its own lines (the
# std::mutex calls inlined there have their headers' lines)
sites=$(jq -r "$q"' | .call_sites[] | select(.syscall == "futex") | .site' "$T/k.json" | sort -u)
grep -q '^app::Cache::get(int) (' <<< "$sites" ||
	{ printf '%s\n' "$sites" >&2; fail "ptrace: no futex call site in app::Cache::get(int)"; }
grep -q '_ZN' <<< "$sites" && { printf '%s\n' "$sites" >&2; fail "ptrace: a mangled call site"; }
from_get=$(jq "[$q"' | .call_sites[] | select(.syscall == "futex" and (.site | startswith("app::Cache::get(int) ("))) | .calls] | add' "$T/k.json")
expect_eq "ptrace: futex calls from app::Cache::get(int) = futex calls on the lock" "$from_get" "$calls" "$T/k.json"
# and the frame under them is main's lambda, in cache_storm.cc
jq -r "$q"' | .call_sites[] | select(.site | startswith("app::Cache::get(int) (")) | .frames[]' "$T/k.json" |
	grep -q "(cache_storm.cc:" || fail "ptrace: no frame in cache_storm.cc under app::Cache::get(int)"
[ -n "$lf" ] || fail "no CALL SITE get line in $src"
exit 0
