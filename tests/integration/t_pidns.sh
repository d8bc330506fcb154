#!/bin/bash
# Inside a pid namespace (unshare -p -f --mount-proc) set_event_pid still
# takes the kernel's pids: run learns its child's kernel pid from the
# kernel (a token the child writes to trace_marker; include/pidns.h) and
# counts exactly, threads and fork+exec children included; the report
# numbers processes as the kernel does, and one line on stderr says so.
# attach cannot learn kernel pids there: one line, exit 1, no report.
# (Before: 18 events and no writes, pid 4 of the namespace filtered as the
# host's pid 4, a kernel thread.)
. "$(dirname "$0")/lib.sh"

command -v unshare > /dev/null || skip "no unshare(1)"
unshare -p -f --mount-proc true 2> /dev/null || skip "cannot create a pid namespace here"
ns() { timeout -k 5 "$ILP_TIMEOUT" unshare -p -f --mount-proc "$@"; }

ns "$ILP" run -o "$T/w" -- "$WL/writes" 20001 2> "$T/we"
rc=$?
expect_eq "writes in a pid namespace: exit" "$rc" 0 "$T/we"
expect_one_line "writes in a pid namespace: stderr" "$T/we"
grep -q 'in a pid namespace: the report numbers processes as the kernel does' "$T/we" ||
	{ show "$T/we"; fail "no line about pid numbering"; }
pid=$(pids_named "$T/w" writes)
expect_eq "writes: process sections" "$(all_pids "$T/w" | grep -c .)" 1 "$T/w"
expect_eq "writes: the reported pid is the kernel's, as stderr says" \
	"$(sed -n 's/.*the command is pid \([0-9]*\) there.*/\1/p' "$T/we")" "$pid"
expect_eq "writes: write calls" "$(sc_count "$T/w" "$pid" write)" 20001 "$T/w"
expect_eq "writes: lost events" "$(lost_events "$T/w")" 0 "$T/w"
# its fd is named from /proc of the namespace, through the proved pid
pid_section "$T/w" "$pid" | grep -Eq '^ +dev /dev/null +[0-9]+ +0 +20001 ' ||
	{ show "$T/w" 80; fail "writes: /dev/null not named with its 20001 writes"; }

ns "$ILP" run --threads -o "$T/t" -- "$WL/threads" 4 5000 2> "$T/te"
rc=$?
expect_eq "threads: exit" "$rc" 0 "$T/te"
pid=$(pids_named "$T/t" threads)
expect_eq "threads: threads of pid $pid" "$(hdr_field "$T/t" "$pid" threads)" 5 "$T/t"
expect_eq "threads: write calls" "$(sc_count "$T/t" "$pid" write)" 20000 "$T/t"
busy=0
for tid in $(tids "$T/t" "$pid"); do
	[ "$(tid_count "$T/t" "$pid" "$tid" write)" = 5000 ] && busy=$((busy + 1))
done
expect_eq "threads: tids with exactly 5000 writes" "$busy" 4 "$T/t"

ns "$ILP" run -o "$T/f" -- "$WL/forkexec" 3 1000 "$WL/writes" 2> "$T/fe"
rc=$?
expect_eq "forkexec: exit" "$rc" 0 "$T/fe"
pids=$(pids_named "$T/f" writes)
expect_eq "forkexec: writes sections" "$(printf '%s\n' $pids | grep -c .)" 3 "$T/f"
for p in $pids; do
	expect_eq "forkexec: write calls of $p" "$(sc_count "$T/f" "$p" write)" 1000 "$T/f"
done

# attach: refused with one line
ns sh -c '"$1" 30 > /dev/null & "$2" attach -o "$3" $!; rc=$?; kill $!; exit $rc' sh \
	"$WL/sleeper" "$ILP" "$T/a" 2> "$T/ae"
rc=$?
expect_eq "attach in a pid namespace: exit" "$rc" 1 "$T/ae"
expect_one_line "attach in a pid namespace: stderr" "$T/ae"
grep -q 'inside a pid namespace' "$T/ae" || { show "$T/ae"; fail "attach: no reason given"; }
[ -s "$T/a" ] && { show "$T/a"; fail "attach wrote a report"; }
exit 0
