#!/bin/bash
# backend: any (run.sh runs it under ptrace too when tracefs is unusable)
# A report that cannot be written fails the run, whatever the app did:
# -o /dev/stdout with stdout on /dev/full (every write fails) exits 125
# with one line on stderr, for both backends, and leaves no instance;
# -o /dev/full itself (a device: not a regular file, outfile.h) and -o in
# a missing directory fail before the app starts (it never runs: no output
# of its own).
. "$(dirname "$0")/lib.sh"

for b in $(backends); do
	ilp run --backend=$b -o /dev/stdout -- "$WL/exitcode" 0 > /dev/full 2> "$T/full.$b"
	rc=$?
	[ $rc -eq 125 ] || { show "$T/full.$b"; fail "$b -o /dev/stdout > /dev/full: exit $rc, want 125"; }
	expect_one_line "$b -o /dev/stdout > /dev/full" "$T/full.$b"
	ilp run --backend=$b -o /dev/full -- "$WL/writes" 1 > "$T/out.$b" 2> "$T/dev.$b"
	rc=$?
	[ $rc -eq 125 ] || { show "$T/dev.$b"; fail "$b -o /dev/full: exit $rc, want 125"; }
	expect_one_line "$b -o /dev/full" "$T/dev.$b"
	[ -s "$T/out.$b" ] && fail "$b -o /dev/full: the app ran"
	ilp run --backend=$b -o /nonexistent/x -- "$WL/writes" 1 > "$T/out.$b" 2> "$T/nx.$b"
	rc=$?
	[ $rc -eq 125 ] || { show "$T/nx.$b"; fail "$b -o /nonexistent/x: exit $rc, want 125"; }
	grep -qF '/nonexistent/x: No such file or directory' "$T/nx.$b" || { show "$T/nx.$b"; fail "$b: no reason given"; }
done
exit 0
