#!/bin/bash
# Separate debuginfo: cache_storm stripped of its symbols and DWARF names
# its lock only by the mapping (cache_storm+0x...); with the debuginfo
# beside it (.gnu_debuglink) the lock is app::Cache::mu_ again; and in a
# chroot (a container's root: its own /usr/lib/debug, which ours lacks)
# the debuginfo is found by build-id under the process's root.
. "$(dirname "$0")/lib.sh"

command -v objcopy > /dev/null || skip "objcopy not installed (binutils)"
command -v chroot > /dev/null || skip "chroot not installed"

# mutex_row REPORT: the first mutex row's name in Locks (user) for the
# cache_storm process, then its address
mutex_row() {
	local pid
	pid=$(pids_named "$1" cache_storm)
	awk -v pid="$pid" '/^== Locks \(user\) ==/ { on = 1; next } /^== / { on = 0 }
		on && $1 == "pid" { mine = ($2 == pid) } on && mine && $2 == "mutex" { n = $1; getline; print n, $2; exit }' "$1"
}
# run_named TAG CMD...: runs CMD under the tool, prints "name address" of
# the lock and the address cache_storm printed
run_named() {
	local tag=$1
	shift
	ilp run -o "$T/$tag.rep" -- "$@" 4 200000 > "$T/$tag.out" 2> "$T/$tag.err" ||
		{ show "$T/$tag.err"; show "$T/$tag.rep"; fail "$tag: the run failed"; }
	echo "$(mutex_row "$T/$tag.rep") $(awk '$1 == "app::Cache::mu_" { print $2 }' "$T/$tag.out")"
}

id=$(readelf -n "$WL/cache_storm" | awk '/Build ID:/ { print $3 }')
[ -n "$id" ] || skip "cache_storm has no build-id note"
objcopy --only-keep-debug "$WL/cache_storm" "$T/cache_storm.debug" || fail "objcopy --only-keep-debug"
mkdir -p "$T/bare" && objcopy --strip-all "$WL/cache_storm" "$T/bare/cache_storm" || fail "objcopy --strip-all"
readelf -S "$T/bare/cache_storm" | grep -q '\.symtab\|\.debug_info' && fail "the stripped copy still has .symtab or DWARF"

# stripped, no debuginfo anywhere: the mapping's name
set -- $(run_named bare "$T/bare/cache_storm")
[ "$2" = "$3" ] || { show "$T/bare.rep"; fail "bare: lock at '$2', cache_storm printed '$3'"; }
[[ $1 =~ ^cache_storm\+0x[0-9a-f]+$ ]] || { show "$T/bare.rep"; fail "bare: lock named '$1', want cache_storm+0x..."; }

# stripped, debuglink to the debuginfo beside it
mkdir -p "$T/linked"
objcopy --strip-all --add-gnu-debuglink="$T/cache_storm.debug" "$WL/cache_storm" "$T/linked/cache_storm" ||
	fail "objcopy --add-gnu-debuglink"
cp "$T/cache_storm.debug" "$T/linked/"
set -- $(run_named linked "$T/linked/cache_storm")
expect_eq "debuglink: the lock's name" "$1" "app::Cache::mu_" "$T/linked.rep"
expect_eq "debuglink: its address" "$2" "$3" "$T/linked.rep"

# a chroot with the libraries it needs and the debuginfo by build-id in
# its own /usr/lib/debug; the binary has no debuglink
R="$T/root"
mkdir -p "$R/usr/lib/debug/.build-id/${id:0:2}" || fail "mkdir $R"
cp "$T/bare/cache_storm" "$R/cache_storm"
cp "$T/cache_storm.debug" "$R/usr/lib/debug/.build-id/${id:0:2}/${id:2}.debug"
for lib in $(ldd "$WL/cache_storm" | grep -o '/[^ ]*'); do
	mkdir -p "$R$(dirname "$lib")" && cp -L "$lib" "$R$lib" || fail "copy $lib into $R"
done
[ -e "/usr/lib/debug/.build-id/${id:0:2}/${id:2}.debug" ] && fail "the host has cache_storm's debuginfo: the chroot case proves nothing"
set -- $(run_named root chroot "$R" /cache_storm)
expect_eq "chroot: the lock's name (build-id in its root)" "$1" "app::Cache::mu_" "$T/root.rep"
expect_eq "chroot: its address" "$2" "$3" "$T/root.rep"
exit 0
