#!/bin/bash
# names reuse DIR: first.txt opened, written once and closed; second.txt
# opened on the same fd number within microseconds (one drain), 2000
# writes, held.  The /proc read sees second.txt on that fd: it names the
# second open only; the first is its own file (confirmed: the inode the
# kernel reports dirtied by its write) or lost, never second.txt.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_names.sh"

for try in 1 2 3; do
	d="$T/d$try"
	mkdir "$d" || fail "mkdir"
	ilp run --format json -o "$T/j" -- "$WL/names" reuse "$d" 2> "$T/err" || { show "$T/err"; fail "run failed"; }
	objs=$(json_objects "$T/j" names)
	expect_eq "second.txt" "$(grep -P "\tfile \Q$d/second.txt\E\$" <<< "$objs")" \
		$'proc\t2002\t1\t2000\tfile '"$d/second.txt"
	first=$(grep -P "\tfile \Q$d/first.txt\E\$" <<< "$objs")
	if [ -n "$first" ]; then
		case "$first" in
		$'proc\t3\t1\t1\tfile '* | $'arg\t3\t1\t1\tfile '*) ;;
		*) fail "first.txt: got '$first'" ;;
		esac
	else
		# lost: its write is on a lost object
		[ "$(sum_col "$objs" 4 lost)" -ge 1 ] || fail "first.txt neither named nor lost: $objs"
	fi
	if [ -n "$first" ]; then
		note "try $try: first.txt named ($(cut -f1 <<< "$first"))"
	else
		note "try $try: first.txt lost"
	fi
done
exit 0
