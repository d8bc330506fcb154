#!/bin/bash
# backend: any (run.sh runs it under ptrace too when tracefs is unusable)
# iolockprof diff:
#  - handcrafted reports (tests/fixtures/diff_base.json, diff_slower.json):
#    exact output (tests/fixtures/diff_slower.txt), exit 1 with
#    --fail-above 20, exit 0 the other way round and without the gate;
#  - live: naps 5 2000 (base) vs naps 5 6000 (3x longer sleeps, same comm):
#    a run against itself is "no change", exit 0; against the slower run the
#    nanosleep entry is flagged and the exit is 1;
#  - live, run-specific names: two runs of pipe_block 500 (a read blocked
#    500 ms on a new pipe each run, pipe:[INODE]) are matched, pipe against
#    pipe, not listed as one gone and one new; exit 0 with --fail-above 50
#    (500 ms: the noise floor, 1 % of the total, is above execve's jitter);
#  - bad input: one line with file and line:column, exit 2.
. "$(dirname "$0")/lib.sh"

fx=$(cd "$(dirname "$0")/../fixtures" && pwd)

# ---- fixtures ----
(cd "$fx" && "$ILP" diff --fail-above 20 diff_base.json diff_slower.json) > "$T/out" 2> "$T/err"
rc=$?
expect_eq "fixtures: exit with --fail-above 20" "$rc" 1 "$T/err"
diff -u "$fx/diff_slower.txt" "$T/out" >&2 || fail "fixtures: output differs from diff_slower.txt"
[ -s "$T/err" ] && { show "$T/err"; fail "fixtures: stderr not empty"; }
"$ILP" diff "$fx/diff_base.json" "$fx/diff_slower.json" > "$T/out" 2>&1
expect_eq "fixtures: exit without --fail-above" "$?" 0 "$T/out"
"$ILP" diff --fail-above 20 "$fx/diff_slower.json" "$fx/diff_base.json" > "$T/out" 2>&1
expect_eq "fixtures: exit when faster" "$?" 0 "$T/out"
grep -q '^OK: nothing regressed by more than 20%$' "$T/out" || { show "$T/out"; fail "fixtures: no OK line"; }
# 5% of the write regression (+3.3%) is under the gate; app total is not
"$ILP" diff --fail-above=60 "$fx/diff_base.json" "$fx/diff_slower.json" > "$T/out" 2>&1
expect_eq "fixtures: exit with --fail-above=60 (fsync +120%, newbie new)" "$?" 1 "$T/out"
expect_eq "fixtures: regressions above 60%" "$(grep -c 'REGRESSION$' "$T/out")" 3 "$T/out"

# ---- bad input ----
head -c 200 "$fx/diff_base.json" > "$T/trunc.json"
"$ILP" diff "$T/trunc.json" "$fx/diff_base.json" > "$T/out" 2> "$T/err"
expect_eq "truncated input: exit" "$?" 2 "$T/err"
expect_one_line "truncated input" "$T/err"
grep -qE "trunc.json: [0-9]+:[0-9]+: " "$T/err" || { show "$T/err"; fail "truncated input: no line:column"; }
echo '{"schema_version": 99, "processes": []}' > "$T/v99.json"
"$ILP" diff "$fx/diff_base.json" "$T/v99.json" > "$T/out" 2> "$T/err"
expect_eq "schema_version 99: exit" "$?" 2 "$T/err"
expect_one_line "schema_version 99" "$T/err"
"$ILP" diff "$fx/diff_base.json" "$T/missing.json" > "$T/out" 2> "$T/err"
expect_eq "missing file: exit" "$?" 2 "$T/err"
expect_one_line "missing file" "$T/err"
"$ILP" diff --fail-above x "$fx/diff_base.json" "$fx/diff_base.json" > "$T/out" 2> "$T/err"
expect_eq "--fail-above x: exit" "$?" 2 "$T/err"
expect_one_line "--fail-above x" "$T/err"
"$ILP" diff "$fx/diff_base.json" > "$T/out" 2> "$T/err"
expect_eq "one file: exit" "$?" 2 "$T/err"

# ---- live ----
[ -x "$WL/naps" ] || fail "$WL/naps missing (make workloads)"
ilp run --format json -o "$T/base.json" -- "$WL/naps" 5 2000 2> "$T/err" ||
	{ show "$T/err"; fail "run naps 5 2000 failed"; }
ilp run --format json -o "$T/slow.json" -- "$WL/naps" 5 6000 2> "$T/err" ||
	{ show "$T/err"; fail "run naps 5 6000 failed"; }
"$ILP" diff --fail-above 20 "$T/base.json" "$T/base.json" > "$T/out" 2>&1
expect_eq "self-diff: exit" "$?" 0 "$T/out"
grep -qx 'no change' "$T/out" || { show "$T/out"; fail "self-diff: no 'no change' line"; }
grep -q '^note:' "$T/out" && { show "$T/out"; fail "self-diff: a thresholds note"; }
# the JSON "thresholds" block comes from the option table: the values the
# analysis ran with, ms options in ns; diff names each one that differs
expect_eq "thresholds: --slow in the JSON report" \
	"$(jq -c '.thresholds.slow' "$T/base.json")" '{"value":100000000,"unit":"ns"}'
expect_eq "thresholds: entries, in the option table's order" \
	"$(jq -r '.thresholds | keys_unsorted | join(",")' "$T/base.json")" \
	"loop-min,min-ops,small-bytes,nplus1-min,repeat-min,fsync-min,random-pct,lock-min,lock-pct,lock-ms,slow,min-saving"
ilp run --slow 50 --min-ops 10 --format json -o "$T/th.json" -- "$WL/naps" 5 2000 2> "$T/err" ||
	{ show "$T/err"; fail "run --slow 50 --min-ops 10 naps failed"; }
"$ILP" diff "$T/base.json" "$T/th.json" > "$T/out" 2>&1
expect_eq "thresholds: exit" "$?" 0 "$T/out"
expect_eq "thresholds: notes" "$(grep '^note:' "$T/out")" \
"note: --min-ops differs: 1000 -> 10 (findings are looked for with different thresholds)
note: --slow differs: 100 ms -> 50 ms (findings are looked for with different thresholds)"
"$ILP" diff --fail-above 20 "$T/base.json" "$T/slow.json" > "$T/out" 2>&1
rc=$?
expect_eq "slower run: exit with --fail-above 20" "$rc" 1 "$T/out"
grep -qE '^syscall +.*naps: nanosleep  REGRESSION$' "$T/out" ||
	{ show "$T/out"; fail "slower run: nanosleep not flagged"; }
grep -qE '^total syscall time: .*REGRESSION$' "$T/out" ||
	{ show "$T/out"; fail "slower run: total not flagged"; }

for i in 1 2; do
	ilp run --format json -o "$T/pb$i.json" -- "$WL/pipe_block" 500 > /dev/null 2> "$T/err" ||
		{ show "$T/err"; fail "run pipe_block 500 failed"; }
done
"$ILP" diff --fail-above 50 "$T/pb1.json" "$T/pb2.json" > "$T/out" 2>&1; rc=$?
[ $rc -eq 0 ] || { show "$T/out"; fail "rerun with new pipe inodes: exit $rc with --fail-above 50, want 0"; }
grep -E ' (new|gone) ' "$T/out" | grep -qE 'pipe pipe|\(pipe ' &&
	{ show "$T/out"; fail "rerun: a pipe is listed as new or gone"; }
grep -qE '^(object|blocking) .*pipe_block: (pipe pipe|read fd:3 \(pipe pipe):\[\*\]' "$T/out" ||
	grep -q '^no change$' "$T/out" || { show "$T/out"; fail "rerun: the pipe's entries are not matched as pipe:[*]"; }
exit 0
