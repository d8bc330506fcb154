#!/bin/bash
# tracefs: not needed (runs when instance creation is broken; see run.sh)
# record writes the ring buffers: with --backend=ptrace or --stacks it
# refuses in one line (exit 2) and writes no file, instead of profiling
# without recording.
. "$(dirname "$0")/lib.sh"

for opt in --backend=ptrace --stacks; do
	ilp record $opt -o "$T/x.dat" -- "$WL/writes" 10 > "$T/out" 2> "$T/err"
	rc=$?
	expect_eq "record $opt: exit status" "$rc" 2 "$T/err"
	expect_one_line "record $opt: stderr" "$T/err"
	grep -q 'needs the ftrace backend' "$T/err" || { show "$T/err"; fail "record $opt: no reason given"; }
	[ -e "$T/x.dat" ] && fail "record $opt: wrote $T/x.dat"
done
exit 0
