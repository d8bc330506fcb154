#!/bin/sh
# Installs what iolockprof needs, on Debian/Ubuntu, only when something is
# missing.  Needs root (or sudo) for apt-get.
#   sh scripts/install-deps.sh build   to build and run it (make, make demo)
#   sh scripts/install-deps.sh test    also to run every test (make check)
#   sh scripts/install-deps.sh fuzz    also clang and libFuzzer (make fuzz)
set -eu
mode=${1:-test}
need="gcc g++ make pkg-config libtracefs-dev libtraceevent-dev libtracecmd-dev libdw-dev libelf-dev libiberty-dev zlib1g-dev libcurl4-openssl-dev"
if [ "$mode" = fuzz ]; then
	need="$need clang libclang-rt-dev"
elif [ "$mode" = test ]; then
	# cmocka: unit tests; strace/perf/time: the benchmark and comparisons;
	# util-linux: setpriv for the unprivileged tests; trace-cmd: opens our
	# trace.dat in the tests; chromium + node: the HTML and JSON checks;
	# jq: the findings' sum rule; sqlite3: the transaction-per-statement case;
	# dpkg-dev: make deb and t_deb (dpkg-buildflags, dpkg-shlibdeps);
	# golang-go, protobuf-compiler: go tool pprof and protoc --decode read
	# --format pprof back in the tests; python3: the HTTP server --push posts to;
	# liburing-dev: the uring_writes workload; fio: t_uring's real client;
	# redis-tools: make bench-server (its redis-check-rdb is redis-server;
	# the redis-server package would start a system service)
	need="$need libcmocka-dev time util-linux trace-cmd strace linux-perf \
chromium chromium-driver nodejs jq sqlite3 dpkg-dev golang-go protobuf-compiler python3 \
liburing-dev fio redis-tools"
	# npm: Debian's package, unless a nodejs that bundles it (nodesource) is there
	command -v npm >/dev/null 2>&1 || need="$need npm"
fi
missing=""
for p in $need; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
# promtool (Debian's prometheus package) validates --format prom in the
# tests; the package would start a server, so only its promtool is taken
PROMTOOL_DIR=/usr/local/lib/iolockprof-test
promtool_dep() {
	[ "$mode" = test ] || return 0
	command -v promtool >/dev/null 2>&1 && return 0
	[ -x "$PROMTOOL_DIR/promtool" ] && return 0
	tmp=$(mktemp -d)
	echo "install-deps: promtool from Debian's prometheus package, into $PROMTOOL_DIR"
	(cd "$tmp" && chmod 755 . && $SUDO apt-get download -qq prometheus >/dev/null 2>&1 ||
		{ $SUDO apt-get update -qq && $SUDO apt-get download -qq prometheus; }) &&
		dpkg-deb -x "$tmp"/prometheus_*.deb "$tmp/x" &&
		$SUDO mkdir -p "$PROMTOOL_DIR" &&
		$SUDO cp "$tmp/x/usr/bin/promtool" "$PROMTOOL_DIR/promtool"
	rc=$?
	rm -rf "$tmp"
	return $rc
}
node_deps() {
	# JSON Schema validator for the tests (ajv, from the npm registry)
	[ "$mode" = test ] || return 0
	sh "$(dirname "$0")/install-node-deps.sh"
}
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
if [ -z "$missing" ]; then
	node_deps
	promtool_dep
	exit 0
fi
echo "install-deps: installing:$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
node_deps
promtool_dep
