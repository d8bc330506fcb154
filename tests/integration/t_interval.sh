#!/bin/bash
# --interval:
#  - attach --interval 1 -d 3: at least 2 interim reports, then the final one.
#  - run --interval 0.5 --format json -- naps 10 200000 (10 nanosleeps of
#    200 ms, 2 s): each interim file FILE.N holds the nanosleeps completed in
#    its interval (capture.cumulative false, interval N, windows contiguous
#    from start_ns): every nanosleep the file counts is one of its kept
#    calls, no call is in two interim files, every one is among the final
#    report's 10, the ones in none (the tail) started in the last interval
#    or after, and the interim counts plus the tail make exactly 10; the
#    final FILE holds all 10.  The files validate against the schema (when
#    ajv is installable).
#  - the same with --cumulative: interim counts never decrease, each file
#    is cumulative, the final holds 10.
#  - text: "interim report N, interval +A to +B" headers, N = 1, 2, ...
. "$(dirname "$0")/lib.sh"
export LC_ALL=C

start_sleeper s 30
ilp attach --interval 1 -d 3 "$s" > "$T/out" 2> "$T/err"
rc=$?
[ $rc -eq 0 ] || { show "$T/err"; fail "exit status $rc, want 0"; }
n=$(cat "$T/out" "$T/err" | grep -c 'interim report')
[ "$n" -ge 2 ] || { show "$T/err" 100; fail "$n 'interim report' lines in the output, want >= 2"; }
[ -n "$(pid_section "$T/err" "$s")" ] || { show "$T/err" 100; fail "no section for sleeper $s"; }
kill "$s"

# nanosleep calls completed, in a JSON report
naps_calls() {
	jq '[.processes[].syscalls[] | select(.name == "nanosleep") | .calls] | add // 0' "$1"
}
# the nanosleeps a JSON report kept, one start_ns per line
naps_kept() {
	jq -r '.processes[].top_calls.calls[] | select(.syscall == "nanosleep") | .start_ns' "$1" | sort
}
# the number of interim files FILE.1, FILE.2, ... (contiguous)
nfiles() {
	local i=0
	while [ -e "$1.$((i + 1))" ]; do i=$((i + 1)); done
	echo "$i"
}

# ---- per interval (the default) ----
ilp run --interval 0.5 --format json -o "$T/n.json" -- "$WL/naps" 10 200000 2> "$T/nerr" ||
	{ show "$T/nerr"; fail "run --interval 0.5 --format json failed"; }
n=$(nfiles "$T/n.json")
expect_range "run --interval 0.5 over 2 s: interim files" "$n" 3 5 "$T/nerr"
[ -e "$T/n.json.$((n + 2))" ] && fail "a gap in the interim files"
expect_eq "final: nanosleep calls" "$(naps_calls "$T/n.json")" 10 "$T/n.json"
expect_eq "final: cumulative" "$(jq .capture.cumulative "$T/n.json")" true
expect_eq "final: interval" "$(jq .capture.interval "$T/n.json")" null
expect_eq "final: window from the start" \
	"$(jq '.capture.window_start_ns == .capture.start_ns' "$T/n.json")" true
naps_kept "$T/n.json" > "$T/all"
expect_eq "final: its 10 nanosleeps kept" "$(wc -l < "$T/all")" 10
sum=0
prev_end=$(jq .capture.start_ns "$T/n.json")
: > "$T/seen"
for i in $(seq "$n"); do
	f="$T/n.json.$i"
	expect_eq "$f: interim" "$(jq .capture.interim "$f")" true
	expect_eq "$f: cumulative" "$(jq .capture.cumulative "$f")" false
	expect_eq "$f: interval" "$(jq .capture.interval "$f")" "$i"
	expect_eq "$f: starts where the last one ended" "$(jq .capture.window_start_ns "$f")" "$prev_end"
	expect_eq "$f: duration is its window" \
		"$(jq '.capture.duration_ns == .capture.window_end_ns - .capture.window_start_ns' "$f")" true
	prev_end=$(jq .capture.window_end_ns "$f")
	c=$(naps_calls "$f")
	naps_kept "$f" > "$T/kept.$i"
	expect_eq "$f: its nanosleeps are its kept ones" "$(wc -l < "$T/kept.$i")" "$c" "$f"
	[ -z "$(comm -12 "$T/seen" "$T/kept.$i")" ] || fail "$f: a nanosleep counted in an earlier interval too"
	[ -z "$(comm -23 "$T/kept.$i" "$T/all")" ] || fail "$f: a nanosleep the final report does not have"
	sort -m "$T/seen" "$T/kept.$i" > "$T/seen.new" && mv "$T/seen.new" "$T/seen"
	sum=$((sum + c))
done
last_start=$(jq .capture.window_start_ns "$T/n.json.$n")
tail_n=0
for st in $(comm -23 "$T/all" "$T/seen"); do
	[ "$st" -ge "$last_start" ] || fail "nanosleep started at $st is in no interim report and before the last interval"
	tail_n=$((tail_n + 1))
done
expect_eq "interim nanosleeps + the tail's" "$((sum + tail_n))" 10
expect_range "nanosleeps in the interim reports" "$sum" 1 10

# the schema, when ajv can be had (t_formats.sh skips without it)
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "$(dirname "$ILP")" && pwd)
export ILP_NODE_DIR="$build/node"
if command -v node >/dev/null 2>&1 &&
   sh "$root/scripts/install-node-deps.sh" "$build" > "$T/npm.log" 2>&1; then
	for f in "$T/n.json.1" "$T/n.json"; do
		node "$here/validate-json.mjs" "$root/docs/report.schema.json" "$f" > "$T/val" 2>&1 ||
			{ show "$T/val"; fail "$f does not validate against docs/report.schema.json"; }
	done
else
	note "ajv not installable: the schema check is left to t_formats.sh"
fi

# ---- --cumulative ----
ilp run --interval 0.5 --cumulative --format json -o "$T/c.json" -- "$WL/naps" 10 200000 2> "$T/cerr" ||
	{ show "$T/cerr"; fail "run --interval 0.5 --cumulative failed"; }
n=$(nfiles "$T/c.json")
expect_range "--cumulative: interim files" "$n" 3 5 "$T/cerr"
prev=0
for i in $(seq "$n"); do
	f="$T/c.json.$i"
	expect_eq "$f: cumulative" "$(jq .capture.cumulative "$f")" true
	expect_eq "$f: interval" "$(jq .capture.interval "$f")" "$i"
	expect_eq "$f: window from the start" \
		"$(jq '.capture.window_start_ns == .capture.start_ns' "$f")" true
	c=$(naps_calls "$f")
	expect_range "$f: nanosleeps so far (never fewer)" "$c" "$prev" 10 "$f"
	prev=$c
done
expect_eq "--cumulative final: nanosleep calls" "$(naps_calls "$T/c.json")" 10 "$T/c.json"

# ---- text: the header says the interval ----
ilp run --interval 0.5 -o "$T/t.txt" -- "$WL/naps" 10 200000 2> "$T/terr" ||
	{ show "$T/terr"; fail "run --interval text failed"; }
grep -o 'interim report [0-9]*, interval +[^ ]* [^ ]* to +[^ ]* [a-z]*' "$T/t.txt" > "$T/heads"
n=$(wc -l < "$T/heads")
expect_range "text: interval headers" "$n" 3 5 "$T/t.txt"
expect_eq "text: numbered 1.." "$(sed 's/interim report \([0-9]*\),.*/\1/' "$T/heads" | tr '\n' ' ')" \
	"$(seq -s ' ' "$n") "
expect_eq "text: the first from +0 s" "$(head -1 "$T/heads" | sed 's/.*interval \(+[^ ]* [^ ]*\) to.*/\1/')" "+0 s"
grep -c 'interim report at' "$T/t.txt" | grep -qx 0 || fail "text: a cumulative header without --cumulative"
exit 0
