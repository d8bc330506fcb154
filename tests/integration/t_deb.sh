#!/bin/bash
# backend: any (run.sh runs it under ptrace too when tracefs is unusable)
# make deb builds build/iolockprof_VERSION_ARCH.deb: its control fields
# (Version is --version's, Depends exactly the eight libraries, each with a
# version), exactly the expected files (stripped binary, gzipped man page,
# completion, docs, copyright, changelog), owned by root, and md5sums that
# hold.  Then, unless an iolockprof is already on this machine, dpkg -i
# installs it, the installed iolockprof runs (--version, run -o - -- true)
# and dpkg --purge removes it again and every file of it (also when the
# test fails midway: the machine is left as it was).
. "$(dirname "$0")/lib.sh"

src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(dirname "$ILP")
for t in dpkg-deb dpkg-shlibdeps dpkg-buildflags readelf; do
	command -v $t > /dev/null || skip "no $t (make deps installs dpkg-dev and binutils)"
done
version=$("$ILP" --version | sed -n 's/^iolockprof //p')
arch=$(dpkg --print-architecture)
deb=$build/iolockprof_${version}_$arch.deb

rm -f "$deb"
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$src" --no-print-directory -j2 \
	O="$build" deb > "$T/make.out" 2>&1 || { show "$T/make.out" 200; fail "make deb failed"; }
[ -f "$deb" ] || { show "$T/make.out"; fail "make deb made no $deb"; }
note "$(basename "$deb"): $(stat -c %s "$deb") bytes"

# control
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = iolockprof ] || fail "Package: '$(field Package)'"
[ "$(field Version)" = "$version" ] || fail "Version: '$(field Version)', want --version's $version"
[ "$(field Architecture)" = "$arch" ] || fail "Architecture: '$(field Architecture)', want $arch"
field Maintainer | grep -qE '^[^<]+ <[^@ ]+@[^> ]+>$' || fail "Maintainer: '$(field Maintainer)'"
[ "$(field Description | head -1)" != "" ] && [ "$(field Description | wc -l)" -gt 3 ] ||
	fail "Description: no synopsis and long description"
[ "$(field Installed-Size)" -gt 0 ] 2> /dev/null || fail "Installed-Size: '$(field Installed-Size)'"
# Depends: exactly the libraries iolockprof links, each "(>= VERSION)"
field Depends | tr ',' '\n' | sed 's/^ *//' > "$T/depends"
sed 's/ .*//' "$T/depends" | sort > "$T/dep-names"
printf '%s\n' libc6 libcurl4 libdw1 libelf1 libtracecmd1 libtraceevent1 libtracefs1 zlib1g > "$T/dep-want"
diff -u "$T/dep-want" "$T/dep-names" >&2 || fail "Depends: not exactly the eight libraries: $(field Depends)"
grep -vE '^[a-z0-9.+-]+ \(>= [0-9][^)]*\)$' "$T/depends" &&
	fail "Depends: an entry without a (>= version): $(field Depends)"

# contents: "MODE OWNER PATH", exactly these
dpkg-deb -c "$deb" | awk '{ print $1, $2, $6 }' | sed 's| \./| |; s|/$||' |
	grep -v ' $' | sort -k3 > "$T/contents"
{
	for d in usr usr/bin usr/share usr/share/man usr/share/man/man1 usr/share/bash-completion \
		usr/share/bash-completion/completions usr/share/doc usr/share/doc/iolockprof \
		usr/share/doc/iolockprof/docs; do
		echo "drwxr-xr-x root/root $d"
	done
	echo "-rwxr-xr-x root/root usr/bin/iolockprof"
	echo "-rw-r--r-- root/root usr/share/man/man1/iolockprof.1.gz"
	echo "-rw-r--r-- root/root usr/share/bash-completion/completions/iolockprof"
	echo "-rw-r--r-- root/root usr/share/doc/iolockprof/copyright"
	echo "-rw-r--r-- root/root usr/share/doc/iolockprof/changelog.gz"
	# docs over 4 kB are gzipped (Debian policy 12.3); the schema stays
	for f in README.md docs/*.md; do
		[ "$(stat -c %s "$src/$f")" -gt 4096 ] && f=$f.gz
		echo "-rw-r--r-- root/root usr/share/doc/iolockprof/$f"
	done
	echo "-rw-r--r-- root/root usr/share/doc/iolockprof/docs/report.schema.json"
} | (cd "$src" && sort -k3) > "$T/contents-want"
diff -u "$T/contents-want" "$T/contents" >&2 || fail "the package's files are not exactly the expected ones"

# the files themselves
dpkg-deb -x "$deb" "$T/x" && dpkg-deb -e "$deb" "$T/x/DEBIAN" || fail "cannot unpack $deb"
(cd "$T/x" && md5sum --quiet -c DEBIAN/md5sums) >&2 || fail "DEBIAN/md5sums does not hold"
[ "$(wc -l < "$T/x/DEBIAN/md5sums")" -eq "$(grep -c '^-' "$T/contents")" ] ||
	fail "DEBIAN/md5sums does not list every file"
readelf -S "$T/x/usr/bin/iolockprof" > "$T/sections" || fail "readelf failed"
grep -qE '\.symtab|\.debug_' "$T/sections" && fail "usr/bin/iolockprof is not stripped"
readelf -d "$T/x/usr/bin/iolockprof" | grep -q 'BIND_NOW' || fail "usr/bin/iolockprof: no bindnow (hardening=+all)"
zcat "$T/x/usr/share/man/man1/iolockprof.1.gz" | cmp - "$src/docs/iolockprof.1" || fail "man page differs"
cmp "$T/x/usr/share/bash-completion/completions/iolockprof" "$src/contrib/bash-completion/iolockprof" ||
	fail "completion differs"
cr=$T/x/usr/share/doc/iolockprof/copyright
grep -qx 'License: MIT' "$cr" && grep -qx 'Copyright: 2026 the iolockprof developers' "$cr" &&
	grep -q '^ THE SOFTWARE IS PROVIDED "AS IS"' "$cr" || { show "$cr"; fail "copyright: not the MIT licence"; }
zcat "$T/x/usr/share/doc/iolockprof/changelog.gz" | head -1 | grep -q "^iolockprof ($version) " ||
	fail "changelog.gz: not for $version"
"$T/x/usr/bin/iolockprof" --version | grep -qx "iolockprof $version" || fail "the packaged binary's --version"

# dpkg -i, use, dpkg --purge: only where no iolockprof is there to replace
dpkg-query -W -f='${Status}' iolockprof 2> /dev/null | grep -q 'installed' &&
	skip "iolockprof is installed here (dpkg): not replaced; the package itself passed"
while read -r _ _ f; do
	[ ! -e "/$f" ] || [ -d "/$f" ] ||
		skip "/$f exists (make install PREFIX=/usr?): not overwritten; the package itself passed"
done < "$T/contents"
# dpkg waits for no one: another apt or dpkg run holds its lock a while
dpkg_retry() {
	local i
	for i in $(seq 120); do
		"$@" > "$T/dpkg.out" 2>&1 && return 0
		grep -q 'lock' "$T/dpkg.out" || return 1
		sleep 1
	done
	return 1
}
on_exit 'dpkg-query -W iolockprof > /dev/null 2>&1 && dpkg_retry dpkg --purge iolockprof'
dpkg_retry dpkg -i "$deb" || { show "$T/dpkg.out"; fail "dpkg -i failed"; }
dpkg-query -W -f='${Status} ${Version}' iolockprof | grep -qx "install ok installed $version" ||
	fail "dpkg-query: not installed after dpkg -i"
dpkg -L iolockprof | sed 's|^/||' | grep -v '^\.$' | sort > "$T/listed"
awk '{ print $3 }' "$T/contents" | sort > "$T/want-listed"
diff -u "$T/want-listed" "$T/listed" >&2 || fail "dpkg -L: not the package's files"
command -v iolockprof | grep -qx /usr/bin/iolockprof || fail "iolockprof is not /usr/bin/iolockprof on PATH"
iolockprof --version | grep -qx "iolockprof $version" || fail "installed iolockprof --version"
ILP=/usr/bin/iolockprof ilp run -o - -- true > "$T/report" 2> "$T/err"
rc=$?
[ $rc -eq 0 ] || { show "$T/err"; show "$T/report"; fail "installed iolockprof run -o - -- true: exit $rc"; }
grep -q '^duration: ' "$T/report" || { show "$T/report"; fail "installed run: no report on stdout"; }
[ -n "$(pids_named "$T/report" true)" ] || { show "$T/report"; fail "installed run: no section for true"; }

dpkg_retry dpkg --purge iolockprof || { show "$T/dpkg.out"; fail "dpkg --purge failed"; }
dpkg-query -W -f='${Status}' iolockprof 2> /dev/null | grep -q 'installed' &&
	fail "still installed after dpkg --purge"
while read -r f; do
	[ ! -e "/$f" ] || [ -d "/$f" ] || fail "/$f left after dpkg --purge"
done < "$T/listed"
[ ! -e /usr/share/doc/iolockprof ] || fail "/usr/share/doc/iolockprof left after dpkg --purge"
exit 0
