#!/bin/bash
# The bundled demo (what `make demo` shows), one finding per cause: [N+1]
# over its two pipes (250 round trips, peer: its worker thread), [hot lock]
# hot_lock, the [slow call] on the warm-up pipe naming the thread that
# holds its write end, and the orders' [loop] (a transaction per item, 40
# times) with the journal's and the directory's syncs nested under it
# (the journal named, or its name lost in some items or all of them: fast
# mode races its short life);
# the two [unbuffered] on the log file, each under 1% of the wall time,
# fold into the "minor:" line (listed with --all).  The savings add up.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_findings.sh"

ilp run -o "$T/report" -- "$WL/demo" > /dev/null 2> "$T/err"
rc=$?
[ $rc -eq 0 ] || { show "$T/err"; show "$T/report"; fail "exit status $rc, want 0"; }
# the log writes cost under 1% of the run on any disk we met; a slower one
# lists them as findings: 2 in all, either way
kinds=$(findings "$T/report" | sed -E 's/^\[([^]]*)\].*/\1/' | grep -v '^unbuffered$' | sort | tr '\n' ',')
expect_eq "findings" "$kinds" "N+1,hot lock,loop,slow call," "$T/report"
nunb=$(findings "$T/report" | grep -c '^\[unbuffered\] ')
if grep -q '^minor: ' "$T/report"; then
	grep -Eqx "minor: $((2 - nunb)) findings? under 1% of wall time each \(\[unbuffered\]( x2)?\), saving ~[0-9.]+ [mu]?s in all; --all lists them" "$T/report" ||
		{ show "$T/report"; fail "minor line"; }
else
	expect_eq "unbuffered findings" "$nunb" 2 "$T/report"
fi
findings "$T/report" | grep -Eqx '\[N\+1\] 250 request/response round trips: requests written on pipe pipe:\[[0-9]+\], answers read on pipe pipe:\[[0-9]+\] \(peer: another thread of this process\)' ||
	{ show "$T/report"; fail "N+1 line"; }
findings "$T/report" | grep -Eqx '\[hot lock\] lock hot_lock \(mutex, 0x[0-9a-f]+\): [0-9]+ contended waits' ||
	{ show "$T/report"; fail "hot lock line"; }
findings "$T/report" | grep -Eqx '\[slow call\] 1 read call of 100 ms or more on pipe pipe:\[[0-9]+\]' ||
	{ show "$T/report"; fail "slow call line"; }
finding_block "$T/report" "slow call" | grep -Eq '; waiting for thread [0-9]+ \(demo\) of this process, which holds the write end$' ||
	{ show "$T/report"; fail "slow call: the warm-up thread as the peer"; }
findings "$T/report" | grep -Eqx '\[loop\] a transaction per item, 40 times: openat A -> pwrite64 x4 A -> fdatasync x2 A -> close A -> unlink -> fsync B \(A = (file .*-journal( \(name from call argument\))?(, its name lost in some iterations \(fd [0-9]+(, fd [0-9]+)*\))?|fd [0-9]+ \(name lost: [^)]*\)), B = dir [^,]*\)' ||
	{ show "$T/report"; fail "loop line"; }
# nested: the directory's syncs, the journal's (those of items whose journal
# the source could not name are on "fd N (name lost: ...)", one object per
# reason, nested as well)
inside=$(awk '/^      inside it \(/ { on = 1; next } on && /^        \[/ { print } on && /^$/ { exit }' "$T/report" |
	sed -E 's/^ *\[([^]]*)\] [0-9]+ syncs on (file|dir|fd) .*/\1 \2/' | sort -u | tr '\n' ',')
case $inside in
"fsync storm dir,fsync storm fd," | "fsync storm dir,fsync storm file," | "fsync storm dir,fsync storm fd,fsync storm file,") ;;
*) show "$T/report"; fail "nested under the loop: '$inside'" ;;
esac

ilp run --all -o "$T/report.all" -- "$WL/demo" > /dev/null 2> "$T/err" || { show "$T/err"; fail "--all run"; }
expect_eq "--all: unbuffered findings" "$(findings "$T/report.all" | grep -c '^\[unbuffered\] ')" 2 "$T/report.all"
grep -q '^minor: ' "$T/report.all" && { show "$T/report.all"; fail "--all: a minor line"; }

ilp run --format json -o "$T/report.json" -- "$WL/demo" > /dev/null 2> "$T/err" || { show "$T/err"; fail "json run"; }
# on a failure, what each finding says (the report itself is long)
jq -r '.findings[] | "\(.kind): \(.what)", (.children[]? | "  \(.kind): \(.what)")' \
	"$T/report.json" > "$T/json.findings"
expect_eq "json: findings" "$(jq -c '[.findings[].kind] | sort' "$T/report.json")" \
	'["hotlock","loop","nplus1","slowcall","unbuffered","unbuffered"]' "$T/json.findings"
check_sum_rule "$T/report.json"
exit 0
