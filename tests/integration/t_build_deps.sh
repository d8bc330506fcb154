#!/bin/bash
# tracefs: not needed (builds only; runs when instance creation is broken)
# A missing build dependency stops the build before anything compiles, with
# one line per missing pkg-config module naming the Debian package
# (scripts/check-build-deps.sh, the Makefile's build-deps-check): a fake
# pkg-config that knows no libtracefs (then no libtracefs and no libdw), a
# compiler that finds no libiberty header, and a PKG_CONFIG that does not
# exist.  Each build goes to its own O= under $T.
. "$(dirname "$0")/lib.sh"

src=$(cd "$(dirname "$0")/../.." && pwd)
real=$(command -v pkg-config) || skip "no pkg-config (make deps-build installs it)"
fix="(or: make deps-build)"

# fake_pc MODULE...: a pkg-config in $T/bin that fails for these modules
fake_pc() {
	mkdir -p "$T/bin"
	{
		echo '#!/bin/sh'
		echo 'for a; do case "$a" in'
		printf '%s) exit 1 ;;\n' "$@"
		echo 'esac; done'
		echo "exec '$real' \"\$@\""
	} > "$T/bin/pkg-config"
	chmod +x "$T/bin/pkg-config"
}

# build NAME [MAKE ARGS...]: make all into $T/NAME (the outer make's
# jobserver and flags are not this one's); stdout $T/NAME.out, stderr .err
build() {
	local name=$1
	shift
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL PATH="$T/bin:$PATH" \
		make -C "$src" --no-print-directory -j2 O="$T/$name" "$@" all \
		> "$T/$name.out" 2> "$T/$name.err"
}

# expect_stop NAME LINE...: the build failed with exactly these lines from
# the check (and make's own "***" line), and compiled nothing
expect_stop() {
	local name=$1 rc=$2
	shift 2
	[ "$rc" -ne 0 ] || { show "$T/$name.err"; fail "$name: make exited 0, want non-zero"; }
	grep -v '^make: \*\*\* ' "$T/$name.err" > "$T/$name.lines"
	printf '%s\n' "$@" > "$T/$name.want"
	diff -u "$T/$name.want" "$T/$name.lines" >&2 ||
		fail "$name: stderr is not exactly the missing-dependency line(s)"
	grep -q '^make: \*\*\* .*build-deps-check' "$T/$name.err" ||
		{ show "$T/$name.err"; fail "$name: make did not stop at build-deps-check"; }
	[ -z "$(find "$T/$name" -name '*.o' 2> /dev/null)" ] ||
		fail "$name: objects were compiled before the check stopped the build"
	grep -q '  CC ' "$T/$name.out" && { show "$T/$name.out"; fail "$name: something was compiled"; }
	return 0
}

fake_pc libtracefs
build one; rc=$?
expect_stop one $rc \
	"iolockprof: missing build dependency libtracefs: apt-get install libtracefs-dev $fix"

fake_pc libtracefs libdw
build two; rc=$?
expect_stop two $rc \
	"iolockprof: missing build dependency libtracefs: apt-get install libtracefs-dev $fix" \
	"iolockprof: missing build dependency libdw: apt-get install libdw-dev $fix"

# zlib's and libcurl's Debian packages are not MODULE-dev
fake_pc zlib
build nozlib; rc=$?
expect_stop nozlib $rc \
	"iolockprof: missing build dependency zlib: apt-get install zlib1g-dev $fix"

fake_pc libcurl
build nocurl; rc=$?
expect_stop nocurl $rc \
	"iolockprof: missing build dependency libcurl: apt-get install libcurl4-openssl-dev $fix"

# libiberty-dev has no pkg-config module: its header, through CC; a CC
# that finds no libiberty/demangle.h
rm -f "$T/bin/pkg-config"
printf '%s\n' '#!/bin/sh' \
	'for a; do [ "$a" = -E ] && { grep -q libiberty && exit 1; exit 0; }; done' \
	'exec cc "$@"' > "$T/bin/noiberty-cc"
chmod +x "$T/bin/noiberty-cc"
build noiberty CC="$T/bin/noiberty-cc"; rc=$?
expect_stop noiberty $rc \
	"iolockprof: missing build dependency libiberty: apt-get install libiberty-dev $fix"

build nopc PKG_CONFIG="$T/no-such-pkg-config"; rc=$?
expect_stop nopc $rc \
	"iolockprof: missing build dependency pkg-config: apt-get install pkg-config $fix"

# with every module there the check says nothing and lets the build go on
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$src" --no-print-directory \
	O="$T/ok" build-deps-check > "$T/ok.out" 2> "$T/ok.err"
rc=$?
[ $rc -eq 0 ] || { show "$T/ok.err"; fail "build-deps-check with every module there: exit $rc"; }
[ ! -s "$T/ok.err" ] && [ ! -s "$T/ok.out" ] ||
	{ show "$T/ok.out"; show "$T/ok.err"; fail "build-deps-check with every module there is not silent"; }
exit 0
