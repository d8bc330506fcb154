#!/bin/bash
# io_txn 300 DIR (a transaction per statement against a journal: open,
# pwrite x10, fdatasync x2, close, unlink, fsync of the directory; 300
# times): exactly one finding, the [loop] group, with its exact iteration
# count and sequence; inside it the journal's [repeat] and [fsync storm]
# and the directory's [fsync storm]; the savings add up (sum rule, JSON).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_findings.sh"

d="$T/db"
mkdir "$d" || fail "mkdir $d"
ilp run -o "$T/report" -- "$WL/io_txn" 300 "$d" 2> "$T/err"
rc=$?
[ $rc -eq 0 ] || { show "$T/err"; show "$T/report"; fail "exit status $rc, want 0"; }
expect_findings "$T/report" 1
line=$(findings "$T/report")
dq=$(printf '%s' "$d" | sed 's/[][\.*^$/+?(){}|]/\\&/g')
printf '%s\n' "$line" | grep -Eqx "\[loop\] a transaction per item, 300 times: openat A -> pwrite64 x10 A -> fdatasync x2 A -> close A -> unlink -> fsync B \(A = $(file_obj "$d/journal"), B = dir $dq\)" ||
	{ show "$T/report"; fail "finding line: '$line'"; }
blk=$(finding_block "$T/report" loop)
printf '%s\n' "$blk" | grep -q ': each iteration: 16 calls in ' || { show "$T/report"; fail "evidence line"; }
printf '%s\n' "$blk" | grep -q 'why: the same 6 steps on 2 objects, in order, 300 times >= 20 (--loop-min); every iteration syncs$' ||
	{ show "$T/report"; fail "why line"; }
printf '%s\n' "$blk" | grep -q 'fix: batch the items: one transaction and one sync per batch, .*; saves up to ~[0-9.]* [mu]*s and 4784 syscalls (severity: ' ||
	{ show "$T/report"; fail "fix line: want 299/300 of 16 x 300 calls (4784)"; }
# nested, indented: the journal's reopens and syncs, the directory's syncs
inside=$(awk '/^      inside it \(/ { on = 1; next } on && /^        \[/ { print } on && /^$/ { exit }' "$T/report")
expect_eq "nested findings" "$(printf '%s\n' "$inside" | sed -E 's/^ *//' | sed -E 's/ \(name from call argument\)//' | sort)" \
"$(printf '%s\n' "[fsync storm] 300 syncs on dir $d" "[fsync storm] 600 syncs on file $d/journal" \
	"[repeat] file $d/journal opened 300 times and stat'ed 0 times" | sort)" "$T/report"
grep -q '^      inside it (3 findings on its objects):$' "$T/report" || { show "$T/report"; fail "inside line"; }
pid=$(pids_named "$T/report" io_txn)
expect_eq "pwrite64 calls" "$(sc_count "$T/report" "$pid" pwrite64)" 3000 "$T/report"
expect_eq "fdatasync calls" "$(sc_count "$T/report" "$pid" fdatasync)" 600 "$T/report"
expect_eq "unlink calls" "$(sc_count "$T/report" "$pid" unlink)" 300 "$T/report"
expect_eq "fsync calls" "$(sc_count "$T/report" "$pid" fsync)" 300 "$T/report"

# the same in JSON: one group with 3 children, 300 iterations; the sum rule
ilp run --format json -o "$T/report.json" -- "$WL/io_txn" 300 "$d" 2> "$T/err" ||
	{ show "$T/err"; fail "json run failed"; }
expect_eq "json: groups" "$(jq -c '[.findings[] | [.kind, .count, (.children | length)]]' "$T/report.json")" \
	'[["loop",300,3]]' "$T/report.json"
check_sum_rule "$T/report.json"
exit 0
