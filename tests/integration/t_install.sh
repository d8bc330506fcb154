#!/bin/bash
# tracefs: not needed (installs into a staging directory only)
# make install DESTDIR=... PREFIX=/usr puts exactly the expected files there
# (the binary, the man page, the bash completion, the docs), with the
# expected modes and the source tree's contents; PREFIX defaults to
# /usr/local; make uninstall removes exactly those files (a file of someone
# else's beside them stays), the docs' own directories, and nothing else,
# and may run twice.
. "$(dirname "$0")/lib.sh"

src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(dirname "$ILP")

# mk TARGET ARGS...: make in the source tree with the tested build (nothing
# to rebuild), not the outer make's jobserver; output in $T/mk.out
mk() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$src" --no-print-directory \
		O="$build" "$@" > "$T/mk.out" 2>&1 ||
		{ show "$T/mk.out"; fail "make $*: exit $?"; }
}
# tree DIR: "MODE PATH" of everything under DIR, sorted
tree() { (cd "$1" && find . -mindepth 1 -printf '%m %P\n' | sort -k2); }

root=$T/root
mkdir -p "$root/usr/bin"
echo theirs > "$root/usr/bin/other"
mk install DESTDIR="$root" PREFIX=/usr
{
	echo "755 usr"
	echo "755 usr/bin"
	echo "644 usr/bin/other"
	echo "755 usr/bin/iolockprof"
	echo "755 usr/share"
	echo "755 usr/share/man"
	echo "755 usr/share/man/man1"
	echo "644 usr/share/man/man1/iolockprof.1"
	echo "755 usr/share/bash-completion"
	echo "755 usr/share/bash-completion/completions"
	echo "644 usr/share/bash-completion/completions/iolockprof"
	echo "755 usr/share/doc"
	echo "755 usr/share/doc/iolockprof"
	echo "644 usr/share/doc/iolockprof/README.md"
	echo "644 usr/share/doc/iolockprof/LICENSE"
	echo "755 usr/share/doc/iolockprof/docs"
	echo "644 usr/share/doc/iolockprof/docs/report.schema.json"
	for f in "$src"/docs/*.md; do
		echo "644 usr/share/doc/iolockprof/docs/${f##*/}"
	done
} | sort -k2 > "$T/want"
tree "$root" > "$T/got"
diff -u "$T/want" "$T/got" >&2 || fail "make install DESTDIR PREFIX=/usr: not exactly the expected files"
# one INSTALL line per file installed (all but usr/bin/other)
nfiles=$(($(find "$root" -type f | wc -l) - 1))
[ "$(grep -c '^  INSTALL ' "$T/mk.out")" -eq "$nfiles" ] ||
	{ show "$T/mk.out"; fail "make install: not one INSTALL line for each of $nfiles files"; }

# the same bytes as the tree's
cmp "$ILP" "$root/usr/bin/iolockprof" || fail "the installed binary is not $ILP"
cmp "$src/docs/iolockprof.1" "$root/usr/share/man/man1/iolockprof.1" || fail "man page differs"
cmp "$src/contrib/bash-completion/iolockprof" "$root/usr/share/bash-completion/completions/iolockprof" ||
	fail "completion differs"
cmp "$src/LICENSE" "$root/usr/share/doc/iolockprof/LICENSE" || fail "LICENSE differs"
cmp "$src/docs/detectors.md" "$root/usr/share/doc/iolockprof/docs/detectors.md" || fail "detectors.md differs"
"$root/usr/bin/iolockprof" --version > "$T/ver" || fail "the installed binary does not run"
grep -q '^iolockprof [0-9]' "$T/ver" || { show "$T/ver"; fail "installed --version"; }

mk uninstall DESTDIR="$root" PREFIX=/usr
printf '%s\n' "755 usr" "755 usr/bin" "644 usr/bin/other" "755 usr/share" \
	"755 usr/share/bash-completion" "755 usr/share/bash-completion/completions" \
	"755 usr/share/doc" "755 usr/share/man" "755 usr/share/man/man1" | sort -k2 > "$T/want"
tree "$root" > "$T/got"
diff -u "$T/want" "$T/got" >&2 || fail "make uninstall: left something of ours, or took something else"
[ "$(cat "$root/usr/bin/other")" = theirs ] || fail "make uninstall changed another file"
mk uninstall DESTDIR="$root" PREFIX=/usr	# again: nothing to remove, no error

# PREFIX defaults to /usr/local
mk install DESTDIR="$T/local"
[ -x "$T/local/usr/local/bin/iolockprof" ] && [ -f "$T/local/usr/local/share/man/man1/iolockprof.1" ] ||
	{ tree "$T/local" > "$T/got"; show "$T/got"; fail "make install without PREFIX: not under /usr/local"; }
[ "$(tree "$T/local" | grep -vc ' usr/local')" -eq 1 ] || fail "make install without PREFIX: outside /usr/local"
mk uninstall DESTDIR="$T/local"
[ -z "$(find "$T/local" -type f)" ] || fail "make uninstall without PREFIX left files"
exit 0
