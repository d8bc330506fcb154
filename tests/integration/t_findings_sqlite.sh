#!/bin/bash
# The real case of issue 12: sqlite3 executing 300 INSERTs in autocommit
# mode (one transaction per statement).  The report must read like a
# diagnosis: exactly one finding, "[loop] a transaction per item, 300
# times", on the journal, the database and its directory, with the
# findings on those objects (the syncs, the journal's reopens) nested under
# it and none beside it; the calls it is made of are
# exact in the tables (1200 fdatasync, 300 unlink of the journal); the
# savings add up (sum rule, JSON).
# (The table is created before the capture: 300 transactions, not 301.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_findings.sh"

command -v sqlite3 > /dev/null || skip "sqlite3 not installed (scripts/install-deps.sh test installs it)"
d="$T/sq"
mkdir "$d" || fail "mkdir"
for i in $(seq 300); do printf "INSERT INTO t(v) VALUES('row %d');\n" "$i"; done > "$T/ins.sql"

fresh_db() {
	rm -f "$d"/db*
	sqlite3 "$d/db" 'CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);' || fail "sqlite3: create table"
}

fresh_db
ilp run -o "$T/report" -- sqlite3 "$d/db" < "$T/ins.sql" 2> "$T/err"
rc=$?
[ $rc -eq 0 ] || { show "$T/err"; show "$T/report"; fail "exit status $rc, want 0"; }
expect_findings "$T/report" 1
line=$(findings "$T/report")
printf '%s\n' "$line" | grep -Eq '^\[loop\] a transaction per item, 300 times: openat A -> .*fdatasync.* -> close A -> unlink -> ' ||
	{ show "$T/report"; fail "finding line: '$line'"; }
printf '%s\n' "$line" | grep -Eq "\(A = $(file_obj "$d/db-journal")(, its name lost in some iterations \(fd [0-9]+(, fd [0-9]+)*\))?, B = $(file_obj "$d/db")," ||
	{ show "$T/report"; fail "objects: '$line'"; }
# the directory (synced after the journal's creation): named, or, when the
# source lost its name in every item (opened and closed within a few
# microseconds), one of the lost-name objects
printf '%s\n' "$line" | grep -Eq "[A-Z] = (dir $(printf '%s' "$d" | sed 's/[][\.*^$/+?(){}|]/\\&/g')|fd [0-9]+ \(name lost: [^)]*\))[,)]" ||
	{ show "$T/report"; fail "the directory: '$line'"; }
blk=$(finding_block "$T/report" loop)
printf '%s\n' "$blk" | grep -q 'why: the same [0-9]* steps on [0-9] objects, in order, 300 times >= 20 (--loop-min); every iteration syncs$' ||
	{ show "$T/report"; fail "why line"; }
printf '%s\n' "$blk" | grep -q 'fix: batch the items: one transaction and one sync per batch' ||
	{ show "$T/report"; fail "fix line"; }
# nested: the syncs of the database (named from its one open: exactly 300),
# and the journal's syncs and reopens on its name and on the lost-name
# objects of the items whose journal the source could not name (how many
# varies from run to run: a finding fires only on an object named in
# enough items, so each of those is checked when present); nothing else
inside=$(awk '/^      inside it \(/ { on = 1; next } on && /^        \[/ { print } on && /^$/ { exit }' "$T/report")
printf '%s\n' "$inside" | grep -Eq "^ *\[fsync storm\] 300 syncs on $(file_obj "$d/db")$" ||
	{ show "$T/report"; fail "nested: the database's 300 syncs"; }
lost='fd [0-9]+ \(name lost: [^)]*\)'
bad=$(printf '%s\n' "$inside" | grep -Ev "^ *\[(fsync storm|repeat|random I/O)\] .*($(file_obj "$d/db-journal")|$(file_obj "$d/db")|dir $(printf '%s' "$d" | sed 's/[][\.*^$/+?(){}|]/\\&/g')|$lost)($|,| opened)")
[ -z "$bad" ] || { show "$T/report"; fail "nested, not on the loop's objects: '$bad'"; }
n=$(printf '%s\n' "$inside" | grep -E "^ *\[repeat\] $(file_obj "$d/db-journal") opened [0-9]+ times and stat'ed [0-9]+ times$" |
	sed -E 's/.* opened ([0-9]+) times .*/\1/')
[ -z "$n" ] || expect_range "nested repeat of the journal: opens" "$n" 100 300 "$T/report"
n=$(printf '%s\n' "$inside" | grep -E "^ *\[fsync storm\] [0-9]+ syncs on $(file_obj "$d/db-journal")$" |
	sed -E 's/^ *\[fsync storm\] ([0-9]+) syncs .*/\1/')
[ -z "$n" ] || expect_range "nested fsync storm of the journal: syncs" "$n" 10 600 "$T/report"
pid=$(pids_named "$T/report" sqlite3)
expect_eq "fdatasync calls" "$(sc_count "$T/report" "$pid" fdatasync)" 1200 "$T/report"
expect_eq "unlink calls" "$(sc_count "$T/report" "$pid" unlink)" 300 "$T/report"

fresh_db
ilp run --format json -o "$T/report.json" -- sqlite3 "$d/db" < "$T/ins.sql" 2> "$T/err" ||
	{ show "$T/err"; fail "json run failed"; }
expect_eq "json: top-level findings" "$(jq -c '[.findings[] | [.kind, .count]]' "$T/report.json")" \
	'[["loop",300]]' "$T/report.json"
check_sum_rule "$T/report.json"
exit 0
