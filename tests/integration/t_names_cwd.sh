#!/bin/bash
# names cwd|cwdquick DIR: chdir(DIR/a) then open("rel.txt"); chdir(DIR/b)
# then the same; openat(dirfd of DIR/a, "at.txt"): 50 writes each.  Run
# from another directory: a relative name is resolved against the
# tracee's cwd or dirfd at the call, never the profiler's.  Each of the
# three files has exactly its own calls (open, 50 writes, close: 52).
# cwd holds each fd 100 ms: all three named exactly; cwdquick closes at
# once: each exact or lost, never another path (the process lives on
# 300 ms after, so its memory and cwd can be read).  Read at the call
# (ptrace): exact in both.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_names.sh"

run_mode() {	# MODE BACKEND [ARGS...]
	local mode=$1 tag=$1.$2 d="$T/$1.$2" f want n
	shift 2
	mkdir -p "$d/a" "$d/b" "$T/elsewhere" || fail "mkdir"
	(cd "$T/elsewhere" && ilp run "$@" --format json -o "$T/$tag.json" -- "$WL/names" "$mode" "$d") \
		2> "$T/err" || { show "$T/err"; fail "$tag: run failed"; }
	objs=$(json_objects "$T/$tag.json" names)
	! grep -q "$T/elsewhere" <<< "$objs" || fail "$tag: a name with the profiler's cwd: $objs"
	# every file object under d is one of the three, with its own 52 calls
	bad=$(awk -F'\t' -v p="file $d/" -v d="$d" 'index($5, p) == 1 &&
		(($5 != "file " d "/a/rel.txt" && $5 != "file " d "/b/rel.txt" &&
		  $5 != "file " d "/a/at.txt") || $2 != 52)' <<< "$objs")
	[ -z "$bad" ] || fail "$tag: wrong names or counts: $bad"
	n=0
	for f in a/rel.txt b/rel.txt a/at.txt; do
		grep -qP "\tfile \Q$d/$f\E\$" <<< "$objs" && n=$((n + 1))
	done
	# what is not named is lost, with its 50 writes
	expect_eq "$tag: named + lost writes" "$(( n * 50 + $(sum_col "$objs" 4 lost) ))" 150
	note "$tag: $n of 3 exact"
	named=$n
}

run_mode cwd default
[ "${ILP_BACKEND:-}" = ptrace ] || expect_eq "cwd (held): exact names" "$named" 3
run_mode cwdquick default
# closed at once: b/rel.txt is named from its argument, relative to the cwd
# followed from chdir(b) (no other chdir after it), confirmed by the inode
# its write dirtied; a/at.txt relative to the dirfd named while it lived.
# a/rel.txt may be lost: chdir(b) came before anything could read chdir(a)'s
# cwd, so that cwd is not known for certain
[ "${ILP_BACKEND:-}" = ptrace ] || expect_range "cwdquick: exact names" "$named" 2 3
run_mode cwd ptrace --backend=ptrace
expect_eq "cwd, ptrace: exact names" "$named" 3
expect_sources "$objs" "$T/cwd.ptrace/" call
run_mode cwdquick ptrace --backend=ptrace
expect_eq "cwdquick, ptrace: exact names" "$named" 3
exit 0
