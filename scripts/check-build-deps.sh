#!/bin/sh
# Checks the build's pkg-config modules before anything compiles, so a
# missing library is one line naming the package to install, not a
# compiler error about a header.  The Makefile runs it before every build.
#   PKG_CONFIG=pkg-config sh scripts/check-build-deps.sh MODULE...
# Exit 0 (all there, silent), or 1 after one line on stderr per missing
# module (or for pkg-config itself).  The Debian package of each module is
# MODULE-dev (libtracefs: libtracefs-dev), zlib's zlib1g-dev, libcurl's
# libcurl4-openssl-dev, as
# scripts/install-deps.sh installs them; libiberty-dev is checked by its
# header, with $CC.
set -u
pc=${PKG_CONFIG:-pkg-config}
fix="(or: make deps-build)"
if ! command -v "$pc" > /dev/null 2>&1; then
	echo "iolockprof: missing build dependency pkg-config: apt-get install pkg-config $fix" >&2
	exit 1
fi
rc=0
for m in "$@"; do
	"$pc" --exists "$m" 2> /dev/null && continue
	case $m in
	zlib) pkg=zlib1g-dev ;;
	libcurl) pkg=libcurl4-openssl-dev ;;
	*) pkg=$m-dev ;;
	esac
	echo "iolockprof: missing build dependency $m: apt-get install $pkg $fix" >&2
	rc=1
done
# libiberty (the demangler, linked statically) has no pkg-config module:
# its header
if ! printf '#include <libiberty/demangle.h>\n' | ${CC:-cc} -E -x c - > /dev/null 2>&1; then
	echo "iolockprof: missing build dependency libiberty: apt-get install libiberty-dev $fix" >&2
	rc=1
fi
exit $rc
