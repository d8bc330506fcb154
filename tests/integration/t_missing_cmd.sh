#!/bin/bash
# backend: any (run.sh runs it under ptrace too when tracefs is unusable)
# run -- /nonexistent: exit 127, one line 'iolockprof: ...' on stderr;
# a file that is not executable: exit 126, same one line.
. "$(dirname "$0")/lib.sh"

ilp run -- /nonexistent/cmd > "$T/out" 2> "$T/err"
rc=$?
[ $rc -eq 127 ] || { show "$T/err"; fail "missing command: exit $rc, want 127"; }
expect_one_line "missing command: stderr" "$T/err"

ilp run -- ilp-no-such-command-in-path > "$T/out" 2> "$T/err"
rc=$?
[ $rc -eq 127 ] || { show "$T/err"; fail "command not in PATH: exit $rc, want 127"; }
expect_one_line "command not in PATH: stderr" "$T/err"

printf '#!/bin/sh\nexit 0\n' > "$T/notexec"
chmod 644 "$T/notexec"
ilp run -- "$T/notexec" > "$T/out" 2> "$T/err"
rc=$?
[ $rc -eq 126 ] || { show "$T/err"; fail "non-executable file: exit $rc, want 126"; }
expect_one_line "non-executable file: stderr" "$T/err"
exit 0
