#!/bin/bash
# backend: any (run.sh runs it under ptrace too when tracefs is unusable)
# The app starts with exactly the descriptors it would have untraced: no
# ring-buffer reader, signalfd, pidfd or report file of iolockprof leaks
# into it (a leaked trace_pipe_raw would also keep the instance busy).
. "$(dirname "$0")/lib.sh"

want=$("$WL/fdcount")
for backend in $(backends); do
	got=$(ilp run --backend=$backend -o "$T/report.$backend" -- "$WL/fdcount" 2> "$T/err")
	rc=$?
	[ $rc -eq 0 ] || { show "$T/err"; fail "$backend: exit $rc"; }
	expect_eq "$backend: descriptors open in the app" "$got" "$want" "$T/report.$backend"
done
exit 0
