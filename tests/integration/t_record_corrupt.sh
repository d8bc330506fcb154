#!/bin/bash
# tracefs: not needed (runs when instance creation is broken; see run.sh)
# Every input in tests/fuzz/known/ (files the fuzzer found that crashed the
# reader or libtracecmd): report -i gives exactly one line on stderr,
# nothing on stdout, exit status 1 -- never a crash.
. "$(dirname "$0")/lib.sh"
KNOWN="$(dirname "$0")/../fuzz/known"

n=0
for f in "$KNOWN"/*.dat; do
	[ -e "$f" ] || continue
	n=$((n + 1))
	ilp report -i "$f" > "$T/out" 2> "$T/err"
	rc=$?
	expect_eq "report -i $(basename "$f"): exit" "$rc" 1 "$T/err"
	expect_one_line "report -i $(basename "$f")" "$T/err"
	grep -q "^iolockprof: $f: " "$T/err" || { show "$T/err"; fail "$(basename "$f"): error line does not name the file"; }
	[ -s "$T/out" ] && { show "$T/out"; fail "$(basename "$f"): something on stdout"; }
done
[ $n -ge 1 ] || fail "no known crashing input in $KNOWN"
exit 0
