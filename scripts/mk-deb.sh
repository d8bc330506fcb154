#!/bin/sh
# Makes the Debian package from a tree staged by make install (make deb
# runs it): sh scripts/mk-deb.sh ROOT VERSION OUT.deb "MAINTAINER"
# ROOT is DESTDIR of `make install DESTDIR=ROOT PREFIX=/usr`; it is changed
# into the package's tree, as Debian policy and lintian want it: the binary
# stripped (like dh_strip), the man page and the docs over 4 kB gzipped
# (like dh_compress; README.md's links then name .md.gz files), the licence
# as usr/share/doc/iolockprof/copyright (machine-readable, instead of
# LICENSE), a changelog.gz, DEBIAN/control with Depends from
# dpkg-shlibdeps, and DEBIAN/md5sums.  Needs dpkg-dev (make deb checks).
set -eu
root=${1:?usage: mk-deb.sh ROOT VERSION OUT.deb MAINTAINER}
version=${2:?no version}
out=${3:?no output file}
maintainer=${4:?no maintainer}
src=$(cd "$(dirname "$0")/.." && pwd)
doc=$root/usr/share/doc/iolockprof

arch=$(dpkg-architecture -qDEB_HOST_ARCH)
# the date of the sources (the last commit), not of this build
epoch=${SOURCE_DATE_EPOCH:-$(git -C "$src" log -1 --format=%ct 2> /dev/null || date +%s)}

strip --strip-unneeded --remove-section=.comment --remove-section=.note \
	"$root/usr/bin/iolockprof"
gzip -9nf "$root/usr/share/man/man1/iolockprof.1"

rm -f "$doc/LICENSE"
{
	cat <<-COPYRIGHT
	Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
	Upstream-Name: iolockprof
	Upstream-Contact: $maintainer

	Files: *
	Copyright: 2026 the iolockprof developers
	License: MIT

	License: MIT
	COPYRIGHT
	# the licence text, blank lines as " ."
	sed -e '1,/^Copyright/d' -e 's/^$/./' -e 's/^/ /' "$src/LICENSE" | sed '1{/^ \.$/d}'
} > "$doc/copyright"
{
	echo "iolockprof ($version) unstable; urgency=medium"
	echo
	echo "  * Packaged from the iolockprof source tree by make deb; the history"
	echo "    is the git log of that tree."
	echo
	echo " -- $maintainer  $(LC_ALL=C date -u -R -d "@$epoch")"
} > "$doc/changelog"
find "$doc" -type f \( -name changelog -o -name '*.md' -size +4k \) -exec gzip -9nf {} +

mkdir -p "$root/DEBIAN"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# dpkg-shlibdeps wants a debian/control to know the package it works for
mkdir "$work/debian"
printf 'Source: iolockprof\n\nPackage: iolockprof\nArchitecture: any\n' > "$work/debian/control"
bin=$(cd "$root/usr/bin" && pwd)/iolockprof
depends=$(cd "$work" && dpkg-shlibdeps -O "$bin" | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "mk-deb.sh: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)

cat > "$root/DEBIAN/control" <<EOF2
Package: iolockprof
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $size
Depends: $depends
Section: devel
Priority: optional
Description: where programs wait: syscall latency, disk I/O, locks
 iolockprof profiles the time programs spend waiting: inside syscalls, on
 the disk, on locks.  It shows where a program blocks, for how long and
 why, and names the pattern behind it (unbuffered I/O, N+1 round trips, a
 hot lock, an fsync storm, a transaction per item) with the fix and the
 time the fix would save.
 .
 It drives ftrace through a private tracefs instance (libtracefs), decodes
 the ring buffers with libtraceevent, and falls back to ptrace (with a
 seccomp filter) where tracefs is out of reach.  No kernel module, no eBPF.
 Reports are text, JSON, self-contained HTML, folded stacks or Perfetto
 traces; record keeps a trace-cmd trace.dat to report later.
EOF2
(cd "$root" && find usr -type f | LC_ALL=C sort | xargs md5sum) > "$root/DEBIAN/md5sums"
find "$root" -type d -exec chmod 0755 {} +
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"

SOURCE_DATE_EPOCH=$epoch dpkg-deb --root-owner-group -Zxz --build "$root" "$out" > /dev/null
