#!/bin/bash
# SIGINT / SIGTERM to iolockprof during run: the signal reaches the app,
# iolockprof exits within 5 s with 128+signal and still writes the report.
. "$(dirname "$0")/lib.sh"
# Job control, so background jobs do not start with SIGINT ignored (as they
# would in a plain script): the app must be killable by a forwarded SIGINT,
# as it is under an interactive shell.
set -m

one() {
	local sig=$1 want=$2 ilp_pid spid rc
	"$ILP" run -o "$T/r.$sig" -- "$WL/sleeper" 30 > "$T/out.$sig" 2> "$T/err.$sig" &
	ilp_pid=$!
	bg_track "$ilp_pid"
	sleep 1
	spid=$(cat "$T/out.$sig")
	[ -n "$spid" ] || { show "$T/err.$sig"; fail "$sig: sleeper did not start within 1 s"; }
	bg_track "$spid"
	kill -"$sig" "$ilp_pid"
	wait_gone "$ilp_pid" 5 || { show "$T/err.$sig"; fail "$sig: iolockprof $ilp_pid still running 5 s after SIG$sig"; }
	wait "$ilp_pid"
	rc=$?
	kill -0 "$spid" 2>/dev/null && { kill -KILL "$spid"; fail "$sig: sleeper $spid still alive after iolockprof exited"; }
	[ $rc -eq "$want" ] || { show "$T/err.$sig"; show "$T/r.$sig"; fail "$sig: iolockprof exited $rc, want $want (app killed by SIG$sig)"; }
	[ -n "$(pid_section "$T/r.$sig" "$spid")" ] || { show "$T/err.$sig"; show "$T/r.$sig"; fail "$sig: report has no section for sleeper $spid"; }
	expect_range "$sig: nanosleep calls of sleeper $spid in ~1 s" "$(sc_count "$T/r.$sig" "$spid" nanosleep)" 1 200 "$T/r.$sig"
	ls -d "$TRACEFS"/instances/iolockprof-"$ilp_pid"* >/dev/null 2>&1 &&
		fail "$sig: instance iolockprof-$ilp_pid still present"
	return 0
}
one INT 130
one TERM 143
exit 0
