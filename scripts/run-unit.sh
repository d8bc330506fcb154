#!/bin/sh
# Runs each cmocka unit-test binary given, sums their results, and exits
# non-zero if any test failed or any binary crashed.
set -u
passed=0 failed=0 bad=0
for t in "$@"; do
	out=$("$t" 2>&1); rc=$?
	printf '%s\n' "$out"
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
	if [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then
		echo "unit: $t exited $rc without a cmocka failure (crash?)"; bad=$((bad + 1))
	fi
done
failed=$((failed + bad))
echo "unit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
