#!/bin/sh
# scripts/demo.sh BUILD_DIR - profile the bundled demo workload (make demo).
set -u
build=${1:-build}
ilp="$build/iolockprof"
demo="$build/workloads/demo"
for f in "$ilp" "$demo"; do
	[ -x "$f" ] || { echo "demo.sh: $f missing; run: make all workloads" >&2; exit 1; }
done
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "iolockprof demo: profiling a ~1 s workload that writes a log unbuffered, fsyncs, does 250 pipe round trips, fights over a mutex, waits for a slow thread and saves 40 orders one transaction each"
exec $SUDO "$ilp" run -- "$demo"
