#!/bin/bash
# tracefs: not needed
# -e %CLASS means what it means to strace: src/util/syscalls_strace.h (the
# classes' members) is what scripts/strace-classes.sh gets from the
# installed strace, row for row, when that strace is the version the file
# was made from (a newer one: refresh the file, see the script).
. "$(dirname "$0")/lib.sh"

src=$(cd "$(dirname "$0")/../.." && pwd)
command -v strace > /dev/null || skip "no strace installed"
[ "$(uname -m)" = x86_64 ] || skip "the classes are x86_64's"
made=$(sed -n '1s/.*from strace \([^ ]*\) .*/\1/p' "$src/src/util/syscalls_strace.h")
have=$(strace -V | sed -n '1s/.*version //p')
[ "$made" = "$have" ] || skip "strace $have installed, the table is strace $made's"
sh "$src/scripts/strace-classes.sh" > "$T/rows" 2> "$T/err" || { show "$T/err"; fail "strace-classes.sh failed"; }
n=$(grep -c '^	{ "' "$T/rows")
[ "$n" -gt 200 ] || { show "$T/rows"; fail "strace-classes.sh found $n classified syscalls, want over 200"; }
diff -u "$src/src/util/syscalls_strace.h" "$T/rows" > "$T/diff" ||
	{ show "$T/diff"; fail "src/util/syscalls_strace.h differs from strace $have's classes"; }
exit 0
