#!/bin/bash
# The 10 s limit on creating an instance holds without pidfd_open (a kernel
# before 5.3, or EMFILE): the mkdir child is then waited for by a
# waitpid(WNOHANG) loop with a deadline.  Test hooks (ILP_TEST_FAULTS, see
# src/source/instance.c): "no-pidfd" makes the instance code's pidfd_open
# fail, "mkdir-stall" makes the mkdir child sleep 60 s first, as a child
# stuck in the kernel would.
. "$(dirname "$0")/lib.sh"

I=$TRACEFS/instances
before=$(ls "$ILP_LOCKDIR" 2>/dev/null | sort)

# without a pidfd, a normal start works and counts exactly
ILP_TEST_FAULTS=no-pidfd ilp run -o "$T/r0" -- "$WL/writes" 1000 2> "$T/e0"
rc=$?
expect_eq "no pidfd: exit" "$rc" 0 "$T/e0"
p=$(pids_named "$T/r0" writes)
expect_eq "no pidfd: write calls" "$(sc_count "$T/r0" "$p" write)" 1000 "$T/r0"

# without a pidfd and a mkdir that does not return: one line, exit 125, in
# about 10 s (the stalled child would take 60)
start=$(date +%s)
ILP_TEST_FAULTS=no-pidfd,mkdir-stall ilp run --backend=ftrace -o "$T/r1" -- "$WL/writes" 10 \
	> /dev/null 2> "$T/e1"
rc=$?
took=$(( $(date +%s) - start ))
expect_eq "stalled mkdir, no pidfd: exit" "$rc" 125 "$T/e1"
expect_one_line "stalled mkdir, no pidfd: stderr" "$T/e1"
grep -q 'creating a tracefs instance hangs in the kernel' "$T/e1" || { show "$T/e1"; fail "no reason given"; }
[ "$took" -ge 9 ] && [ "$took" -le 20 ] || fail "took ${took}s, want the 10 s limit"

# auto falls back to ptrace and still counts exactly
ILP_TEST_FAULTS=no-pidfd,mkdir-stall ilp run -o "$T/r2" -- "$WL/writes" 10 > /dev/null 2> "$T/e2"
rc=$?
expect_eq "stalled mkdir, auto: exit" "$rc" 0 "$T/e2"
grep -q 'using the ptrace backend' "$T/e2" || { show "$T/e2"; fail "auto: no fallback line"; }
p=$(pids_named "$T/r2" writes)
expect_eq "stalled mkdir, auto: write calls" "$(sc_count "$T/r2" "$p" write)" 10 "$T/r2"

# the stalled children were killed before their mkdir: no instance; their
# sessions' lock files stay (a stuck mkdir could still finish) until the
# next stale pass, which finds them free and removes them
sleep 0.5
"$ILP" --remove-stale > "$T/stale" 2>&1 || { show "$T/stale"; fail "--remove-stale failed"; }
after=$(ls "$ILP_LOCKDIR" 2>/dev/null | sort)
for f in $(comm -13 <(printf '%s\n' "$before") <(printf '%s\n' "$after")); do
	n=${f%.lock}
	[ -d "$I/$n" ] && fail "the stalled session made $n"
	lock_free "$n" && fail "lock file $f of a dead session survived --remove-stale"
done
exit 0
