#!/bin/bash
# tracefs: not needed (runs when instance creation is broken; see run.sh)
# Only on a kernel whose tracing lock is stuck (run.sh's probe: every
# instance mkdir hangs, unkillably): the tool does not hang with it.
# --backend=ftrace gives one line and exit 125 after its 10 s limit; auto
# falls back to ptrace with one line and reports exactly.
. "$(dirname "$0")/lib.sh"

[ -n "${ILP_TRACEFS_STUCK:-}" ] || skip "tracefs works here: nothing to check (only a stuck kernel is tested)"

start=$(date +%s)
ilp run --backend=ftrace -o "$T/r1" -- "$WL/writes" 10 > /dev/null 2> "$T/e1"
rc=$?
took=$(( $(date +%s) - start ))
expect_eq "ftrace on a stuck kernel: exit" "$rc" 125 "$T/e1"
expect_one_line "ftrace on a stuck kernel: stderr" "$T/e1"
grep -q 'creating a tracefs instance hangs in the kernel' "$T/e1" || { show "$T/e1"; fail "no reason given"; }
[ "$took" -le 20 ] || fail "took ${took}s, want the 10 s limit"

ilp run -o "$T/r2" -- "$WL/writes" 10 > /dev/null 2> "$T/e2"
rc=$?
expect_eq "auto on a stuck kernel: exit" "$rc" 0 "$T/e2"
expect_one_line "auto on a stuck kernel: stderr" "$T/e2"
grep -q 'using the ptrace backend' "$T/e2" || { show "$T/e2"; fail "auto: no fallback line"; }
grep -qx 'backend:  ptrace' "$T/r2" || { show "$T/r2"; fail "auto: report does not say ptrace"; }
pid=$(pids_named "$T/r2" writes)
expect_eq "auto on a stuck kernel: write calls" "$(sc_count "$T/r2" "$pid" write)" 10 "$T/r2"
exit 0
