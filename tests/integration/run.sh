#!/bin/bash
# Integration test runner: tests/integration/run.sh BUILD_DIR [NAME...]
#
# NAME... (t_record, or record): only those tests (make integration T=...).
# Runs every tests/integration/t_*.sh in its own bash process with
# ILP=BUILD_DIR/iolockprof and WL=BUILD_DIR/workloads.  A test exits 0 (pass),
# 77 (skip; its last output line is the reason) or anything else (fail).
# After each test, no iolockprof-* tracefs instance it created may remain:
# a leftover fails that test and is removed (if its owner is provably dead:
# see remove_stale below) so later tests start clean.
# Needs root and tracefs (mounted here if it is not).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: run.sh BUILD_DIR}
build=$(cd "$build" 2>/dev/null && pwd) || { echo "run.sh: no build directory '$1'" >&2; exit 1; }
export ILP="$build/iolockprof" WL="$build/workloads"
export TRACEFS=/sys/kernel/tracing
inst="$TRACEFS/instances"
per_test_timeout=${ILP_TEST_TIMEOUT:-180}

shift
if [ $# -gt 0 ]; then
	tests=""
	for n in "$@"; do
		n=${n%.sh}
		n=t_${n#t_}
		[ -f "$here/$n.sh" ] || { echo "run.sh: no test $n in $here" >&2; exit 1; }
		tests="$tests $here/$n.sh"
	done
else
	tests=$(ls "$here"/t_*.sh 2>/dev/null | sort)
fi
ntests=$(printf '%s\n' $tests | grep -c .)

skip_all() {
	local t
	for t in $tests; do
		echo "SKIP $(basename "$t" .sh): $1"
	done
	echo "integration: 0 passed, 0 failed, $ntests skipped"
	exit 0
}

# One integration suite at a time on this machine: tracefs is shared, and
# the leftover checks below would take another suite's instances for ours.
exec 9> "${TMPDIR:-/tmp}/iolockprof-integration.lock"
if ! flock -n 9; then
	echo "run.sh: another integration run is in progress; waiting for it" >&2
	flock 9
fi

if [ "$(id -u)" -ne 0 ]; then
	skip_all "not root (integration tests need root for tracefs; try: sudo make integration)"
fi
if [ ! -d "$inst" ]; then
	mountpoint -q "$TRACEFS" || mount -t tracefs nodev "$TRACEFS" 2>/dev/null
	[ -d "$inst" ] || skip_all "no tracefs at $TRACEFS (mount -t tracefs nodev $TRACEFS failed)"
fi
# A kernel whose tracing lock is held forever (an oops inside tracing code:
# see dmesg) hangs every instance mkdir, unkillably.  Probe in the
# background: if mkdir does not return, only the tests marked
# "# tracefs: not needed" run, the others are skipped with the reason.
tracefs_stuck=0
probe_done=$(mktemp -u "${TMPDIR:-/tmp}/ilp-probe.XXXXXX")
# setsid -f: the probe is nobody's child here, so a hung one is never waited for
setsid -f sh -c 'mkdir "$1" 2>/dev/null && rmdir "$1"; : > "$2"' probe \
	"$inst/ilpprobe-$$" "$probe_done" < /dev/null > /dev/null 2>&1
for _ in $(seq 100); do
	[ -e "$probe_done" ] && break
	sleep 0.1
done
if [ -e "$probe_done" ]; then
	rm -f "$probe_done"
else
	tracefs_stuck=1
	export ILP_TRACEFS_STUCK=1
	echo "run.sh: creating a tracefs instance hangs in the kernel (its tracing lock is held by a crashed task? see dmesg); only tests that need no tracefs run; reboot to run the rest" >&2
fi
for f in "$ILP" "$WL/writes" "$WL/threads" "$WL/forkexec" "$WL/sleeper" "$WL/exitcode"; do
	if [ ! -x "$f" ]; then
		echo "run.sh: $f is missing; build it first (make all workloads)" >&2
		for t in $tests; do echo "FAIL $(basename "$t" .sh): $f missing"; done
		echo "integration: 0 passed, $ntests failed, 0 skipped"
		exit 1
	fi
done

# Instances are owned provably (include/owner.h): a session holds an flock
# on $lockdir/NAME.lock for its whole life.  Only an instance whose lock can
# be taken is dead; one without a lock file (an older iolockprof's) cannot
# be proved dead and is never removed here.
lockdir=/run/iolockprof

# Base names (without -sys) of the iolockprof instances, one per line.
list_instances() {
	local d n
	for d in "$inst"/iolockprof-*; do
		[ -d "$d" ] || continue
		n=${d##*/}
		n=${n%-sys}
		printf '%s\n' "$n" | grep -xE 'iolockprof-[a-z]{16}'
	done | sort -u
}
# Uprobe groups of --lock-holds sessions (iolockprof_<token>), as their
# instances' base names, one per line: owned as the instances are.
list_groups() {
	grep -oE '^[pr]:iolockprof_[a-z]{16}/' "$TRACEFS/uprobe_events" 2>/dev/null |
		sed 's/^..iolockprof_/iolockprof-/; s/\/$//' | sort -u
}
# The pid (as we see it) holding NAME's lock, from /proc/locks; empty if none.
lock_holder() {
	local ino
	ino=$(stat -c %i "$lockdir/$1.lock" 2>/dev/null) || return 0
	awk -v ino=":$ino" '$2 == "FLOCK" && substr($6, length($6) - length(ino) + 1) == ino { print $5; exit }' /proc/locks
}
# True if NAME's lock file exists and its lock is free: its session is dead.
owner_dead() {
	[ -f "$lockdir/$1.lock" ] && ( exec 8< "$lockdir/$1.lock" && flock -n 8 ) 2>/dev/null
}
# True if PID is alive and carries this run's marker (started by our test).
ours_alive() {
	[ -n "$1" ] && [ -r "/proc/$1/environ" ] &&
		tr '\0' '\n' < "/proc/$1/environ" 2>/dev/null | grep -qx "ILP_TEST_TOKEN=$token"
}
# Removes what is provably dead (the tool's own proof: flock, then rmdir);
# a dead owner's files close one by one, so rmdir may say busy a moment.
remove_stale() {
	local out i
	for i in $(seq 20); do
		out=$("$ILP" --remove-stale 2>&1)
		printf '%s\n' "$out" | grep -v -e ': kept (' -e '^$' | sed 's/^/run.sh: /'
		printf '%s\n' "$out" | grep -q 'a file of it is open' || return 0
		sleep 0.1
	done
}

# Stale leftovers from earlier runs (owner dead) are not any test's fault.
remove_stale >&2

pass=0 failed=0 skipped=0
for t in $tests; do
	name=$(basename "$t" .sh)
	unset ILP_BACKEND
	if [ $tracefs_stuck -eq 1 ] && ! grep -q '^# tracefs: not needed' "$t"; then
		if ! grep -q '^# backend: any' "$t"; then
			echo "SKIP $name: creating a tracefs instance hangs in this kernel (see dmesg); reboot to run it"
			skipped=$((skipped + 1))
			continue
		fi
		# the same test, against the ptrace backend
		export ILP_BACKEND=ptrace
		name="$name (ptrace backend: tracefs unusable)"
	fi
	log=$(mktemp)
	before=$(list_instances)
	before_groups=$(list_groups)
	token="$name.$$.$RANDOM"
	ILP_TEST_TOKEN=$token timeout -k 5 "$per_test_timeout" bash "$t" > "$log" 2>&1
	rc=$?
	[ $rc -eq 124 ] && echo "  test timed out after ${per_test_timeout}s" >> "$log"

	# Leftovers: instances new since the test started whose owner is dead
	# or is a process of this test still running; a live owner from
	# outside (another user's session) is left alone.
	left=""
	while read -r iname; do
		[ -n "$iname" ] || continue
		printf '%s\n' "$before" | grep -qx "$iname" && continue
		ipid=$(lock_holder "$iname")
		if [ -n "$ipid" ] && ours_alive "$ipid"; then
			echo "  process $ipid ($(cat /proc/$ipid/comm 2>/dev/null)) of this test still running; killing it" >> "$log"
			kill -KILL "$ipid" 2>/dev/null
			for _ in $(seq 50); do owner_dead "$iname" && break; sleep 0.1; done
		fi
		if owner_dead "$iname"; then
			left="$left $iname"
		elif [ ! -e "$lockdir/$iname.lock" ]; then
			left="$left $iname(no-lock-file:left-alone)"
		fi
	done <<< "$(list_instances)"
	# --lock-holds' uprobe groups: a new one whose owner is dead is a leak
	while read -r gname; do
		[ -n "$gname" ] || continue
		printf '%s\n' "$before_groups" | grep -qx "$gname" && continue
		owner_dead "$gname" && left="$left iolockprof_${gname#iolockprof-}(uprobes)"
	done <<< "$(list_groups)"
	if [ -n "$left" ]; then
		echo "  tracefs instance(s) or uprobe group(s) left behind:$left" >> "$log"
		remove_stale >> "$log"
		[ $rc -eq 0 ] || [ $rc -eq 77 ] && rc=1
	fi

	case $rc in
	0)
		echo "PASS $name"
		pass=$((pass + 1)) ;;
	77)
		echo "SKIP $name: $(grep -v '^[[:space:]]*$' "$log" | tail -n 1)"
		skipped=$((skipped + 1)) ;;
	*)
		echo "FAIL $name (exit $rc)"
		sed 's/^/    /' "$log"
		failed=$((failed + 1)) ;;
	esac
	rm -f "$log"
done

echo "integration: $pass passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
