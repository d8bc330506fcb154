#!/bin/bash
# io_txn 300 DIR (a transaction per statement against a journal: open,
# pwrite x10, fdatasync x2, close, unlink, fsync of the directory; 300
# times): exactly one finding, the [loop] group, with its exact iteration
# count and sequence; inside it the journal's [repeat] and [fsync storm]
# and the directory's [fsync storm] (and the syncs of journals whose name
# the source lost); the savings add up (sum rule, JSON).
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
printf '%s\n' "$line" | grep -Eqx "\[loop\] a transaction per item, 300 times: openat A -> pwrite64 x10 A -> fdatasync x2 A -> close A -> unlink -> fsync B \(A = $(file_obj "$d/journal")(, its name lost in some iterations \(fd [0-9]+(, fd [0-9]+)*\))?, B = dir $dq\)" ||
	{ show "$T/report"; fail "finding line: '$line'"; }
blk=$(finding_block "$T/report" loop)
printf '%s\n' "$blk" | grep -q ': each iteration: 16 calls in ' || { show "$T/report"; fail "evidence line"; }
printf '%s\n' "$blk" | grep -q 'why: the same 6 steps on 2 objects, in order, 300 times >= 20 (--loop-min); every iteration syncs$' ||
	{ show "$T/report"; fail "why line"; }
printf '%s\n' "$blk" | grep -q 'fix: batch the items: one transaction and one sync per batch, .*; saves up to ~[0-9.]* [mu]*s and 4784 syscalls (severity: ' ||
	{ show "$T/report"; fail "fix line: want 299/300 of 16 x 300 calls (4784)"; }
# nested, indented: the journal's reopens and syncs, the directory's syncs.
# The journal's: 300 opens and 600 syncs, less those of the items whose
# journal name the source lost ("fd N (name lost: ...)": their syncs nest
# as findings of their own when there are 10 or more)
inside=$(awk '/^      inside it \(/ { on = 1; next } on && /^        \[/ { print } on && /^$/ { exit }' "$T/report" |
	sed -E 's/^ *//; s/ \(name from call argument\)//')
printf '%s\n' "$inside" | grep -qx "\[fsync storm\] 300 syncs on dir $d" || { show "$T/report"; fail "nested: the dir's syncs"; }
# the journal's syncs: its own storm, or those of its lost names, 600 at most
n=$(printf '%s\n' "$inside" | sed -nE "s|^\[fsync storm\] ([0-9]+) syncs on (file $d/journal\|fd [0-9]+ \(name lost: .*\))\$|\1|p" |
	awk '{ s += $1 } END { print s + 0 }')
expect_range "nested: the journal's syncs" "$n" 100 600 "$T/report"
n=$(printf '%s\n' "$inside" | sed -nE "s|^\[repeat\] file $d/journal opened ([0-9]+) times and stat'ed 0 times\$|\1|p")
[ -z "$n" ] || expect_range "nested: the journal's reopens" "$n" 100 300 "$T/report"
others=$(printf '%s\n' "$inside" | grep -v "^\[fsync storm\] 300 syncs on dir $d\$" |
	grep -v "^\[repeat\] file $d/journal opened" | grep -v "^\[fsync storm\] [0-9]* syncs on file $d/journal\$" |
	grep -Evc '^\[fsync storm\] [0-9]+ syncs on fd [0-9]+ \(name lost: .*\)$')
expect_eq "nested: nothing else" "$others" 0 "$T/report"
pid=$(pids_named "$T/report" io_txn)
expect_eq "pwrite64 calls" "$(sc_count "$T/report" "$pid" pwrite64)" 3000 "$T/report"
expect_eq "fdatasync calls" "$(sc_count "$T/report" "$pid" fdatasync)" 600 "$T/report"
expect_eq "unlink calls" "$(sc_count "$T/report" "$pid" unlink)" 300 "$T/report"
expect_eq "fsync calls" "$(sc_count "$T/report" "$pid" fsync)" 300 "$T/report"

# the same in JSON: one group with 3 children, 300 iterations; the sum rule
ilp run --format json -o "$T/report.json" -- "$WL/io_txn" 300 "$d" 2> "$T/err" ||
	{ show "$T/err"; fail "json run failed"; }
expect_eq "json: groups" "$(jq -c '[.findings[] | [.kind, .count, (.children | length >= 3)]]' "$T/report.json")" \
	'[["loop",300,true]]' "$T/report.json"
check_sum_rule "$T/report.json"
exit 0
