#!/bin/bash
# names many|keep 1000: 1000 different files, each opened, written (2 B)
# and closed within well under a millisecond.  Default mode: every name is
# exact or honestly lost, never wrong: each named file object has exactly
# its own file's calls (1 open, 1 write, 1 close), and named + lost are
# all 1000 opens.  many builds every path in one reused buffer (a late
# read of it names a later file: such names must be lost); keep gives each
# path a buffer of its own (the argument, confirmed by the inode the
# kernel reports dirtied in the write, names nearly all of them).  Read at
# the call (ptrace, and ftrace with --names=exact): all 1000 exact.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_names.sh"

check() {	# MODE BACKEND...
	local mode=$1 d="$T/$1.$2" named lost bad
	shift
	mkdir -p "$d" || fail "mkdir"
	ilp run "${@:2}" --format json -o "$T/$mode.json" -- "$WL/names" "$mode" "$d" 1000 2> "$T/err" ||
		{ show "$T/err"; fail "$mode: run failed"; }
	objs=$(json_objects "$T/$mode.json" names)
	named=$(count_named "$objs" "$d/many-")
	# never wrong: a named file has its own calls, and exists
	bad=$(awk -F'\t' -v p="file $d/many-" 'index($5, p) == 1 && ($2 != 3 || $3 != 1 || $4 != 1)' <<< "$objs")
	[ -z "$bad" ] || fail "$mode: named objects with another file's calls: $bad"
	while IFS=$'\t' read -r src ops opens writes name; do
		case "$name" in "file $d/many-"*) [ -f "${name#file }" ] || fail "$mode: $name is no file";; esac
	done <<< "$objs"
	# every open is named or lost: the workload's lost ones each wrote once
	lost=$(sum_col "$objs" 4 lost)
	expect_eq "$mode: named + lost opens" "$((named + lost))" 1000
	note "$mode ${1:-default}: $named exact, $lost lost"
	awk -F'\t' '$1 == "lost" && $4 > 0 { print "    " $4 " x " $5 }' <<< "$objs" >&2
	eval "${mode}_named=$named"
}

check many default
if [ "${ILP_BACKEND:-}" != ptrace ]; then
	check keep default
	# a buffer of its own: the argument is intact, and the kernel's
	# report of each file's dirtied page confirms it (the last file may
	# outlive nothing: its process exits before anything reads it)
	expect_range "keep: exact names" "$keep_named" 990 1000
fi
check many ptrace --backend=ptrace
expect_eq "ptrace: exact names" "$many_named" 1000
expect_sources "$objs" "$T/many.ptrace/many-" call
if [ "${ILP_BACKEND:-}" != ptrace ]; then
	# ftrace with the path read at the call: all exact too
	check many exact --names=exact
	expect_eq "--names=exact: exact names" "$many_named" 1000
	expect_sources "$objs" "$T/many.exact/many-" call
fi
exit 0
