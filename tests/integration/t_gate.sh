#!/bin/bash
# run's command is held at iolockprof's gate until tracing is on; what the
# child does there (the gate's read, the signal mask restored, the setuid
# of -u, execvp's failed tries along PATH) is iolockprof's, not the
# command's.  The report of `run -- true` lists exactly the calls strace -c
# counts for the same command, name for name and count for count (strace
# resolves PATH itself and shows the one execve that succeeds), with -u
# nobody too, and the same again from a recorded trace file.
. "$(dirname "$0")/lib.sh"
command -v strace > /dev/null || skip "strace is not installed"

# "name calls errors" per syscall, sorted, from strace -c -o FILE
strace_counts() {
	awk '$1 ~ /^[0-9.]+$/ && $NF != "total" {
		e = NF == 6 ? $5 : 0; print $NF, $4, e }' "$1" | sort
}
json_counts() {
	jq -r '.processes[] | select(.comm == "true") | .syscalls[] |
		"\(.name) \(.calls) \(.errors)"' "$1" | sort
}

strace -f -c -o "$T/strace" true || fail "strace -c true"
# strace -c leaves out exit_group (it never returns); iolockprof counts it
want=$({ strace_counts "$T/strace"; echo "exit_group 1 0"; } | sort)
[ "$(echo "$want" | wc -l)" -gt 5 ] || { show "$T/strace"; fail "no counts parsed from strace -c"; }

ilp run --format json -o "$T/r.json" -- true 2> "$T/err" || { show "$T/err"; fail "run -- true"; }
expect_eq "run -- true: calls as strace counts them" "$(json_counts "$T/r.json")" "$want" "$T/strace"

if id nobody > /dev/null 2>&1; then
	ilp run -u nobody --format json -o "$T/u.json" -- true 2> "$T/err" ||
		{ show "$T/err"; fail "run -u nobody -- true"; }
	expect_eq "run -u nobody -- true: calls" "$(json_counts "$T/u.json")" "$want" "$T/strace"
fi

ilp record -o "$T/t.dat" -- true 2> "$T/err" || { show "$T/err"; fail "record -- true"; }
ilp report -i "$T/t.dat" --format json -o "$T/f.json" 2> "$T/err" || { show "$T/err"; fail "report -i"; }
expect_eq "report -i of record -- true: calls" "$(json_counts "$T/f.json")" "$want" "$T/strace"
exit 0
