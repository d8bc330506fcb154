#!/bin/bash
# A process in its own mount namespace (unshare -m, a tmpfs on /mnt)
# writing /mnt/NAME: named as that process sees it, "file /mnt/NAME", with
# all its calls; the host's /mnt has no such file.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_names.sh"

command -v unshare > /dev/null 2>&1 || skip "unshare not installed"
unshare -m true 2> /dev/null || skip "unshare -m not permitted here"
f="/mnt/ilp-names-$$.txt"
[ ! -e "$f" ] || skip "$f exists on the host"
for b in default ptrace; do
	args=()
	[ $b = ptrace ] && args=(--backend=ptrace)
	ilp run "${args[@]}" --format json -o "$T/j.$b" -- unshare -m sh -c \
		"mount -t tmpfs tmpfs /mnt && exec '$WL/names' hold '$f'" 2> "$T/err" ||
		{ show "$T/err"; fail "$b: run failed"; }
	[ ! -e "$f" ] || fail "$b: $f appeared on the host"
	want=$'proc\t2002\t1\t2000\tfile '"$f"
	[ $b = ptrace ] && want=$'call\t2002\t1\t2000\tfile '"$f"
	expect_eq "$b: the file in the namespace" \
		"$(json_objects "$T/j.$b" names | awk -F'\t' '$4 == 2000')" "$want"
done
exit 0
