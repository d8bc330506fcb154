#!/bin/bash
# run --names=exact under ftrace (issue 11.3): the command is stopped by a
# seccomp filter at path-taking and fd-making calls only, its names read at
# the call; every count still comes from ftrace, exact, through threads,
# forks and execs, and the exit status is the command's.  A command killed
# by a signal still gets its report; record keeps the exact names for
# report -i.  attach and record -p cannot (the filter must be there before
# the command starts): a usage error; with --backend=ptrace it is a no-op.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_names.sh"
[ "${ILP_BACKEND:-}" = ptrace ] && skip "--names=exact is an ftrace mode; the ptrace backend reads every name at the call anyway"

# threads, forks and an exec: the counts are exact (forkexec's own header)
ilp run --names=exact -o "$T/fe" -- "$WL/forkexec" 3 1000 "$WL/writes" 2> "$T/fe.err" ||
	{ show "$T/fe.err"; fail "forkexec under --names=exact failed"; }
ilp run -o "$T/fe.plain" -- "$WL/forkexec" 3 1000 "$WL/writes" 2> /dev/null || fail "forkexec failed"
expect_eq "forkexec: processes" "$(all_pids "$T/fe" | wc -l)" "$(all_pids "$T/fe.plain" | wc -l)" "$T/fe"
for p in $(pids_named "$T/fe" writes); do
	expect_eq "forkexec: writes of $p" "$(sc_count "$T/fe" "$p" write)" 1000 "$T/fe"
done
ilp run --names=exact -o "$T/th" -- "$WL/threads" 4 500 2> "$T/th.err" || { show "$T/th.err"; fail "threads failed"; }
p=$(pids_named "$T/th" threads)
expect_eq "threads: writes" "$(sc_count "$T/th" "$p" write)" 2000 "$T/th"

# the command's exit status, and a signal's
"$ILP" run --names=exact -o /dev/null -- "$WL/exitcode" 7 2> /dev/null
expect_eq "exit status" "$?" 7
"$ILP" run --names=exact -o "$T/sig" -- sh -c 'echo x > /dev/null; kill -TERM $$' 2> /dev/null
expect_eq "killed by SIGTERM" "$?" 143
[ -n "$(pids_named "$T/sig" sh)" ] || { show "$T/sig"; fail "no report section for the killed command"; }

# record keeps the names: report -i shows them as read at the call
d="$T/rec"
mkdir "$d" || fail "mkdir"
ilp record --names=exact -o "$T/n.dat" -- "$WL/names" many "$d" 200 2> "$T/rec.err" ||
	{ show "$T/rec.err"; fail "record --names=exact failed"; }
ilp report -i "$T/n.dat" --format json -o "$T/n.json" 2> "$T/rep.err" || { show "$T/rep.err"; fail "report failed"; }
objs=$(json_objects "$T/n.json" names)
expect_eq "record --names=exact: files named at the call" "$(count_named "$objs" "$d/many-")" 200
expect_sources "$objs" "$d/many-" call

# where it cannot be
"$ILP" attach --names=exact 1 2> "$T/a.err"
expect_eq "attach --names=exact: exit" "$?" 2
expect_one_line "attach --names=exact" "$T/a.err"
"$ILP" record --names=exact -o "$T/x.dat" -p 1 2> "$T/rp.err"
expect_eq "record -p --names=exact: exit" "$?" 2
expect_one_line "record -p --names=exact" "$T/rp.err"
"$ILP" run --names=bogus -- true 2> "$T/b.err"
expect_eq "--names=bogus: exit" "$?" 2
ilp run --backend=ptrace --names=exact -o /dev/null -- "$WL/writes" 10 2> "$T/pt.err" ||
	{ show "$T/pt.err"; fail "--names=exact with the ptrace backend failed"; }
exit 0
