#!/bin/bash
# backend: any (run.sh runs it under ptrace too when tracefs is unusable)
# run -e write -- writes 1000: the table has write 1000 and no other rows.
# strace's forms: -e %desc has write 1000 and only %desc calls (the class
# as src/util/syscalls_strace.h has it, which t_strace_classes holds to
# strace); -e '!%desc', the rest: no write, only calls outside %desc, and
# some (the loader's brk, mprotect...); -e 'trace=!write': all but write.
. "$(dirname "$0")/lib.sh"

src=$(cd "$(dirname "$0")/../.." && pwd)
desc=$(sed -n 's/^	{ "\([a-z0-9_]*\)", .*\<TD\>.*/\1/p' "$src/src/util/syscalls_strace.h")
[ "$(printf '%s\n' $desc | grep -c .)" -eq 123 ] || fail "syscalls_strace.h: $(printf '%s\n' $desc | grep -c .) %desc calls, want 123"
in_desc() { printf '%s\n' $desc | grep -qx "$1"; }

# profile EXPR: run -e EXPR -- writes 1000 into $T/report; $pid: its section
profile() {
	ilp run -e "$1" -o "$T/report" -- "$WL/writes" 1000 2> "$T/err"
	rc=$?
	[ $rc -eq 0 ] || { show "$T/err"; show "$T/report"; fail "-e '$1': exit status $rc, want 0"; }
	pid=$(pids_named "$T/report" writes)
	expect_eq "-e '$1': process sections named writes" "$(printf '%s\n' $pid | grep -c .)" 1 "$T/report"
}

profile write
expect_eq "write calls" "$(sc_count "$T/report" "$pid" write)" 1000 "$T/report"
for p in $(all_pids "$T/report"); do
	rows=$(sc_rows "$T/report" "$p" | grep -vx write | tr '\n' ' ')
	[ -z "$rows" ] || { show "$T/report"; fail "-e write: pid $p has rows for other syscalls: $rows"; }
done

profile %desc
expect_eq "-e %desc: write calls" "$(sc_count "$T/report" "$pid" write)" 1000 "$T/report"
for s in $(sc_rows "$T/report" "$pid"); do
	in_desc "$s" || { show "$T/report"; fail "-e %desc: a row for $s, which is not in %desc"; }
done

profile '!%desc'
expect_eq "-e '!%desc': write calls" "$(sc_count "$T/report" "$pid" write)" 0 "$T/report"
rows=$(sc_rows "$T/report" "$pid")
[ -n "$rows" ] || { show "$T/report"; fail "-e '!%desc': no rows (the loader's brk, mprotect... are not in %desc)"; }
for s in $rows; do
	in_desc "$s" && { show "$T/report"; fail "-e '!%desc': a row for $s, which is in %desc"; }
done

profile 'trace=!write'
expect_eq "-e 'trace=!write': write calls" "$(sc_count "$T/report" "$pid" write)" 0 "$T/report"
rows=$(sc_rows "$T/report" "$pid" | grep -c .)
[ "$rows" -ge 3 ] || { show "$T/report"; fail "-e 'trace=!write': $rows rows, want the open, close and the loader's calls"; }
exit 0
