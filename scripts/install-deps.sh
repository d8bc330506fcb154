#!/bin/sh
# Installs what iolockprof needs to build and test, on Debian/Ubuntu, only
# when something is missing.  Needs root (or sudo) for apt-get.
set -eu
need="gcc make pkg-config time util-linux libtracefs-dev libtraceevent-dev libcmocka-dev \
libtracecmd-dev trace-cmd libdw-dev libelf-dev strace linux-perf \
chromium chromium-driver nodejs"
# npm: Debian's package, unless a nodejs that bundles it (nodesource) is there
command -v npm >/dev/null 2>&1 || need="$need npm"
missing=""
for p in $need; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
# JSON Schema validator for the tests (ajv, from the npm registry)
[ -z "$missing" ] && exec sh "$(dirname "$0")/install-node-deps.sh"
echo "install-deps: installing:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
sh "$(dirname "$0")/install-node-deps.sh"
