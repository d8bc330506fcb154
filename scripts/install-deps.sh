#!/bin/sh
# Installs what iolockprof needs to build and test, on Debian/Ubuntu, only
# when something is missing.  Needs root (or sudo) for apt-get.
set -eu
need="gcc make pkg-config time util-linux libtracefs-dev libtraceevent-dev libcmocka-dev \
libtracecmd-dev trace-cmd libdw-dev libelf-dev strace linux-perf"
missing=""
for p in $need; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "install-deps: installing:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
