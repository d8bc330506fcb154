#!/bin/bash
# tracefs: not needed (runs when instance creation is broken; see run.sh)
# --help: exit 0, mentions run, attach, EXAMPLES.  --version: exit 0 and a
# version number.  Unknown option: exit 2.
. "$(dirname "$0")/lib.sh"

ilp --help > "$T/out" 2> "$T/err"
rc=$?
[ $rc -eq 0 ] || { show "$T/err"; fail "--help: exit $rc, want 0"; }
for w in run attach EXAMPLES; do
	grep -qw "$w" "$T/out" || { show "$T/out"; fail "--help (stdout) does not mention '$w'"; }
done

ilp --version > "$T/out" 2> "$T/err"
rc=$?
[ $rc -eq 0 ] || { show "$T/err"; fail "--version: exit $rc, want 0"; }
grep -qE '[0-9]+\.[0-9]+' "$T/out" || { show "$T/out"; fail "--version prints no version number on stdout"; }

ilp --no-such-option > "$T/out" 2> "$T/err"
rc=$?
[ $rc -eq 2 ] || { show "$T/err"; fail "--no-such-option: exit $rc, want 2"; }
ilp run --no-such-option -- "$WL/writes" 1 > "$T/out" 2> "$T/err"
rc=$?
[ $rc -eq 2 ] || { show "$T/err"; fail "run --no-such-option: exit $rc, want 2"; }
ilp frobnicate > "$T/out" 2> "$T/err"
rc=$?
[ $rc -eq 2 ] || { show "$T/err"; fail "unknown subcommand: exit $rc, want 2"; }
exit 0
