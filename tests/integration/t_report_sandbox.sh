#!/bin/bash
# report -i parses the file in a sandbox (issue 13.6): the file is opened
# once by iolockprof (a root-only 0600 file works: the child reads the fd,
# never the path), and parsed by a child that dropped to nobody, with
# no_new_privs, a seccomp filter and CPU, memory, file-size and fd limits;
# a FIFO at the path is refused at once (one line, exit 1), never waited
# on; a report whose reader leaves (| head) ends quietly.
. "$(dirname "$0")/lib.sh"
command -v strace > /dev/null || skip "strace is not installed (make deps)"
ilp record -o "$T/w.dat" -- "$WL/writes" 300 2> "$T/rec.err" || { show "$T/rec.err"; fail "record failed"; }
chmod 600 "$T/w.dat"
strace -f -qq -o "$T/st" -e trace=setresuid,setresgid,setgroups,prlimit64,setrlimit,prctl,seccomp \
	"$ILP" report -i "$T/w.dat" > "$T/rep" 2> "$T/rep.err"
rc=$?
[ $rc -eq 0 ] || { show "$T/rep.err"; fail "report -i of a 0600 file: exit $rc"; }
pid=$(pids_named "$T/rep" writes)
expect_eq "writes in the report" "$(sc_count "$T/rep" "$pid" write)" 300 "$T/rep"
grep -q 'setresuid(65534, 65534, 65534) *= 0' "$T/st" || { show "$T/st"; fail "the parser did not become nobody"; }
grep -q 'setgroups(0, NULL) *= 0' "$T/st" || { show "$T/st"; fail "the parser kept root's groups"; }
grep -q 'PR_SET_NO_NEW_PRIVS, 1' "$T/st" || { show "$T/st"; fail "the parser has no no_new_privs"; }
grep -q 'seccomp(SECCOMP_SET_MODE_FILTER' "$T/st" || { show "$T/st"; fail "the parser has no seccomp filter"; }
for lim in RLIMIT_CPU RLIMIT_AS RLIMIT_FSIZE RLIMIT_NOFILE; do
	grep -q "$lim" "$T/st" || { show "$T/st"; fail "the parser has no $lim"; }
done
# the parent never reopens the file by path: one open of it in all
strace -f -qq -o "$T/st2" -e trace=open,openat "$ILP" report -i "$T/w.dat" > /dev/null 2>&1
expect_eq "opens of the trace file" "$(grep -c "\"$T/w.dat\"" "$T/st2")" 1 "$T/st2"

mkfifo "$T/fifo.dat"
timeout 10 "$ILP" report -i "$T/fifo.dat" > /dev/null 2> "$T/fifo.err"
rc=$?
[ $rc -eq 124 ] && fail "report -i of a FIFO hangs"
expect_eq "report -i of a FIFO: exit" "$rc" 1 "$T/fifo.err"
expect_one_line "report -i of a FIFO" "$T/fifo.err"
expect_eq "report -i of a FIFO: message" "$(cat "$T/fifo.err")" "iolockprof: $T/fifo.dat: not a regular file"
# the reader of the report leaves: no error line, exit 0
"$ILP" report -i "$T/w.dat" 2> "$T/head.err" | head -1 > /dev/null
expect_eq "report -i | head: exit" "${PIPESTATUS[0]}" 0 "$T/head.err"
[ -s "$T/head.err" ] && { show "$T/head.err"; fail "report -i | head: stderr not empty"; }
exit 0
