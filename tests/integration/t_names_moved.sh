#!/bin/bash
# A file renamed after its open, and one unlinked while open.  Each object
# has all of its file's calls (open, 2000 writes, close) under a real name
# of that file: renamed, the name it was opened by (read at the call, or
# caught before the rename) or the one it has since (/proc after it);
# unlinked, its path, or the kernel's "PATH (deleted)" when nothing says
# the path was the one the call used.  Read at the call (ptrace): the
# names the calls used.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_names.sh"

one() {	# MODE BACKEND [ARGS...] -> the name of the object with 2002 calls
	local mode=$1 d="$T/$1.$2"
	shift 2
	mkdir -p "$d" || fail "mkdir"
	ilp run "$@" --format json -o "$T/j" -- "$WL/names" "$mode" "$d" 2> "$T/err" ||
		{ show "$T/err"; fail "$mode: run failed"; }
	json_objects "$T/j" names | awk -F'\t' -v p="file $d/" 'index($5, p) == 1'
}

d="$T/rename.default"
got=$(one rename default)
case "$got" in
$'proc\t2002\t1\t2000\tfile '"$d/before.txt" | $'proc\t2002\t1\t2000\tfile '"$d/after.txt") ;;
*) fail "renamed: got '$got'" ;;
esac
d="$T/rename.ptrace"
expect_eq "renamed, ptrace" "$(one rename ptrace --backend=ptrace)" \
	$'call\t2002\t1\t2000\tfile '"$d/before.txt"

d="$T/unlink.default"
got=$(one unlink default)
case "$got" in
$'proc\t2002\t1\t2000\tfile '"$d/gone.txt" | $'proc\t2002\t1\t2000\tfile '"$d/gone.txt (deleted)") ;;
*) fail "unlinked: got '$got'" ;;
esac
d="$T/unlink.ptrace"
expect_eq "unlinked, ptrace" "$(one unlink ptrace --backend=ptrace)" \
	$'call\t2002\t1\t2000\tfile '"$d/gone.txt"
exit 0
